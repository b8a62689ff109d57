"""select() builders for meetings."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import and_, exists, or_, select

from tracker.commitments.models import Commitment, CommitmentParty
from tracker.meetings.models import Meeting, MeetingParticipant
from tracker.parties.models import Party, Person


def involving_parties(party_ids):
    """A condition: a party took part, or a commitment made at the meeting involves one of these parties."""
    took_part = exists().where(and_(MeetingParticipant.meeting_id == Meeting.id,
                                    MeetingParticipant.party_id.in_(party_ids)))
    committed = exists().where(and_(Commitment.source_meeting_id == Meeting.id,
                                    CommitmentParty.commitment_id == Commitment.id,
                                    CommitmentParty.party_id.in_(party_ids)))
    return or_(took_part, committed)


def _visible(statement, visible_party_ids):
    return statement if visible_party_ids is None else statement.where(involving_parties(visible_party_ids))


def upcoming(now: datetime, visible_party_ids=None):
    """Meetings not yet over, soonest first."""
    return _visible(select(Meeting).where(Meeting.ends_at >= now), visible_party_ids).order_by(Meeting.starts_at,
                                                                                               Meeting.id)


def past(now: datetime, visible_party_ids=None):
    """Meetings that have ended, most recent first."""
    return _visible(select(Meeting).where(Meeting.ends_at < now), visible_party_ids).order_by(
        Meeting.starts_at.desc(), Meeting.id.desc())


def by_id(meeting_id: int, visible_party_ids=None):
    return _visible(select(Meeting).where(Meeting.id == meeting_id), visible_party_ids)


def all_meetings():
    """For select fields: newest first."""
    return select(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def anchor_names():
    """(id, title, aliases) of every meeting: maps parse_due's anchor name back to a meeting."""
    return select(Meeting.id, Meeting.title, Meeting.aliases).order_by(Meeting.id)


def participants_of(meeting_id: int):
    """(MeetingParticipant, Person|None, Party|None) in one query."""
    return (select(MeetingParticipant, Person, Party)
            .outerjoin(Person, Person.id == MeetingParticipant.person_id)
            .outerjoin(Party, Party.id == MeetingParticipant.party_id)
            .where(MeetingParticipant.meeting_id == meeting_id)
            .order_by(MeetingParticipant.id))
