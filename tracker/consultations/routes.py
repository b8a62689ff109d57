"""Comment period pages: the list with current closes, a record page, and the editors' forms.

Who sees which period and which of its submissions is decided by tracker.access.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from tracker import access, events, history
from tracker.consultations import operations, queries
from tracker.consultations.forms import CommentPeriodForm, ExtensionForm, SubmissionForm, SummaryForm
from tracker.consultations.models import CommentPeriod
from tracker.db import get_session
from tracker.letters.models import Letter
from tracker.parties.models import Party
from tracker.validation import InvalidInput
from tracker.web import editor_required, one_page, save_or_report

blueprint = Blueprint("consultations", __name__, url_prefix="/comment-periods")


@blueprint.route("/")
def index():
    """Comment periods, newest first, a page at a time."""
    try:
        rows, page, has_next = one_page(queries.listing(access.current_viewer()))
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    return render_template("consultations/index.html", rows=rows, page=page, has_next=has_next)


@blueprint.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    session = get_session()
    form = CommentPeriodForm()
    saved = form.validate_on_submit() and save_or_report(form, lambda: operations.open_comment_period(
        session, title=form.title.data, opens_on=form.opens_on.data, closes_on=form.closes_on.data,
        reply_closes_on=form.reply_closes_on.data, forum_url=(form.forum_url.data or "").strip() or None,
        actor=events.Actor.of(current_user)), lambda period: f"Recorded the comment period “{period.title}”.")
    if saved:
        return redirect(url_for("consultations.show", period_id=saved.value.id))
    return render_template("consultations/new.html", form=form), 400 if form.is_submitted() else 200


def _load(period_id: int) -> CommentPeriod:
    period = access.get_visible(get_session(), access.current_viewer(), CommentPeriod, period_id)
    if period is None:
        abort(404)
    return period


def _render_show(period: CommentPeriod, status: int = 200, **forms):
    session = get_session()
    viewer = access.current_viewer()
    extensions = list(session.exec(queries.extensions_of(period.id)))
    context = dict(period=period, current_close=session.exec(queries.current_close_of(period.id)).one(),
                   extensions=extensions,
                   # The letter an extension was requested in is linked only when the viewer may see it.
                   request_letters=access.visible_ids(session, viewer, Letter,
                                                      [e.requested_in_letter_id for e in extensions]),
                   submissions=list(session.exec(queries.submissions_of(period.id, viewer))),
                   events=history.timeline(session, viewer, "comment_period", period.id))
    if current_user.can_edit:
        defaults = dict(extension_form=ExtensionForm(formdata=None), submission_form=SubmissionForm(formdata=None),
                        summary_form=SummaryForm(formdata=None, data=dict(summary=period.summary,
                                                                          summary_url=period.summary_url or "")))
        defaults.update(forms)
        context.update(defaults)
    return render_template("consultations/show.html", **context), status


@blueprint.route("/<int:period_id>")
def show(period_id: int):
    return _render_show(_load(period_id))


@blueprint.route("/<int:period_id>/extend", methods=["POST"])
@editor_required
def extend(period_id: int):
    session = get_session()
    period = _load(period_id)
    form = ExtensionForm()

    def write():
        letter_id = form.requested_in_letter_id.data
        if letter_id is not None and session.get(Letter, letter_id) is None:
            raise InvalidInput(f"there is no letter with id {letter_id}", "requested_in_letter_id")
        operations.extend(session, period, new_closes_on=form.new_closes_on.data,
                          current_close=session.exec(queries.current_close_of(period.id)).one(),
                          reason=form.reason.data or "", requested_in_letter_id=letter_id,
                          actor=events.Actor.of(current_user))

    if form.validate() and save_or_report(form, write, "Comment period extended."):
        return redirect(url_for("consultations.show", period_id=period.id))
    return _render_show(_load(period_id), 400, extension_form=form)


@blueprint.route("/<int:period_id>/submissions", methods=["POST"])
@editor_required
def add_submission(period_id: int):
    session = get_session()
    period = _load(period_id)
    form = SubmissionForm()

    def write():
        party_id = form.party_id.data
        if party_id is not None and session.get(Party, party_id) is None:
            raise InvalidInput(f"unknown party id {party_id}", "party_id")
        operations.add_submission(session, period, author=form.author.data, submitted_on=form.submitted_on.data,
                                  party_id=party_id, url=(form.url.data or "").strip() or None,
                                  actor=events.Actor.of(current_user))

    if form.validate() and save_or_report(form, write, "Submission added."):
        return redirect(url_for("consultations.show", period_id=period.id))
    return _render_show(_load(period_id), 400, submission_form=form)


@blueprint.route("/<int:period_id>/summary", methods=["POST"])
@editor_required
def record_summary(period_id: int):
    session = get_session()
    period = _load(period_id)
    form = SummaryForm()
    if form.validate() and save_or_report(form, lambda: operations.record_summary(
            session, period, summary=form.summary.data, summary_url=(form.summary_url.data or "").strip() or None,
            actor=events.Actor.of(current_user)), "Summary recorded."):
        return redirect(url_for("consultations.show", period_id=period.id))
    return _render_show(_load(period_id), 400, summary_form=form)
