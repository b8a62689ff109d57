"""The shared parsers every route uses for numbers, ids, text and file names."""
import pytest

from tracker import validation
from tracker.validation import InvalidInput


@pytest.mark.parametrize("raw", ["²", "٣", "３", "-1", "1.0", "1e3", " ", "", "2147483648", "9" * 40, "+5", "0x10"])
def test_whole_number_refuses_anything_but_ascii_digits_within_the_column(raw):
    with pytest.raises(InvalidInput) as caught:
        validation.whole_number(raw, "party")
    assert str(caught.value).startswith("party must be a number from 0 to 2147483647, got")
    with pytest.raises(ValueError):
        validation.form_id(raw)


def test_whole_number_reads_ascii_digits_and_keeps_messages_short():
    assert validation.whole_number(" 42 ", "page", 1) == 42
    assert validation.whole_number("2147483647", "id") == validation.MAX_ID
    with pytest.raises(InvalidInput) as caught:
        validation.whole_number("x" * 5000, "page")
    assert len(str(caught.value)) < 120


def test_query_number_gives_the_default_when_absent():
    assert validation.query_number({}, "page", 1) == 1
    assert validation.query_number({"page": ""}, "page", 1) == 1
    assert validation.query_number({"page": "3"}, "page", 1) == 3


@pytest.mark.parametrize("value, found", [("ok\ttext\r\nnext line\f", None), ("a\x00b", "\x00"), ("\x1b[2J", "\x1b"),
                                          ("del\x7f", "\x7f")])
def test_control_characters_are_found_but_line_breaks_and_tabs_are_text(value, found):
    assert validation.control_character_in(value) == found


@pytest.mark.parametrize("raw, kept", [("scan.pdf", "scan.pdf"), ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
                                       ("../../etc/passwd", "passwd"), ("a\x00b\r\n.pdf", "ab.pdf"), ("", "original"),
                                       ("\x01", "original"), ("x" * 500, "x" * 200)])
def test_file_names_keep_their_last_part_without_control_characters(raw, kept):
    assert validation.file_name(raw) == kept


def test_whole_number_fields_say_what_they_accept(app):
    from tracker.reminders.forms import PreferencesForm

    with app.test_request_context(method="POST", data={"due_soon_days": "²"}):
        form = PreferencesForm()
        form.validate()
    assert form.due_soon_days.errors == ["enter a whole number from 1 to 90 (got '²')"]


@pytest.mark.parametrize("method, path", [("PUT", "/api/letters/2147483648"), ("POST", "/letters/2147483648/links"),
                                          ("GET", "/letters/99999999999"), ("PUT", "/api/commitments/4294967296")])
def test_an_id_past_the_columns_range_is_no_such_page_whatever_the_method(admin_client, method, path):
    # The route pattern itself refuses the number: a refusal left to the converter made Werkzeug answer 405.
    assert admin_client.open(path, method=method).status_code == 404
