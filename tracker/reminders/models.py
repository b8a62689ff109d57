from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

FREQUENCIES = ("daily", "weekly")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# skipped: the period had nothing to say and the recipient asked for no empty digests.
DIGEST_STATES = ("pending", "sending", "sent", "failed", "unknown", "skipped")
# How a recipient is told that a promise moved or that something was assigned to them (tracker.notices).
NOTICE_CHOICES = ("immediately", "digest", "never")


class Recipient(SQLModel, table=True):
    """Who gets a digest and how: one row per person; owners get one by default, anyone may subscribe."""

    __tablename__ = "digest_recipient"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", unique=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True)
    # Items the person owns; off for someone who only follows parties.
    include_own: bool = True
    frequency: str = Field(default="daily", max_length=8)
    weekday: int = 0  # Monday = 0, for weekly digests
    send_time: str = Field(default="08:00", max_length=5)  # local HH:MM
    timezone: str = Field(default="UTC", max_length=64)
    due_soon_days: int = 7
    send_when_empty: bool = False
    paused: bool = False
    # A promise to a followed party, or an item owned, rescheduled, delivered, dropped or overdue.
    notify_moves: str = Field(default="digest", max_length=12, sa_column_kwargs={"server_default": "digest"})
    # Something newly assigned to the recipient.
    notify_assigned: str = Field(default="digest", max_length=12, sa_column_kwargs={"server_default": "digest"})
    unsubscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the last digest was built: "done since the last digest" starts here.
    last_digest_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Subscription(SQLModel, table=True):
    """A recipient follows a party: everything promised to it or asked by it appears in the digest."""

    __tablename__ = "digest_subscription"

    recipient_id: int = Field(foreign_key="digest_recipient.id", primary_key=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", primary_key=True, ondelete="CASCADE", index=True)


class Digest(SQLModel, table=True):
    """One digest for one recipient and period, the exact message, and how its delivery went."""

    __tablename__ = "digest"
    __table_args__ = (
        UniqueConstraint("recipient_id", "period", name="uq_digest_recipient_period"),
        Index("ix_digest_state_next", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="digest_recipient.id", ondelete="CASCADE")
    # "2010-05-12" (daily), "2010-W19" (weekly); a deliberate resend adds "/resend-N".
    period: str = Field(max_length=40)
    scheduled_for: datetime = Field(sa_type=UTCDateTime)
    to_address: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    text_body: str = ""
    html_body: str = ""
    headers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message_id: str = Field(max_length=300)
    raw_message: str = ""
    item_count: int = 0
    state: str = Field(default="pending", max_length=10)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str = Field(default="", max_length=200)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = ""
    transport: str = Field(default="", max_length=16)
    resend_of_id: int | None = Field(default=None, foreign_key="digest.id", ondelete="SET NULL")
    created_at: datetime = Field(sa_type=UTCDateTime)

