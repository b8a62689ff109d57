"""Meeting pages: upcoming and past, local times, participants, transcript, moving a meeting and its anchors."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlmodel import func, select

from tests import factories
from tracker.commitments.models import DueWindowChange
from tracker.commitments.operations import Window
from tracker.meetings.models import Meeting, MeetingParticipant

UTC = timezone.utc


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def meeting_data(**overrides) -> dict:
    data = {"title": "ICANN 38 Brussels", "kind": "icann_public_meeting", "starts_at": "2010-06-20T09:00",
            "ends_at": "2010-06-25T18:00", "timezone": "Europe/Brussels", "aliases": "Brussels",
            "location": "Brussels", "transcript": "", "source_url": ""}
    data.update(overrides)
    return data


def test_editor_records_a_meeting_in_local_time_stored_as_utc(session, editor_client):
    response = editor_client.post("/meetings/new", data=meeting_data())

    assert response.status_code == 302
    meeting = session.exec(select(Meeting).where(Meeting.title == "ICANN 38 Brussels")).one()
    assert meeting.starts_at == datetime(2010, 6, 20, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert meeting.ends_at == datetime(2010, 6, 25, 16, 0, tzinfo=UTC)
    assert (meeting.timezone, meeting.aliases) == ("Europe/Brussels", "Brussels")
    html = editor_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "20 Jun 2010 09:00 CEST – 25 Jun 2010 18:00 CEST" in html
    assert "scheduled the meeting" in html


@pytest.mark.parametrize("overrides, message", [
    ({"ends_at": "2010-06-19T18:00"}, "the meeting ends before it starts"),
    ({"timezone": "Europe/Atlantis"}, "is not a timezone name"),
    ({"starts_at": "2010-06-31T09:00"}, "is not a date and time that exists"),
    ({"title": ""}, "a meeting needs a title"),
    ({"source_url": "javascript:alert(1)"}, "is not a web address"),
])
def test_bad_meeting_is_refused_with_a_clear_message_and_nothing_saved(session, editor_client, overrides, message):
    before = count(session, Meeting)

    response = editor_client.post("/meetings/new", data=meeting_data(**overrides))

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(session, Meeting) == before


def test_viewer_cannot_record_a_meeting(session, viewer_client):
    before = count(session, Meeting)

    assert viewer_client.get("/meetings/new").status_code == 403
    assert viewer_client.post("/meetings/new", data=meeting_data()).status_code == 403
    assert count(session, Meeting) == before


def test_list_separates_upcoming_from_past_meetings(session, viewer_client):
    nairobi = factories.meeting(session, title="Nairobi consultation session",
                                starts_at=datetime(2010, 3, 7, 6, tzinfo=UTC), ends_at=datetime(2010, 3, 12, 15, tzinfo=UTC))
    brussels = factories.meeting(session, title="ICANN 38 Brussels")
    session.commit()

    html = viewer_client.get("/meetings/").get_data(as_text=True)

    upcoming, past = html.split('<section class="upcoming">')[1].split('<section class="past">')
    assert "ICANN 38 Brussels" in upcoming and "Nairobi consultation session" not in upcoming
    assert "Nairobi consultation session" in past and "ICANN 38 Brussels" not in past
    assert nairobi.id != brussels.id


def test_record_page_shows_participants_transcript_and_commitments(session, viewer_client):
    internal = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    speaker = factories.person(session, name="Rod Beckstrom")
    nairobi = factories.meeting(session, title="Nairobi consultation session",
                                starts_at=datetime(2010, 3, 7, 6, tzinfo=UTC), ends_at=datetime(2010, 3, 12, 15, tzinfo=UTC),
                                transcript="ROD BECKSTROM: weeks not months.\n<b>not bold</b>")
    brussels = factories.meeting(session, title="ICANN 38 Brussels", aliases="Brussels")
    factories.commitment(session, made_by=[internal], made_to=[ccnso], title="Cost breakdown",
                         source_meeting_id=nairobi.id, window=Window("weeks not months", None, None, "vague"))
    factories.commitment(session, made_by=[internal], made_to=[ccnso], title="Concept of operations",
                         window=Window("prior to the Brussels meeting", None, date(2010, 6, 19), "day", brussels.id))
    from tracker.meetings.operations import add_participant
    add_participant(session, nairobi, person_id=speaker.id, party_id=internal.id, role="speaker",
                    name_in_transcript="ROD BECKSTROM")
    session.commit()

    nairobi_page = viewer_client.get(f"/meetings/{nairobi.id}").get_data(as_text=True)
    brussels_page = viewer_client.get(f"/meetings/{brussels.id}").get_data(as_text=True)

    assert "Rod Beckstrom, CEO&#39;s office\n      — speaker" in nairobi_page
    assert '<pre class="transcript">ROD BECKSTROM: weeks not months.\n&lt;b&gt;not bold&lt;/b&gt;</pre>' in nairobi_page
    assert "Cost breakdown" in nairobi_page
    assert "Concept of operations</a> — “prior to the Brussels meeting”: 19 June 2010" in brussels_page


def test_moving_a_meeting_moves_the_anchored_commitment_and_its_history_shows_the_reschedule(session,
                                                                                               editor_client):
    internal = factories.party(session, is_internal=True)
    ccnso = factories.party(session)
    brussels = factories.meeting(session, title="ICANN 38 Brussels", timezone="Europe/Brussels",
                                 starts_at=datetime(2010, 6, 20, 7, tzinfo=UTC), ends_at=datetime(2010, 6, 25, 16, tzinfo=UTC))
    anchored = factories.commitment(session, made_by=[internal], made_to=[ccnso], title="Concept of operations",
                                    window=Window("prior to the Brussels meeting", date(2010, 3, 10),
                                                  date(2010, 6, 19), "day", brussels.id))
    session.commit()

    response = editor_client.post(f"/meetings/{brussels.id}/move", data={
        "starts_at": "2010-06-27T09:00", "ends_at": "2010-07-02T18:00"})

    assert response.status_code == 302
    session.refresh(brussels)
    session.refresh(anchored)
    assert brussels.starts_at == datetime(2010, 6, 27, 7, tzinfo=UTC)
    # Only the bound tied to the meeting moves: the promise was still made on 10 March.
    assert (anchored.due_earliest, anchored.due_latest) == (date(2010, 3, 10), date(2010, 6, 26))
    assert anchored.baseline_latest == date(2010, 6, 19)
    change = session.exec(select(DueWindowChange).where(DueWindowChange.commitment_id == anchored.id)).one()
    assert change.reason == "the meeting it depends on moved +7 days"
    commitment_page = editor_client.get(f"/commitments/{anchored.id}").get_data(as_text=True)
    assert ("rescheduled from “prior to the Brussels meeting” (10 March 2010 – 19 June 2010) to "
            "“prior to the Brussels meeting” (10 March 2010 – 26 June 2010) — reason: the meeting it depends on "
            "moved +7 days") in commitment_page
    assert "moved the meeting from 20 June 2010 – 25 June 2010 to 27 June 2010 – 2 July 2010 (+7 days)" in editor_client.get(f"/meetings/{brussels.id}").get_data(as_text=True)


def test_moving_a_meeting_to_end_before_it_starts_is_refused(session, editor_client):
    brussels = factories.meeting(session)
    session.commit()
    starts = brussels.starts_at

    response = editor_client.post(f"/meetings/{brussels.id}/move", data={
        "starts_at": "2010-06-27T09:00", "ends_at": "2010-06-26T18:00"})

    assert response.status_code == 400
    assert "the meeting ends before it starts" in response.get_data(as_text=True)
    session.refresh(brussels)
    assert brussels.starts_at == starts


def test_editor_adds_a_participant(session, editor_client):
    meeting = factories.meeting(session)
    person = factories.person(session, name="Chris Disspain")
    session.commit()

    response = editor_client.post(f"/meetings/{meeting.id}/participants", data={
        "person_id": str(person.id), "party_id": "", "role": "chair", "name_in_transcript": "CHRIS DISSPAIN"})

    assert response.status_code == 302
    participant = session.exec(select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id)).one()
    assert (participant.person_id, participant.role, participant.name_in_transcript) == (
        person.id, "chair", "CHRIS DISSPAIN")


@pytest.mark.parametrize("data, message", [
    ({"person_id": "999999", "party_id": "", "role": "chair"}, "there is no person with id 999999"),
    ({"person_id": "", "party_id": "", "role": "chair"}, "a participant is a person or a party"),
])
def test_bad_participant_is_refused_and_nothing_saved(session, editor_client, data, message):
    meeting = factories.meeting(session)
    session.commit()

    response = editor_client.post(f"/meetings/{meeting.id}/participants", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(session, MeetingParticipant) == 0


def test_viewer_cannot_move_a_meeting(session, viewer_client):
    meeting = factories.meeting(session)
    session.commit()
    starts = meeting.starts_at

    response = viewer_client.post(f"/meetings/{meeting.id}/move", data={
        "starts_at": "2010-06-27T09:00", "ends_at": "2010-07-02T18:00"})

    assert response.status_code == 403
    session.refresh(meeting)
    assert meeting.starts_at == starts


def test_viewer_limited_to_ccnso_gets_404_for_a_meeting_without_ccnso(session, signed_in):
    ccnso = factories.party(session, short_name="ccNSO", name="ccNSO Council")
    gnso = factories.party(session, short_name="GNSO", name="GNSO Council")
    with_ccnso = factories.meeting(session, title="ccNSO members meeting")
    with_gnso = factories.meeting(session, title="GNSO council call")
    from tracker.meetings.operations import add_participant
    add_participant(session, with_ccnso, party_id=ccnso.id)
    add_participant(session, with_gnso, party_id=gnso.id)
    session.commit()
    client = signed_in("viewer", party_ids=[ccnso.id])

    assert client.get(f"/meetings/{with_gnso.id}").status_code == 404
    assert client.get(f"/meetings/{with_ccnso.id}").status_code == 200
    listing = client.get("/meetings/").get_data(as_text=True)
    assert "ccNSO members meeting" in listing and "GNSO council call" not in listing


def test_anchor_days_are_the_meetings_own_days(session):
    """A meeting starting 00:30 in Auckland is on that Auckland day, the day before in UTC."""
    from datetime import datetime, timezone

    from tests import factories
    from tracker.meetings.operations import meetings_as_anchors

    factories.meeting(session, title="Auckland meeting", timezone="Pacific/Auckland",
                      starts_at=datetime(2010, 6, 19, 12, 30, tzinfo=timezone.utc),  # 20 June 00:30 NZST
                      ends_at=datetime(2010, 6, 21, 6, 0, tzinfo=timezone.utc))
    assert meetings_as_anchors(session)["Auckland meeting"][0].isoformat() == "2010-06-20"
