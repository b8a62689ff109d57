"""Reminders pages: preferences and subscriptions, the signed unsubscribe link, and Sent mail for admins."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from tracker import clock, events
from tracker.db import get_session
from tracker.events import Actor
from tracker.parties.models import Person
from tracker.reminders import operations, queries
from tracker.reminders.forms import ConfirmForm, PreferencesForm, RecipientForm
from tracker.reminders.models import DIGEST_STATES, Digest, Recipient, Subscription
from tracker.reminders.render import (LinkExpired, compose_email, mask_address, read_unsubscribe_token,
                                     subscription_state)
from tracker.validation import InvalidInput
from tracker.web import admin_required, csrf, one_page, save_or_report

blueprint = Blueprint("reminders", __name__)


def _is_own(recipient: Recipient) -> bool:
    """The digest of the signed-in user's person, or of the person with their account's address. Not the
    recipient's user_id: earlier versions let anyone attach another person's digest to their account."""
    if current_user.person_id is not None and recipient.person_id == current_user.person_id:
        return True
    person = get_session().get(Person, recipient.person_id)
    return person is not None and (person.email or "").lower() == (current_user.email or "").lower()


def _may_manage(recipient: Recipient) -> bool:
    """A digest is its person's; changing or previewing anyone else's is an administrator's action."""
    return current_user.is_admin or _is_own(recipient)


def _own_recipient(session) -> Recipient | None:
    """The signed-in user's digest: their person's, else that of their account's address."""
    if current_user.person_id is not None:
        recipient = session.exec(select(Recipient).where(Recipient.person_id == current_user.person_id)).first()
        if recipient is not None:
            return recipient
    found = session.exec(queries.recipient_by_email(current_user.email)).first()
    return found[0] if found else None


def _preferences(form: PreferencesForm) -> tuple[operations.Preferences, list[int]]:
    """The preferences and followed parties on the form (the picker keeps only parties the user may see)."""
    chosen = list(form.party_ids.data or [])
    preferences = operations.Preferences(
        frequency=form.frequency.data, weekday=form.weekday.data, send_time=form.send_time.data.strip(),
        timezone=form.timezone.data.strip(), due_soon_days=form.due_soon_days.data, include_own=form.include_own.data,
        send_when_empty=form.send_when_empty.data, paused=form.paused.data, notify_moves=form.notify_moves.data,
        notify_assigned=form.notify_assigned.data)
    return preferences, chosen


def _fill(form: PreferencesForm, recipient: Recipient, person: Person) -> None:
    if "email" in form:
        form.email.data, form.name.data = person.email, person.name
    for key in ("timezone", "frequency", "weekday", "send_time", "due_soon_days", "include_own", "send_when_empty",
                "paused", "notify_moves", "notify_assigned"):
        form[key].data = getattr(recipient, key)
    form.party_ids.data = list(get_session().exec(
        select(Subscription.party_id).where(Subscription.recipient_id == recipient.id)))


def _render_form(form, title: str, recipient: Recipient | None = None, person: Person | None = None):
    status = 400 if request.method == "POST" else 200
    return render_template("reminders/form.html", form=form, title=title, recipient=recipient, person=person,
                           address=person.email if person else current_user.email,
                           confirm=ConfirmForm()), status


@blueprint.route("/reminders/")
def index():
    if not current_user.is_admin:
        return redirect(url_for("reminders.mine"))
    try:
        rows, page, has_next = one_page(queries.all_recipients())
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    followed = defaultdict(list)
    if rows:
        for recipient_id, party in get_session().exec(queries.subscribed_parties([r.id for r, _p in rows])):
            followed[recipient_id].append(party)
    return render_template("reminders/index.html", rows=rows, followed=followed, page=page, has_next=has_next)


@blueprint.route("/reminders/new", methods=["GET", "POST"])
@admin_required
def new():
    form = RecipientForm()
    if form.validate_on_submit():
        preferences, chosen = _preferences(form)
        done = save_or_report(form, lambda: operations.save_recipient(
            get_session(), email=form.email.data, name=(form.name.data or "").strip(), preferences=preferences,
            party_ids=chosen, actor=Actor.of(current_user)), f"Digest preferences saved for {form.email.data}.")
        if done:
            return redirect(url_for("reminders.edit", recipient_id=done.value.id))
    return _render_form(form, "New digest recipient")


@blueprint.route("/reminders/<int:recipient_id>", methods=["GET", "POST"])
def edit(recipient_id: int):
    session = get_session()
    recipient = session.get(Recipient, recipient_id)
    if recipient is None or not _may_manage(recipient):
        abort(404)
    person = session.get(Person, recipient.person_id)
    # Only an administrator may change where a digest goes; its person changes their address on their account.
    form = RecipientForm() if current_user.is_admin else PreferencesForm()
    if request.method == "GET":
        _fill(form, recipient, person)
    elif form.validate_on_submit():
        preferences, chosen = _preferences(form)
        if "email" in form:
            write = lambda: operations.save_recipient(  # noqa: E731
                session, email=form.email.data, name=person.name, preferences=preferences, party_ids=chosen,
                recipient=recipient, actor=Actor.of(current_user))
        else:
            write = lambda: operations.update_preferences(  # noqa: E731
                session, recipient, preferences, chosen, actor=Actor.of(current_user))
        if save_or_report(form, write, "Digest preferences saved."):
            return redirect(url_for("reminders.edit", recipient_id=recipient.id))
    title = "My reminder digest" if _is_own(recipient) else f"Digest for {person.name}"
    return _render_form(form, title, recipient, person)


@blueprint.route("/reminders/mine", methods=["GET", "POST"])
def mine():
    session = get_session()
    recipient = _own_recipient(session)
    if recipient is not None:
        return redirect(url_for("reminders.edit", recipient_id=recipient.id)) if request.method == "GET" \
            else edit(recipient.id)
    form = PreferencesForm()
    if form.validate_on_submit():
        preferences, chosen = _preferences(form)
        done = save_or_report(form, lambda: operations.save_own_recipient(
            session, current_user, preferences, chosen, actor=Actor.of(current_user)),
            "You will get digests as set below.")
        if done:
            return redirect(url_for("reminders.edit", recipient_id=done.value.id))
    return _render_form(form, "My reminder digest")


@blueprint.route("/reminders/<int:recipient_id>/resubscribe", methods=["POST"])
def resubscribe(recipient_id: int):
    session = get_session()
    recipient = session.get(Recipient, recipient_id)
    if recipient is None or not _may_manage(recipient) or not ConfirmForm().validate_on_submit():
        abort(404)
    operations.resubscribe(session, recipient, Actor.of(current_user))
    session.commit()
    flash("Digests start again.")
    return redirect(url_for("reminders.edit", recipient_id=recipient_id))


@blueprint.route("/reminders/<int:recipient_id>/preview")
def preview(recipient_id: int):
    session = get_session()
    recipient = session.get(Recipient, recipient_id)
    if recipient is None or not _may_manage(recipient):
        abort(404)
    person = session.get(Person, recipient.person_id)
    content = operations.preview(session, person.email)
    email = compose_email(content, period="preview", now=clock.now())
    return render_template("reminders/preview.html", email=email, content=content, person=person, recipient=recipient)


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authorisation; mail clients' one-click POST carries no CSRF token
def unsubscribe(token: str):
    session = get_session()
    try:
        claim = read_unsubscribe_token(token)
    except LinkExpired:
        return render_template("reminders/unsubscribe.html", state="expired"), 404
    recipient = session.get(Recipient, claim.recipient_id) if claim is not None else None
    if recipient is None:
        return render_template("reminders/unsubscribe.html", state="invalid"), 404
    current = claim.state == subscription_state(recipient.updated_at)
    # A link from before an unsubscribe still says so while it holds; after a resubscribe or any other change
    # only the newest digest's link works.
    made_before_unsubscribing = (recipient.unsubscribed_at is not None
                                 and claim.state <= subscription_state(recipient.unsubscribed_at))
    if not current and not made_before_unsubscribing:
        return render_template("reminders/unsubscribe.html", state="superseded"), 404
    address = mask_address(session.get(Person, recipient.person_id).email)
    if recipient.unsubscribed_at is not None:
        return render_template("reminders/unsubscribe.html", state="already", address=address)
    if request.method == "POST":
        operations.unsubscribe(session, recipient)
        session.commit()
        return render_template("reminders/unsubscribe.html", state="done", address=address)
    return render_template("reminders/unsubscribe.html", state="confirm", token=token, address=address)


@blueprint.route("/admin/sent-mail")
@admin_required
def sent_mail():
    state = request.args.get("state") or None
    if state and state not in DIGEST_STATES:
        abort(400, f"state must be one of: {', '.join(DIGEST_STATES)}")
    rows = list(get_session().exec(queries.sent_mail(state)))
    return render_template("reminders/sent_mail.html", rows=rows, state=state, states=DIGEST_STATES)


@blueprint.route("/admin/sent-mail/<int:digest_id>")
@admin_required
def sent_mail_detail(digest_id: int):
    session = get_session()
    digest = session.get(Digest, digest_id) or abort(404)
    return render_template("reminders/sent_mail_detail.html", digest=digest, confirm=ConfirmForm(),
                           events=events.history(session, "digest", digest.id))


@blueprint.route("/admin/sent-mail/<int:digest_id>/resend", methods=["POST"])
@admin_required
def resend(digest_id: int):
    session = get_session()
    digest = session.get(Digest, digest_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        copy = operations.resend(session, digest, Actor.of(current_user))
    except InvalidInput as error:
        session.rollback()
        flash(str(error))
        return redirect(url_for("reminders.sent_mail_detail", digest_id=digest_id))
    session.commit()
    flash(f"A new delivery to {copy.to_address} is queued; it goes out with the next scheduler pass.")
    return redirect(url_for("reminders.sent_mail_detail", digest_id=copy.id))
