from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

PARTY_KINDS = ("supporting_organisation", "advisory_committee", "board", "staff", "government",
               "registry", "organisation", "other")


class Party(SQLModel, table=True):
    """A group or organisation we correspond with, or one of our own offices (is_internal)."""

    __tablename__ = "party"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    short_name: str = Field(max_length=40, unique=True)
    kind: str = Field(default="other", max_length=32)
    # Our own side (CEO's office, staff): promises are made by internal parties.
    is_internal: bool = False
    description: str = ""
    # The staff member who looks after this group's commitments: the owner prefilled when nothing closer is known.
    default_owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(sa_type=UTCDateTime)


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    # Normalised by email-validator; optional for people we only know from letters.
    email: str | None = Field(default=None, max_length=320, unique=True)
    timezone: str = Field(default="UTC", max_length=64)
    is_staff: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)


class Role(SQLModel, table=True):
    """A person holding a title in a party over a date range (open-ended when ends_on is empty)."""

    __tablename__ = "role"
    __table_args__ = (Index("ix_role_party_person", "party_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    party_id: int = Field(foreign_key="party.id", ondelete="CASCADE")
    title: str = Field(max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
