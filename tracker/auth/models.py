from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

ROLES = ("admin", "editor", "viewer")


class User(SQLModel, table=True):
    """A sign-in account: staff (admin, editor) or an external viewer, maybe limited to some parties."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=300)
    role: str = Field(default="viewer", max_length=16)
    # A viewer with limited_to_parties sees only records that involve the parties in user_party.
    limited_to_parties: bool = False
    active: bool = True
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(sa_type=UTCDateTime)

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def can_edit(self) -> bool:
        return self.role in ("admin", "editor")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class UserParty(SQLModel, table=True):
    __tablename__ = "user_party"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", primary_key=True, ondelete="CASCADE")
