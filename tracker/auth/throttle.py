"""Rate limits (Flask-Limiter): sign-in per account and per client address; the API uses the same limiter.

Counters live where RATELIMIT_STORAGE_URI says. The default, memory://, counts per process: under
gunicorn each worker keeps its own counters, so the effective limit is multiplied by the number of
workers. Set TRACKER_RATELIMIT_STORAGE_URI=redis://host:6379/0 to share them between workers and hosts.

The client address is the connecting peer's. Behind a reverse proxy that is the proxy, so every visitor
would share one budget: set TRACKER_TRUSTED_PROXIES to the number of proxies in front of the app and the
address is read from X-Forwarded-For (only that many hops, so a client cannot forge its own address).
"""
from __future__ import annotations

import hashlib

from flask import Flask, current_app, jsonify, render_template, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix


def client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address)


def submitted_account() -> str:
    """Key for per-account limits: the address typed into the sign-in form, folded, hashed (no addresses in Redis)."""
    typed = (request.form.get("email") or "").strip().lower()
    return "account:" + hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()


def sign_in_limit_per_account() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"]


def sign_in_limit_per_address() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"]


TOO_MANY_ATTEMPTS = ("Too many sign-in attempts for this account or from this network. "
                     "Wait a minute, then try again.")


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    limiter.init_app(app)

    @app.errorhandler(429)
    def _too_many_requests(error):
        if request.path.startswith("/api/"):
            response = jsonify(error=f"too many requests ({error.description}); slow down and retry later")
        else:
            message = TOO_MANY_ATTEMPTS if request.endpoint in SIGN_IN_ENDPOINTS else \
                "Too many requests. Wait a minute, then try again."
            response = current_app.make_response(render_template("error.html", code=429, message=message))
        response.status_code = 429
        response.headers["Retry-After"] = "60"
        return response


SIGN_IN_ENDPOINTS = {"auth.login", "auth.entra_start", "auth.entra_callback"}
