from __future__ import annotations

from sqlmodel import Session, func, select

from tracker.auth.models import User


def user_by_email(email: str):
    return select(User).where(func.lower(User.email) == email.strip().lower())


def visible_party_ids(session: Session, user) -> frozenset[int] | None:
    """None when the user may see every party; else the parties it may see. Decided by tracker.access."""
    from tracker import access

    return access.viewer_of_user(session, user).party_ids
