from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

# What an emailed link lets its holder do: set the first password of an invited account, or a new one.
LINK_PURPOSES = ("invite", "reset")


class AccountLink(SQLModel, table=True):
    """A single-use emailed link to set a password. Only a hash of its secret is kept: a copy of the
    database does not hold a working link."""

    __tablename__ = "account_link"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    purpose: str = Field(max_length=16)
    secret_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A personal token for scripts calling the JSON API; it acts as its owner. Shown once, kept hashed."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    # The first characters of the token, shown in the list so its owner can tell tokens apart.
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
