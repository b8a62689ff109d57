"""select() builders for meetings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import select

from tracker import access
from tracker.access import Viewer
from tracker.meetings.models import Meeting, MeetingParticipant
from tracker.parties.models import Party, Person


def _visible(statement, viewer: Viewer):
    return statement.where(access.meetings(viewer))


def upcoming(now: datetime, viewer: Viewer):
    """Meetings not yet over, soonest first."""
    return _visible(select(Meeting).where(Meeting.ends_at >= now), viewer).order_by(Meeting.starts_at,
                                                                                               Meeting.id)


def past(now: datetime, viewer: Viewer):
    """Meetings that have ended, most recent first."""
    return _visible(select(Meeting).where(Meeting.ends_at < now), viewer).order_by(
        Meeting.starts_at.desc(), Meeting.id.desc())


def by_id(meeting_id: int, viewer: Viewer):
    return _visible(select(Meeting).where(Meeting.id == meeting_id), viewer)


def all_meetings(viewer: Viewer):
    """For select fields: newest first."""
    return _visible(select(Meeting), viewer).order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def _naming_any(words):
    """The meeting's title or aliases hold one of these lower-case words."""
    return or_(*(func.lower(column).contains(word, autoescape=True)
                 for word in sorted(words) for column in (Meeting.title, Meeting.aliases)))


def anchor_spans(words=None):
    """(title, aliases, starts_at, ends_at, timezone) of every meeting, or of those naming one of `words`: the
    columns a due phrase's anchor needs, without the transcripts."""
    statement = select(Meeting.title, Meeting.aliases, Meeting.starts_at, Meeting.ends_at, Meeting.timezone)
    return statement.where(_naming_any(words)).order_by(Meeting.id) if words is not None else statement


def anchor_names(words=None):
    """(id, title, aliases) of every meeting, or of those naming one of `words`: maps parse_due's anchor name back
    to a meeting."""
    statement = select(Meeting.id, Meeting.title, Meeting.aliases).order_by(Meeting.id)
    return statement.where(_naming_any(words)) if words is not None else statement


def participants_of(meeting_id: int):
    """(MeetingParticipant, Person|None, Party|None) in one query."""
    return (select(MeetingParticipant, Person, Party)
            .outerjoin(Person, Person.id == MeetingParticipant.person_id)
            .outerjoin(Party, Party.id == MeetingParticipant.party_id)
            .where(MeetingParticipant.meeting_id == meeting_id)
            .order_by(MeetingParticipant.id))


def named_between(words: list[str], after: datetime, before: datetime, excluding_id: int):
    """The id of a meeting other than ``excluding_id`` starting after ``after`` and before ``before`` whose title
    holds every one of ``words`` (lower case): is a newly recorded meeting really "the next call"? One row at most."""
    statement = select(Meeting.id).where(Meeting.starts_at > after, Meeting.starts_at < before,
                                         Meeting.id != excluding_id)
    for word in words:
        statement = statement.where(func.lower(Meeting.title).like(f"%{word}%"))
    return statement.order_by(Meeting.starts_at).limit(1)
