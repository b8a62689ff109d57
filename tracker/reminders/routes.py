"""Reminders pages: preferences and subscriptions, the signed unsubscribe link, and Sent mail for admins."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from tracker import clock, events
from tracker.auth.queries import visible_party_ids
from tracker.db import get_session
from tracker.events import Actor
from tracker.parties.models import Person
from tracker.parties.queries import all_parties
from tracker.reminders import operations, queries
from tracker.reminders.forms import ConfirmForm, RecipientForm
from tracker.reminders.models import DIGEST_STATES, Digest, Recipient, Subscription
from tracker.reminders.render import compose_email, recipient_id_from_token
from tracker.validation import InvalidInput
from tracker.web import admin_required, csrf, editor_required, save_or_report

blueprint = Blueprint("reminders", __name__)


def _party_choices(form: RecipientForm) -> None:
    parties = get_session().exec(all_parties(visible_party_ids(get_session(), current_user)))
    form.party_ids.choices = [(party.id, party.name) for party in parties]


def _may_edit(recipient: Recipient) -> bool:
    return current_user.can_edit or (recipient.user_id is not None and recipient.user_id == current_user.id) or (
        current_user.person_id is not None and recipient.person_id == current_user.person_id)


def _save(form: RecipientForm, recipient: Recipient | None, done_message: str, user_id: int | None = None):
    """Form → operation → commit and flash; returns the saved recipient, or None with the errors on the form."""
    session = get_session()
    allowed = {value for value, _label in form.party_ids.choices}
    chosen = [party_id for party_id in form.party_ids.data or [] if party_id in allowed]
    preferences = operations.Preferences(
        frequency=form.frequency.data, weekday=form.weekday.data, send_time=form.send_time.data.strip(),
        timezone=form.timezone.data.strip(), due_soon_days=form.due_soon_days.data, include_own=form.include_own.data,
        send_when_empty=form.send_when_empty.data, paused=form.paused.data)
    done = save_or_report(form, lambda: operations.save_recipient(
        session, email=form.email.data, name=(form.name.data or "").strip(), preferences=preferences,
        party_ids=chosen, user_id=user_id, recipient=recipient, actor=Actor.of(current_user)), done_message)
    return done.value if done else None


def _fill(form: RecipientForm, recipient: Recipient, person: Person) -> None:
    form.email.data, form.name.data = person.email, person.name
    for key in ("timezone", "frequency", "weekday", "send_time", "due_soon_days", "include_own", "send_when_empty",
                "paused"):
        form[key].data = getattr(recipient, key)
    form.party_ids.data = list(get_session().exec(
        select(Subscription.party_id).where(Subscription.recipient_id == recipient.id)))


@blueprint.route("/reminders/")
def index():
    if not current_user.can_edit:
        return redirect(url_for("reminders.mine"))
    session = get_session()
    rows = list(session.exec(queries.all_recipients()))
    followed = defaultdict(list)
    for recipient_id, party in session.exec(queries.subscribed_parties([r.id for r, _p in rows])):
        followed[recipient_id].append(party)
    return render_template("reminders/index.html", rows=rows, followed=followed)


@blueprint.route("/reminders/new", methods=["GET", "POST"])
@editor_required
def new():
    form = RecipientForm()
    _party_choices(form)
    if form.validate_on_submit():
        saved = _save(form, None, f"Digest preferences saved for {form.email.data}.")
        if saved is not None:
            return redirect(url_for("reminders.edit", recipient_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("reminders/form.html", form=form, title="New digest recipient", recipient=None), status


@blueprint.route("/reminders/<int:recipient_id>", methods=["GET", "POST"])
def edit(recipient_id: int):
    session = get_session()
    recipient = session.get(Recipient, recipient_id)
    if recipient is None or not _may_edit(recipient):
        abort(404)
    person = session.get(Person, recipient.person_id)
    form = RecipientForm()
    _party_choices(form)
    if request.method == "GET":
        _fill(form, recipient, person)
    elif form.validate_on_submit():
        if _save(form, recipient, "Digest preferences saved.") is not None:
            return redirect(url_for("reminders.edit", recipient_id=recipient.id))
    status = 400 if request.method == "POST" else 200
    return render_template("reminders/form.html", form=form, title=f"Digest for {person.name}", recipient=recipient,
                           person=person, confirm=ConfirmForm()), status


@blueprint.route("/reminders/mine", methods=["GET", "POST"])
def mine():
    session = get_session()
    recipient = session.exec(queries.recipient_for_user(current_user.id, current_user.person_id)).first()
    if recipient is None:
        found = session.exec(queries.recipient_by_email(current_user.email)).first()
        recipient = found[0] if found else None
    if recipient is not None:
        return redirect(url_for("reminders.edit", recipient_id=recipient.id)) if request.method == "GET" \
            else edit(recipient.id)
    form = RecipientForm()
    _party_choices(form)
    if request.method == "GET":
        form.email.data, form.name.data = current_user.email, current_user.display_name
    elif form.validate_on_submit():
        saved = _save(form, None, "You will get digests as set below.", user_id=current_user.id)
        if saved is not None:
            return redirect(url_for("reminders.edit", recipient_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("reminders/form.html", form=form, title="My reminder digest", recipient=None), status


@blueprint.route("/reminders/<int:recipient_id>/resubscribe", methods=["POST"])
def resubscribe(recipient_id: int):
    session = get_session()
    recipient = session.get(Recipient, recipient_id)
    if recipient is None or not _may_edit(recipient) or not ConfirmForm().validate_on_submit():
        abort(404)
    operations.resubscribe(session, recipient, Actor.of(current_user))
    session.commit()
    flash("Digests start again.")
    return redirect(url_for("reminders.edit", recipient_id=recipient_id))


@blueprint.route("/reminders/<int:recipient_id>/preview")
def preview(recipient_id: int):
    session = get_session()
    recipient = session.get(Recipient, recipient_id)
    if recipient is None or not _may_edit(recipient):
        abort(404)
    person = session.get(Person, recipient.person_id)
    content = operations.preview(session, person.email)
    email = compose_email(content, period="preview", now=clock.now())
    return render_template("reminders/preview.html", email=email, content=content, person=person, recipient=recipient)


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authorisation; mail clients' one-click POST carries no CSRF token
def unsubscribe(token: str):
    session = get_session()
    recipient_id = recipient_id_from_token(token)
    recipient = session.get(Recipient, recipient_id) if recipient_id is not None else None
    if recipient is None:
        return render_template("reminders/unsubscribe.html", state="invalid"), 404
    if request.method == "POST":
        operations.unsubscribe(session, recipient)
        session.commit()
        return render_template("reminders/unsubscribe.html", state="done",
                               person=session.get(Person, recipient.person_id))
    state = "already" if recipient.unsubscribed_at else "confirm"
    return render_template("reminders/unsubscribe.html", state=state, token=token,
                           person=session.get(Person, recipient.person_id))


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
