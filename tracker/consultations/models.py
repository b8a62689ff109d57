from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime


class CommentPeriod(SQLModel, table=True):
    """A public comment period; its current close is the latest extension, else closes_on."""

    __tablename__ = "comment_period"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    opens_on: date
    closes_on: date
    reply_closes_on: date | None = None
    summary: str = ""
    summary_url: str | None = Field(default=None, max_length=2000)
    forum_url: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class CommentPeriodExtension(SQLModel, table=True):
    __tablename__ = "comment_period_extension"

    id: int | None = Field(default=None, primary_key=True)
    comment_period_id: int = Field(foreign_key="comment_period.id", ondelete="CASCADE", index=True)
    new_closes_on: date
    reason: str = ""
    requested_in_letter_id: int | None = Field(default=None, foreign_key="letter.id", ondelete="SET NULL",
                                               index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Submission(SQLModel, table=True):
    __tablename__ = "submission"

    id: int | None = Field(default=None, primary_key=True)
    comment_period_id: int = Field(foreign_key="comment_period.id", ondelete="CASCADE", index=True)
    party_id: int | None = Field(default=None, foreign_key="party.id", ondelete="RESTRICT")
    author: str = Field(max_length=300)
    submitted_on: date
    url: str | None = Field(default=None, max_length=2000)
