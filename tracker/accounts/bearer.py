"""Scripts call the JSON API with a personal token: ``Authorization: Bearer trk_…``.

A token acts as its owner (same visibility and role) and only under /api/: elsewhere it is ignored, so a
token can never stand in for a signed-in browser on pages whose forms are protected by CSRF tokens. Each
token has its own rate limit (API_TOKEN_RATE_LIMIT, Flask-Limiter syntax), counted whether or not the
token is valid, so guessing tokens is throttled too.
"""
from __future__ import annotations

import hashlib

from flask import Flask, current_app, g, request
from flask_limiter import RouteLimit

from tracker.accounts import operations
from tracker.db import get_session
from tracker.web import login_manager

API_PREFIX = "/api/"


def presented_token() -> str | None:
    """The bearer token of an API request, or None (other paths, other schemes, no header)."""
    if not request.path.startswith(API_PREFIX):
        return None
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _rate_limit() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT"]


def _token_key() -> str:
    # A hash, so the counters' storage (Redis, say) never holds a usable token.
    return "api-token:" + hashlib.sha256((presented_token() or "").encode("utf-8", "replace")).hexdigest()


def _without_token() -> bool:
    return presented_token() is None


class _ParsedOnce(RouteLimit):
    """A limit whose text is turned into limits once per text, not per request.

    Flask-Limiter asks a limit for its text and parses it on every request the limit applies to (every /api/
    request, a browser's included, before it knows the request is exempt); this keeps what was made from each
    text the setting has held, so a changed setting still takes effect.
    """

    def __iter__(self):
        text = self.limit_provider() if callable(self.limit_provider) else self.limit_provider
        made = _MADE.get(text)
        if made is None:
            if len(_MADE) >= 16:  # a setting holds one text at a time; tests try a few
                _MADE.clear()
            made = _MADE[text] = tuple(super().__iter__())
        return iter(made)


_MADE: dict[str, tuple] = {}


def token_limit(limiter) -> RouteLimit:
    """Each token's rate limit, for the API blueprint to be decorated with once (tracker.api.routes): the limiter
    and the blueprint live as long as the process, shared by every app create_app makes."""
    return _ParsedOnce(_rate_limit, limiter=limiter, key_function=_token_key, exempt_when=_without_token,
                       scope="api-token")


def init_app(app: Flask) -> None:
    @login_manager.request_loader
    def _load_user_from_token(_request):
        secret = presented_token()
        if secret is None:
            return None
        session = get_session()
        found = operations.user_for_api_token(session, secret)
        if found is None:
            return None
        token, owner = found
        # The token's last use, committed on its own: a write the request then makes commits or rolls back apart.
        session.commit()
        g.api_token_id = token.id
        return owner
