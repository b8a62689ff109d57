"""What every page shares: sign-in gate, CSRF, error pages, template filters, access checks, saving a form."""
from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError
from werkzeug.routing import BaseConverter, ValidationError
from werkzeug.utils import cached_property, import_string

from tracker import access, clock
from tracker.formatting import format_day, label, sanitise_html
from tracker.history import describe
from tracker.db import SCHEMA_MISSING_HINT, get_session, is_schema_missing
from tracker.validation import MAX_ID, InvalidInput, control_character_in, query_number

csrf = CSRFProtect()
login_manager = LoginManager()

# Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = {"auth.login", "static", "reminders.unsubscribe", "health",
                    "calendar.feed", "calendar.party_feed",  # feeds: the token in the address is the credential
                    "api.openapi"}  # the API's description holds no records

def init_app(app: Flask) -> None:
    install_input_guards(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.session_protection = app.config.get("SESSION_PROTECTION", "basic")

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
        return add_security_headers(response)

    @app.route("/health")
    def health():
        return {"status": "ok"}

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        if request.path.startswith("/api/"):
            return jsonify(error=f"CSRF check failed ({error.description}): send the X-CSRFToken header, "
                                 "or use a bearer token"), 400
        return render_template("error.html", code=400, message=f"The form expired or was not ours ({error.description}). "
                               "Go back, reload the page and submit again."), 400

    @app.errorhandler(413)
    def _too_large(_error):
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        message = f"The upload is too large: the limit is {limit // (1024 * 1024)} MB."
        if request.path.startswith("/api/"):
            return jsonify(error=message), 413
        return render_template("error.html", code=413, message=message), 413

    @app.errorhandler(DBAPIError)
    def _schema_missing(error):
        if not is_schema_missing(error):
            raise error
        current_app.logger.error("%s (%s)", SCHEMA_MISSING_HINT, error.orig)
        if request.path.startswith("/api/"):
            return jsonify(error=SCHEMA_MISSING_HINT), 503
        return render_template("error.html", code=503, message=SCHEMA_MISSING_HINT), 503

    for code, message in ((403, "You do not have access to this page."), (404, "There is no such page."),
                          (400, "The request was not understood.")):
        app.register_error_handler(code, _error_page(code, message))

    app.jinja_env.filters.update(day=format_day, when=format_datetime, sanitise=lambda html: Markup(sanitise_html(html)),
                                 label=label, describe=describe)
    app.jinja_env.globals.update(today=lambda: clock.today_in(), now=clock.now)


def _error_page(code: int, default: str):
    def handler(error):
        message = getattr(error, "description", None) or default
        if request.path.startswith("/api/"):
            return jsonify(error=message), code
        return render_template("error.html", code=code, message=message), code
    return handler


def format_datetime(value: datetime | None, tz_name: str | None = None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(tz_name or current_app.config["DISPLAY_TIMEZONE"]))
    return local.strftime("%d %b %Y %H:%M %Z")


class LazyView:
    """A view given by its dotted name, imported when it is first called (Flask's "lazily loading views"): for a
    feature whose module is heavy and rarely used, so that a worker pays for it only once it serves it."""

    def __init__(self, import_name: str):
        # Named as the view it stands for, which is how Flask (its endpoint) and Flask-Limiter know a view.
        self.__module__, self.__name__ = import_name.rsplit(".", 1)
        self.__qualname__ = self.__name__
        self.import_name = import_name

    @cached_property
    def view(self):
        return import_string(self.import_name)

    def __call__(self, *args, **kwargs):
        return self.view(*args, **kwargs)


def editor_required(view):
    """Staff only (admin or editor)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not access.current_viewer().may_edit():
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not access.current_viewer().may_admin():
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def safe_next_url(target: str | None) -> str:
    """Where to go after sign-in (or a form): a path on this site, else the overview.

    Browsers read "//host", "/\\host" and "/<tab>/host" (they drop tabs and newlines) as another site, and
    a header with CR/LF cannot be sent at all. So the target must be printable ASCII starting with exactly
    one "/", with no backslash; percent-decoded (a later hop may decode it) it must still start with one "/"
    and hold no backslash or control character.
    """
    fallback = url_for("dashboards.overview")
    if not target or len(target) > MAX_NEXT_URL_LENGTH:
        return fallback
    if any(not ("\x21" <= character <= "\x7e") for character in target):
        return fallback  # spaces, tabs, CR/LF, NUL and other controls, anything not percent-encoded
    decoded = target
    for _ in range(3):  # double and triple encodings: %252F%252F
        decoded = unquote(decoded)
    if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in decoded):
        return fallback
    for candidate in (target, decoded):
        if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
            return fallback
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return fallback
    return target


MAX_NEXT_URL_LENGTH = 2000


CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000"


def add_security_headers(response):
    """Every response: no framing, no sniffing, no inline script, no leaking URLs; no-store unless static."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        # Pages, the API and exports show what only the signed-in reader may see; a shared computer's
        # browser cache or a proxy must not keep them. Static files (CSS, JS) stay cacheable.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def one_page(statement):
    """(rows of the requested ?page=, page number, whether there is a next page) of an ordered list statement,
    PAGE_SIZE rows at a time; InvalidInput on a bad page. One row more than a page tells whether there is a next."""
    page = query_number(request.args, "page", 1)
    size = int(current_app.config["PAGE_SIZE"])
    rows = list(get_session().exec(statement.offset((page - 1) * size).limit(size + 1)))
    return rows[:size], page, len(rows) > size


def redirect_back(default_endpoint: str, **values):
    return redirect(safe_next_url(request.args.get("next")) if request.args.get("next")
                    else url_for(default_endpoint, **values))


def attach_error(form, error) -> None:
    """Put an InvalidInput on the field it names, else on the form as a whole.

    "candidates-2-title" names a field in row 2 of a field list; the message goes there and on the form too,
    since a long list may hide the row. A hidden field cannot show its message, so the form shows it.
    """
    message = str(error)
    name = getattr(error, "field", None) or ""
    row_field = _row_field(form, name)
    if row_field is not None:
        add_error(row_field, message)
        form.form_errors.append(message)
    elif name and name in form and form[name].type != "HiddenField":
        add_error(form[name], message)
    else:
        form.form_errors.append(message)


def _row_field(form, name: str):
    """The field "list-index-field" names in a FieldList of FormFields, or None."""
    parts = name.split("-", 2)
    if len(parts) != 3 or parts[0] not in form or not hasattr(form[parts[0]], "entries"):
        return None
    _, index, field = parts
    rows = form[parts[0]].entries
    if index.isdigit() and int(index) < len(rows) and field in rows[int(index)].form:
        return rows[int(index)].form[field]
    return None


def add_error(field, message: str) -> None:
    # Before validate() a field's errors are an empty tuple.
    field.errors = list(field.errors) + [message]


@dataclass(frozen=True)
class Saved:
    """A write that was committed, with what it returned (always true, even when that is None)."""
    value: Any


def save_or_report(form, write: Callable[[], Any], done_message: str | Callable[[Any], str],
                   savepoint: bool = False) -> Saved | None:
    """Run one write; commit and flash on success; on InvalidInput undo it and put the message on the form.

    The write is undone by rolling back the request's transaction, or only its own savepoint when asked.
    done_message may be a function of what the write returned.
    """
    session = get_session()
    try:
        with session.begin_nested() if savepoint else contextlib.nullcontext():
            value = write()
    except InvalidInput as error:
        if not savepoint:
            session.rollback()
        attach_error(form, error)
        return None
    session.commit()
    flash(done_message(value) if callable(done_message) else done_message)
    return Saved(value)


# Input guards ------------------------------------------------------------------------------------------

class BoundedIdConverter(BaseConverter):
    """<int:…> in every route: ASCII digits naming a value an id column can hold, else no such page (404).

    Werkzeug's own int converter accepts any length, and a number past the column's range fails in the
    database instead of finding nothing.
    """

    # Up to 2147483647 in the pattern itself: Werkzeug checks a rule's methods before its converter, so a
    # number refused only by to_python made PUT /letters/2147483648 a 405 (GET exists there) instead of a 404.
    regex = (r"(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
             r"|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])")
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def install_input_guards(app: Flask) -> None:
    """Ids in paths are bounded numbers, and no text reaches a form or a query with a control character."""
    app.url_map.converters["int"] = BoundedIdConverter

    @app.before_request
    def _refuse_control_characters():
        # One check for every form, query string and uploaded file name, before any route reads them:
        # PostgreSQL refuses NUL in text, and a stored file name with one breaks every later download.
        for source, values in (("form", request.form), ("query", request.args)):
            for name, value in values.items(multi=True):
                character = control_character_in(name) or control_character_in(value)
                if character is not None:
                    abort(400, f"The {source} field {name[:60]!r} holds a control character "
                               f"(U+{ord(character):04X}); remove it and try again.")
        for name, storage in request.files.items(multi=True):
            character = control_character_in(storage.filename or "")
            if character is not None:
                abort(400, f"The name of the uploaded file holds a control character (U+{ord(character):04X}); "
                           "rename the file and upload it again.")
        return None
