"""Pickers: bounded searches that respect access, and forms that resolve what was typed when JavaScript is off."""
from __future__ import annotations

import html
from datetime import date

from sqlmodel import select

from tests import factories
from tracker.commitments.models import Commitment, CommitmentParty
from tracker.letters.models import LetterParticipant
from tracker.meetings.models import MeetingParticipant
from tracker.parties.models import Role
from tracker.pickers.queries import SEARCH_LIMIT
from tracker.reminders.models import Recipient, Subscription


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _results(client, kind: str, term: str) -> list[dict]:
    response = client.get(f"/pick/{kind}", query_string={"q": term})
    assert response.status_code == 200
    return response.get_json()["results"]


# --- the search endpoints ------------------------------------------------------------------------------------

def test_search_returns_at_most_the_limit_however_many_match(session, editor_client):
    for n in range(SEARCH_LIMIT + 5):
        factories.party(session, name=f"Working group {n:02}", short_name=f"WG{n:02}")
    session.commit()
    assert len(_results(editor_client, "parties", "working group")) == SEARCH_LIMIT


def test_search_matches_name_short_name_email_and_id(session, editor_client):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    chris = factories.person(session, name="Chris Disspain", email="chris@example.org")
    session.commit()
    assert [p["id"] for p in _results(editor_client, "parties", "CCNSO")] == [ccnso.id]
    assert [p["id"] for p in _results(editor_client, "parties", "council")] == [ccnso.id]
    assert [p["id"] for p in _results(editor_client, "people", "chris@exa")] == [chris.id]
    assert [p["id"] for p in _results(editor_client, "people", f"#{chris.id}")] == [chris.id]
    assert [p["id"] for p in _results(editor_client, "people", "100%_")] == []  # wildcards are literal


def test_letter_results_carry_their_date(session, editor_client):
    letter = factories.letter(session, subject="Joint letter on DNS-CERT", sent_on=date(2010, 3, 25))
    session.commit()
    [found] = _results(editor_client, "letters", "dns-cert")
    assert (found["id"], found["date"]) == (letter.id, "2010-03-25")
    assert "Joint letter on DNS-CERT" in found["label"]


def test_people_letters_and_meetings_searches_are_for_staff_only(signed_in):
    viewer = signed_in("viewer")
    for kind in ("people", "letters", "meetings"):
        assert viewer.get(f"/pick/{kind}?q=a").status_code == 403
    for kind in ("parties", "owners"):
        assert viewer.get(f"/pick/{kind}?q=a").status_code == 200


def test_limited_viewer_is_never_suggested_a_party_or_owner_they_may_not_see(session, signed_in):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    ours = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    greg = factories.person(session, name="Greg Owner", is_staff=True)
    hidden_owner = factories.person(session, name="Gina Owner", is_staff=True)
    factories.commitment(session, made_by=[ours], made_to=[ccnso], owner_id=greg.id)
    factories.commitment(session, made_by=[ours], made_to=[gnso], owner_id=hidden_owner.id)
    session.commit()
    viewer = signed_in("viewer", party_ids=[ccnso.id])
    assert [p["id"] for p in _results(viewer, "parties", "council")] == [ccnso.id]
    assert _results(viewer, "parties", str(gnso.id)) == []
    assert [p["id"] for p in _results(viewer, "owners", "owner")] == [greg.id]
    assert _results(viewer, "owners", str(hidden_owner.id)) == []


# --- forms: typed text resolves on the server ----------------------------------------------------------------

def _commitment_form(**overrides) -> dict:
    data = {"kind": "promise", "title": "Publish the Concept of Operations", "quote": "", "due_phrase": "",
            "due_earliest": "", "due_latest": "2010-05-10", "due_precision": "", "due_anchor_meeting_id": "",
            "source_letter_id": "", "source_meeting_id": "", "speaker_id": "", "owner_id": "",
            "made_by": "", "made_to": ""}
    data.update(overrides)
    return data


def test_commitment_form_resolves_typed_names_without_javascript(session, editor_client):
    ceo = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    owner = factories.person(session, name="Theresa Swinehart", is_staff=True)
    speaker = factories.person(session, name="Greg Rattray", email="greg@example.org")
    letter = factories.letter(session, subject="Reply to the chairs", sent_on=date(2010, 4, 21))
    session.commit()
    response = editor_client.post("/commitments/new", data=_commitment_form(
        made_by="CEO", made_to="ccnso; GNSO Council", owner_id="theresa", speaker_id="greg@example.org",
        source_letter_id=f"#{letter.id}"))
    assert response.status_code == 302, _text(response)
    commitment = session.exec(select(Commitment)).one()
    assert (commitment.owner_id, commitment.speaker_id, commitment.source_letter_id) == (owner.id, speaker.id,
                                                                                         letter.id)
    sides = {(s.side, s.party_id) for s in session.exec(select(CommitmentParty))}
    assert sides == {("by", ceo.id), ("to", ccnso.id), ("to", gnso.id)}


def test_commitment_form_names_an_unknown_or_ambiguous_entry_and_keeps_what_was_typed(session, editor_client):
    factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    factories.party(session, name="ccNSO Council", short_name="ccNSO")
    factories.party(session, name="GNSO Council", short_name="GNSO")
    session.commit()
    unknown = editor_client.post("/commitments/new", data=_commitment_form(made_by="CEO", made_to="Nobody Group"))
    assert unknown.status_code == 400
    assert "no party matches “Nobody Group”" in _text(unknown)
    assert 'value="Nobody Group"' in _text(unknown)
    ambiguous = editor_client.post("/commitments/new", data=_commitment_form(made_by="CEO", made_to="Council"))
    assert ambiguous.status_code == 400
    assert "“Council” matches several: GNSO Council (GNSO)" in _text(ambiguous)
    assert "ccNSO Council (ccNSO)" in _text(ambiguous)
    assert session.exec(select(Commitment)).all() == []


def test_a_stale_chosen_id_loses_to_text_edited_without_javascript(session, editor_client):
    ours = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    first = factories.person(session, name="First Owner", is_staff=True)
    second = factories.person(session, name="Second Owner", is_staff=True)
    session.commit()
    # The page was rendered with the first owner chosen; the person typed another name over it.
    response = editor_client.post("/commitments/new", data={
        **_commitment_form(made_by=str(ours.id), made_to=str(ccnso.id), owner_id="Second Owner"),
        "owner_id-id": str(first.id)})
    assert response.status_code == 302, _text(response)
    assert session.exec(select(Commitment)).one().owner_id == second.id


def test_commitment_page_offers_pickers_not_every_record(session, editor_client):
    ours = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    chosen = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    unrelated = factories.party(session, name="Unrelated Registry", short_name="UR")
    commitment = factories.commitment(session, made_by=[ours], made_to=[chosen])
    session.commit()
    page = _text(editor_client.get(f"/commitments/{commitment.id}"))
    assert f'name="made_to" value="{chosen.id}" checked' in page
    assert unrelated.name not in page


def test_letter_form_resolves_typed_parties_and_people(session, editor_client):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    ceo = factories.party(session, name="Office of the CEO", short_name="CEO")
    chris = factories.person(session, name="Chris Disspain", email="chris@example.org")
    session.commit()
    response = editor_client.post("/letters/new", data={
        "sent_on": "2010-03-25", "subject": "Typed participants", "direction": "incoming",
        "author_parties": "ccnso", "author_people": "Chris Disspain", "recipient_parties": "CEO",
        "recipient_people": "", "cc_parties": "", "cc_people": "", "titles": "Chris Disspain: Chair",
        "body": "", "source_url": ""})
    assert response.status_code == 302, _text(response)
    rows = {(p.role, p.party_id, p.person_id, p.title) for p in session.exec(select(LetterParticipant))}
    assert rows == {("author", ccnso.id, None, None), ("author", None, chris.id, "Chair"),
                    ("recipient", ceo.id, None, None)}


def test_meeting_participant_and_role_and_digest_pickers_resolve_typed_names(session, editor_client, admin_client):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    chris = factories.person(session, name="Chris Disspain", email="chris@example.org")
    meeting = factories.meeting(session)
    session.commit()
    added = editor_client.post(f"/meetings/{meeting.id}/participants",
                               data={"person_id": "Chris", "party_id": "ccNSO", "role": "chair",
                                     "name_in_transcript": ""})
    assert added.status_code == 302, _text(added)
    participant = session.exec(select(MeetingParticipant)).one()
    assert (participant.person_id, participant.party_id) == (chris.id, ccnso.id)

    role = editor_client.post(f"/people/{chris.id}/roles/new", data={"party_id": "ccnso council", "title": "Chair",
                                                                      "starts_on": "", "ends_on": ""})
    assert role.status_code == 302, _text(role)
    assert session.exec(select(Role)).one().party_id == ccnso.id
    unknown = editor_client.post(f"/people/{chris.id}/roles/new", data={"party_id": "ALAC", "title": "Chair",
                                                                         "starts_on": "", "ends_on": ""})
    assert unknown.status_code == 400 and "no party matches “ALAC”" in _text(unknown)

    digest = admin_client.post("/reminders/new", data={
        "email": "chair@example.org", "name": "A Chair", "frequency": "daily", "weekday": "0",
        "send_time": "08:00", "timezone": "UTC", "due_soon_days": "7", "include_own": "y", "party_ids": "ccNSO"})
    assert digest.status_code == 302, _text(digest)
    recipient = session.exec(select(Recipient)).one()
    assert session.exec(select(Subscription.party_id).where(Subscription.recipient_id == recipient.id)).all() == [
        ccnso.id]


def test_people_and_parties_lists_are_paged(app, session, viewer_client):
    size = int(app.config["PAGE_SIZE"])
    for n in range(size + 1):
        factories.party(session, name=f"Paged party {n:03}", short_name=f"PP{n:03}")
    session.commit()
    first = _text(viewer_client.get("/parties/"))
    assert "Paged party 000" in first and f"Paged party {size:03}" not in first and "next →" in first
    second = _text(viewer_client.get("/parties/?page=2"))
    assert f"Paged party {size:03}" in second and "Paged party 000" not in second
    assert viewer_client.get("/parties/?page=x").status_code == 400
    assert viewer_client.get("/people/?page=2").status_code == 200
