from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime


class CalendarFeed(SQLModel, table=True):
    """A user's private calendar address: whoever holds the token reads that user's feed, nothing else.

    The token is kept as issued, not hashed: the page shows the address again whenever its owner asks, as
    calendar services do, and it grants reading a feed only. Revoking it deletes the row; a new one is a new
    random token.
    """

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", unique=True)
    token: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
