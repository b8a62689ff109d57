"""Setting a commitment's phase through the API writes and the commitments import: by id or by name, of the
commitment's kind and not retired, refused on the field (per row on import) with nothing saved, and placed
through the same operation as the commitment's page (same event, same history line)."""
from __future__ import annotations

import html as html_text
import re

import pytest
from sqlmodel import func, select

from tests import factories
from tests.exchange.helpers import apply, upload
from tests.phases.conftest import request_of
from tracker import events
from tracker.accounts.operations import create_api_token
from tracker.commitments.models import Commitment
from tracker.events import Event
from tracker.phases import operations


@pytest.fixture()
def token(session):
    user = factories.user(session, role="editor", display_name="Ed Itor")
    _token, secret = create_api_token(session, user, "script")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture()
def promise_phase(session):
    phase = operations.create_phase(session, kind="promise", name="Under way")
    session.commit()
    return phase


def phase_changes(session, commitment_id: int) -> list[dict]:
    return [e.data["after"] for e in session.exec(select(Event).where(
        Event.subject_type == "commitment", Event.subject_id == commitment_id,
        Event.kind == "commitment.phase_changed").order_by(Event.id))]


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def new_request(gnso, ceo, **changes):
    body = {"kind": "request", "title": "Extend the comment period", "made_by": [gnso.id], "made_to": [ceo.id],
            "due_phrase": "by 15 May"}
    return {**body, **changes}


def details_of(commitment, gnso, ceo, **changes):
    return {"title": commitment.title, "made_by": [gnso.id], "made_to": [ceo.id], **changes}


# The API ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("named", ["Understand", "understand", "  UNDERSTAND ", "id"])
def test_a_new_commitment_is_placed_in_the_phase_named_by_id_or_name(app, editor_client, session, token, register,
                                                                     gnso, ceo, named):
    wanted = register["Understand"].id if named == "id" else named
    response = app.test_client().post("/api/commitments", json=new_request(gnso, ceo, phase=wanted), headers=token)
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert made["phase"] == {"id": register["Understand"].id, "name": "Understand", "retired": False}
    assert phase_changes(session, made["id"]) == [{"phase_id": register["Understand"].id, "name": "Understand"}]
    history = [(e.kind, e.actor_name) for e in events.history(session, "commitment", made["id"])]
    assert history == [("commitment.made", "Ed Itor"), ("commitment.phase_changed", "Ed Itor")]
    # The page's own history line, from the same event.
    page = editor_client.get(f"/commitments/{made['id']}").get_data(as_text=True)
    assert "placed in the phase “Understand”" in page


def test_a_change_moves_keeps_or_clears_the_phase(app, session, token, register, gnso, ceo):
    request = request_of(session, [gnso], [ceo], title="Moved about")
    session.commit()
    client, url = app.test_client(), f"/api/commitments/{request.id}"
    moved = client.put(url, json=details_of(request, gnso, ceo, phase="Evaluate & Consider"), headers=token)
    assert moved.status_code == 200 and moved.get_json()["phase"]["name"] == "Evaluate & Consider"
    kept = client.put(url, json=details_of(request, gnso, ceo, title="Renamed"), headers=token)
    assert kept.get_json()["phase"]["name"] == "Evaluate & Consider" and kept.get_json()["title"] == "Renamed"
    cleared = client.put(url, json=details_of(request, gnso, ceo, phase=None), headers=token)
    assert cleared.get_json()["phase"] is None
    assert phase_changes(session, request.id) == [
        {"phase_id": register["Evaluate & Consider"].id, "name": "Evaluate & Consider"},
        {"phase_id": None, "name": ""}]


def test_a_commitment_may_keep_its_retired_phase_but_not_be_moved_into_one(app, session, token, register, gnso,
                                                                           ceo):
    kept = request_of(session, [gnso], [ceo], title="Kept")
    other = request_of(session, [gnso], [ceo], title="Other")
    operations.place_commitment(session, kept, register["Implement"].id)
    operations.retire_phase(session, register["Implement"])
    session.commit()
    client = app.test_client()
    same = client.put(f"/api/commitments/{kept.id}", json=details_of(kept, gnso, ceo, phase="Implement"),
                      headers=token)
    assert same.status_code == 200 and same.get_json()["phase"]["retired"] is True
    refused = client.put(f"/api/commitments/{other.id}", json=details_of(other, gnso, ceo, phase="Implement"),
                         headers=token)
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "the phase 'Implement' is retired: choose another", "field": "phase"}


@pytest.mark.parametrize("phase, message", [
    ("Brainstorm", "the requests have no phase named 'Brainstorm': choose one of: Receive & Acknowledge, "
                   "Understand, Evaluate & Consider, Implement"),  # not the retired Close
    ("Under way", "the requests have no phase named 'Under way'"),        # a promise's phase, by name
    ("promise_id", "there is no phase {promise_id} for requests: choose one of the list"),  # a promise's, by id
    ("retired", "the phase 'Close' is retired: choose another"),
    (424242, "there is no phase 424242 for requests: choose one of the list"),
    (2**31, "phase: Value error, a phase id (a whole number from 1 to 2147483647)"),
    (10**40, "phase: Value error, a phase id"),
    (0, "phase: Value error, a phase id"),
    (-1, "phase: Value error, a phase id"),
    (True, "phase: Value error, a phase id"),
    (2.5, "phase: Value error, a phase id"),
    ([1], "phase: Value error, a phase id"),
    ({"id": 1}, "phase: Value error, a phase id"),
    ("", "phase: Value error, a phase name cannot be empty"),
    ("Under\x00stand", "phase: Value error, holds a control character (U+0000)"),
    ("\x00", "phase: Value error, holds a control character (U+0000)"),
    ("x" * 101, "phase: Value error, a phase name has at most 100 characters"),
    ("x" * 100_000, "phase: Value error, a phase name has at most 100 characters"),
])
def test_a_hostile_phase_is_refused_on_the_field_and_nothing_is_saved(app, session, token, register,
                                                                      promise_phase, gnso, ceo, phase, message):
    operations.retire_phase(session, register["Close"])
    request = request_of(session, [gnso], [ceo], title="Untouched")
    session.commit()
    phase = {"promise_id": promise_phase.id, "retired": "Close"}.get(phase, phase) if isinstance(phase, str) else phase
    message = message.format(promise_id=promise_phase.id)
    commitments, logged = count(session, Commitment), count(session, Event)
    client = app.test_client()
    for response in (client.post("/api/commitments", json=new_request(gnso, ceo, phase=phase), headers=token),
                     client.put(f"/api/commitments/{request.id}",
                                json=details_of(request, gnso, ceo, title="Changed", phase=phase), headers=token)):
        assert response.status_code == 400, response.get_json()
        answer = response.get_json()
        assert answer["field"] == "phase" and answer["error"].startswith(message), answer
    session.expire_all()
    assert (count(session, Commitment), count(session, Event)) == (commitments, logged)
    assert (request.title, request.phase_id) == ("Untouched", None)


def test_the_document_describes_the_phase_field_of_both_writes(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    for name in ("CommitmentIn", "CommitmentDetailsIn"):
        phase = schemas[name]["properties"]["phase"]
        assert {"type": "integer", "minimum": 1, "maximum": 2**31 - 1} in phase["anyOf"], name
        assert {"type": "string", "minLength": 1, "maxLength": 100} in phase["anyOf"], name
        assert "by id" in phase["description"] and "by name" in phase["description"]


# The import ---------------------------------------------------------------------------------------------------

HEADER = "id,kind,title,made_by,made_to,phase\n"


def preview_of(client, sheet: str):
    response = upload(client, "commitments", sheet.encode(), "commitments.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:1000]
    return response, page


def row_errors(page: str) -> list[tuple[str, str]]:
    """(column, message) of every refused cell, in row order."""
    return [(column, html_text.unescape(message)) for column, message in
            re.findall(r'<div class="error"><code>([^<]+)</code>: ([^<]*)</div>', page)]


def test_an_import_places_new_and_existing_commitments_by_phase_name(editor_client, session, register, gnso, ceo):
    existing = request_of(session, [gnso], [ceo], title="Already here")
    placed = request_of(session, [gnso], [ceo], title="Taken out")
    operations.place_commitment(session, placed, register["Close"].id)
    session.commit()
    sheet = (HEADER + ",request,A new request,GNSO,CEO,evaluate & consider\n"
             f"{existing.id},request,Already here,GNSO,CEO,Understand\n"
             f"{placed.id},request,Taken out,GNSO,CEO,\n")
    preview, page = preview_of(editor_client, sheet)
    assert "1 to create · 2 to update · 0 unchanged" in page and row_errors(page) == []
    assert apply(editor_client, "commitments", preview).status_code == 302
    session.expire_all()
    made = session.exec(select(Commitment).where(Commitment.title == "A new request")).one()
    assert made.phase_id == register["Evaluate & Consider"].id
    assert (existing.phase_id, placed.phase_id) == (register["Understand"].id, None)
    for commitment, after in ((made, "Evaluate & Consider"), (existing, "Understand"), (placed, "")):
        assert phase_changes(session, commitment.id)[-1]["name"] == after


def test_an_import_refuses_a_bad_phase_per_row_and_saves_nothing_of_that_row(editor_client, session, register,
                                                                             promise_phase, gnso, ceo):
    operations.retire_phase(session, register["Close"])
    existing = request_of(session, [gnso], [ceo], title="Left alone")
    session.commit()
    huge = "9" * 40
    sheet = (HEADER + ",request,Unknown phase,GNSO,CEO,Brainstorm\n"
             ",request,Other kind's phase,GNSO,CEO,Under way\n"
             ",request,Retired phase,GNSO,CEO,Close\n"
             f",request,Huge,GNSO,CEO,{huge}\n"
             ",request,Null byte,GNSO,CEO,Under\x00stand\n"
             f"{existing.id},request,Left alone but renamed,GNSO,CEO,Close (retired)\n"
             ",promise,A promise in its own phase,CEO,GNSO,under way\n")
    commitments = count(session, Commitment)
    preview, page = preview_of(editor_client, sheet)
    assert "1 to create · 0 to update · 0 unchanged" in page
    errors = row_errors(page)
    assert errors == [
        ("phase", "the requests have no phase named 'Brainstorm': choose one of: Receive & Acknowledge, "
                  "Understand, Evaluate & Consider, Implement"),
        ("phase", "the requests have no phase named 'Under way': choose one of: Receive & Acknowledge, "
                  "Understand, Evaluate & Consider, Implement"),
        ("phase", "the phase 'Close' is retired: choose another"),
        ("phase", f"the requests have no phase named '{huge}': choose one of: Receive & Acknowledge, "
                  "Understand, Evaluate & Consider, Implement"),
        ("phase", "control characters are not allowed"),
        ("phase", "the phase 'Close' is retired: choose another"),
    ]
    assert apply(editor_client, "commitments", preview).status_code == 302
    session.expire_all()
    assert count(session, Commitment) == commitments + 1
    (made,) = session.exec(select(Commitment).where(Commitment.title == "A promise in its own phase")).all()
    assert made.phase_id == promise_phase.id
    assert (existing.title, existing.phase_id) == ("Left alone", None)


def test_an_import_without_the_phase_column_leaves_phases_alone(editor_client, session, register, gnso, ceo):
    placed = request_of(session, [gnso], [ceo], title="Stays put")
    operations.place_commitment(session, placed, register["Understand"].id)
    session.commit()
    _preview, page = preview_of(editor_client, f"id,kind,title,made_by,made_to\n{placed.id},request,Stays put,"
                                               "GNSO,CEO\n")
    assert "0 to create · 0 to update · 1 unchanged" in page
