"""/intake's views (their URLs are in routes.py): upload or paste → review (fields beside the text, candidates
highlighted in place) → save.

Between the two steps the document and what was read from it travel in a signed, compressed form field
(itsdangerous), not in the cookie session: nothing is stored until staff press Save.
"""
from __future__ import annotations

import base64
from datetime import date

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.routing import BuildError

from tracker import access, clock, validation
from tracker.commitments.forms import resolve_window
from tracker.commitments.models import KINDS
from tracker.commitments.operations import Window, compute_window
from tracker.commitments.owners import Signatory, suggested_owner
from tracker.db import get_session
from tracker.events import Actor
from tracker.intake import operations, read
from tracker.intake.extract import extract, reads_as_notes, short_title
from tracker.meetings import operations as meeting_operations
from tracker.intake.forms import ReviewForm, UploadForm
from tracker.intake.operations import MAX_REVIEW_ROWS
from tracker.validation import InvalidInput
from tracker.web import add_error, editor_required, save_or_report

REVIEW_MAX_AGE = 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="intake-review")


def sign_review(state: dict) -> str:
    return _serializer().dumps(state)


def open_review(token: str) -> dict:
    try:
        return _serializer().loads(token or "", max_age=REVIEW_MAX_AGE)
    except SignatureExpired:
        raise InvalidInput("This review is more than a day old: upload the document again.", "payload") from None
    except BadSignature:
        raise InvalidInput("This review was not made here or was changed: upload the document again.",
                           "payload") from None


@editor_required
def index():
    return render_template("intake/upload.html", form=UploadForm(), title="Intake")


@editor_required
def upload():
    form = UploadForm()
    session = get_session()
    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    budget = read.Budget.from_config(current_app.config)
    try:
        filename, data = _uploaded(form, limit, budget)
        document = read.read_document_bounded(data, filename, limit, budget)
        previous = operations.previous_import(session, document.sha256, document.text)
        if previous:
            raise InvalidInput(operations.duplicate_message(document.filename, previous), "file")
        known = operations.known_from(session, document.text)
        # A transcript rarely says its date: due phrases are read relative to today until a meeting is chosen.
        extraction = extract(document.text, known, clock.today_in(),
                             date_order=current_app.config.get("DATE_ORDER", "MDY"))
        operations.resolve_reply(session, extraction, access.current_viewer())
        extraction = operations.reviewable(extraction)
        state = {"filename": document.filename, "content_type": document.content_type, "format": document.format,
                 "data": base64.b64encode(data).decode("ascii"), "text": document.text,
                 "candidates": [[c.start, c.end] for c in extraction.candidates],
                 # Why each candidate was proposed (the cue that fired), shown beside it on review.
                 "cues": [c.cue for c in extraction.candidates],
                 "warnings": extraction.warnings,
                 # The day dues were read against when the document states none: re-read on save against the
                 # day staff enter.
                 "read_against": None if extraction.date else clock.today_in().isoformat(),
                 "reply_phrase": extraction.reply_to.phrase if extraction.reply_to else "",
                 "added_row": operations.added_row_defaults(extraction, known)}
        state["notes_reasons"] = reads_as_notes(document.text, extraction).reasons_if_notes
        token = sign_review(state)
        if len(token) > int(current_app.config["MAX_CONTENT_LENGTH"]) - 256 * 1024:
            raise InvalidInput(f"{document.filename} is too large to review in the browser; import it with "
                               "`flask intake FILE` instead.", "file")
    except InvalidInput as error:
        # The message goes beside what was refused; the pasted text stays in its box either way.
        add_error(form.pasted if error.field == "pasted" else form.file, str(error))
        return render_template("intake/upload.html", form=form, title="Intake"), 400
    reviewed = operations.accept_all(extraction, document, data, known=known)
    if state["notes_reasons"]:
        reviewed = operations.accept_as_notes(session, extraction, document, data, known=known)
    review = ReviewForm(formdata=None, data=_form_data(reviewed, token) | _meeting_form_data(reviewed))
    return _render_review(session, review, state)


def _uploaded(form: UploadForm, limit: int, budget: read.Budget) -> tuple[str, bytes]:
    storage = request.files.get("file")
    if storage is not None and storage.filename:
        # Read one byte past the limit, never the whole of an oversized upload.
        data = storage.stream.read(limit + 1)
        if len(data) > limit:
            raise InvalidInput(f"{read.display_name(storage.filename)} is larger than the limit of "
                               f"{limit // 1048576} MB.", "file")
        return storage.filename, data
    pasted = (form.pasted.data or "").strip()
    if pasted:
        # The same limits as a file's text: refused here, before anything reads it.
        data = pasted.encode("utf-8")
        try:
            read.check_characters(len(pasted), "The pasted text", budget)
        except InvalidInput as error:
            raise InvalidInput(str(error), "pasted") from None
        if len(data) > limit:
            raise InvalidInput(f"The pasted text is {read.size_label(len(data))}; the limit is "
                               f"{read.size_label(limit)}.", "pasted")
        return "pasted.txt", data
    raise InvalidInput("Choose a file or paste the text of a letter or transcript.", "file")


def _form_data(reviewed: operations.Reviewed, token: str) -> dict:
    return {
        "payload": token, "kind": reviewed.kind,
        "sent_on": reviewed.sent_on.isoformat() if reviewed.sent_on else "",
        "date_precision": reviewed.date_precision, "subject": reviewed.subject, "direction": reviewed.direction,
        "reply_to": reviewed.reply_to_letter_id or 0, "meeting_id": reviewed.meeting_id or 0,
        "participants": [{"include": True, "role": p.role, "name": p.name, "title": p.title,
                          "person_id": p.person_id or 0, "party_id": p.party_id or 0,
                          "party_name": "" if p.party_id else p.party_name} for p in reviewed.participants],
        "candidates": [{"accept": True, "kind": c.kind, "title": c.title, "quote": c.quote, "speaker": c.speaker or "",
                        "due_phrase": c.window.phrase,
                        "due_earliest": c.window.earliest.isoformat() if c.window.earliest else "",
                        "due_latest": c.window.latest.isoformat() if c.window.latest else "",
                        "due_precision": c.window.precision, "anchor": c.anchor or "",
                        "made_by": c.made_by, "made_to": c.made_to, "owner_id": c.owner_id or 0}
                       for c in reviewed.commitments],
    }


def _meeting_form_data(reviewed: operations.Reviewed) -> dict:
    """The new meeting proposed for notes (title and day from the document), when no recorded one matched."""
    new = reviewed.new_meeting
    if new is None:
        return {}
    return {"meeting_title": new.title, "meeting_starts_on": new.starts_on.isoformat(),
            "meeting_ends_on": new.ends_on.isoformat(), "meeting_location": new.location}


def is_blank_added_row(row) -> bool:
    """An added row nobody filled in: no title, no quote, no due phrase (its prefilled sides do not count)."""
    return bool(row.added.data) and not any((getattr(row, name).data or "").strip()
                                            for name in ("title", "quote", "due_phrase"))


def _blank_added_row(state: dict) -> dict:
    defaults = state.get("added_row") or {}
    return {"accept": True, "added": "y", "kind": defaults.get("kind", "promise"), "title": "", "quote": "",
            "speaker": "", "due_phrase": "", "due_earliest": "", "due_latest": "", "due_precision": "vague",
            "anchor": "", "made_by": defaults.get("made_by", []), "made_to": defaults.get("made_to", []),
            "owner_id": defaults.get("owner_id", 0)}


def _render_review(session, form: ReviewForm, state: dict, status: int = 200):
    # One blank row at the end, so a commitment the reading missed can be added without JavaScript too.
    if (len(form.candidates.entries) < MAX_REVIEW_ROWS
            and not any(is_blank_added_row(entry.form) for entry in form.candidates)):
        form.candidates.append_entry(_blank_added_row(state))
    return render_template("intake/review.html", form=form, state=state, title="Review the document",
                           segments=highlight(state["text"], state["candidates"]),
                           near_duplicates=_near_duplicates(session, form, state)), status


def _near_duplicates(session, form: ReviewForm, state: dict) -> list[operations.NearDuplicate]:
    """Letters the viewer may see that this one almost repeats, by the date now in the form (as save checks)."""
    if form.kind.data == "transcript":
        return []
    try:
        sent_on = _optional_date(form.sent_on.data, "sent_on")
    except InvalidInput:
        sent_on = None
    return operations.near_duplicates(session, state["text"], sent_on, access.current_viewer())


def highlight(text: str, spans: list[list[int]]) -> list[tuple[str, int | None]]:
    """The text cut into (piece, candidate number or None) so the template can mark each candidate in place."""
    pieces, position = [], 0
    for number, (start, end) in sorted(enumerate(spans), key=lambda item: item[1][0]):
        if start < position:
            continue
        pieces.append((text[position:start], None))
        pieces.append((text[start:end], number))
        position = end
    pieces.append((text[position:], None))
    return [(piece, number) for piece, number in pieces if piece]


@editor_required
def save():
    session = get_session()
    form = ReviewForm()
    try:
        state = open_review(form.payload.data)
    except InvalidInput as error:
        form = UploadForm()
        add_error(form.file, str(error))
        return render_template("intake/upload.html", form=form, title="Intake"), 400
    if not form.validate():
        # Lengths and choices first: a value longer than its column must be a message, not a database error.
        return _render_review(session, form, state, 400)
    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    # A savepoint: whatever was flushed before a refusal is undone, so nothing is half-saved.
    done = save_or_report(
        form, lambda: operations.save_intake(session, _reviewed(session, form, state), max_bytes=limit,
                                             actor=Actor.of(current_user), viewer=access.current_viewer()),
        lambda saved: f"Saved {state['filename']} as {saved.kind} #{saved.id} with "
                      f"{len(saved.commitment_ids)} commitment(s).", savepoint=True)
    if not done:
        return _render_review(session, form, state, 400)
    return redirect(_record_url(done.value))


def _record_url(saved: operations.Saved) -> str:
    try:
        if saved.kind == "letter":
            return url_for("letters.detail", letter_id=saved.id)
        return url_for("meetings.show", meeting_id=saved.id)
    except BuildError:
        return url_for("intake.index")


def _optional_date(value: str | None, field: str) -> date | None:
    return validation.iso_date(value, field) if value and value.strip() else None


def _reviewed(session, form: ReviewForm, state: dict) -> operations.Reviewed:
    """The reviewed document from the form; the bytes and text come from the signed payload only."""
    kind = validation.choice(form.kind.data, ("letter", "transcript", "notes"), "kind")
    reviewed = operations.Reviewed(
        kind=kind, filename=state["filename"], content_type=state["content_type"],
        data=base64.b64decode(state["data"]), text=state["text"],
        sent_on=_optional_date(form.sent_on.data, "sent_on"), date_precision=form.date_precision.data or "day",
        subject=(form.subject.data or "").strip(), direction=form.direction.data or "between_others",
        reply_to_letter_id=form.reply_to.data or None, source_url=(form.source_url.data or "").strip() or None,
        meeting_id=form.meeting_id.data or None)
    reviewed.separate_anyway = bool(form.separate_anyway.data)
    if kind == "letter" and not reviewed.subject:
        raise InvalidInput("a letter needs a subject", "subject")
    if kind in ("transcript", "notes") and not reviewed.meeting_id and (form.meeting_title.data or "").strip():
        starts = _optional_date(form.meeting_starts_on.data, "meeting_starts_on")
        ends = _optional_date(form.meeting_ends_on.data, "meeting_ends_on") or starts
        if starts is None:
            raise InvalidInput("a new meeting needs the day it starts", "meeting_starts_on")
        validation.window(starts, ends, "meeting_ends_on")
        reviewed.new_meeting = operations.NewMeeting(form.meeting_title.data.strip(), starts, ends,
                                                     (form.meeting_location.data or "").strip())
    for entry in form.participants:
        row = entry.form
        if not row.include.data or not ((row.name.data or "").strip() or row.person_id.data or row.party_id.data
                                        or (row.party_name.data or "").strip()):
            continue
        role = row.role.data if kind == "letter" else ("attendee" if kind == "notes" else "speaker")
        validation.choice(role, ("author", "recipient", "cc", "speaker", "attendee"), "participants")
        reviewed.participants.append(operations.ReviewedParticipant(
            role, (row.name.data or "").strip(), (row.title.data or "").strip(), row.person_id.data or None,
            row.party_id.data or None, (row.party_name.data or "").strip()))
    for number, entry in enumerate(form.candidates):
        row = entry.form
        if not row.accept.data or is_blank_added_row(row):
            continue
        prefix = f"candidates-{number}-"
        if row.added.data:
            reviewed.commitments.append(_added_commitment(session, row, prefix, reviewed))
            continue
        window = Window((row.due_phrase.data or "").strip(), _optional_date(row.due_earliest.data, prefix + "due_earliest"),
                        _optional_date(row.due_latest.data, prefix + "due_latest"), row.due_precision.data or "vague")
        window = operations.dated_at_review(window, _optional_date(state.get("read_against"), "read_against"),
                                            reviewed.sent_on, date_order=current_app.config.get("DATE_ORDER", "MDY"))
        reviewed.commitments.append(operations.ReviewedCommitment(
            row.kind.data, (row.title.data or "").strip(), (row.quote.data or "").strip(), window,
            list(row.made_by.data or []), list(row.made_to.data or []), (row.speaker.data or "").strip() or None,
            (row.anchor.data or "").strip() or None, row.owner_id.data or None))
    return reviewed


def _added_commitment(session, row, prefix: str, reviewed: operations.Reviewed) -> operations.ReviewedCommitment:
    """A commitment staff added by hand: its window read from its phrase (as the letter's date wrote it), a title
    from its quote when none was typed, and the owner by the owner rule when none was chosen."""
    quote = (row.quote.data or "").strip()
    phrase = (row.due_phrase.data or "").strip()
    written_on = reviewed.sent_on or clock.today_in()
    computed = compute_window(session, phrase, written_on, current_app.config.get("DATE_ORDER", "MDY"))
    try:
        window = resolve_window(phrase, None, None, "", None, computed,
                                meeting_operations.anchor_meeting_ids(session, named_in=phrase))
    except InvalidInput as error:
        raise InvalidInput(str(error), prefix + (error.field or "due_phrase")) from None
    kind = validation.choice(row.kind.data, KINDS, prefix + "kind")
    made_by, made_to = list(row.made_by.data or []), list(row.made_to.data or [])
    owner_id = row.owner_id.data or None
    if owner_id is None:
        # The same defaults the save gives an empty side: the letter's authors and recipients.
        authors = [p for p in reviewed.participants if p.role == "author"]
        recipients = [p for p in reviewed.participants if p.role == "recipient"]
        owner_id = suggested_owner(
            session, kind, made_by=made_by or [p.party_id for p in authors if p.party_id],
            made_to=made_to or [p.party_id for p in recipients if p.party_id],
            by_people=[Signatory(p.person_id, p.party_id) for p in authors if p.person_id],
            to_people=[Signatory(p.person_id, p.party_id) for p in recipients if p.person_id])
    title = (row.title.data or "").strip() or (short_title(quote, computed) if quote else "")
    return operations.ReviewedCommitment(kind, title, quote, window, made_by, made_to, None, None, owner_id)
