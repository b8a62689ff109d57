"""Notices made in the writer's transaction: a promise moved (rescheduled, delivered, dropped, superseded) or
something was assigned to someone, or handed from them to someone else. Becoming overdue is time-driven: the
reminder sweep hands those events to the listener declared below. Notices asked for "in my digest" are a section
of the digest, declared to reminders here too."""
from __future__ import annotations

from sqlmodel import Session

from tracker import events
from tracker.commitments.models import Commitment
from tracker.notices import operations
from tracker.reminders import operations as reminder_operations

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


def notice_newly_overdue(session: Session, days_late_by_event: dict[int, int]) -> None:
    """The owner and followers are told a promise became overdue, unless the sweep found it long after the fact
    (a first sweep over years of history)."""
    operations.notice_overdue(session, [event_id for event_id, days_late in days_late_by_event.items()
                                        if days_late <= operations.OVERDUE_NEWS_DAYS])


if notice_newly_overdue not in reminder_operations.OVERDUE_LISTENERS:
    reminder_operations.OVERDUE_LISTENERS.append(notice_newly_overdue)
NOTICES_IN_DIGESTS = reminder_operations.DigestSection(fold=operations.fold_pending, mark_sent=operations.mark_folded)
if NOTICES_IN_DIGESTS not in reminder_operations.DIGEST_SECTIONS:
    reminder_operations.DIGEST_SECTIONS.append(NOTICES_IN_DIGESTS)
