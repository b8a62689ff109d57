from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from tracker import clock, events
from tracker.auth.models import ROLES, User, UserParty
from tracker.auth.queries import user_by_email


class AccountError(ValueError):
    """A user account that cannot be saved as given."""


def normalise_email(address: str, *, test_environment: bool = False) -> str:
    """Validated, normalised address (no DNS lookups); AccountError with email-validator's message."""
    try:
        return validate_email(address.strip(), check_deliverability=False,
                              test_environment=test_environment).normalized
    except EmailNotValidError as error:
        raise AccountError(f"{address!r} is not a valid email address: {error}") from None


def create_user(session: Session, *, email: str, display_name: str, password: str, role: str = "viewer",
                party_ids: list[int] | None = None, person_id: int | None = None,
                actor: events.Actor = events.SYSTEM) -> User:
    """Create a sign-in account; viewers given party_ids see only those parties."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    if not display_name.strip():
        raise AccountError("a display name is required")
    address = normalise_email(email)
    if session.exec(user_by_email(address)).first() is not None:
        raise AccountError(f"an account for {address} already exists")
    user = User(email=address, display_name=display_name.strip(), role=role,
                password_hash=generate_password_hash(password), limited_to_parties=bool(party_ids),
                person_id=person_id, created_at=clock.now())
    session.add(user)
    session.flush()
    for party_id in party_ids or ():
        session.add(UserParty(user_id=user.id, party_id=party_id))
    events.record(session, "user.created", "user", user.id, actor,
                  {"email": address, "role": role, "parties": list(party_ids or [])})
    return user


def set_password(session: Session, user: User, password: str, actor: events.Actor = events.SYSTEM) -> None:
    """Replace a user's password."""
    if len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    user.password_hash = generate_password_hash(password)
    session.add(user)
    events.record(session, "user.password_changed", "user", user.id, actor)


def first_admin_exists(session: Session) -> bool:
    return session.exec(select(User.id).where(User.role == "admin")).first() is not None
