"""Reactions to events that concern commitments, run inside the writer's transaction."""
from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from tracker import events
from tracker.commitments import operations
from tracker.commitments.models import ACTIVE_STATUSES, Commitment


def _shift(day: date | None, delta: timedelta) -> date | None:
    return day + delta if day is not None else None


@events.subscribe("meeting.moved")
def move_anchored_windows(session: Session, event: events.Event) -> None:
    """A commitment due relative to a meeting ("prior to the Brussels meeting") moves with the meeting."""
    delta = timedelta(days=event.data["days_moved"])
    if not delta:
        return
    anchored = session.exec(select(Commitment).where(Commitment.due_anchor_meeting_id == event.subject_id,
                                                     Commitment.status.in_(ACTIVE_STATUSES)))
    for commitment in anchored:
        window = operations.Window.of(commitment)
        moved = operations.Window(window.phrase, _shift(window.earliest, delta), _shift(window.latest, delta),
                                  window.precision, window.anchor_meeting_id)
        operations.reschedule(session, commitment, moved, reason=f"the meeting it depends on moved "
                              f"{event.data['days_moved']:+d} days", actor=events.Actor(event.actor_user_id,
                                                                                         event.actor_name))
