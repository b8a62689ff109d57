"""A refused form shows every error at once, each tied to its field, and keeps what was typed."""
import re


def test_every_error_is_listed_tied_to_its_field_and_the_input_is_kept(editor_client):
    response = editor_client.post("/commitments/new", data={
        "kind": "promise", "title": "", "quote": "We will publish it in early May.", "due_phrase": "in early May",
        "due_precision": "window", "due_latest": "not a date"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    linked = re.findall(r'<a href="#(\w+)">', summary)
    assert "title" in linked and len(linked) >= 2
    for field_id in linked:
        control = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', html).group(0)
        assert f'aria-describedby="{field_id}-error"' in control and 'aria-invalid="true"' in control
        assert f'<p class="error" id="{field_id}-error">' in html
    assert "We will publish it in early May." in html and 'value="in early May"' in html


def test_pages_carry_a_skip_link_and_mark_the_current_section(editor_client):
    html = editor_client.get("/letters/").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html and '<main id="main"' in html
    assert re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html) == ["Letters"]
