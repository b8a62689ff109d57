"""Sessions that the server can end: every session and remember-me cookie carries the account's session version.

Flask-Login stores ``User.get_id()`` in the session and in the remember-me cookie; that id is
"<user id>:<session version>". The user loader accepts it only while the version is current, so raising
the version (sign-out, deactivation, password change or reset, role change) ends every copy of those cookies
at once, on every device, including ones an attacker copied.
"""
from __future__ import annotations

from sqlalchemy.orm import object_session

from tracker.auth.models import User


def session_id_of(user: User) -> str:
    return f"{user.id}:{user.session_version}"


def parse_session_id(value: str) -> tuple[int, int] | None:
    """(user id, session version) from a stored id, or None for anything else (old-style or forged ids)."""
    user_part, separator, version_part = value.partition(":")
    if not separator or not (user_part.isascii() and user_part.isdigit()) \
            or not (version_part.isascii() and version_part.isdigit()):
        return None
    if len(user_part) > 18 or len(version_part) > 9:
        return None
    return int(user_part), int(version_part)


def end_sessions(user: User) -> None:
    """End every session and remember-me cookie of this account now; flushes, never commits."""
    user.session_version = (user.session_version or 0) + 1
    session = object_session(user)
    if session is not None:
        session.add(user)
        session.flush()


def is_current(user: User | None, version: int) -> bool:
    return user is not None and user.active and user.session_version == version
