"""Writes for calendar feeds: issue, replace and revoke a user's private feed address. Flush, never commit."""
from __future__ import annotations

import secrets

from sqlmodel import Session

from tracker import clock, events
from tracker.auth.models import User
from tracker.calendar import queries
from tracker.calendar.models import CalendarFeed


def feed_for(session: Session, user: User, actor: events.Actor = events.SYSTEM) -> CalendarFeed:
    """The user's feed, issued on first use."""
    feed = session.exec(queries.feed_of_user(user.id)).first()
    return feed if feed is not None else _issue(session, user, actor, "calendar_feed.issued")


def replace_feed(session: Session, user: User, actor: events.Actor = events.SYSTEM) -> CalendarFeed:
    """A new address; the old one stops working at once (a calendar it was pasted into gets nothing)."""
    revoke_feed(session, user, actor, record=False)
    return _issue(session, user, actor, "calendar_feed.replaced")


def revoke_feed(session: Session, user: User, actor: events.Actor = events.SYSTEM, *, record: bool = True) -> bool:
    """Stop the user's feed address; False when there was none."""
    feed = session.exec(queries.feed_of_user(user.id)).first()
    if feed is None:
        return False
    session.delete(feed)
    session.flush()
    if record:
        events.record(session, "calendar_feed.revoked", "user", user.id, actor)
    return True


def note_read(session: Session, feed: CalendarFeed) -> None:
    """Remember when a calendar last fetched the feed (shown to its owner)."""
    feed.last_read_at = clock.now()
    session.add(feed)
    session.flush()


def _issue(session: Session, user: User, actor: events.Actor, kind: str) -> CalendarFeed:
    feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32), created_at=clock.now())
    session.add(feed)
    session.flush()
    events.record(session, kind, "user", user.id, actor)
    return feed
