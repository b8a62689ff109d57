"""select() builders for calendar feeds: bounded by time and by count, filtered by the reader's visibility."""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import or_, select

from tracker import access
from tracker.access import Viewer
from tracker.auth.models import User
from tracker.calendar.models import CalendarFeed
from tracker.commitments.models import ACTIVE_STATUSES, Commitment
from tracker.consultations.models import CommentPeriod
from tracker.consultations.queries import current_close
from tracker.meetings.models import Meeting, MeetingParticipant
from tracker.reminders.models import Recipient, Subscription


def feed_of_user(user_id: int):
    return select(CalendarFeed).where(CalendarFeed.user_id == user_id)


def feed_by_token(token: str):
    """(CalendarFeed, User) for a token."""
    return select(CalendarFeed, User).join(User, User.id == CalendarFeed.user_id).where(CalendarFeed.token == token)


def followed_party_ids(user: User):
    """The parties this user's digest follows (by account or by person)."""
    mine = Recipient.user_id == user.id
    if user.person_id is not None:
        mine = or_(mine, Recipient.person_id == user.person_id)
    return select(Subscription.party_id).join(Recipient, Recipient.id == Subscription.recipient_id).where(mine)


def dated_commitments(viewer: Viewer, *, since: date, limit: int, owner_id: int | None = None, party_ids=None):
    """Open or in-progress commitments with a due day on or after `since`, owned by owner_id or involving
    party_ids; done, dropped and undated ones are not on a calendar. Soonest first, at most `limit`."""
    wanted = []
    if owner_id is not None:
        wanted.append(Commitment.owner_id == owner_id)
    if party_ids is not None:
        wanted.append(access.involving(Commitment, party_ids))
    statement = select(Commitment).where(Commitment.status.in_(ACTIVE_STATUSES), Commitment.due_latest >= since,
                                         or_(*wanted) if wanted else False, access.commitments(viewer))
    return statement.order_by(Commitment.due_latest, Commitment.id).limit(limit)


def meetings_between(viewer: Viewer, start: datetime, end: datetime, *, limit: int, person_id: int | None = None,
                     party_ids=None):
    """Meetings in [start, end] where the person took part or one of party_ids was involved."""
    wanted = []
    if person_id is not None:
        wanted.append(Meeting.id.in_(select(MeetingParticipant.meeting_id)
                                     .where(MeetingParticipant.person_id == person_id)))
    if party_ids is not None:
        wanted.append(access.involving(Meeting, party_ids))
    statement = select(Meeting).where(Meeting.starts_at <= end, Meeting.ends_at >= start,
                                      or_(*wanted) if wanted else False, access.meetings(viewer))
    return statement.order_by(Meeting.starts_at, Meeting.id).limit(limit)


def comment_periods_closing_between(viewer: Viewer, start: date, end: date, *, limit: int):
    """(CommentPeriod, close in force) closing in [start, end], of the periods the viewer may see."""
    close = current_close()
    statement = select(CommentPeriod, close.label("current_close")).where(close >= start, close <= end,
                                                                           access.comment_periods(viewer))
    return statement.order_by(close, CommentPeriod.id).limit(limit)
