"""What a feed holds: the records its reader may see, bounded in time and count, as calendar entries."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from urllib.parse import urlsplit

from flask import current_app, url_for
from sqlmodel import Session, func, select

from tracker import clock
from tracker.auth.models import User
from tracker import access
from tracker.calendar import queries
from tracker.calendar.render import comment_period_entry, commitment_entry, meeting_entry
from tracker.commitments.models import DueWindowChange, timing


def personal_entries(session: Session, user: User) -> list:
    """The user's own commitments and those of the parties their digest follows, the meetings they or those
    parties take part in, and the comment periods closing, all within the reader's visibility."""
    followed = list(session.exec(queries.followed_party_ids(user)))
    return _entries(session, user, owner_id=user.person_id, party_ids=followed or None,
                    person_id=user.person_id, with_periods=True)


def party_entries(session: Session, user: User, party_id: int) -> list:
    """Everything dated that involves one party: what was promised to it or asked by it, its meetings."""
    return _entries(session, user, owner_id=None, party_ids=[party_id], person_id=None, with_periods=False)


def _entries(session: Session, user: User, *, owner_id, party_ids, person_id, with_periods: bool) -> list:
    config = current_app.config
    today = clock.today_in()
    since = today - timedelta(days=int(config["CALENDAR_PAST_DAYS"]))
    until = today + timedelta(days=int(config["CALENDAR_AHEAD_DAYS"]))
    limit = int(config["CALENDAR_MAX_EVENTS"])
    viewer = access.viewer_of_user(session, user)
    host = urlsplit(config["BASE_URL"]).hostname or "tracker"
    due_soon_days = int(config["DUE_SOON_DAYS"])

    commitments = list(session.exec(queries.dated_commitments(
        viewer, since=since, limit=limit, owner_id=owner_id, party_ids=party_ids)))
    reschedules = _reschedule_counts(session, [c.id for c in commitments])
    entries = [commitment_entry(c, state=timing(c, today, due_soon_days), host=host,
                                url=_link("commitments.show", commitment_id=c.id),
                                reschedules=reschedules.get(c.id, 0)) for c in commitments]
    start, end = (datetime.combine(day, time.min, timezone.utc) for day in (since, until))
    meetings = session.exec(queries.meetings_between(viewer, start, end, limit=limit, person_id=person_id,
                                                     party_ids=party_ids))
    entries += [meeting_entry(m, url=_link("meetings.show", meeting_id=m.id), host=host) for m in meetings]
    if with_periods:
        periods = session.exec(queries.comment_periods_closing_between(viewer, since, until, limit=limit))
        entries += [comment_period_entry(p, closes_on, url=_link("consultations.show", period_id=p.id), host=host)
                    for p, closes_on in periods]
    return entries


def _reschedule_counts(session: Session, commitment_ids) -> dict[int, int]:
    if not commitment_ids:
        return {}
    statement = (select(DueWindowChange.commitment_id, func.count()).where(
        DueWindowChange.commitment_id.in_(commitment_ids)).group_by(DueWindowChange.commitment_id))
    return dict(session.exec(statement).all())


def _link(endpoint: str, **values) -> str:
    """An absolute link for calendars, which fetch from elsewhere: BASE_URL, as emails use."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
