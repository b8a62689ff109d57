from __future__ import annotations

from sqlmodel import func, select

from tracker.auth.models import User


def user_by_email(email: str):
    return select(User).where(func.lower(User.email) == email.strip().lower())

