"""Meeting pages: upcoming and past, a record page (local times, participants, transcript, commitments), forms."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from tracker import access, clock, events, history
from tracker.commitments import queries as commitment_queries
from tracker.db import get_session
from tracker.meetings import operations, queries
from tracker.meetings.forms import MeetingForm, MoveForm, ParticipantForm, aware_utc, local_value
from tracker.meetings.models import Meeting
from tracker.validation import InvalidInput
from tracker.web import editor_required, one_page, save_or_report

blueprint = Blueprint("meetings", __name__, url_prefix="/meetings")


@blueprint.route("/")
def index():
    """Upcoming meetings (the next page of them) above the past ones, a page at a time."""
    session = get_session()
    viewer, now = access.current_viewer(), clock.now()
    try:
        past, page, has_next = one_page(queries.past(now, viewer))
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    size = int(current_app.config["PAGE_SIZE"])
    upcoming = list(session.exec(queries.upcoming(now, viewer).limit(size + 1))) if page == 1 else []
    return render_template("meetings/index.html", upcoming=upcoming[:size], more_upcoming=len(upcoming) > size,
                           past=past, page=page, has_next=has_next)


@blueprint.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    session = get_session()
    form = MeetingForm()

    def write():
        timezone = form.timezone.data.strip()
        return operations.create_meeting(
            session, title=form.title.data, kind=form.kind.data,
            starts_at=aware_utc(form.starts_at.data, timezone), ends_at=aware_utc(form.ends_at.data, timezone),
            timezone=timezone, location=form.location.data or "", remote=form.remote.data,
            aliases=form.aliases.data or "", transcript=form.transcript.data or "",
            source_url=(form.source_url.data or "").strip() or None, actor=events.Actor.of(current_user))

    saved = form.validate_on_submit() and save_or_report(
        form, write, lambda meeting: f"Recorded the meeting “{meeting.title}”.")
    if saved:
        return redirect(url_for("meetings.show", meeting_id=saved.value.id))
    return render_template("meetings/new.html", form=form), 400 if form.is_submitted() else 200


def _load(meeting_id: int) -> Meeting:
    session = get_session()
    meeting = session.exec(queries.by_id(meeting_id, access.current_viewer())).first()
    if meeting is None:
        abort(404)
    return meeting


def _render_show(meeting: Meeting, status: int = 200, **forms):
    session = get_session()
    viewer = access.current_viewer()
    context = dict(
        meeting=meeting,
        participants=list(session.exec(queries.participants_of(meeting.id))),
        made_here=list(session.exec(commitment_queries.from_meeting(meeting.id, viewer))),
        anchored=list(session.exec(commitment_queries.anchored_to(meeting.id, viewer))),
        events=history.timeline(session, viewer, "meeting", meeting.id))
    if current_user.can_edit:
        defaults = dict(
            move_form=MoveForm(formdata=None, data=dict(starts_at=local_value(meeting.starts_at, meeting.timezone),
                                                        ends_at=local_value(meeting.ends_at, meeting.timezone))),
            participant_form=ParticipantForm(formdata=None))
        defaults.update(forms)
        context.update(defaults)
    return render_template("meetings/show.html", **context), status


@blueprint.route("/<int:meeting_id>")
def show(meeting_id: int):
    return _render_show(_load(meeting_id))


@blueprint.route("/<int:meeting_id>/move", methods=["POST"])
@editor_required
def move(meeting_id: int):
    session = get_session()
    meeting = _load(meeting_id)
    form = MoveForm()
    if form.validate() and save_or_report(form, lambda: operations.move_meeting(
            session, meeting, starts_at=aware_utc(form.starts_at.data, meeting.timezone),
            ends_at=aware_utc(form.ends_at.data, meeting.timezone), actor=events.Actor.of(current_user)),
            "Meeting moved; commitments due relative to it moved with it."):
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _render_show(_load(meeting_id), 400, move_form=form)


@blueprint.route("/<int:meeting_id>/participants", methods=["POST"])
@editor_required
def add_participant(meeting_id: int):
    session = get_session()
    meeting = _load(meeting_id)
    form = ParticipantForm()
    if form.validate() and save_or_report(form, lambda: operations.add_participant(
            session, meeting, person_id=form.person_id.data, party_id=form.party_id.data,
            role=form.role.data or "participant",
            name_in_transcript=(form.name_in_transcript.data or "").strip() or None,
            actor=events.Actor.of(current_user)), "Participant added."):
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _render_show(_load(meeting_id), 400, participant_form=form)
