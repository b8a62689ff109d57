"""Notices made in the writer's transaction: a promise moved (rescheduled, delivered, dropped, superseded) or
something was assigned to someone, or handed from them to someone else. Becoming overdue is time-driven: the reminder sweep hands those events over itself."""
from __future__ import annotations

from sqlmodel import Session

from tracker import events
from tracker.commitments.models import Commitment
from tracker.notices import operations

MOVED_BY_A_WRITE = ("commitment.rescheduled", "commitment.done", "commitment.partly_done", "commitment.dropped",
                    "commitment.superseded")


def notice_move(session: Session, event: events.Event) -> None:
    """The owner and the followers of the parties a promise was made to are told it moved."""
    operations.notice_event(session, event, "moved")


for _kind in MOVED_BY_A_WRITE:
    events.subscribe(_kind)(notice_move)


@events.subscribe("commitment.made")
def notice_first_owner(session: Session, event: events.Event) -> None:
    """A commitment made with an owner is assigned to them."""
    # From the identity map: the commitment was just added in this transaction (no query when it has no owner).
    commitment = session.get(Commitment, event.subject_id)
    if commitment is not None and commitment.owner_id is not None:
        operations.notice_event(session, event, "assigned")


@events.subscribe("commitment.updated")
def notice_new_owner(session: Session, event: events.Event) -> None:
    """A commitment given to another owner is assigned to the new one; the previous one is told it was handed on."""
    change = (event.data.get("changes") or {}).get("owner_id")
    if not change:
        return
    previous, new = change
    if new is not None:
        operations.notice_event(session, event, "assigned")
    if previous is not None:
        operations.notice_event(session, event, "unassigned", person_id=previous)
