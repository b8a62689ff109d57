"""The append-only event log, and handlers that react to events inside the same transaction.

Every operation appends an Event for what it changed; a record's history page is a query on this table.
Time-driven events (commitment.due_soon, commitment.overdue) carry a `unique_key` so that a sweep that
runs twice cannot emit them twice.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import JSON, Column, Index, func, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, select

from tracker import clock
from tracker.db import UTCDateTime


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_subject", "subject_type", "subject_id", "id"),
        # Events of some kinds since a moment: "done since the last digest", and the records changed since a past
        # day (tracker.snapshots). With the subject in the index those are read from it alone.
        Index("ix_event_kind_occurred_subject", "kind", "occurred_at", "subject_type", "subject_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    subject_type: str = Field(max_length=32)
    subject_id: int
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    actor_user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    actor_name: str = Field(default="system", max_length=200)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Set for events that must happen at most once (e.g. "overdue:commitment:12:2010-05-11").
    unique_key: str | None = Field(default=None, max_length=200, unique=True)


Handler = Callable[[Session, Event], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(kind: str) -> Callable[[Handler], Handler]:
    """Register a handler run, in the writer's transaction, after each event of this kind."""

    def register(handler: Handler) -> Handler:
        if handler not in _handlers[kind]:
            _handlers[kind].append(handler)
        return handler

    return register


class Actor:
    """Who is acting: a signed-in user, or the system (jobs, demo load, CLI)."""

    def __init__(self, user_id: int | None = None, name: str = "system"):
        self.user_id = user_id
        self.name = name

    @classmethod
    def of(cls, user) -> "Actor":
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        return cls(user.id, user.display_name)


SYSTEM = Actor()


def record(session: Session, kind: str, subject_type: str, subject_id: int, actor: Actor = SYSTEM,
           data: dict[str, Any] | None = None, unique_key: str | None = None,
           occurred_at: datetime | None = None) -> Event:
    """Append an event and run its handlers; flushes, never commits."""
    event = Event(kind=kind, subject_type=subject_type, subject_id=subject_id,
                  occurred_at=occurred_at or clock.now(), actor_user_id=actor.user_id,
                  actor_name=actor.name, data=_jsonable(data or {}), unique_key=unique_key)
    session.add(event)
    session.flush()
    for handler in list(_handlers.get(kind, ())):
        handler(session, event)
    return event


def record_unique(session: Session, kind: str, subject_type: str, items, actor: Actor = SYSTEM) -> int:
    """Append keyed events of one kind in a few multi-row INSERTs; returns how many were added.

    ``items`` are (subject_id, data, unique_key). A key already recorded, even by a concurrent writer,
    is skipped by the database (ON CONFLICT DO NOTHING), not by an error. For kinds without handlers
    only (the time-driven ones). One INSERT per event made the first sweep over a large history hold
    SQLite's write lock for 67 s (157k events at 3M commitments); batched it takes 8.6 s.
    """
    return len(record_unique_ids(session, kind, subject_type, items, actor))


def record_unique_ids(session: Session, kind: str, subject_type: str, items, actor: Actor = SYSTEM) -> dict[str, int]:
    """record_unique, returning unique key → event id of the events this call added (a skipped key is absent)."""
    if _handlers.get(kind):
        raise ValueError(f"{kind} events have handlers: record them one by one with record()")
    occurred_at = clock.now()
    rows = [dict(kind=kind, subject_type=subject_type, subject_id=subject_id, occurred_at=occurred_at,
                 actor_user_id=actor.user_id, actor_name=actor.name, data=_jsonable(data or {}), unique_key=key)
            for subject_id, data, key in items]
    if not rows:
        return {}
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    table = Event.__table__
    # One statement, many parameter sets: SQLAlchemy sends them as multi-row INSERTs ("insertmanyvalues").
    statement = (insert(table).on_conflict_do_nothing(index_elements=["unique_key"])
                 .returning(table.c.unique_key, table.c.id))
    return {key: event_id for key, event_id in session.execute(statement, rows).all()}


def already_recorded(session: Session, unique_key: str) -> bool:
    return session.exec(select(Event.id).where(Event.unique_key == unique_key)).first() is not None


def newest(session: Session) -> tuple[int | None, bool]:
    """(the newest event's id, whether every event numbered before it is there to be read), seen at one moment.
    PostgreSQL numbers an event when it is written, not when its transaction commits: while another transaction is
    writing, an event older than the newest may still be committed. So on PostgreSQL the answer is "settled" only
    when no other transaction that has written is running (on any database of the server: it numbers transactions
    across them), read in the same statement, hence the same snapshot, as the newest id. SQLite lets one writer in
    at a time (BEGIN IMMEDIATE): its events are numbered in the order they commit."""
    newest_id = select(func.max(Event.id)).scalar_subquery()
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(select(newest_id)).scalar_one(), True
    nobody_writing = text("NOT EXISTS (SELECT FROM pg_snapshot_xip(pg_current_snapshot()))")
    found, settled = session.execute(select(newest_id, nobody_writing)).one()
    return found, settled


def history(session: Session, subject_type: str, subject_id: int) -> list[Event]:
    """The record's timeline, oldest first; on a page of the record as of a past day, what had happened by then."""
    statement = (select(Event).where(Event.subject_type == subject_type, Event.subject_id == subject_id)
                 .order_by(Event.id))
    as_of = clock.viewing_as_of()
    if as_of is not None:
        statement = statement.where(Event.occurred_at <= as_of)
    return list(session.exec(statement))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# Account events, subject "user" (tracker/accounts). Changes carry "before" and "after" holding the fields
# that changed (email, display_name, role, active, limited_to_parties, parties: party ids) and a "summary";
# no event ever holds a password, a hash of one or a token's secret.
ACCOUNT_EVENT_KINDS = {
    "user.created": "before {}, after: the whole state; email, role",
    "user.updated": "before, after, summary: name, role or party scope changed",
    "user.deactivated": "before, after (active), summary; tokens_revoked: how many API tokens stopped",
    "user.reactivated": "before, after (active), summary",
    "user.invited": "email, expires_at of the emailed set-password link",
    "user.invite_accepted": "before {}, after {}: the invited person chose a password",
    "user.password_reset_sent": "email, expires_at of the emailed reset link",
    "user.password_reset": "before {}, after {}: a new password was set through a reset link",
    "user.password_changed": "before {}, after {}; by: self or admin",
    "user.api_token_created": "token_id, name, prefix",
    "user.api_token_revoked": "token_id, name, prefix",
    "user.entra_linked": "before, after (entra_subject), summary, email: bound to a Microsoft Entra ID identity",
}

# Sign-in events (tracker/auth/signin.py), subject "sign_in" with subject_id the account's id, or 0 when the
# typed address has no account; admins review them on /admin/sign-ins. Never a password.
SIGN_IN_EVENT_KINDS = {
    "auth.signed_in": "email, method (password or entra), client_address",
    "auth.sign_in_failed": "email as typed, method, reason (unknown account, wrong password, deactivated, "
                           "no local password, or why Entra ID's answer was refused), client_address",
    "auth.signed_out": "email, client_address: every session and remember-me cookie of the account ended",
}

# Phase events (tracker/phases): subject "phase" for the admin's changes, "commitment" when one moves between
# phases. Each carries "before" and "after"; names are kept as they read then, so a later rename does not
# rewrite the history.
PHASE_EVENT_KINDS = {
    "phase.created": "kind, name; before {}, after: kind, name, position",
    "phase.renamed": "kind, name (the new one); before, after: name",
    "phase.reordered": "kind, name (the phase moved), direction (up or down); before, after: order (names)",
    "phase.retired": "kind, name; before, after: retired (false → true)",
    "phase.reinstated": "kind, name; before, after: retired (true → false)",
    "commitment.phase_changed": "before, after: phase_id and name (\"\" for no phase; a retired one says so)",
}
