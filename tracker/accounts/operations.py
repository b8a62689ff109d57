"""Account lifecycle: create, invite, edit, deactivate, passwords, emailed links and API tokens.

Every change appends a "user.*" event on the account with its state before and after. Writes flush,
never commit; ending a user's sessions goes through tracker.auth.sessions.end_sessions.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session

from tracker import clock, events, validation
from tracker.accounts import queries
from tracker.accounts.models import LINK_PURPOSES, AccountLink, ApiToken
from tracker.auth.models import ROLES, User, UserParty
from tracker.auth.passwords import check_password_policy, hash_password, verify_password
from tracker.auth.sessions import end_sessions
from tracker.validation import InvalidInput

LINK_LIFETIMES = {"invite": timedelta(days=7), "reset": timedelta(hours=2)}
LINK_SALT = "account-link"
TOKEN_PREFIX = "trk_"
# A token's last use is written at most this often, so scripts polling the API do not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
NAME_MAX = 200
TOKEN_NAME_MAX = 100


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# ---- the state an event records ------------------------------------------------------------------------------

def account_state(session: Session, user: User) -> dict:
    """What an account event records before and after a change."""
    parties = list(session.exec(queries.party_ids_of_user(user.id)))
    return {"email": user.email, "display_name": user.display_name, "role": user.role, "active": user.active,
            "limited_to_parties": user.limited_to_parties, "parties": parties}


def _record_change(session: Session, kind: str, user: User, before: dict, actor: events.Actor,
                   **extra) -> events.Event | None:
    """Record what changed (only the fields that did, before and after); nothing when nothing changed."""
    after = account_state(session, user)
    changed = [key for key in after if before.get(key) != after[key]]
    if not changed and not extra:
        return None
    return events.record(session, kind, "user", user.id, actor,
                         {"before": {k: before.get(k) for k in changed}, "after": {k: after[k] for k in changed},
                          "summary": _summary(session, before, after, changed), **extra})


def _summary(session: Session, before: dict, after: dict, changed: list[str]) -> str:
    """"role viewer → editor; parties ccNSO → ccNSO, GNSO": the history line of a change."""
    labels = {"display_name": "name", "limited_to_parties": "sees"}
    names = {}
    if "parties" in changed:
        ids = set(before.get("parties") or []) | set(after["parties"])
        names = {p.id: p.short_name or p.name for p in session.exec(queries.parties_with_ids(ids))}
    parts = []
    for key in changed:
        old, new = before.get(key), after[key]
        if key == "parties":
            old, new = (", ".join(names.get(i, str(i)) for i in ids) or "none" for ids in (old or [], new))
        elif key == "limited_to_parties":
            old, new = ("only its parties" if limited else "every party" for limited in (old, new))
        parts.append(f"{labels.get(key, key)} {old} → {new}")
    return "; ".join(parts)


# ---- creating and editing accounts -----------------------------------------------------------------------------

def clean_party_ids(session: Session, party_ids) -> list[int]:
    """Party ids without repeats, each naming a party; InvalidInput (field party_ids) for unknown ones."""
    wanted: list[int] = []
    for value in party_ids or ():
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or int(text) > queries.MAX_ID:
            raise InvalidInput(f"{value!r} is not a party id", "party_ids")
        if int(text) not in wanted:
            wanted.append(int(text))
    known = set(session.exec(queries.party_ids_among(wanted))) if wanted else set()
    unknown = [party_id for party_id in wanted if party_id not in known]
    if unknown:
        raise InvalidInput(f"no party has the id {', '.join(map(str, unknown))}", "party_ids")
    return wanted


def _check_role(role: str) -> str:
    return validation.choice(role, ROLES, "role")


def _check_name(display_name: str) -> str:
    name = (display_name or "").strip()
    if not name:
        raise InvalidInput("a name is required", "display_name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"the name may have at most {NAME_MAX} characters", "display_name")
    return name


def _default_all_parties(role: str, party_ids) -> bool:
    # Staff see every party whatever their scope; a viewer sees only what was ticked unless told otherwise.
    return role != "viewer" and not party_ids


def create_user(session: Session, *, email: str, display_name: str, password: str | None, role: str = "viewer",
                party_ids=None, all_parties: bool | None = None, person_id: int | None = None,
                actor: events.Actor = events.SYSTEM) -> User:
    """Create an account; without a password it cannot sign in until its invitation link is used.

    A viewer sees only the parties in party_ids (none: nothing) unless all_parties is true.
    """
    role = _check_role(role)
    name = _check_name(display_name)
    address = validation.email_address(email)
    if session.exec(queries.user_by_email(address)).first() is not None:
        raise InvalidInput(f"an account for {address} already exists", "email")
    if password is not None:
        check_password_policy(password, email=address, name=name)
    parties = clean_party_ids(session, party_ids)
    if all_parties is None:
        all_parties = _default_all_parties(role, parties)
    user = User(email=address, display_name=name, role=role,
                password_hash=hash_password(password) if password is not None else "",
                limited_to_parties=not all_parties, person_id=person_id, created_at=clock.now())
    session.add(user)
    session.flush()
    for party_id in parties:
        session.add(UserParty(user_id=user.id, party_id=party_id))
    session.flush()
    after = account_state(session, user)
    events.record(session, "user.created", "user", user.id, actor,
                  {"before": {}, "after": after, "email": address, "role": role})
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave no active admin: nobody could manage accounts any more."""
    if user.role == "admin" and user.active:
        others = [uid for uid in session.exec(queries.active_admins()) if uid != user.id]
        if not others:
            raise InvalidInput("this is the only active admin; make another account admin first", "role")


def update_user(session: Session, user: User, *, display_name: str | None = None, role: str | None = None,
                party_ids=None, all_parties: bool | None = None,
                actor: events.Actor = events.SYSTEM) -> events.Event | None:
    """Change an account's name, role or party scope (party_ids None: scope unchanged); a new role ends its sessions."""
    before = account_state(session, user)
    if display_name is not None:
        user.display_name = _check_name(display_name)
    if role is not None and _check_role(role) != user.role:
        if role != "admin":
            _keep_an_admin(session, user)
        user.role = role
        # What a role allows is read on every request, but a session begun under another role should not
        # outlive it: a demotion is often the answer to a worry about the account.
        end_sessions(user)
    if party_ids is not None or all_parties is not None:
        _replace_scope(session, user, party_ids, all_parties)
    session.add(user)
    session.flush()
    return _record_change(session, "user.updated", user, before, actor)


def set_role(session: Session, user: User, role: str, actor: events.Actor = events.SYSTEM):
    """Make the account admin, editor or viewer."""
    return update_user(session, user, role=role, actor=actor)


def set_parties(session: Session, user: User, party_ids, all_parties: bool = False,
                actor: events.Actor = events.SYSTEM):
    """Limit the account to these parties, or let it see every party."""
    return update_user(session, user, party_ids=list(party_ids or []), all_parties=all_parties, actor=actor)


def _replace_scope(session: Session, user: User, party_ids, all_parties: bool | None) -> None:
    wanted = clean_party_ids(session, party_ids) if party_ids is not None else None
    if all_parties is None:
        all_parties = not user.limited_to_parties
    user.limited_to_parties = not all_parties
    if wanted is None:
        return
    current = {row.party_id: row for row in session.exec(queries.scope_rows_of_user(user.id))}
    for party_id, row in current.items():
        if party_id not in wanted:
            session.delete(row)
    for party_id in wanted:
        if party_id not in current:
            session.add(UserParty(user_id=user.id, party_id=party_id))
    session.flush()


def deactivate_user(session: Session, user: User, actor: events.Actor = events.SYSTEM) -> None:
    """Stop the account: its sessions, API tokens and emailed links stop working at once."""
    if not user.active:
        raise InvalidInput(f"{user.email} is already deactivated", "active")
    _keep_an_admin(session, user)
    before = account_state(session, user)
    user.active = False
    session.add(user)
    now = clock.now()
    revoked = 0
    for token in session.exec(queries.live_tokens_of_user(user.id)):
        token.revoked_at = now
        session.add(token)
        revoked += 1
    _close_links(session, user, None, now)
    end_sessions(user)
    session.flush()
    _record_change(session, "user.deactivated", user, before, actor, tokens_revoked=revoked)


def reactivate_user(session: Session, user: User, actor: events.Actor = events.SYSTEM) -> None:
    """Let a deactivated account sign in again (its old tokens stay revoked)."""
    if user.active:
        raise InvalidInput(f"{user.email} is already active", "active")
    before = account_state(session, user)
    user.active = True
    session.add(user)
    session.flush()
    _record_change(session, "user.reactivated", user, before, actor)


def first_admin_exists(session: Session) -> bool:
    return session.exec(queries.admins()).first() is not None


# ---- passwords ------------------------------------------------------------------------------------------------

def _store_password(session: Session, user: User, password: str) -> None:
    check_password_policy(password, email=user.email, name=user.display_name)
    user.password_hash = hash_password(password)
    session.add(user)
    end_sessions(user)
    session.flush()


def set_password(session: Session, user: User, password: str, actor: events.Actor = events.SYSTEM) -> None:
    """Replace a user's password (admin or command line); their sessions end."""
    _store_password(session, user, password)
    events.record(session, "user.password_changed", "user", user.id, actor,
                  {"before": {}, "after": {}, "by": "admin" if actor.user_id != user.id else "self"})


def change_own_password(session: Session, user: User, current_password: str, new_password: str) -> None:
    """A signed-in user's change of their own password: the current one is required; every session ends."""
    if not verify_password(user.password_hash, current_password or ""):
        raise InvalidInput("The current password is not right.", "current_password")
    if new_password == current_password:
        raise InvalidInput("The new password must differ from the current one.", "password")
    _store_password(session, user, new_password)
    events.record(session, "user.password_changed", "user", user.id, events.Actor.of(user),
                  {"before": {}, "after": {}, "by": "self"})


# ---- emailed links: invitations and password resets ------------------------------------------------------------

@dataclass(frozen=True)
class IssuedLink:
    """A link just made: the token goes into the email and nowhere else."""
    user: User
    purpose: str
    token: str
    expires_at: datetime


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def _close_links(session: Session, user: User, purpose: str | None, now: datetime) -> None:
    for link in session.exec(queries.unused_links_of_user(user.id, purpose)):
        link.used_at = now
        session.add(link)


def issue_link(session: Session, user: User, purpose: str, actor: events.Actor = events.SYSTEM) -> IssuedLink:
    """A new single-use link to set the password; earlier unused links of that kind stop working."""
    validation.choice(purpose, LINK_PURPOSES, "purpose")
    if not user.active:
        raise InvalidInput(f"{user.email} is deactivated; reactivate it first", "active")
    now = clock.now()
    _close_links(session, user, purpose, now)
    secret = secrets.token_urlsafe(32)
    expires_at = now + LINK_LIFETIMES[purpose]
    session.add(AccountLink(user_id=user.id, purpose=purpose, secret_hash=_sha256(secret), created_at=now,
                            expires_at=expires_at))
    session.flush()
    kind = "user.invited" if purpose == "invite" else "user.password_reset_sent"
    events.record(session, kind, "user", user.id, actor, {"email": user.email, "expires_at": expires_at})
    return IssuedLink(user, purpose, _serializer().dumps([purpose, secret]), expires_at)


def invite_user(session: Session, *, email: str, display_name: str, role: str = "viewer", party_ids=None,
                all_parties: bool | None = None, actor: events.Actor = events.SYSTEM) -> IssuedLink:
    """Create an account without a password and a link, to be emailed, that sets one."""
    user = create_user(session, email=email, display_name=display_name, password=None, role=role,
                       party_ids=party_ids, all_parties=all_parties, actor=actor)
    return issue_link(session, user, "invite", actor)


def request_password_reset(session: Session, email: str, actor: events.Actor = events.SYSTEM) -> IssuedLink | None:
    """A reset link for the active account with this address; None (and no trace) when there is none."""
    try:
        address = validation.email_address(email)
    except InvalidInput:
        return None
    user = session.exec(queries.user_by_email(address)).first()
    if user is None or not user.active:
        return None
    return issue_link(session, user, "reset", actor)


def link_from_token(session: Session, token: str) -> AccountLink | None:
    """The unused, unexpired link this token names, for an active account; None for anything else."""
    try:
        purpose, secret = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if purpose not in LINK_PURPOSES or not isinstance(secret, str):
        return None
    link = session.exec(queries.link_by_secret_hash(_sha256(secret))).first()
    if link is None or link.purpose != purpose or link.used_at is not None or link.expires_at <= clock.now():
        return None
    user = session.get(User, link.user_id)
    return link if user is not None and user.active else None


def use_link(session: Session, token: str, password: str) -> User:
    """Set the password through an emailed link, which then stops working; InvalidInput when it cannot."""
    link = link_from_token(session, token)
    if link is None:
        raise InvalidInput("This link has expired or was already used. Ask for a new one.", "token")
    user = session.get(User, link.user_id)
    _store_password(session, user, password)
    now = clock.now()
    link.used_at = now
    session.add(link)
    _close_links(session, user, None, now)
    kind = "user.invite_accepted" if link.purpose == "invite" else "user.password_reset"
    events.record(session, kind, "user", user.id, events.Actor.of(user), {"before": {}, "after": {}})
    return user


# ---- API tokens ------------------------------------------------------------------------------------------------

def create_api_token(session: Session, user: User, name: str,
                     actor: events.Actor | None = None) -> tuple[ApiToken, str]:
    """A new personal API token; the secret is returned once and only its hash is kept."""
    label = (name or "").strip()
    if not label:
        raise InvalidInput("give the token a name (what script uses it)", "name")
    if len(label) > TOKEN_NAME_MAX:
        raise InvalidInput(f"the name may have at most {TOKEN_NAME_MAX} characters", "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=label, prefix=secret[:len(TOKEN_PREFIX) + 4],
                     token_hash=_sha256(secret), created_at=clock.now())
    session.add(token)
    session.flush()
    events.record(session, "user.api_token_created", "user", user.id, actor or events.Actor.of(user),
                  {"token_id": token.id, "name": label, "prefix": token.prefix})
    return token, secret


def revoke_api_token(session: Session, token: ApiToken, actor: events.Actor = events.SYSTEM) -> None:
    """The token stops working at once."""
    if token.revoked_at is not None:
        raise InvalidInput("this token was already revoked", "token")
    token.revoked_at = clock.now()
    session.add(token)
    session.flush()
    events.record(session, "user.api_token_revoked", "user", token.user_id, actor,
                  {"token_id": token.id, "name": token.name, "prefix": token.prefix})


def user_for_api_token(session: Session, secret: str) -> tuple[ApiToken, User] | None:
    """The live token and its active owner for a presented secret; records when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    row = session.exec(queries.token_with_owner(_sha256(secret))).first()
    if row is None:
        return None
    token, owner = row
    if token.revoked_at is not None or not owner.active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.add(token)
        session.flush()
    return token, owner


def token_hash(secret: str) -> str:
    """How a token is kept at rest (for tests and audits)."""
    return _sha256(secret)
