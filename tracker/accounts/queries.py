from __future__ import annotations

from sqlmodel import func, or_, select

from tracker.accounts.models import AccountLink, ApiToken
from tracker.auth.models import User, UserParty
from tracker.parties.models import Party

# Largest value of an integer primary key column; a bigger "id" names nothing (and overflows the parameter).
MAX_ID = 2**31 - 1


def all_users():
    return select(User).order_by(User.display_name, User.id)


def user_by_email(email: str):
    return select(User).where(func.lower(User.email) == email.strip().lower())


def admins():
    return select(User.id).where(User.role == "admin")


def active_admins():
    return select(User.id).where(User.role == "admin", User.active.is_(True))


def parties_of_users(user_ids):
    """(user id, party) pairs: the party scope shown in the users list."""
    return (select(UserParty.user_id, Party).join(Party, Party.id == UserParty.party_id)
            .where(UserParty.user_id.in_(list(user_ids))).order_by(Party.name))


def party_ids_of_user(user_id: int):
    return select(UserParty.party_id).where(UserParty.user_id == user_id).order_by(UserParty.party_id)


def scope_rows_of_user(user_id: int):
    return select(UserParty).where(UserParty.user_id == user_id)


def parties_with_ids(party_ids):
    return select(Party).where(Party.id.in_(list(party_ids)))


def party_ids_among(party_ids):
    return select(Party.id).where(Party.id.in_(list(party_ids)))


def party_by_id_or_short_name(key: str):
    """A party named on the command line by its id or its short name (case-insensitive)."""
    key = key.strip()
    by_name = func.lower(Party.short_name) == key.lower()
    if key.isascii() and key.isdigit() and int(key) <= MAX_ID:
        return select(Party).where(or_(Party.id == int(key), by_name)).order_by(Party.id != int(key))
    return select(Party).where(by_name)


def link_by_secret_hash(secret_hash: str):
    return select(AccountLink).where(AccountLink.secret_hash == secret_hash)


def unused_links_of_user(user_id: int, purpose: str | None = None):
    statement = select(AccountLink).where(AccountLink.user_id == user_id, AccountLink.used_at.is_(None))
    if purpose is not None:
        statement = statement.where(AccountLink.purpose == purpose)
    return statement


def tokens_of_user(user_id: int):
    """Live tokens first, newest first."""
    return (select(ApiToken).where(ApiToken.user_id == user_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc()))


def live_tokens_of_user(user_id: int):
    return select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))


def token_with_owner(token_hash: str):
    return (select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_hash))
