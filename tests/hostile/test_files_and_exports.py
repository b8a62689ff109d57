"""Uploaded file names, stored names and CSV cells that would break a header or run in a spreadsheet."""
import io
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from tests import factories
from tracker.export import neutralise, restore
from tracker.letters.models import LetterFile


def files(session):
    return list(session.exec(select(LetterFile)))


def test_a_control_character_in_an_uploaded_files_name_is_refused_with_a_message(editor_client, session):
    letter = factories.letter(session)
    session.commit()
    for name in ("scan\x00.pdf", "scan\x1b.pdf"):
        response = editor_client.post(f"/letters/{letter.id}/files", data={"file": (io.BytesIO(b"%PDF"), name)},
                                      content_type="multipart/form-data")
        assert response.status_code == 400
        assert "The name of the uploaded file holds a control character" in response.get_data(as_text=True)
    assert files(session) == []


def test_an_uploaded_file_keeps_only_the_last_part_of_its_name(editor_client, session):
    letter = factories.letter(session)
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/files",
                                  data={"file": (io.BytesIO(b"%PDF"), "../../windows/minutes.pdf")},
                                  content_type="multipart/form-data")
    assert response.status_code == 302
    assert [stored.filename for stored in files(session)] == ["minutes.pdf"]


STORED_NAMES = ["minutes\r\nSet-Cookie: session=stolen.pdf", "tab\tand\x01bell.pdf", "\x7f"]
if not os.environ.get("TRACKER_TEST_DATABASE_URL"):
    STORED_NAMES.append("nul\x00.pdf")  # PostgreSQL cannot even store it


@pytest.mark.parametrize("stored_name", STORED_NAMES)
def test_a_file_stored_with_a_broken_name_still_downloads(editor_client, session, stored_name):
    letter = factories.letter(session)
    stored = LetterFile(letter_id=letter.id, filename=stored_name, data=b"%PDF-1.4", size=8,
                        content_type="text/html\r\nX-Injected: 1", sha256="0" * 64,
                        uploaded_at=letter.created_at)
    session.add(stored)
    session.commit()
    response = editor_client.get(f"/letters/{letter.id}/files/{stored.id}")
    assert response.status_code == 200 and response.data == b"%PDF-1.4"
    assert "Set-Cookie" not in response.headers and "X-Injected" not in response.headers
    assert response.headers["Content-Type"] == "application/octet-stream"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and not any(ord(c) < 32 for c in disposition)


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"),
    (" =1+1", "' =1+1"),
    ("Ask;=HYPERLINK(\"http://evil.example\")", "Ask;'=HYPERLINK(\"http://evil.example\")"),
    ("Ask,=cmd|' /C calc'!A0", "Ask,'=cmd|' /C calc'!A0"),
    ("Ask\t@SUM(A1)", "Ask\t'@SUM(A1)"),
    ("line one\r\n+1", "line one\r\n'+1"),
    ("a | -2", "a | '-2"),
    ("Plain text; nothing to run, at all", "Plain text; nothing to run, at all"),
    ("chair@example.org", "chair@example.org"),
])
def test_csv_cells_are_neutralised_after_every_separator(cell, safe):
    assert neutralise(cell) == safe


def test_export_neutralises_a_formula_after_a_semicolon(editor_client, session):
    factories.commitment(session, title="Publish;=HYPERLINK(\"http://evil.example\",\"x\")")
    session.commit()
    body = editor_client.get("/commitments/export.csv").get_data(as_text=True)
    assert ";'=HYPERLINK" in body and ";=HYPERLINK" not in body


@given(st.text(alphabet=st.sampled_from(list("=+-@'; ,|\t\r\nab")), max_size=12) | st.text(max_size=40))
def test_a_neutralised_cell_read_back_is_the_value_that_was_exported(value):
    """Exports quote formulas; imports take exactly that quote away, so export → import changes nothing."""
    assert restore(neutralise(value)) == value


@given(st.text(alphabet=st.sampled_from(list("=+-@'; ,|\t\r\nab")), max_size=12) | st.text(max_size=40))
def test_text_passed_as_it_is_is_text_the_rules_leave_unchanged(value):
    """neutralise() skips its regular expressions for text without a character a formula starts with: they would
    have changed nothing."""
    from tracker.export import _FORMULA_AFTER_SEPARATOR, _runs_at_start

    by_the_rules = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    by_the_rules = "'" + by_the_rules if _runs_at_start(by_the_rules) else by_the_rules
    assert neutralise(value) == by_the_rules


def test_restore_leaves_a_quote_that_guards_no_formula():
    assert restore("'quoted'") == "'quoted'" and restore("It's; 'fine'") == "It's; 'fine'"
