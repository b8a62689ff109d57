"""Logging and editing letters: roles, titles from roles, dates, bad input, sanitised bodies, uploads."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests import factories
from tests.letters.helpers import cast, text
from tracker import events
from tracker.letters.models import Letter, LetterFile, LetterParticipant


def _form(c, **overrides):
    data = {"sent_on": "2010-03-25", "subject": "Joint letter on DNS-CERT", "direction": "incoming",
            "author_parties": [str(c["ccnso"].id)], "author_people": [str(c["chris"].id)],
            "recipient_people": [str(c["rod"].id)], "body": "<p>Dear Rod,</p>"}
    data.update(overrides)
    return data


def _letters(session, subject="Joint letter on DNS-CERT"):
    return session.exec(select(Letter).where(Letter.subject == subject)).all()


def _participants(session, letter):
    rows = session.exec(select(LetterParticipant).where(LetterParticipant.letter_id == letter.id)
                        .order_by(LetterParticipant.id)).all()
    return [(row.role, row.party_id, row.person_id, row.title) for row in rows]


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_staff_log_a_letter_and_titles_come_from_roles_held_that_day(signed_in, session, role):
    c = cast(session)
    client = signed_in(role)
    assert client.get("/letters/new").status_code == 200
    response = client.post("/letters/new", data=_form(c))
    assert response.status_code == 302
    [letter] = _letters(session)
    assert response.headers["Location"].endswith(f"/letters/{letter.id}")
    assert (letter.sent_on, letter.date_precision, letter.direction) == (date(2010, 3, 25), "day", "incoming")
    assert _participants(session, letter) == [
        ("author", c["ccnso"].id, None, None),
        ("author", c["ccnso"].id, c["chris"].id, "Chair"),
        ("recipient", c["ceo"].id, c["rod"].id, "President and CEO"),
    ]
    assert [event.kind for event in events.history(session, "letter", letter.id)] == ["letter.logged"]


def test_typed_title_wins_over_the_role_held(editor_client, session):
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, titles="Chris Disspain: Chair, ccNSO Council\n"))
    assert response.status_code == 302
    [letter] = _letters(session)
    assert ("author", c["ccnso"].id, c["chris"].id, "Chair, ccNSO Council") in _participants(session, letter)


def test_title_for_someone_not_chosen_is_refused(editor_client, session):
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, titles="Peter Dengate Thrush: Chair"))
    assert response.status_code == 400
    assert "line 1: &#39;Peter Dengate Thrush&#39; is not one of the people chosen above" in text(response)
    assert _letters(session) == []


def test_role_that_ended_before_the_letter_gives_no_title(editor_client, session):
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, sent_on="2003-05-01"))
    assert response.status_code == 302
    [letter] = _letters(session)
    assert ("author", None, c["chris"].id, None) in _participants(session, letter)


def test_month_precision_date_is_kept_and_shown_as_a_month(editor_client, session):
    c = cast(session)
    editor_client.post("/letters/new", data=_form(c, sent_on="2010-03"))
    [letter] = _letters(session)
    assert (letter.sent_on, letter.date_precision) == (date(2010, 3, 1), "month")
    page = text(editor_client.get(f"/letters/{letter.id}"))
    assert ">March 2010</time>" in page


def test_incoming_letter_must_be_replied_to_within_reply_by_days(editor_client, session, app):
    c = cast(session)
    editor_client.post("/letters/new", data=_form(c))
    [letter] = _letters(session)
    assert app.config["REPLY_BY_DAYS"] == 30
    assert letter.reply_by == date(2010, 3, 25) + timedelta(days=30) == date(2010, 4, 24)
    assert letter.reply_state == "awaiting_reply"
    page = text(editor_client.get(f"/letters/{letter.id}"))
    assert "late: awaiting reply since 24 April 2010" in page


def test_outgoing_letter_awaits_no_reply(editor_client, session):
    c = cast(session)
    editor_client.post("/letters/new", data=_form(c, direction="outgoing"))
    [letter] = _letters(session)
    assert (letter.reply_state, letter.reply_by) == (None, None)


@pytest.mark.parametrize("sent_on, message", [
    ("2010-02-30", "&#39;2010-02-30&#39; is not a date that exists"),
    ("2010-13", "&#39;2010-13&#39; is not a month that exists"),
    ("25 March 2010", "is not a date: use YYYY-MM-DD, or YYYY-MM when only the month is known"),
])
def test_bad_letter_date_is_refused_with_a_clear_message(editor_client, session, sent_on, message):
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, sent_on=sent_on))
    assert response.status_code == 400
    assert message in text(response)
    assert _letters(session) == []


def test_unknown_party_id_posted_by_hand_is_refused(editor_client, session):
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, recipient_parties=["999999"]))
    assert response.status_code == 400
    assert "there is no party with id 999999" in text(response)
    assert _letters(session) == []


def test_letter_without_author_is_refused(editor_client, session):
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, author_parties=[], author_people=[]))
    assert response.status_code == 400
    assert "a letter needs at least one author" in text(response)
    assert _letters(session) == []


def test_script_and_handlers_are_removed_from_the_body_stored_and_shown(editor_client, session):
    c = cast(session)
    editor_client.post("/letters/new", data=_form(c, body="<script>alert(1)</script><p onclick=x>hi</p>"))
    [letter] = _letters(session)
    assert letter.body == "<p>hi</p>"
    page = text(editor_client.get(f"/letters/{letter.id}"))
    assert "<p>hi</p>" in page
    assert "<script>alert" not in page and "alert(1)" not in page and "onclick" not in page


def test_file_uploaded_with_a_new_letter_is_kept(editor_client, session):
    import io

    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, file=(io.BytesIO(b"%PDF-1.4 letter"), "letter.pdf",
                                                                      "application/pdf")),
                                  content_type="multipart/form-data")
    assert response.status_code == 302
    [letter] = _letters(session)
    [stored] = session.exec(select(LetterFile).where(LetterFile.letter_id == letter.id)).all()
    assert (stored.filename, stored.content_type, stored.data) == ("letter.pdf", "application/pdf", b"%PDF-1.4 letter")


def test_oversized_upload_with_a_new_letter_saves_nothing(editor_client, session, app, monkeypatch):
    import io

    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 1024)
    c = cast(session)
    response = editor_client.post("/letters/new", data=_form(c, file=(io.BytesIO(b"x" * 1025), "big.pdf",
                                                                      "application/pdf")),
                                  content_type="multipart/form-data")
    assert response.status_code == 400
    assert "big.pdf is larger than the limit of 1 KB; nothing was saved" in text(response)
    assert _letters(session) == []
    assert session.exec(select(LetterFile)).all() == []


def test_viewer_gets_403_on_letter_writes(viewer_client, session):
    c = cast(session)
    letter = factories.letter(session, authors=[c["ccnso"]])
    session.commit()
    assert viewer_client.get("/letters/new").status_code == 403
    assert viewer_client.post("/letters/new", data=_form(c)).status_code == 403
    assert viewer_client.get(f"/letters/{letter.id}/edit").status_code == 403
    assert viewer_client.post(f"/letters/{letter.id}/edit", data=_form(c)).status_code == 403
    assert _letters(session) == []


def test_edit_form_is_filled_with_the_letter(editor_client, session):
    c = cast(session)
    editor_client.post("/letters/new", data=_form(c, sent_on="2010-03"))
    [letter] = _letters(session)
    page = text(editor_client.get(f"/letters/{letter.id}/edit"))
    assert 'value="2010-03"' in page
    assert 'value="Joint letter on DNS-CERT"' in page
    assert f'name="author_people" value="{c["chris"].id}" checked> Chris Disspain' in page
    assert "Chris Disspain: Chair" in page


def test_editing_records_what_changed_and_keeps_participants(editor_client, session):
    c = cast(session)
    editor_client.post("/letters/new", data=_form(c))
    [letter] = _letters(session)
    before = _participants(session, letter)
    response = editor_client.post(f"/letters/{letter.id}/edit", data=_form(
        c, subject="Joint letter on DNS-CERT (corrected)", titles="Chris Disspain: Chair",
        recipient_people=[str(c["rod"].id)], cc_parties=[str(c["gnso"].id)]))
    assert response.status_code == 302
    session.refresh(letter)
    assert letter.subject == "Joint letter on DNS-CERT (corrected)"
    assert _participants(session, letter) == before + [("cc", c["gnso"].id, None, None)]
    updated = events.history(session, "letter", letter.id)[-1]
    assert updated.kind == "letter.updated"
    assert updated.data == {"changes": {"subject": ["Joint letter on DNS-CERT", "Joint letter on DNS-CERT (corrected)"],
                                        "participants_added": ["cc: GNSO Council"]},
                            "reply_before": {"reply_state": "awaiting_reply", "reply_by": "2010-04-24"}}
    assert "edited the letter" in text(editor_client.get(f"/letters/{letter.id}"))


def test_editing_keeps_a_title_that_came_from_the_import(editor_client, session):
    c = cast(session)
    letter = factories.letter(session, authors=[c["chris"]])
    row = session.exec(select(LetterParticipant).where(LetterParticipant.letter_id == letter.id)).one()
    row.title, row.party_id = "Chair, ccNSO Council", c["gnso"].id
    session.add(row)
    session.commit()
    page = text(editor_client.get(f"/letters/{letter.id}/edit"))
    assert "Chris Disspain: Chair, ccNSO Council" in page
    response = editor_client.post(f"/letters/{letter.id}/edit", data={
        "sent_on": "2010-04-01", "subject": "Renamed", "direction": "incoming",
        "author_people": [str(c["chris"].id)], "titles": "Chris Disspain: Chair, ccNSO Council"})
    assert response.status_code == 302
    assert _participants(session, letter) == [("author", c["gnso"].id, c["chris"].id, "Chair, ccNSO Council")]


def test_edit_with_a_nonexistent_date_changes_nothing(editor_client, session):
    c = cast(session)
    letter = factories.letter(session, subject="Unchanged", authors=[c["ccnso"]])
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/edit",
                                  data=_form(c, sent_on="2010-02-30", subject="Changed"))
    assert response.status_code == 400
    session.refresh(letter)
    assert (letter.subject, letter.sent_on) == ("Unchanged", date(2010, 4, 1))
    assert [event.kind for event in events.history(session, "letter", letter.id)] == ["letter.logged"]
