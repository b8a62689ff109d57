"""Calendar feeds: the page with one's private address, and the feeds themselves (read with the token)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker import access, clock
from tracker.calendar import content, operations, queries
from tracker.calendar.forms import AddressForm
from tracker.calendar.render import render_calendar
from tracker.db import get_session
from tracker.events import Actor
from tracker.parties.models import Party

blueprint = Blueprint("calendar", __name__, url_prefix="/calendar")


@blueprint.route("/")
def index():
    session = get_session()
    feed = session.exec(queries.feed_of_user(current_user.id)).first()
    return render_template("calendar/index.html", feed=feed, form=AddressForm(),
                           feed_url=_feed_url(feed.token) if feed else None)


@blueprint.route("/address", methods=["POST"])
def issue():
    """Issue the address, or replace it (the old one stops working)."""
    form = AddressForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    had_one = session.exec(queries.feed_of_user(current_user.id)).first() is not None
    user = current_user._get_current_object()
    if had_one:
        operations.replace_feed(session, user, Actor.of(current_user))
    else:
        operations.feed_for(session, user, Actor.of(current_user))
    session.commit()
    flash("A new calendar address was made; the old one no longer works." if had_one
          else "Your calendar address is ready.")
    return redirect(url_for("calendar.index"))


@blueprint.route("/address/revoke", methods=["POST"])
def revoke():
    form = AddressForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    if operations.revoke_feed(session, current_user._get_current_object(), Actor.of(current_user)):
        session.commit()
        flash("Your calendar address no longer works.")
    return redirect(url_for("calendar.index"))


@blueprint.route("/<token>.ics")
def feed(token: str):
    """The reader's own feed. No session: calendars fetch it with the token alone."""
    session = get_session()
    feed_row, user = _reader(session, token)
    entries = content.personal_entries(session, user)
    return _ics(session, feed_row, f"Commitments — {user.display_name}", entries)


@blueprint.route("/<token>/parties/<int:party_id>.ics")
def party_feed(token: str, party_id: int):
    """One party's feed, for a reader who may see that party."""
    session = get_session()
    feed_row, user = _reader(session, token)
    party = access.get_visible(session, access.viewer_of_user(session, user), Party, party_id)
    if party is None:
        abort(404)
    entries = content.party_entries(session, user, party_id)
    return _ics(session, feed_row, f"Commitments — {party.name}", entries)


def _reader(session, token: str):
    """(feed, user) for a live token of an active account; 404 otherwise, saying no more."""
    if not 20 <= len(token) <= 64:
        abort(404)
    found = session.exec(queries.feed_by_token(token)).first()
    if found is None or not found[1].active:
        abort(404)
    return found


def _ics(session, feed_row, name: str, entries) -> Response:
    body = render_calendar(name, entries, clock.now())
    operations.note_read(session, feed_row)
    session.commit()
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="commitments.ics"', "Cache-Control": "private, no-store"})


def _feed_url(token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for("calendar.feed", token=token)
