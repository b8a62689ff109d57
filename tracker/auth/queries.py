from __future__ import annotations

from flask import g
from sqlmodel import Session, func, select

from tracker.auth.models import User, UserParty


def user_by_email(email: str):
    return select(User).where(func.lower(User.email) == email.strip().lower())


def visible_party_ids(session: Session, user) -> frozenset[int] | None:
    """None when the user may see every party; else the parties a limited viewer may see (cached per request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if not user.limited_to_parties or user.can_edit:
        return None
    cached = g.get("_visible_party_ids")
    if cached is None:
        cached = frozenset(session.exec(select(UserParty.party_id).where(UserParty.user_id == user.id)))
        g._visible_party_ids = cached
    return cached
