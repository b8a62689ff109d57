"""Reactions to letter events, run inside the writer's transaction."""
from __future__ import annotations

from flask import current_app, has_app_context
from sqlmodel import Session

from tracker import events
from tracker.letters import operations
from tracker.letters.models import Letter

DEFAULT_REPLY_BY_DAYS = 30


@events.subscribe("letter.logged")
def open_reply_tracking(session: Session, event: events.Event) -> None:
    """An incoming letter opens its reply-by tracking."""
    letter = session.get(Letter, event.subject_id)
    if letter is None or letter.direction != "incoming":
        return
    days = current_app.config["REPLY_BY_DAYS"] if has_app_context() else DEFAULT_REPLY_BY_DAYS
    operations.start_reply_tracking(session, letter, days)
