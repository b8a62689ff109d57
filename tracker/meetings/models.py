from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

MEETING_KINDS = ("consultation_session", "workshop", "call", "icann_public_meeting", "other")


class Meeting(SQLModel, table=True):
    """A meeting; also an anchor for due windows ("prior to the Brussels meeting")."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    kind: str = Field(default="other", max_length=32)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    # The meeting's own timezone, for showing local times and computing anchored dates.
    timezone: str = Field(default="UTC", max_length=64)
    location: str = Field(default="", max_length=300)
    remote: bool = False
    # Short names people use for it in text ("Brussels", "ICANN 38"), comma separated.
    aliases: str = Field(default="", max_length=300)
    transcript: str = ""
    source_url: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class MeetingParticipant(SQLModel, table=True):
    __tablename__ = "meeting_participant"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="RESTRICT")
    party_id: int | None = Field(default=None, foreign_key="party.id", ondelete="RESTRICT")
    # "speaker", "chair", "participant" or the name used in the transcript ("Liz").
    role: str = Field(default="participant", max_length=100)
    name_in_transcript: str | None = Field(default=None, max_length=200)
