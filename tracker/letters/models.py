from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint, and_
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

DIRECTIONS = ("incoming", "outgoing", "between_others")
DATE_PRECISIONS = ("day", "month")
REPLY_STATES = ("awaiting_reply", "replied", "no_reply_needed")
# What the letters list, the API, the overview card and digests filter by: a stored reply state, or "late".
REPLY_FILTERS = (*REPLY_STATES, "late")
PARTICIPANT_ROLES = ("author", "recipient", "cc")
LINK_KINDS = ("replies_to", "follows_up", "supersedes", "refers_to")


class Letter(SQLModel, table=True):
    __tablename__ = "letter"
    __table_args__ = (Index("ix_letter_reply", "reply_state", "reply_by"),)

    id: int | None = Field(default=None, primary_key=True)
    # For month precision, sent_on is the first of the month.
    sent_on: date = Field(index=True)
    date_precision: str = Field(default="day", max_length=8)
    subject: str = Field(max_length=500)
    direction: str = Field(max_length=16)
    # Sanitised HTML (nh3) or plain text; rendered only after sanitising again.
    body: str = ""
    source_url: str | None = Field(default=None, max_length=2000)
    # Reply tracking for incoming letters; None for the others.
    reply_state: str | None = Field(default=None, max_length=16)
    reply_by: date | None = None
    # sha256 of the imported original: re-importing the same file finds this letter.
    content_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LetterFile(SQLModel, table=True):
    """The original file, kept in the database so every web worker can serve it."""

    __tablename__ = "letter_file"

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", ondelete="CASCADE", index=True)
    filename: str = Field(max_length=300)
    content_type: str = Field(max_length=200)
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_type=LargeBinary)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)


class LetterParticipant(SQLModel, table=True):
    """A party and/or person as author, recipient or cc of a letter, with the title held then."""

    __tablename__ = "letter_participant"
    __table_args__ = (Index("ix_letter_participant_party", "party_id", "letter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=16)
    party_id: int | None = Field(default=None, foreign_key="party.id", ondelete="RESTRICT")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="RESTRICT", index=True)
    title: str | None = Field(default=None, max_length=200)


class LetterLink(SQLModel, table=True):
    """from_letter <kind> to_letter, e.g. the 21 April reply replies_to the 25 March letter."""

    __tablename__ = "letter_link"
    __table_args__ = (UniqueConstraint("from_letter_id", "to_letter_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    from_letter_id: int = Field(foreign_key="letter.id", ondelete="CASCADE", index=True)
    to_letter_id: int = Field(foreign_key="letter.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16)


# Derived state, defined here once for Python and SQL (tests/letters/test_reply_late.py checks they agree):
# an incoming letter still awaiting a reply after its reply-by day.
def is_reply_late(letter: Letter, today: date) -> bool:
    return letter.reply_state == "awaiting_reply" and letter.reply_by is not None and letter.reply_by < today


def reply_late_condition(today: date):
    return and_(Letter.reply_state == "awaiting_reply", Letter.reply_by < today)


# Every page that shows a letter's reply state asks reply_badge (never stored).
def reply_badge(letter: Letter, today: date, replied_on: date | None = None) -> str | None:
    """The reply state to show: awaiting_reply_late once the reply-by day has passed without a reply;
    replied_late when the (first) reply came after the reply-by day; otherwise the stored state."""
    if is_reply_late(letter, today):
        return "awaiting_reply_late"
    if (letter.reply_state == "replied" and replied_on is not None and letter.reply_by is not None
            and replied_on > letter.reply_by):
        return "replied_late"
    return letter.reply_state
