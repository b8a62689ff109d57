"""Reactions to events that concern commitments, run inside the writer's transaction."""
from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from tracker import events
from tracker.commitments import operations
from tracker.commitments.models import ACTIVE_STATUSES, Commitment
from tracker.duedates import anchored_bounds


def _shift(day: date | None, delta: timedelta) -> date | None:
    return day + delta if day is not None else None


def moved_window(window: operations.Window, delta: timedelta) -> operations.Window:
    """The window after its anchor meeting moved by ``delta``: only the bounds the phrase ties to the meeting
    move ("prior to the Brussels meeting" keeps its earliest, the day the promise was made)."""
    moving = anchored_bounds(window.phrase)
    earliest = _shift(window.earliest, delta) if "earliest" in moving else window.earliest
    latest = _shift(window.latest, delta) if "latest" in moving else window.latest
    if earliest is not None and latest is not None and earliest > latest:
        earliest = latest  # the deadline now falls before the promise was made: as parse_due clamps it
    return operations.Window(window.phrase, earliest, latest, window.precision, window.anchor_meeting_id)


@events.subscribe("meeting.moved")
def move_anchored_windows(session: Session, event: events.Event) -> None:
    """A commitment due relative to a meeting ("prior to the Brussels meeting") moves with the meeting."""
    delta = timedelta(days=event.data["days_moved"])
    if not delta:
        return
    anchored = session.exec(select(Commitment).where(Commitment.due_anchor_meeting_id == event.subject_id,
                                                     Commitment.status.in_(ACTIVE_STATUSES)))
    for commitment in anchored:
        moved = moved_window(operations.Window.of(commitment), delta)
        operations.reschedule(session, commitment, moved, reason=f"the meeting it depends on moved "
                              f"{event.data['days_moved']:+d} days", actor=events.Actor(event.actor_user_id,
                                                                                         event.actor_name))
