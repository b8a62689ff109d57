"""Sign-in with Microsoft Entra ID: msal's authorization-code flow with PKCE, then an account for the identity.

Which identity is trusted, and why:
- Only the configured tenant. The authority is https://<host>/<tenant id>, never "common" or
  "organizations", and the id token's `tid` and `iss` must name that tenant.
- The id token comes straight from the tenant's token endpoint over TLS (in exchange for the code and
  the PKCE verifier), so its signature need not be checked again (OpenID Connect Core 3.1.3.7, step 6);
  msal checks the nonce; this module checks issuer, audience, tenant and expiry.
- The address: `preferred_username` (the user principal name). In a tenant, a UPN's domain must be one
  of the tenant's verified domains and only its administrators assign it, whereas the optional `email`
  claim can be typed by users or come from another organisation; `email` is used only when Entra marks
  its domain as verified by its owner (`xms_edov`). Guests (an `idp` claim naming another directory)
  are refused: their address was never verified by this tenant.
- After the first sign-in the account is bound to the identity's tenant and object id (`entra_subject`);
  from then on that binding, not the address, decides, so a renamed directory user cannot take another
  account by taking its address.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime, timezone

from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlmodel import Session, select

from tracker import clock, events
from tracker.accounts.operations import create_user
from tracker.auth.models import User

if TYPE_CHECKING:
    import msal
from tracker.auth.queries import user_by_email
from tracker.validation import InvalidInput, email_address

CLOCK_SKEW_SECONDS = 120
UNREACHABLE = "Microsoft sign-in cannot be reached right now; try again later or sign in with your password."


class EntraSignInRefused(Exception):
    """An Entra ID sign-in that does not lead to an account; the message is safe to show."""


@dataclass(frozen=True)
class Identity:
    tenant_id: str
    object_id: str
    email: str
    name: str

    @property
    def subject(self) -> str:
        return f"{self.tenant_id}:{self.object_id}"


def is_configured(config) -> bool:
    return bool(config.get("ENTRA_TENANT_ID") and config.get("ENTRA_CLIENT_ID") and config.get("ENTRA_CLIENT_SECRET"))


def authority(config) -> str:
    return f"{config['ENTRA_AUTHORITY_HOST'].rstrip('/')}/{config['ENTRA_TENANT_ID']}"


def _client(app: Flask) -> msal.ConfidentialClientApplication:
    # A fresh token cache per sign-in: the app needs the identity, not the user's tokens, and keeps none.
    # The http cache keeps the tenant's OpenID discovery document between sign-ins.
    import msal  # heavy (requests, cryptography): loaded by the first Microsoft sign-in, not in every worker

    config = app.config
    return msal.ConfidentialClientApplication(
        config["ENTRA_CLIENT_ID"], client_credential=config["ENTRA_CLIENT_SECRET"], authority=authority(config),
        token_cache=msal.TokenCache(), http_cache=app.extensions.setdefault("entra_http_cache", {}),
        # Tests put a stand-in for Microsoft's servers here; None means requests over the network.
        http_client=app.extensions.get("entra_http_client"))


def start_flow(redirect_uri: str) -> dict:
    """The flow to keep in the session; its auth_uri is where the browser goes next."""
    import requests  # with msal, only on a Microsoft sign-in

    with warnings.catch_warnings():
        # msal recommends form_post, but a cross-site POST back would not carry our SameSite=Lax session
        # cookie, which holds the flow (state, nonce, PKCE verifier). The code in the query is single-use
        # and useless without the verifier.
        warnings.filterwarnings("ignore", message=".*form_post.*")
        try:
            return _client(current_app._get_current_object()).initiate_auth_code_flow(
                scopes=[], redirect_uri=redirect_uri, response_mode="query", prompt="select_account")
        except (ValueError, requests.RequestException) as error:
            current_app.logger.warning("Entra ID discovery failed: %s", error)
            raise EntraSignInRefused(UNREACHABLE) from None


def finish_flow(flow: dict, auth_response: dict) -> Identity:
    """Redeem the code (state, nonce and PKCE checked by msal), validate the id token, return the identity."""
    if not flow:
        raise EntraSignInRefused("The Microsoft sign-in expired or was started elsewhere; please try again.")
    import requests  # with msal, only on a Microsoft sign-in

    try:
        result = _client(current_app._get_current_object()).acquire_token_by_auth_code_flow(flow, auth_response)
    except requests.RequestException as error:
        current_app.logger.warning("Entra ID token request failed: %s", error)
        raise EntraSignInRefused(UNREACHABLE) from None
    except (ValueError, RuntimeError):  # state or nonce mismatch: a forged or replayed answer
        raise EntraSignInRefused("The Microsoft sign-in answer did not match this browser's request; "
                                 "please try again.") from None
    if "error" in result:
        raise EntraSignInRefused(f"Microsoft refused the sign-in: {result.get('error_description') or result['error']}")
    claims = result.get("id_token_claims")
    if not claims:
        raise EntraSignInRefused("Microsoft's answer carried no identity.")
    return identity_from_claims(claims, current_app.config, clock.now())


def identity_from_claims(claims: dict, config, now: datetime) -> Identity:
    """Check the id token's claims against this app's tenant and client; pure."""
    tenant_id = config["ENTRA_TENANT_ID"]
    expected_issuer = f"{config['ENTRA_AUTHORITY_HOST'].rstrip('/')}/{tenant_id}/v2.0"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    timestamp = now.astimezone(timezone.utc).timestamp()
    if claims.get("tid") != tenant_id or claims.get("iss") != expected_issuer:
        raise EntraSignInRefused("This Microsoft account belongs to another organisation.")
    if config["ENTRA_CLIENT_ID"] not in audiences:
        raise EntraSignInRefused("Microsoft's answer was meant for another application.")
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + CLOCK_SKEW_SECONDS < timestamp:
        raise EntraSignInRefused("Microsoft's answer has expired; please try again.")
    if isinstance(claims.get("nbf"), (int, float)) and claims["nbf"] - CLOCK_SKEW_SECONDS > timestamp:
        raise EntraSignInRefused("Microsoft's answer is not valid yet; check the server's clock.")
    if claims.get("idp") and claims["idp"] != expected_issuer:
        raise EntraSignInRefused("Guest accounts from other directories cannot sign in here.")
    if not claims.get("oid"):
        raise EntraSignInRefused("Microsoft's answer carried no user id.")
    address = claims.get("preferred_username") or ""
    if claims.get("email") and claims.get("xms_edov") in (True, "true", "1", 1):
        address = claims["email"]
    try:
        address = email_address(address)
    except InvalidInput:
        raise EntraSignInRefused("This Microsoft account has no email address the tracker can use.") from None
    return Identity(tenant_id=tenant_id, object_id=str(claims["oid"]), email=address,
                    name=str(claims.get("name") or address)[:200])


def self_registration_domains(config) -> frozenset[str]:
    return frozenset(part.strip().lower().lstrip("@") for part in config["ENTRA_SELF_REGISTRATION_DOMAINS"].split(",")
                     if part.strip())


def account_for_identity(session: Session, identity: Identity, config) -> User:
    """The account this identity signs in to: bound earlier, matched by address, or self-registered; flushes.

    Raises EntraSignInRefused for an identity without an account (unless its domain may self-register),
    an account bound to another identity, or a deactivated account.
    """
    user = session.exec(select(User).where(User.entra_subject == identity.subject)).first()
    if user is None:
        user = session.exec(user_by_email(identity.email)).first()
        if user is not None and user.entra_subject not in (None, identity.subject):
            raise EntraSignInRefused("This address's account is linked to another Microsoft account; ask an admin.")
    if user is None:
        domain = identity.email.rsplit("@", 1)[1].lower()
        if domain not in self_registration_domains(config):
            raise EntraSignInRefused("There is no tracker account for this Microsoft account; ask an admin to "
                                     "create one for your address.")
        return register(session, identity)
    if not user.active:
        raise EntraSignInRefused("This account is deactivated; ask an admin.")
    if user.entra_subject is None:
        user.entra_subject = identity.subject
        session.add(user)
        _record_link(session, user, identity)
    return user


def register(session: Session, identity: Identity) -> User:
    """A self-registered account: a viewer limited to parties, with none yet, so it sees nothing until an
    admin grants some; no local password (it signs in with Entra ID only, until given one)."""
    user = create_user(session, email=identity.email, display_name=identity.name, password=None, role="viewer",
                       party_ids=[], all_parties=False, actor=events.Actor(None, identity.name))
    user.entra_subject = identity.subject
    session.add(user)
    _record_link(session, user, identity)
    return user


def _record_link(session: Session, user: User, identity: Identity) -> None:
    events.record(session, "user.entra_linked", "user", user.id, events.Actor(user.id, user.display_name),
                  {"before": {"entra_subject": None}, "after": {"entra_subject": identity.subject},
                   "summary": "linked to a Microsoft Entra ID identity", "email": identity.email})
