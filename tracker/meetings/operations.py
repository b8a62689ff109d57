from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from tracker import clock, events, validation
from tracker.duedates.vocabulary import GENERIC_EVENT_WORDS
from tracker.meetings import queries as meeting_queries
from tracker.meetings.models import MEETING_KINDS, Meeting, MeetingParticipant
from tracker.parties.models import Party, Person
from tracker.validation import InvalidInput


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    clock.ensure_utc(starts_at)
    clock.ensure_utc(ends_at)
    if ends_at < starts_at:
        raise InvalidInput("the meeting ends before it starts", "ends_at")


def create_meeting(session: Session, *, title: str, kind: str, starts_at: datetime, ends_at: datetime,
                   timezone: str = "UTC", location: str = "", remote: bool = False, aliases: str = "",
                   transcript: str = "", source_url: str | None = None,
                   actor: events.Actor = events.SYSTEM) -> Meeting:
    """Record a meeting (past or planned); planned ones can anchor due windows."""
    if not title.strip():
        raise InvalidInput("a meeting needs a title", "title")
    validation.choice(kind, MEETING_KINDS, "kind")
    validation.timezone_name(timezone)
    _check_times(starts_at, ends_at)
    now = clock.now()
    meeting = Meeting(title=title.strip(), kind=kind, starts_at=starts_at, ends_at=ends_at, timezone=timezone,
                      location=location.strip(), remote=remote, aliases=aliases.strip(), transcript=transcript,
                      source_url=validation.url(source_url), created_at=now, updated_at=now)
    session.add(meeting)
    session.flush()
    events.record(session, "meeting.scheduled" if starts_at > now else "meeting.held", "meeting", meeting.id,
                  actor, {"title": meeting.title, "starts_at": starts_at, "ends_at": ends_at})
    return meeting


def add_participant(session: Session, meeting: Meeting, *, person_id: int | None = None,
                    party_id: int | None = None, role: str = "participant", name_in_transcript: str | None = None,
                    actor: events.Actor = events.SYSTEM) -> MeetingParticipant:
    """Someone took part (a person, a party, or a person for a party)."""
    if not person_id and not party_id:
        raise InvalidInput("a participant is a person or a party", "person_id")
    if person_id and session.get(Person, person_id) is None:
        raise InvalidInput(f"unknown person id {person_id}", "person_id")
    if party_id and session.get(Party, party_id) is None:
        raise InvalidInput(f"unknown party id {party_id}", "party_id")
    participant = MeetingParticipant(meeting_id=meeting.id, person_id=person_id, party_id=party_id,
                                     role=role.strip() or "participant", name_in_transcript=name_in_transcript)
    session.add(participant)
    session.flush()
    events.record(session, "meeting.participant_added", "meeting", meeting.id, actor,
                  {"person_id": person_id, "party_id": party_id, "role": participant.role,
                   "participant_id": participant.id})
    return participant


def move_meeting(session: Session, meeting: Meeting, *, starts_at: datetime, ends_at: datetime,
                 actor: events.Actor = events.SYSTEM) -> None:
    """Change when a meeting happens; commitments anchored to it move too (handler on meeting.moved)."""
    _check_times(starts_at, ends_at)
    old_start, old_end = meeting.starts_at, meeting.ends_at
    if (old_start, old_end) == (starts_at, ends_at):
        return
    meeting.starts_at, meeting.ends_at, meeting.updated_at = starts_at, ends_at, clock.now()
    session.add(meeting)
    session.flush()
    local = ZoneInfo(meeting.timezone)
    days_moved = (starts_at.astimezone(local).date() - old_start.astimezone(local).date()).days
    events.record(session, "meeting.moved", "meeting", meeting.id, actor,
                  {"from": [old_start, old_end], "to": [starts_at, ends_at], "days_moved": days_moved})


def update_transcript(session: Session, meeting: Meeting, transcript: str,
                      actor: events.Actor = events.SYSTEM) -> None:
    """Replace the transcript or minutes."""
    meeting.transcript = transcript
    meeting.updated_at = clock.now()
    session.add(meeting)
    events.record(session, "meeting.transcript_updated", "meeting", meeting.id, actor,
                  {"characters": len(transcript)})


def anchor_meeting_ids(session: Session, named_in: str | None = None) -> dict[str, int]:
    """{meeting title or alias: meeting id}, to store a due window's anchor as a meeting (the first meeting
    wins when two share a name); with `named_in` (the due phrase), of the meetings it may name only."""
    words = None if named_in is None else words_naming_meetings(named_in)
    if words is not None and not words:
        return {}
    ids: dict[str, int] = {}
    for meeting_id, title, aliases in session.exec(meeting_queries.anchor_names(words)):
        for name in [title, *(a.strip() for a in (aliases or "").split(",") if a.strip())]:
            ids.setdefault(name, meeting_id)
    return ids


# Words of a due phrase that cannot tell one meeting from another ("the", "meeting", "ICANN") or that no meeting
# is named by ("before", "end"): a phrase holding only these names no meeting, and costs no query.
_NOT_NAMING = GENERIC_EVENT_WORDS | frozenset(
    "by before after prior to ahead for until till during within from end start beginning week weeks month months "
    "day days year years next last this that its our your their".split())


def words_naming_meetings(phrase: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", phrase.lower())
                     if w not in _NOT_NAMING and (len(w) >= 3 or w.isdigit()))


def meetings_as_anchors(session: Session, named_in: str | None = None) -> dict[str, tuple]:
    """{name: (first day, last day)} for every meeting and alias, for parse_due's `events`; with `named_in` (a due
    phrase), for the meetings sharing a word with it only — "by end of April" reads no meeting at all."""
    words = None
    if named_in is not None:
        words = words_naming_meetings(named_in)
        if not words:
            return {}
    anchors = {}
    for meeting in session.exec(meeting_queries.anchor_spans(words)):
        local = ZoneInfo(meeting.timezone)  # the days people mean are the meeting's own days
        span = (meeting.starts_at.astimezone(local).date(), meeting.ends_at.astimezone(local).date())
        anchors[meeting.title] = span
        for alias in filter(None, (a.strip() for a in meeting.aliases.split(","))):
            anchors[alias] = span
    return anchors
