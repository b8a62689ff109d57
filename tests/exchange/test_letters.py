"""Importing letters from spreadsheets: names matched, dates by day or month, per-cell errors, round trips, CLI."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests import factories, sheets
from tests.exchange import helpers
from tracker.events import Event
from tracker.letters.models import Letter, LetterParticipant

HEADER = "sent_on,subject,direction,authors,recipients,cc,source_url\n"


def _count(session, model) -> int:
    return helpers.count(session, model)


def _upload(client, data: bytes, filename: str = "letters.csv"):
    return helpers.upload(client, "letters", data, filename)


def _apply(client, preview_response):
    return helpers.apply(client, "letters", preview_response)


def _participants(session, letter_id) -> set:
    return set(session.exec(select(LetterParticipant.role, LetterParticipant.party_id, LetterParticipant.person_id)
                            .where(LetterParticipant.letter_id == letter_id)))


@pytest.fixture()
def world(session):
    ceo = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    chair = factories.person(session, name="Chris Disspain", email="chris@example.org")
    beckstrom = factories.person(session, name="Rod Beckstrom", email="rod@example.org", is_staff=True)
    session.commit()
    return dict(ceo=ceo, ccnso=ccnso, gnso=gnso, chair=chair, beckstrom=beckstrom)


def test_rows_create_letters_naming_parties_and_people_by_name_short_name_or_email(editor_client, session, world):
    data = (HEADER + "2010-03-25,DNS-CERT business case,incoming,ccNSO Council; chris@example.org,CEO,GNSO,"
            "https://example.org/letter\n"
            "2010-04,Reply on DNS-CERT,outgoing,Rod Beckstrom,ccnso,,\n")
    preview = _upload(editor_client, data.encode())
    assert preview.status_code == 200
    assert "2 to create" in preview.get_data(as_text=True), preview.get_data(as_text=True)
    assert _count(session, Letter) == 0  # the preview writes nothing
    assert _apply(editor_client, preview).status_code == 302
    made = {letter.subject: letter for letter in session.exec(select(Letter))}
    case = made["DNS-CERT business case"]
    assert (case.sent_on, case.date_precision, case.direction, case.source_url) == (
        date(2010, 3, 25), "day", "incoming", "https://example.org/letter")
    assert case.reply_state == "awaiting_reply"  # an imported incoming letter is tracked like a logged one
    assert _participants(session, case.id) == {("author", world["ccnso"].id, None),
                                               ("author", None, world["chair"].id),
                                               ("recipient", world["ceo"].id, None), ("cc", world["gnso"].id, None)}
    reply = made["Reply on DNS-CERT"]
    assert (reply.sent_on, reply.date_precision) == (date(2010, 4, 1), "month")
    assert _participants(session, reply.id) == {("author", None, world["beckstrom"].id),
                                                ("recipient", world["ccnso"].id, None)}
    logged = session.exec(select(Event).where(Event.kind == "letter.logged")).all()
    assert len(logged) == 2  # through the letters' own operation, with its event


def _sample_letters(session, world):
    first = factories.letter(session, subject="=HYPERLINK(\"http://evil.example\")", sent_on=date(2010, 3, 25),
                             authors=[world["ccnso"], world["chair"]], recipients=[world["ceo"]],
                             source_url="https://example.org/a")
    factories.letter(session, subject="Reply; +thanks", sent_on=date(2010, 4, 1), date_precision="month",
                     direction="outgoing", authors=[world["beckstrom"]], recipients=[world["ccnso"], world["gnso"]])
    session.commit()
    return first


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(editor_client, session, world, file_format):
    _sample_letters(session, world)
    before = {letter.id: (letter.updated_at, letter.subject, letter.sent_on, letter.date_precision)
              for letter in session.exec(select(Letter))}
    events_before = _count(session, Event)
    exported = editor_client.get(f"/letters/export.{file_format}")
    assert exported.status_code == 200
    preview = _upload(editor_client, exported.data, f"export.{file_format}")
    text = preview.get_data(as_text=True)
    assert "2 unchanged" in text and "0 to update" in text and "0 to create" in text, text
    assert {letter.id: (letter.updated_at, letter.subject, letter.sent_on, letter.date_precision)
            for letter in session.exec(select(Letter))} == before
    assert _count(session, Event) == events_before


def test_an_edited_export_updates_the_letter_through_its_operation(editor_client, session, world):
    letter = _sample_letters(session, world)
    frame = sheets.read_csv(editor_client.get("/letters/export.csv").data)
    row = frame.where("id", str(letter.id)).rows[0]
    row["subject"] = "DNS-CERT business case"
    row["cc"] = "GNSO"
    preview = _upload(editor_client, frame.to_csv())
    assert "1 to update" in preview.get_data(as_text=True)
    _apply(editor_client, preview)
    session.refresh(letter)
    assert letter.subject == "DNS-CERT business case"
    assert ("cc", world["gnso"].id, None) in _participants(session, letter.id)
    updated = session.exec(select(Event).where(Event.kind == "letter.updated", Event.subject_id == letter.id)).one()
    assert "subject" in updated.data["changes"] and "participants_added" in updated.data["changes"]


def test_bad_cells_are_named_and_only_valid_rows_are_applied(editor_client, session, world):
    factories.person(session, name="Chris Disspain", email="another.chris@example.org")
    session.commit()
    data = ("id,sent_on,subject,direction,authors,recipients\n"
            ",2010-03-25,Fine letter,incoming,ccNSO,CEO\n"
            ",2010-02-30,Impossible day,incoming,ccNSO,CEO\n"
            ",2010-13,Impossible month,incoming,ccNSO,CEO\n"
            ",2010-03-25,Unknown author,incoming,Nobody Council,CEO\n"
            ",2010-03-25,Two Chrises,incoming,Chris Disspain,CEO\n"
            ",2010-03-25,Sideways,sideways,ccNSO,CEO\n"
            ",2010-03-25,No author,incoming,,CEO\n"
            "99999,2010-03-25,No such letter,incoming,ccNSO,CEO\n"
            ",2010-03-25,=1+1,incoming,ccNSO,CEO\n"
            ",2010-03-25,Nul\x00byte,incoming,ccNSO,CEO\n")
    preview = _upload(editor_client, data.encode())
    text = preview.get_data(as_text=True)
    assert "1 to create" in text and "9 rejected" in text, text
    for message in ("is not a date that exists", "is not a month that exists",
                    "no party or person is named &#39;Nobody Council&#39;", "two or more people are named",
                    "one of: incoming, outgoing, between_others", "required for a new letter",
                    "there is no letter 99999", "a formula, not a value", "control characters are not allowed"):
        assert message in text, message
    _apply(editor_client, preview)
    assert set(session.exec(select(Letter.subject))) == {"Fine letter"}


def test_files_without_the_letter_columns_are_refused(editor_client, session):
    response = _upload(editor_client, b"subject,colour\nx,y\n")
    assert response.status_code == 400
    assert "missing: sent_on, direction, authors" in response.get_data(as_text=True)
    assert _count(session, Letter) == 0


def test_viewers_cannot_import_letters(viewer_client):
    assert viewer_client.get("/import/letters").status_code == 403
    assert viewer_client.post("/import/letters/apply", data={"payload": ""}).status_code == 403


def test_cli_dry_run_changes_nothing_and_the_real_run_reports_counts(app, session, world, tmp_path):
    letter = factories.letter(session, subject="Already here", authors=[world["ccnso"]])
    session.commit()
    path = tmp_path / "letters.csv"
    path.write_text("id,sent_on,subject,direction,authors,recipients\n"
                    ",2010-05-03,From the command line,outgoing,CEO,ccNSO\n"
                    ",2010-05-03,Bad,outgoing,CEO,Nowhere\n"
                    f"{letter.id},,Already here — renamed,,,\n")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import", "letters", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing changed: created 1, updated 1, unchanged 0, rejected 1" in dry.output
    assert "row 3: rejected — recipients: no party or person is named 'Nowhere'" in dry.output
    assert _count(session, Letter) == 1
    real = runner.invoke(args=["import", "letters", str(path)])
    assert real.exit_code == 0 and "created 1, updated 1, unchanged 0, rejected 1" in real.output, real.output
    assert set(session.exec(select(Letter.subject))) == {"From the command line", "Already here — renamed"}
