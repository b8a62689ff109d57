"""Sign-in and sign-out as operations: the check, its event, and the account's session version. Flush, never commit.

Every attempt costs the same whatever the address: the account is looked up, one password hash is
checked (a dummy one when there is no account, no local password or the account is deactivated) and one
event is written. The answer is the same too, so the sign-in form cannot tell who has an account.
"""
from __future__ import annotations

from sqlmodel import Session, select

from tracker import clock, events
from tracker.auth import passwords, sessions
from tracker.auth.models import User
from tracker.auth.queries import user_by_email

SIGNED_IN = "auth.signed_in"
SIGN_IN_FAILED = "auth.sign_in_failed"
SIGNED_OUT = "auth.signed_out"
SIGN_IN_KINDS = (SIGNED_IN, SIGN_IN_FAILED, SIGNED_OUT)
# Sign-in events are about an attempt, not a record: subject_type "sign_in", subject_id the account's id,
# or 0 when the typed address has no account.
SUBJECT_TYPE = "sign_in"
UNKNOWN_ACCOUNT = 0
# Longest typed address kept in an event (the column for addresses is 320 characters).
MAX_RECORDED_EMAIL = 320


def sign_in_with_password(session: Session, email: str, password: str, *, client_address: str) -> User | None:
    """The account when the password is right and the account active, else None; records the attempt."""
    typed = email.strip()
    user = session.exec(user_by_email(typed)).first() if len(typed) <= MAX_RECORDED_EMAIL else None
    usable = user is not None and user.active
    # The hash is checked even for a deactivated account, so that it answers as slowly as an active one.
    matches = passwords.verify_password(user.password_hash if user is not None else None, password)
    if usable and matches:
        _signed_in(session, user, method="password", client_address=client_address)
        return user
    reason = "unknown account" if user is None else "deactivated" if not user.active else \
        "no local password" if not user.password_hash else "wrong password"
    record_failure(session, user, typed, reason, method="password", client_address=client_address)
    return None


def sign_in_with_entra(session: Session, user: User, *, client_address: str) -> None:
    """Record a completed Entra ID sign-in of an active account."""
    _signed_in(session, user, method="entra", client_address=client_address)


def _signed_in(session: Session, user: User, *, method: str, client_address: str) -> None:
    user.last_signed_in_at = clock.now()
    session.add(user)
    events.record(session, SIGNED_IN, SUBJECT_TYPE, user.id, events.Actor(user.id, user.display_name),
                  {"email": user.email, "method": method, "client_address": client_address})


def record_failure(session: Session, user: User | None, typed_email: str, reason: str, *, method: str,
                   client_address: str) -> None:
    """A refused sign-in, for the admins' sign-in log."""
    events.record(session, SIGN_IN_FAILED, SUBJECT_TYPE, user.id if user is not None else UNKNOWN_ACCOUNT,
                  events.Actor(None, "anonymous"),
                  {"email": typed_email[:MAX_RECORDED_EMAIL], "method": method, "reason": reason,
                   "client_address": client_address})


def sign_out(session: Session, user: User, *, client_address: str) -> None:
    """End every session and remember-me cookie of the account (on every device) and record it."""
    sessions.end_sessions(user)
    events.record(session, SIGNED_OUT, SUBJECT_TYPE, user.id, events.Actor(user.id, user.display_name),
                  {"email": user.email, "client_address": client_address})


def sign_in_log(kinds, user_id: int | None = None, limit: int = 200):
    """select() of sign-in events of these kinds, newest first; of one account when user_id is given."""
    statement = select(events.Event).where(events.Event.subject_type == SUBJECT_TYPE, events.Event.kind.in_(kinds))
    if user_id is not None:
        statement = statement.where(events.Event.subject_id == user_id)
    return statement.order_by(events.Event.id.desc()).limit(limit)
