"""Meeting notes and minutes: read as the record of a meeting, saved onto it with attendees and action items."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from sqlmodel import select

from tests.intake.helpers import known, seed_world
from tests.intake.test_routes import review_fields
from tracker.commitments.models import Commitment, CommitmentParty
from tracker.events import Event
from tracker.history import describe
from tracker.intake import operations
from tracker.intake.extract import Extraction, attendees_in, extract, notes_meeting, reads_as_notes
from tracker.intake.read import Document
from tracker.meetings import operations as meeting_operations
from tracker.meetings.models import Meeting, MeetingParticipant

UTC = timezone.utc
NOTES = """Notes and action items: GNSO Council call, 6 May 2010

Attendees: Chuck Gomes, Chris Disspain, Maria Lopez

Action items:
- Chuck Gomes to circulate the revised charter to the Council list by 14 May 2010
- Greg Rattray to send the DNS-CERT business case before the Toronto meeting
- Maria Lopez to draft a summary of the public comments by end of May
"""
LETTER_ABOUT_NOTES = """6 May 2010

Dear Chuck,

Thank you for sending the meeting notes. We will publish our comments by 14 May 2010.

Yours sincerely,

Rod Beckstrom
"""
TRANSCRIPT = """Chuck Gomes: Welcome everyone.
Chris Disspain: Thank you, Chuck.
Chuck Gomes: We will send the charter to the list by Friday.
Chris Disspain: Good.
"""


# --------------------------------------------------------------------------- the decision (pure)


def _reading(text: str):
    return reads_as_notes(text, extract(text, known(), date(2010, 5, 7)))


def test_notes_with_a_title_attendees_and_action_items_read_as_notes():
    reading = _reading(NOTES)
    assert reading.is_notes
    assert reading.reasons == ["its title says notes or minutes", "it has action items with owners",
                               "it lists who attended"]


def test_a_letter_that_mentions_meeting_notes_is_a_letter():
    reading = _reading(LETTER_ABOUT_NOTES)
    assert not reading.is_notes and reading.reasons_if_notes == []


def test_a_transcript_without_a_title_or_attendance_stays_a_transcript():
    reading = _reading(TRANSCRIPT)
    assert reading.speaker_turns and not reading.is_notes


def test_minutes_titled_and_with_speaker_turns_read_as_notes():
    text = "Minutes of the 2031-05-06 Board call\n\n" + TRANSCRIPT
    assert _reading(text).is_notes


def test_a_title_alone_is_not_enough():
    assert not _reading("Minutes of the 2031-05-06 Board call\n\nThe Board discussed the budget at length.\n").is_notes


def test_the_meeting_is_titled_and_dated_from_the_notes_title():
    assert notes_meeting(NOTES, Extraction("letter")) == ("GNSO Council call, 6 May 2010", date(2010, 5, 6))
    assert notes_meeting("Minutes of the 2031-05-06 Board call\n", Extraction("letter")) == (
        "2031-05-06 Board call", date(2031, 5, 6))


def test_the_meeting_is_found_in_the_opening_of_a_notes_email():
    text = ("Dear Councillors,\n\nPlease find the action items arising from the GNSO Council meeting on "
            "5 September 2031. Let me know of any changes.\n")
    assert notes_meeting(text, Extraction("letter")) == ("GNSO Council meeting", date(2031, 9, 5))


def test_attendees_inline_and_one_a_line_with_known_people_matched():
    inline = attendees_in(NOTES, known(), date(2010, 5, 6))
    assert [(a.name, a.person_id is not None) for a in inline] == [
        ("Chuck Gomes", True), ("Chris Disspain", True), ("Maria Lopez", False)]
    listed = attendees_in("Council Attendees:\n\n  • Ana Ruiz, Vice Chair (AR)\n  • Tom Lee (TL)\n\nApologies: Bo Li\n")
    assert [a.name for a in listed] == ["Ana Ruiz", "Tom Lee"]


def test_each_action_item_is_its_owners_commitment_to_the_meetings_parties():
    k = known()
    extraction = extract(NOTES, k, date(2010, 5, 7))
    gnso, staff, ccnso = 2, 6, 1  # helpers.PARTIES positions
    by_owner = {c.owner: operations.notes_commitment(c, extraction, k, date(2010, 5, 6), [gnso, ccnso])
                for c in extraction.candidates}
    chuck = by_owner["Chuck Gomes"]
    assert (chuck.owner_id, chuck.made_by, chuck.made_to, chuck.speaker) == (4, [gnso], [gnso, ccnso], "Chuck Gomes")
    assert (chuck.window.latest, chuck.window.precision) == (date(2010, 5, 14), "day")
    greg = by_owner["Greg Rattray"]
    assert (greg.owner_id, greg.made_by, greg.window.precision, greg.anchor) == (
        6, [staff], "unresolved", "Toronto meeting")
    # Someone the tracker does not know: the name is kept, the group's own parties stand in.
    maria = by_owner["Maria Lopez"]
    assert (maria.owner_id, maria.made_by, maria.speaker) == (None, [gnso, ccnso], "Maria Lopez")
    assert maria.title.startswith("Maria Lopez")


# --------------------------------------------------------------------------- saving


def _document(text: str = NOTES, name: str = "notes.txt") -> Document:
    return Document(text=text, format="text", filename=name, content_type="text/plain", sha256="",
                    size=len(text.encode()))


def _proposed(session, text: str = NOTES):
    k = operations.known_from(session, text)
    extraction = extract(text, k, date(2010, 5, 7))
    return operations.accept_as_notes(session, extraction, _document(text), text.encode(), known=k)


def _gnso_call(session, world, **overrides):
    values = dict(title="GNSO Council teleconference", kind="call", starts_at=datetime(2010, 5, 6, 14, tzinfo=UTC),
                  ends_at=datetime(2010, 5, 6, 16, tzinfo=UTC))
    values.update(overrides)
    meeting = meeting_operations.create_meeting(session, **values)
    meeting_operations.add_participant(session, meeting, party_id=world["parties"]["GNSO"].id)
    return meeting


def test_notes_save_a_new_meeting_with_attendees_and_action_items(session):
    world = seed_world(session)
    reviewed = _proposed(session)
    assert reviewed.kind == "notes" and reviewed.meeting_id is None
    assert (reviewed.new_meeting.title, reviewed.new_meeting.starts_on) == ("GNSO Council call, 6 May 2010",
                                                                            date(2010, 5, 6))

    saved = operations.save_intake(session, reviewed, max_bytes=1_000_000)

    meeting = session.get(Meeting, saved.id)
    assert (meeting.title, meeting.kind, meeting.transcript) == ("GNSO Council call, 6 May 2010", "call", NOTES)
    attendees = session.exec(select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id)).all()
    assert sorted((a.name_in_transcript, a.role) for a in attendees) == [
        ("Chris Disspain", "attendee"), ("Chuck Gomes", "attendee"), ("Maria Lopez", "attendee")]
    made = session.exec(select(Commitment).where(Commitment.source_meeting_id == meeting.id)
                        .order_by(Commitment.id)).all()
    assert len(made) == 3 == len(saved.commitment_ids)
    chuck, greg = world["people"]["Chuck Gomes"], world["people"]["Greg Rattray"]
    assert (made[0].owner_id, made[0].speaker_id, made[0].due_latest) == (chuck.id, chuck.id, date(2010, 5, 14))
    assert (made[1].owner_id, made[1].speaker_id, made[1].due_precision) == (greg.id, greg.id, "unresolved")
    sides = session.exec(select(CommitmentParty.side, CommitmentParty.party_id)
                         .where(CommitmentParty.commitment_id == made[0].id)).all()
    assert sorted(sides) == sorted([("by", world["parties"]["GNSO"].id), ("to", world["parties"]["GNSO"].id),
                                    ("to", world["parties"]["ccNSO"].id)])
    kinds = [e.kind for e in session.exec(select(Event).where(Event.subject_type == "meeting",
                                                              Event.subject_id == meeting.id))]
    assert kinds.count("meeting.participant_added") == 3 and "meeting.transcript_imported" in kinds
    imported = session.exec(select(Event).where(Event.kind == "meeting.transcript_imported",
                                                Event.subject_id == meeting.id)).one()
    assert describe(imported) == "imported the notes from notes.txt"
    assert len(session.exec(select(Event).where(Event.kind == "commitment.made",
                                                Event.subject_id.in_(saved.commitment_ids))).all()) == 3

    # The anchor waits for the Toronto meeting and resolves when it is recorded.
    meeting_operations.create_meeting(session, title="ICANN 38 Toronto", kind="icann_public_meeting",
                                      starts_at=datetime(2010, 10, 17, 12, tzinfo=UTC),
                                      ends_at=datetime(2010, 10, 22, 20, tzinfo=UTC))
    session.refresh(made[1])
    assert (made[1].due_precision, made[1].due_latest) == ("day", date(2010, 10, 16))


def test_notes_of_a_recorded_meeting_attach_to_it_and_keep_its_record(session):
    world = seed_world(session)
    call = _gnso_call(session, world)
    meeting_operations.update_transcript(session, call, "Agenda: charter review.")
    _gnso_call(session, world, title="Another group's call", starts_at=datetime(2010, 5, 7, 14, tzinfo=UTC),
               ends_at=datetime(2010, 5, 7, 15, tzinfo=UTC))

    reviewed = _proposed(session)
    assert reviewed.meeting_id == call.id and reviewed.new_meeting is None

    saved = operations.save_intake(session, reviewed, max_bytes=1_000_000)

    assert saved.id == call.id
    session.refresh(call)
    assert call.transcript.startswith("Agenda: charter review.") and NOTES in call.transcript
    assert session.exec(select(Meeting).where(Meeting.title.like("GNSO Council call%"))).first() is None


def test_two_meetings_that_day_without_a_party_in_common_are_not_guessed_between(session):
    world = seed_world(session)
    for title in ("Board workshop", "Registry call"):
        meeting_operations.create_meeting(session, title=title, kind="call",
                                          starts_at=datetime(2010, 5, 6, 9, tzinfo=UTC),
                                          ends_at=datetime(2010, 5, 6, 10, tzinfo=UTC))
    assert world
    assert operations.matching_meeting(session, date(2010, 5, 6), [world["parties"]["GNSO"].id]) is None
    assert operations.matching_meeting(session, date(2010, 5, 5), []) is None


def test_the_only_meeting_of_the_day_is_proposed(session):
    world = seed_world(session)
    only = meeting_operations.create_meeting(session, title="Council call", kind="call",
                                             starts_at=datetime(2010, 5, 6, 23, tzinfo=UTC),
                                             ends_at=datetime(2010, 5, 6, 23, 30, tzinfo=UTC), timezone="UTC")
    assert operations.matching_meeting(session, date(2010, 5, 6), [world["parties"]["GNSO"].id]) == only


# --------------------------------------------------------------------------- the review page


def test_review_proposes_meeting_notes_prefilled_and_saves_them(editor_client, session):
    world = seed_world(session)
    session.commit()
    html = editor_client.post("/intake/", data={"file": (io.BytesIO(NOTES.encode()), "notes.txt")},
                              content_type="multipart/form-data").get_data(as_text=True)
    assert 'value="notes" selected' in html or 'selected value="notes"' in html
    assert "Read as meeting notes: its title says notes or minutes" in html
    assert "Attendees" in html
    fields = review_fields(html)
    assert fields["meeting_title"] == ["GNSO Council call, 6 May 2010"]
    assert fields["meeting_starts_on"] == ["2010-05-06"]

    response = editor_client.post("/intake/save", data=fields)

    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = session.exec(select(Meeting).where(Meeting.title == "GNSO Council call, 6 May 2010")).one()
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    owners = session.exec(select(Commitment.owner_id).where(Commitment.source_meeting_id == meeting.id)).all()
    assert world["people"]["Chuck Gomes"].id in owners and len(owners) == 3
