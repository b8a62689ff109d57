"""Importing commitments from spreadsheets: preview, per-cell errors, apply, and export → import changing nothing."""
from __future__ import annotations

import base64
import io
import zipfile
from datetime import date

import pytest
from sqlmodel import select

from tests import factories, sheets
from tests.exchange import helpers
from tracker.commitments.models import Commitment, CommitmentParty, DueWindowChange
from tracker.commitments.operations import Window, update_progress
from tracker.events import Event

HEADER = "kind,title,made_by,made_to,owner,due_phrase,due_earliest,due_latest,status,progress,fulfilled_on\n"


def _count(session, model) -> int:
    return helpers.count(session, model)


def _upload(client, data: bytes, filename: str = "commitments.csv"):
    return helpers.upload(client, "commitments", data, filename)


def _apply(client, preview_response):
    return helpers.apply(client, "commitments", preview_response)


@pytest.fixture()
def world(session):
    ceo = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    owner = factories.person(session, name="Greg Rattray", email="greg@example.org", is_staff=True)
    session.commit()
    return dict(ceo=ceo, ccnso=ccnso, gnso=gnso, owner=owner)


def test_rows_without_id_create_commitments_with_parties_owner_and_a_read_due_phrase(editor_client, session, world):
    data = (HEADER + "promise,Publish the Concept of Operations,CEO,ccNSO Council; gnso,greg@example.org,"
            "in early June,,,,,\n"
            "request,Extend the comment period,ccNSO,CEO,Greg Rattray,,2010-06-01,2010-06-10,in progress,40,\n")
    preview = _upload(editor_client, data.encode())
    assert preview.status_code == 200
    assert "2 to create" in preview.get_data(as_text=True)
    assert _count(session, Commitment) == 0  # the preview writes nothing
    response = _apply(editor_client, preview)
    assert response.status_code == 302
    made = {c.title: c for c in session.exec(select(Commitment))}
    conops = made["Publish the Concept of Operations"]
    assert (conops.kind, conops.owner_id, conops.due_precision) == ("promise", world["owner"].id, "window")
    assert (conops.due_earliest, conops.due_latest) == (date(2010, 6, 1), date(2010, 6, 10))
    sides = set(session.exec(select(CommitmentParty.side, CommitmentParty.party_id)
                             .where(CommitmentParty.commitment_id == conops.id)))
    assert sides == {("by", world["ceo"].id), ("to", world["ccnso"].id), ("to", world["gnso"].id)}
    extension = made["Extend the comment period"]
    assert (extension.status, extension.progress, extension.due_latest) == ("in_progress", 40, date(2010, 6, 10))
    assert _count(session, Event) >= 3  # made ×2 and the progress change go through the same operations


def test_export_then_import_changes_nothing(editor_client, session, world):
    factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"], world["gnso"]],
                         owner_id=world["owner"].id, title="=cmd|' /C calc'!A0",
                         window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"]], window=Window("weeks not months"))
    brussels = factories.meeting(session, title="Brussels meeting")
    factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"]], window=Window(
        "prior to the Brussels meeting", None, date(2010, 6, 19), "day", anchor_meeting_id=brussels.id))
    done = factories.commitment(session, made_by=[world["ceo"]], made_to=[world["gnso"]])
    update_progress(session, done, status="done", fulfilled_on=date(2010, 5, 2),
                    evidence_url="https://example.org/evidence")
    session.commit()
    before = {c.id: (c.updated_at, c.title, c.due_latest, c.status) for c in session.exec(select(Commitment))}
    events_before = _count(session, Event)
    exported = editor_client.get("/commitments/export.csv")
    assert exported.status_code == 200
    preview = _upload(editor_client, exported.data, "export.csv")
    text = preview.get_data(as_text=True)
    assert "4 unchanged" in text and "0 to update" in text and "0 to create" in text, text
    assert {c.id: (c.updated_at, c.title, c.due_latest, c.status) for c in session.exec(select(Commitment))} == before
    assert _count(session, Event) == events_before


def test_an_exported_workbook_imported_again_changes_nothing(editor_client, session, world):
    factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"], world["gnso"]],
                         owner_id=world["owner"].id, title="=cmd|' /C calc'!A0", quote="Ask;=HYPERLINK(\"x\")",
                         window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"]], window=Window("weeks not months"))
    done = factories.commitment(session, made_by=[world["ceo"]], made_to=[world["gnso"]])
    update_progress(session, done, status="done", fulfilled_on=date(2010, 5, 2),
                    evidence_url="https://example.org/evidence")
    session.commit()
    before = {c.id: (c.updated_at, c.title, c.quote, c.due_latest, c.status) for c in session.exec(select(Commitment))}
    events_before = _count(session, Event)
    exported = editor_client.get("/commitments/export.xlsx")
    assert exported.status_code == 200 and exported.data[:2] == b"PK"
    preview = _upload(editor_client, exported.data, "export.xlsx")
    text = preview.get_data(as_text=True)
    assert "3 unchanged" in text and "0 to update" in text and "0 to create" in text, text
    assert "Nothing to import" in text
    after = {c.id: (c.updated_at, c.title, c.quote, c.due_latest, c.status) for c in session.exec(select(Commitment))}
    assert after == before
    assert _count(session, Event) == events_before


def test_an_edited_export_updates_details_and_reschedules_keeping_the_baseline(editor_client, session, world):
    commitment = factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"]],
                                      window=Window("by 30 April", None, date(2010, 4, 30), "day"))
    session.commit()
    frame = sheets.read_csv(editor_client.get("/commitments/export.csv").data)
    frame.rows[0]["title"] = "A clearer title"
    frame.rows[0]["due_phrase"], frame.rows[0]["due_latest"] = "by 15 May", "2010-05-15"
    preview = _upload(editor_client, frame.to_csv())
    assert "1 to update" in preview.get_data(as_text=True)
    _apply(editor_client, preview)
    session.refresh(commitment)
    assert (commitment.title, commitment.due_latest, commitment.baseline_latest) == (
        "A clearer title", date(2010, 5, 15), date(2010, 4, 30))
    change = session.exec(select(DueWindowChange).where(DueWindowChange.commitment_id == commitment.id)).one()
    assert change.reason == "imported from commitments.csv"


def test_bad_cells_are_named_and_only_valid_rows_are_applied(editor_client, session, world):
    existing = factories.commitment(session, made_by=[world["ceo"]], made_to=[world["ccnso"]])
    session.commit()
    data = ("id,kind,title,made_by,made_to,due_latest,progress,fulfilled_on,status\n"
            ",promise,Fine row,CEO,ccNSO,2010-06-30,,,\n"
            ",promise,Unknown party,CEO,Nobody Council,,,,\n"
            ",promise,Impossible date,CEO,ccNSO,2010-02-30,,,\n"
            ",promise,Too much progress,CEO,ccNSO,,150,,\n"
            "99999,promise,No such id,CEO,ccNSO,,,,\n"
            f"{existing.id},request,Kind flip,CEO,ccNSO,,,,\n"
            ",promise,=HYPERLINK(\"http://evil.example\"),CEO,ccNSO,,,,\n"
            ",promise,Nul\x00byte,CEO,ccNSO,,,,\n"
            ",promise,Done without a day,CEO,ccNSO,,,,done\n"
            ",,,,,,,,\n")
    preview = _upload(editor_client, data.encode())
    text = preview.get_data(as_text=True)
    assert "1 to create" in text and "8 rejected" in text, text
    for message in ("no party is named &#39;Nobody Council&#39;", "is not a date that exists",
                    "a percentage from 0 to 100", "there is no commitment 99999", "a promise cannot become a request",
                    "a formula, not a value", "control characters are not allowed", "say on which day it was done"):
        assert message in text, message
    _apply(editor_client, preview)
    titles = set(session.exec(select(Commitment.title)))
    assert titles == {existing.title, "Fine row"}


def test_a_workbook_is_read_like_a_csv(editor_client, session, world):
    data = sheets.workbook_bytes(["kind", "title", "made_by", "made_to", "due_latest", "progress"],
                                 [["promise", "From Excel", "CEO", "GNSO", date(2010, 7, 1), 10]])
    preview = _upload(editor_client, data, "plan.xlsx")
    assert "1 to create" in preview.get_data(as_text=True), preview.get_data(as_text=True)
    _apply(editor_client, preview)
    made = session.exec(select(Commitment).where(Commitment.title == "From Excel")).one()
    assert (made.due_latest, made.progress) == (date(2010, 7, 1), 10)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<x>" + b" " * (60 * 1024 * 1024) + b"</x>")
    return buffer.getvalue()


@pytest.mark.parametrize("filename, data, message", [
    ("bomb.xlsx", _zip_bomb(), "would inflate to"),
    ("letter.docx", b"PK\x03\x04", "is not a spreadsheet"),
    ("broken.xlsx", b"not a zip at all", "could not be read"),
    ("rows.csv", b"title,kind\n" + b"x,promise\n" * 30, "more than 20 rows"),
    ("columns.csv", b"name,colour\nx,y\n", "missing: title, kind, made_by, made_to"),
])
def test_files_that_cannot_be_imported_get_a_clear_message_and_change_nothing(
        app, editor_client, session, monkeypatch, filename, data, message):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 20)
    response = _upload(editor_client, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(session, Commitment) == 0


def test_a_tampered_confirmation_is_checked_again(editor_client, session, world):
    forged = base64.b64encode((HEADER + "promise,Sneaky,CEO,Nobody,,,,,,,\n").encode()).decode()
    editor_client.post("/import/commitments/apply", data={"payload": forged, "filename": "x.csv"})
    editor_client.post("/import/commitments/apply", data={"payload": "%%%not base64", "filename": "x.csv"})
    assert _count(session, Commitment) == 0


def test_viewers_cannot_import(viewer_client):
    assert viewer_client.get("/import/commitments").status_code == 403
    assert viewer_client.post("/import/commitments/apply", data={"payload": ""}).status_code == 403


def test_cli_dry_run_changes_nothing_and_the_real_run_reports_counts(app, session, world, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(HEADER + "promise,From the command line,CEO,ccNSO,,by 30 June,,,,,\n"
                             "promise,Bad,CEO,Nowhere,,,,,,,\n")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import", "commitments", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing changed: created 1, updated 0, unchanged 0, rejected 1" in dry.output
    assert "row 3: rejected — made_to: no party is named 'Nowhere'" in dry.output
    assert _count(session, Commitment) == 0
    real = runner.invoke(args=["import", "commitments", str(path)])
    assert real.exit_code == 0 and "created 1, updated 0, unchanged 0, rejected 1" in real.output
    made = session.exec(select(Commitment)).one()
    assert (made.title, made.due_latest) == ("From the command line", date(2010, 6, 30))
