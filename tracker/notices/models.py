from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

# moved: a promise rescheduled, delivered (done, partly done), dropped, superseded or overdue; assigned: given to
# its new owner; unassigned: taken from its previous owner (handed to someone else, or to nobody).
REASONS = ("moved", "assigned", "unassigned")
DELIVERIES = ("immediately", "digest")
# pending: not yet in any email; queued: in an email of its own (that digest row carries the delivery state:
# sending, sent, retrying, failed, unknown); folded: in the recipient's digest; withheld: the recipient may no
# longer see the item, or stopped their emails, before it went out.
NOTICE_STATES = ("pending", "queued", "folded", "withheld")


class Notice(SQLModel, table=True):
    """One recipient told about one event, once: the unique (recipient, event) makes a second notice impossible."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("recipient_id", "event_id", name="uq_notice_recipient_event"),
        Index("ix_notice_state_delivery_recipient", "state", "delivery", "recipient_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="digest_recipient.id", ondelete="CASCADE")
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    commitment_id: int = Field(foreign_key="commitment.id", ondelete="CASCADE", index=True)
    reason: str = Field(max_length=10)
    # Chosen from the recipient's preference when the event happened.
    delivery: str = Field(max_length=12)
    state: str = Field(default="pending", max_length=10)
    # The email that carried it: its own (immediately) or the recipient's digest.
    digest_id: int | None = Field(default=None, foreign_key="digest.id", ondelete="SET NULL", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
