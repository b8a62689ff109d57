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
    # Stamped into the session and the remember-me cookie at sign-in; raising it (sessions.end_sessions)
    # ends every copy of them at once: sign-out, deactivation, a password change.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # "<tenant id>:<object id>" of the Microsoft Entra ID identity bound to this account at its first
    # Entra sign-in; later sign-ins must present the same identity.
    entra_subject: str | None = Field(default=None, max_length=200, unique=True)
    last_signed_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

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
        # Carries the session version, so raising it ends sessions stored with the old one (auth/sessions.py).
        return f"{self.id}:{self.session_version}"

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
