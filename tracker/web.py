"""What every page shares: sign-in gate, CSRF, error pages, template filters, access checks."""
from __future__ import annotations

from datetime import date, datetime
from functools import wraps
from zoneinfo import ZoneInfo

import nh3
from flask import Flask, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup

from tracker import clock

csrf = CSRFProtect()
login_manager = LoginManager()

# Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = {"auth.login", "static", "reminders.unsubscribe", "health"}

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote", "a", "h2", "h3",
                "h4", "table", "thead", "tbody", "tr", "td", "th", "pre", "code", "span", "div", "hr"}


def sanitise_html(html: str) -> str:
    """Letter bodies: keep structure and links, drop scripts, handlers and styles."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."

    @app.before_request
    def _require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                return jsonify(error="sign in required"), 401
            return login_manager.unauthorized()
        return None

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'")
        return response

    @app.route("/health")
    def health():
        return {"status": "ok"}

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_template("error.html", code=400, message=f"The form expired or was not ours ({error.description}). "
                               "Go back, reload the page and submit again."), 400

    @app.errorhandler(413)
    def _too_large(_error):
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        message = f"The upload is too large: the limit is {limit // (1024 * 1024)} MB."
        if request.path.startswith("/api/"):
            return jsonify(error=message), 413
        return render_template("error.html", code=413, message=message), 413

    for code, message in ((403, "You do not have access to this page."), (404, "There is no such page."),
                          (400, "The request was not understood.")):
        app.register_error_handler(code, _error_page(code, message))

    app.jinja_env.filters.update(day=format_day, when=format_datetime, sanitise=lambda html: Markup(sanitise_html(html)),
                                 label=label, describe=_describe_event)
    app.jinja_env.globals.update(today=lambda: clock.today_in(), now=clock.now)


def _error_page(code: int, default: str):
    def handler(error):
        message = getattr(error, "description", None) or default
        if request.path.startswith("/api/"):
            return jsonify(error=message), code
        return render_template("error.html", code=code, message=message), code
    return handler


def _describe_event(event) -> str:
    from tracker.history import describe

    return describe(event)


def label(value: str | None) -> str:
    """awaiting_reply → awaiting reply"""
    return (value or "").replace("_", " ")


def format_day(value: date | None, precision: str = "day") -> str:
    if value is None:
        return "—"
    if precision == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def format_datetime(value: datetime | None, tz_name: str | None = None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(tz_name or current_app.config["DISPLAY_TIMEZONE"]))
    return local.strftime("%d %b %Y %H:%M %Z")


def editor_required(view):
    """Staff only (admin or editor)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.can_edit:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def safe_next_url(target: str | None) -> str:
    """Only same-site relative redirects after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboards.overview")


def redirect_back(default_endpoint: str, **values):
    return redirect(safe_next_url(request.args.get("next")) if request.args.get("next")
                    else url_for(default_endpoint, **values))
