"""The record as of a past day: any page, list, report or API list given ?as_of=YYYY-MM-DD shows the record as it
stood at the end of that day, rebuilt from the event log.

The day ends at midnight in the display timezone (DISPLAY_TIMEZONE), the same timezone in which the pages say what
"today" is: events recorded before that midnight had happened, later ones had not. Derived states (overdue, due
soon, awaiting a reply late) are judged at the last moment of that day, through the one clock.

How: inside a savepoint of the request's session, rows made since are hidden behind temporary views and changed
rows are put back (tracker.snapshots.operations); the page runs its usual queries, and the savepoint is rolled
back when the request ends, which drops the views. A commit while it is open raises, and write
requests carrying as_of are refused, so nothing of a past day is ever stored. Links on such a page keep as_of;
forms that write are not shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, g, request, url_for
from flask_login import current_user
from sqlalchemy import event
from sqlmodel import Session

from tracker import clock
from tracker.db import WRITE_METHODS, database, resume_preparing, stop_preparing
from tracker.snapshots import cache, operations

PARAMETER = "as_of"
EARLIEST_YEAR = 1900
_VIEW = "record_as_of_view"


class BadDay(ValueError):
    """An as_of that is not a day the record can be shown as of; the message says why."""


@dataclass(frozen=True)
class AsOf:
    day: date
    cutoff: datetime  # the first moment after the day (aware UTC): events from then on had not happened

    @property
    def last_moment(self) -> datetime:
        return self.cutoff - timedelta(microseconds=1)


def parse_day(text: str, today: date) -> date:
    """The day asked for: YYYY-MM-DD, from 1900 up to today."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadDay(f"as_of must be a day written YYYY-MM-DD (e.g. 2010-05-12), not “{text[:40]}”") from None
    if len(text.strip()) != 10:
        raise BadDay(f"as_of must be a day written YYYY-MM-DD (e.g. 2010-05-12), not “{text[:40]}”")
    if day.year < EARLIEST_YEAR:
        raise BadDay(f"as_of must be in {EARLIEST_YEAR} or later")
    if day > today:
        raise BadDay("as_of is in the future: the record can be shown as of today or an earlier day")
    return day


def end_of(day: date, tz_name: str) -> datetime:
    """The first moment after `day` in the timezone, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz_name)).astimezone(clock.UTC)


def current() -> AsOf | None:
    """The day this request shows the record as of, or None for today's record."""
    view = g.get(_VIEW)
    return view.as_of if view is not None else None


@dataclass
class _View:
    as_of: AsOf
    session: Session
    savepoint: object | None = None


def _refuse_commit(session: Session) -> None:
    raise RuntimeError("the record as of a past day is read only: this request may not commit")


def _reads(endpoint: str) -> bool:
    """True when a link to the endpoint can be followed (GET): only those carry as_of."""
    return any("GET" in (rule.methods or ()) for rule in current_app.url_map.iter_rules(endpoint))


def init_app(app: Flask) -> None:
    # First of all before-request functions: the session of an as-of request must be made (BEGIN IMMEDIATE on
    # SQLite, so its writes in the savepoint never fail on a stale read) before sign-in reads the user with it.
    app.before_request_funcs.setdefault(None, []).insert(0, _open_as_of)
    app.before_request(_roll_back_session)
    app.teardown_request(_close_as_of)
    app.url_defaults(_carry_as_of)
    app.context_processor(lambda: {"as_of": current(), "today_url": today_url})


def _open_as_of():
    text = request.args.get(PARAMETER)
    if text is None or request.endpoint in (None, "static"):
        return
    try:
        day = parse_day(text, clock.today_in())
    except BadDay as error:
        abort(400, description=str(error))
    if request.method in WRITE_METHODS:
        abort(400, description="The record as of a past day is read only: open today's page to make changes.")
    if "db_session" not in g:
        g.db_session = database().new_session(write=True)
    g.setdefault(_VIEW, _View(AsOf(day, end_of(day, current_app.config["DISPLAY_TIMEZONE"])), g.db_session))


def _roll_back_session():
    view = g.get(_VIEW)
    if view is None or view.savepoint is not None or not current_user.is_authenticated:
        return
    view.savepoint = view.session.begin_nested()
    event.listen(view.session, "before_commit", _refuse_commit)
    operations.widen_page_cache(view.session)
    stop_preparing(view.session)
    try:
        operations.roll_back_to(view.session, view.as_of.day, view.as_of.cutoff,
                                int(current_app.config["AS_OF_MAX_CHANGES"]), cache.of_app())
    except operations.TooFarBack as error:
        abort(400, description=str(error))
    g.setdefault(clock.AS_OF_MOMENT, view.as_of.last_moment)


def _close_as_of(_exc=None):
    view = g.pop(_VIEW, None)
    g.pop(clock.AS_OF_MOMENT, None)
    if view is None or view.savepoint is None:
        return
    if view.savepoint.is_active:
        view.savepoint.rollback()
    event.remove(view.session, "before_commit", _refuse_commit)
    view.session.expire_all()
    operations.narrow_page_cache(view.session)
    resume_preparing(view.session)
    if operations.leftovers(view.session):
        # Never expected; a connection still showing a past day must not serve the next request: close it.
        view.session.connection().invalidate()


def today_url() -> str:
    """The page being shown, with the same filters, as of today."""
    values = {**request.args.to_dict(), **(request.view_args or {}), PARAMETER: None}
    return url_for(request.endpoint, **values)


def _carry_as_of(endpoint: str, values: dict) -> None:
    as_of = current()
    if as_of is None or PARAMETER in values or endpoint == "static" or not _reads(endpoint):
        return
    values[PARAMETER] = as_of.day.isoformat()
