"""Writing letters and commitments through the API: the forms' validation, the same events, staff only, and
tokens or CSRF-checked sessions."""
import re
from datetime import date

import pytest
from sqlmodel import func, select

from tests import factories
from tests.conftest import testing_config
from tracker import create_app, events
from tracker.accounts.operations import create_api_token
from tracker.commitments.models import Commitment, DueWindowChange
from tracker.letters.models import Letter


@pytest.fixture()
def world(session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    ceo = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
    owner = factories.person(session, name="Greg Rattray", is_staff=True)
    letter = factories.letter(session, authors=[ccnso], recipients=[ceo], sent_on=date(2010, 3, 25))
    commitment = factories.commitment(session, made_by=[ceo], made_to=[ccnso], owner_id=owner.id)
    session.commit()
    return dict(ccnso=ccnso, ceo=ceo, owner=owner, letter=letter, commitment=commitment)


@pytest.fixture()
def editor_token(session):
    user = factories.user(session, role="editor")
    _token, secret = create_api_token(session, user, "script")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def kinds(session, subject_type, subject_id):
    return [e.kind for e in events.history(session, subject_type, subject_id)]


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def letter_body(world, **changes):
    body = {"sent_on": "2010-04-21", "subject": "Thank you for your letter", "direction": "outgoing",
            "body": "<p>Thank you</p><script>x</script>", "source_url": "https://example.org/reply",
            "participants": [{"role": "author", "party_id": world["ceo"].id},
                             {"role": "recipient", "party_id": world["ccnso"].id}]}
    body.update(changes)
    return body


def commitment_body(world, **changes):
    body = {"kind": "promise", "title": "Publish a Concept of Operations", "quote": "in early May",
            "due_phrase": "in early May", "made_by": [world["ceo"].id], "made_to": [world["ccnso"].id],
            "owner_id": world["owner"].id, "source_letter_id": world["letter"].id}
    body.update(changes)
    return body


def test_creating_a_letter_logs_it_with_the_forms_event_and_answers_201(app, session, world, editor_token):
    response = app.test_client().post("/api/letters", json=letter_body(world), headers=editor_token)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["subject"] == "Thank you for your letter" and created["direction"] == "outgoing"
    assert "<script>" not in created["body"] and created["url"] == f"/letters/{created['id']}"
    assert kinds(session, "letter", created["id"]) == ["letter.logged"]
    assert session.get(Letter, created["id"]).source_url == "https://example.org/reply"


def test_a_letter_dated_by_month_is_kept_as_the_first_of_that_month(app, world, editor_token):
    created = app.test_client().post("/api/letters", json=letter_body(world, sent_on="2010-03"),
                                     headers=editor_token).get_json()
    assert created["sent_on"] == "2010-03-01" and created["date_precision"] == "month"


def test_editing_a_letter_records_what_changed(app, session, world, editor_token):
    letter = world["letter"]
    body = letter_body(world, subject="Remarks to the GAC", direction="incoming", sent_on="2010-03-25",
                       participants=[{"role": "author", "party_id": world["ccnso"].id}])
    response = app.test_client().put(f"/api/letters/{letter.id}", json=body, headers=editor_token)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["subject"] == "Remarks to the GAC"
    updated = [e for e in events.history(session, "letter", letter.id) if e.kind == "letter.updated"]
    assert updated and updated[-1].data["changes"]["subject"][1] == "Remarks to the GAC"


@pytest.mark.parametrize("changes, field", [
    ({"subject": "   "}, "subject"),
    ({"sent_on": "2010-02-30"}, "sent_on"),
    ({"sent_on": "25 March"}, "sent_on"),
    ({"direction": "sideways"}, "direction"),
    ({"participants": [{"role": "recipient", "party_id": 1}]}, "authors"),
    ({"participants": [{"role": "author", "party_id": 424242}]}, "authors"),
    ({"participants": [{"role": "author"}]}, "authors"),
    ({"source_url": "javascript:alert(1)"}, "source_url"),
    ({"subject": "a\x00b"}, "subject"),
    ({"subject": "x" * 501}, "subject"),
    ({"colour": "red"}, "colour"),
    ({"participants": [{"role": "author", "party_id": 2**40}]}, "participants.0.party_id"),
])
def test_a_bad_letter_is_400_naming_the_field_and_saves_nothing(app, session, world, editor_token, changes, field):
    before = count(session, Letter)
    response = app.test_client().post("/api/letters", json=letter_body(world, **changes), headers=editor_token)
    assert response.status_code == 400
    assert response.get_json()["field"] == field and response.get_json()["error"]
    assert count(session, Letter) == before


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", "null"])
def test_a_body_that_is_not_a_json_object_is_400(app, world, editor_token, payload):
    response = app.test_client().post("/api/letters", data=payload, content_type="application/json",
                                      headers=editor_token)
    assert response.status_code == 400 and response.get_json()["field"] is None


def test_creating_a_commitment_parses_the_due_phrase_as_the_form_does(app, session, world, editor_token):
    response = app.test_client().post("/api/commitments", json=commitment_body(world), headers=editor_token)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    # Written in a letter of 25 March 2010: "in early May" is 1–10 May 2010.
    assert created["due"] == {"phrase": "in early May", "earliest": "2010-05-01", "latest": "2010-05-10",
                              "precision": "window", "anchor_meeting_id": None}
    assert created["baseline"]["latest"] == "2010-05-10" and created["owner"]["id"] == world["owner"].id
    assert created["source_letter_id"] == world["letter"].id
    assert kinds(session, "commitment", created["id"]) == ["commitment.made"]


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"),
    ({"kind": "gift"}, "kind"),
    ({"made_to": []}, "made_to"),
    ({"made_to": [424242]}, "made_to"),
    ({"owner_id": 424242}, "owner_id"),
    ({"source_letter_id": 424242}, "source_letter_id"),
    ({"due_phrase": "by 31 April"}, "due_phrase"),
    ({"due_phrase": "", "due_earliest": "2010-05-10", "due_latest": "2010-05-01"}, "due_latest"),
    ({"due_phrase": "", "due_precision": "vague", "due_latest": "2010-05-01"}, "due_precision"),
])
def test_a_bad_commitment_is_400_naming_the_field_and_saves_nothing(app, session, world, editor_token, changes,
                                                                   field):
    before = count(session, Commitment)
    response = app.test_client().post("/api/commitments", json=commitment_body(world, **changes),
                                      headers=editor_token)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field
    assert count(session, Commitment) == before


def test_updating_a_commitments_details(app, session, world, editor_token):
    commitment = world["commitment"]
    response = app.test_client().put(f"/api/commitments/{commitment.id}", json={
        "title": "Publish the findings", "quote": "we will", "made_by": [world["ceo"].id],
        "made_to": [world["ccnso"].id], "owner_id": None}, headers=editor_token)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == "Publish the findings" and response.get_json()["owner"] is None
    assert kinds(session, "commitment", commitment.id)[-1] == "commitment.updated"


def test_rescheduling_keeps_the_baseline_and_the_history(app, session, world, editor_token):
    commitment = world["commitment"]
    response = app.test_client().post(f"/api/commitments/{commitment.id}/reschedule", json={
        "due_phrase": "mid-June", "reason": "the board asked for more time"}, headers=editor_token)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["due"]["latest"] == "2010-06-20" and body["baseline"]["latest"] == "2010-04-30"
    assert kinds(session, "commitment", commitment.id)[-1] == "commitment.rescheduled"
    assert session.exec(select(func.count()).select_from(DueWindowChange)).one() == 1


def test_rescheduling_without_a_reason_is_400(app, world, editor_token):
    response = app.test_client().post(f"/api/commitments/{world['commitment'].id}/reschedule",
                                      json={"due_phrase": "mid-June", "reason": ""}, headers=editor_token)
    assert response.status_code == 400 and response.get_json()["field"] == "reason"


def test_progress_done_needs_the_day_and_records_commitment_done(app, session, world, editor_token):
    url = f"/api/commitments/{world['commitment'].id}/progress"
    client = app.test_client()
    refused = client.post(url, json={"status": "done"}, headers=editor_token)
    assert refused.status_code == 400 and refused.get_json()["field"] == "fulfilled_on"
    response = client.post(url, json={"status": "done", "fulfilled_on": "2010-05-01",
                                      "evidence_url": "https://example.org/conops"}, headers=editor_token)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "done" and response.get_json()["progress"] == 100
    assert kinds(session, "commitment", world["commitment"].id)[-1] == "commitment.done"


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/api/letters", {}),
    ("PUT", "/api/letters/{letter}", {}),
    ("POST", "/api/commitments", {}),
    ("PUT", "/api/commitments/{commitment}", {}),
    ("POST", "/api/commitments/{commitment}/reschedule", {}),
    ("POST", "/api/commitments/{commitment}/progress", {}),
])
def test_viewers_get_403_and_anonymous_401_on_every_write(app, session, world, signed_in, method, path, body):
    url = path.format(letter=world["letter"].id, commitment=world["commitment"].id)
    viewer = factories.user(session, role="viewer")
    _token, secret = create_api_token(session, viewer, "reader")
    session.commit()
    assert app.test_client().open(url, method=method, json=body,
                                  headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    assert signed_in("viewer").open(url, method=method, json=body).status_code == 403
    assert app.test_client().open(url, method=method, json=body).status_code == 401


def test_writes_to_an_unknown_record_are_404(app, editor_token):
    client = app.test_client()
    assert client.put("/api/commitments/424242", json={}, headers=editor_token).status_code == 404
    assert client.post("/api/commitments/424242/progress", json={}, headers=editor_token).status_code == 404
    assert client.put("/api/letters/424242", json={}, headers=editor_token).status_code == 404


@pytest.fixture()
def csrf_app(database_url, session):
    """The app with CSRF checks on, as in production, on the test's session."""
    application = create_app(testing_config(database_url, WTF_CSRF_ENABLED=True))
    application.extensions["db"].session_override = session
    yield application
    application.extensions["db"].session_override = None


def _form_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_a_session_write_needs_the_csrf_token_but_a_bearer_write_does_not(csrf_app, session, world):
    user = factories.user(session, role="editor")
    _token, secret = create_api_token(session, user, "script")
    session.commit()
    browser = csrf_app.test_client()
    assert browser.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD,
                                          "csrf_token": _form_token(browser.get("/sign-in").get_data(as_text=True))
                                          }).status_code == 302
    # The token of this signed-in session, as a page's script would read it.
    form_token = _form_token(browser.get("/account").get_data(as_text=True))
    url = f"/api/commitments/{world['commitment'].id}/progress"
    body = {"status": "in_progress", "progress": 40}
    refused = browser.post(url, json=body)
    assert refused.status_code == 400 and "CSRF" in refused.get_json()["error"]
    assert browser.post(url, json=body, headers={"X-CSRFToken": form_token}).status_code == 200
    assert csrf_app.test_client().post(url, json=body, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
