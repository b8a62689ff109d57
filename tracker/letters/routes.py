"""Letters: the filtered list, the letter page with its thread, and the editors' forms."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from tracker import access, clock, history, validation
from tracker.access import Viewer
from tracker.commitments import queries as commitment_queries
from tracker.commitments.owners import letter_sides, suggested_owner
from tracker.db import get_session
from tracker.events import Actor
from tracker.exchange.letter_rows import COLUMNS
from tracker.exchange.records import in_batches, letter_records
from tracker.export import spreadsheet
from tracker.letters import operations, queries
from tracker.letters.forms import (ActionForm, LetterForm, LinkForm, NoReplyForm, UploadForm, parse_letter_date,
                                   parse_titles, reply_direction, reply_subject)
from tracker.letters.models import DIRECTIONS, PARTICIPANT_ROLES, REPLY_FILTERS, Letter, reply_badge
from tracker.letters.queries import LetterFilters
from tracker.parties.queries import people_by_ids
from tracker.pickers.forms import labels_of
from tracker.pickers.queries import KINDS, typed_id
from tracker.validation import InvalidInput
from tracker.web import editor_required, save_or_report

blueprint = Blueprint("letters", __name__, url_prefix="/letters")

# How far the thread follows links from a letter; each level costs one query.
THREAD_DEPTH = 10
# How many recent letters the link form offers (any other can be typed by number).


def first_replies(session, letters, viewer: Viewer) -> dict[int, date]:
    """{letter id: day of its first visible reply} for the replied letters of a page: one query."""
    ids = [letter.id for letter in letters if letter.reply_state == "replied"]
    return dict(session.exec(queries.first_replies(ids, viewer)).all()) if ids else {}


def participants_by_letter(session, letter_ids) -> dict[int, dict[str, list]]:
    """{letter id: {role: [(participant, party, person)]}} for a page of letters: one query."""
    grouped: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if letter_ids:
        for participant, party, person in session.exec(queries.participants_of(letter_ids)):
            grouped[participant.letter_id][participant.role].append((participant, party, person))
    return grouped


def _page_of(session, statement, filters: LetterFilters, page: int, page_size: int) -> tuple[list[Letter], bool]:
    """A page of the list, and whether more follow it when that is all the list can tell (a common word checked
    row by row: counting its every letter would cost what reading them all costs, so the page says "more than")."""
    if not filters.checked_row_by_row():
        return list(session.exec(statement.offset((page - 1) * page_size).limit(page_size))), False
    letters = list(session.exec(statement.offset((page - 1) * page_size).limit(page_size + 1)))
    return letters[:page_size], len(letters) > page_size


@blueprint.route("/")
def index():
    session = get_session()
    viewer = access.current_viewer()
    party_id = typed_id(request.args.get("party") or "")
    # Pager and download links carry the filters the list reads, and nothing else a link may have brought.
    query = {key: request.args[key] for key in LetterFilters.KEYS if request.args.get(key)}
    context = dict(chosen_party=labels_of(KINDS["parties"], [party_id]).get(party_id), directions=DIRECTIONS,
                   reply_filters=REPLY_FILTERS, args=request.args, query=query, letters=[], participants={},
                   badges={}, replied_on={}, total=0, more=False, page=1, pages=1)
    page_size = current_app.config["PAGE_SIZE"]
    try:
        page = validation.query_number(request.args, "page", 1)
        filters = LetterFilters.parse(request.args, viewer).planned(session, page * page_size + 1)
    except InvalidInput as error:
        return render_template("letters/index.html", error=str(error), **context), 400
    today = clock.today_in()
    statement = queries.filtered(filters, today)
    letters, more = _page_of(session, statement, filters, page, page_size)
    total = ((page - 1) * page_size + len(letters) if filters.checked_row_by_row()
             else session.exec(queries.count_of(statement)).one())
    replied_on = first_replies(session, letters, viewer)
    context.update(letters=letters, participants=participants_by_letter(session, [letter.id for letter in letters]),
                   badges={letter.id: reply_badge(letter, today, replied_on.get(letter.id)) for letter in letters},
                   replied_on=replied_on, total=total, more=more,
                   page=page, pages=page + 1 if more else max(1, -(-total // page_size)))
    return render_template("letters/index.html", error=None, **context)


@blueprint.route("/export.csv")
def export_csv():
    """The filtered letters list as CSV."""
    return _export("csv")


@blueprint.route("/export.xlsx")
def export_xlsx():
    """The filtered letters list as an Excel workbook."""
    return _export("xlsx")


def _export(file_format: str):
    """The filtered list as CSV or Excel (same filters and access rules as the page), capped at EXPORT_MAX_ROWS."""
    session = get_session()
    try:
        filters = LetterFilters.parse(request.args, access.current_viewer())
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    today, cap = clock.today_in(), int(current_app.config["EXPORT_MAX_ROWS"])
    base_url = current_app.config["BASE_URL"]
    statement = queries.filtered(filters.planned(session, cap), today).limit(cap)
    records = in_batches(session, statement, lambda batch: letter_records(session, batch, base_url))
    return spreadsheet(records, COLUMNS.exported, file_format, "letters", today)


def _visible_letter_or_404(session, letter_id: int) -> Letter:
    letter = access.get_visible(session, access.current_viewer(), Letter, letter_id)
    if letter is None:
        abort(404)
    return letter


def thread_of(session, letter: Letter, viewer: Viewer) -> tuple[list[Letter], list]:
    """Letters the viewer may see connected to this one through links either way, up to THREAD_DEPTH steps,
    and the links between them. The walk goes only through visible letters: a hidden letter neither appears
    nor connects two visible ones. Two queries per step (links, then which of the reached letters are visible)."""
    seen, frontier, links = {letter.id}, {letter.id}, {}
    for _depth in range(THREAD_DEPTH):
        if not frontier:
            break
        reached = set()
        for link in session.exec(queries.links_touching(frontier)):
            links[link.id] = link
            for other in (link.from_letter_id, link.to_letter_id):
                if other not in seen:
                    seen.add(other)
                    reached.add(other)
        frontier = reached if viewer.sees_everything else access.visible_ids(session, viewer, Letter, reached)
    if len(seen) == 1:
        return [], []
    letters = list(session.exec(queries.by_ids(seen, viewer)))
    shown = {item.id for item in letters}
    return letters, [link for link in links.values() if link.from_letter_id in shown and link.to_letter_id in shown]


def _render_letter(session, letter: Letter, status: int = 200, action_error: str | None = None, **forms):
    viewer = access.current_viewer()
    today = clock.today_in()
    thread, links = thread_of(session, letter, viewer)
    by_id = {item.id: item for item in thread}
    relations: dict[int, list] = defaultdict(list)
    for link in sorted(links, key=lambda link: link.id):
        relations[link.from_letter_id].append((link.kind, by_id[link.to_letter_id], "to"))
        relations[link.to_letter_id].append((link.kind, by_id[link.from_letter_id], "from"))
    commitments = list(session.exec(commitment_queries.from_letter(letter.id, viewer)))
    replied_on = first_replies(session, [letter, *thread], viewer)
    context = dict(
        letter=letter, badge=reply_badge(letter, today, replied_on.get(letter.id)), replied_on=replied_on,
        participants=participants_by_letter(session, [letter.id])[letter.id], roles=PARTICIPANT_ROLES,
        files=list(session.exec(queries.files_of(letter.id))), thread=thread, relations=relations,
        thread_badges={item.id: reply_badge(item, today, replied_on.get(item.id)) for item in thread},
        commitments=commitments,
        events=history.timeline(session, viewer, "letter", letter.id), action_error=action_error)
    if current_user.can_edit:
        link_form = forms.get("link_form") or LinkForm(formdata=None)
        context.update(new_commitment_url=new_commitment_url(session, letter),
                       reply_url=reply_url(letter, context["participants"]), link_form=link_form, no_reply_form=forms.get("no_reply_form") or NoReplyForm(formdata=None),
                       reopen_form=ActionForm(formdata=None),
                       upload_form=forms.get("upload_form") or UploadForm(formdata=None))
    return render_template("letters/detail.html", **context), status


def new_commitment_url(session, letter: Letter) -> str:
    """The new-commitment form filled from this letter: its source, the authors' parties as made by, the
    recipients' as made to, the owner by the owner rule, and a promise for an outgoing letter (a request for
    an incoming one)."""
    sides = letter_sides(session, letter.id)
    kind = "request" if letter.direction == "incoming" else "promise"
    owner = suggested_owner(session, kind, made_by=sides.made_by, made_to=sides.made_to,
                            by_people=sides.by_people, to_people=sides.to_people)
    return url_for("commitments.new", source_letter_id=letter.id, kind=kind, made_by=sides.made_by,
                   made_to=sides.made_to, **({"owner": owner} if owner else {}))


def reply_url(letter: Letter, participants: dict[str, list]) -> str:
    """The new-letter form for the reply: replying to this letter, "Re: <subject>", the other direction, its
    authors as recipients and its recipients as authors; the date is left for staff to enter."""
    swapped = {}
    for role, other in (("author", "recipient"), ("recipient", "author")):
        rows = participants.get(role) or []
        swapped[f"{other}_parties"] = [p.party_id for p, _party, _person in rows if p.party_id and not p.person_id]
        swapped[f"{other}_people"] = [p.person_id for p, _party, _person in rows if p.person_id]
    return url_for("letters.new", replies_to=letter.id, subject=reply_subject(letter.subject),
                   direction=reply_direction(letter.direction), **swapped)


@blueprint.route("/<int:letter_id>")
def detail(letter_id: int):
    session = get_session()
    return _render_letter(session, _visible_letter_or_404(session, letter_id))


@blueprint.route("/<int:letter_id>/files/<int:file_id>")
def download(letter_id: int, file_id: int):
    session = get_session()
    _visible_letter_or_404(session, letter_id)
    stored = session.exec(queries.file_of(letter_id, file_id)).first()
    if stored is None:
        abort(404)
    # Always a download: an uploaded HTML file must never run as one of our pages.
    # Names stored before uploads were checked may hold characters no header can carry.
    response = send_file(BytesIO(stored.data), mimetype=_content_type(stored.content_type), as_attachment=True,
                         download_name=validation.file_name(stored.filename), max_age=0)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _content_type(value: str | None) -> str:
    """A stored content type fit for a header: type/subtype in plain ASCII, else a generic one."""
    value = (value or "").strip()
    if re.fullmatch(r"[A-Za-z0-9!#$&^_.+-]{1,100}/[A-Za-z0-9!#$&^_.+-]{1,100}", value):
        return value
    return "application/octet-stream"


def _read_upload(storage) -> tuple[str, str, bytes] | None:
    """(filename, content type, bytes) of an uploaded file, None when none was chosen; refuses oversize ones."""
    if storage is None or not getattr(storage, "filename", ""):
        return None
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = storage.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(f"{storage.filename} is larger than the limit of {_size(limit)}; nothing was saved",
                           "file")
    if not data:
        raise InvalidInput(f"{storage.filename} is empty", "file")
    return validation.file_name(storage.filename), _content_type(storage.mimetype), data


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def _letter_form(session, **kwargs) -> LetterForm:
    return LetterForm(**kwargs)


def _letter_values(session, form: LetterForm) -> dict:
    """The operation's arguments from a submitted form; titles left empty come from roles held that day."""
    sent_on, precision = parse_letter_date(form.sent_on.data)
    chosen_ids = {person_id for role in PARTICIPANT_ROLES for person_id in form[f"{role}_people"].data}
    chosen = {person.id: person.name for person in session.exec(people_by_ids(chosen_ids))} if chosen_ids else {}
    titles = parse_titles(form.titles.data, chosen)
    participants = []
    for role in PARTICIPANT_ROLES:
        participants += [operations.ParticipantInput(role, party_id=party_id)
                         for party_id in dict.fromkeys(form[f"{role}_parties"].data)]
        participants += [operations.ParticipantInput(role, person_id=person_id, title=titles.get(person_id))
                         for person_id in dict.fromkeys(form[f"{role}_people"].data)]
    return dict(sent_on=sent_on, date_precision=precision, subject=form.subject.data, direction=form.direction.data,
                body=form.body.data or "", source_url=form.source_url.data or None,
                participants=operations.resolve_titles(session, participants, sent_on))


def reply_prefill_of_query(session, args) -> dict:
    """The new-letter form's first values from the query string ("Log the reply" on a letter page).

    replies_to (a letter the viewer may not see answers 404, as its page does), subject, direction, and
    author_/recipient_ parties and people (each may repeat; ids the viewer may not see, and anything that is not
    an id, are left out). The date is never filled: staff enter the day the reply was sent.
    """
    data: dict = {}
    if args.get("replies_to"):
        letter = access.get_visible(session, access.current_viewer(), Letter, typed_id(args["replies_to"]))
        if letter is None:
            abort(404)
        data["replies_to"] = letter.id
    if args.get("subject"):
        data["subject"] = args["subject"].strip()[:500]
    if args.get("direction") in DIRECTIONS:
        data["direction"] = args["direction"]
    for role in ("author", "recipient", "cc"):
        for what, kind in (("parties", "parties"), ("people", "people")):
            name = f"{role}_{what}"
            wanted = [i for i in (typed_id(value) for value in args.getlist(name)) if i is not None]
            visible = labels_of(KINDS[kind], wanted)
            data[name] = [i for i in dict.fromkeys(wanted) if i in visible]
    return data


@blueprint.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    session = get_session()
    form = _letter_form(session) if request.method == "POST" else _letter_form(
        session, data=reply_prefill_of_query(session, request.args))

    def write():
        values = _letter_values(session, form)
        upload = _read_upload(form.file.data)
        replied = None
        if form.replies_to.data:
            # The picker resolved the id among the letters this viewer may see; asked again, failing closed.
            replied = access.get_visible(session, access.current_viewer(), Letter, form.replies_to.data)
            if replied is None:
                raise InvalidInput("choose the letter this one replies to: type its subject or its number",
                                   "replies_to")
        letter = operations.log_letter(session, **values, actor=Actor.of(current_user))
        if replied is not None:
            operations.link_letters(session, letter, replied, "replies_to", actor=Actor.of(current_user))
        if upload:
            filename, content_type, data = upload
            operations.attach_file(session, letter, filename=filename, content_type=content_type, data=data,
                                   max_bytes=current_app.config["MAX_UPLOAD_BYTES"], actor=Actor.of(current_user))
        return letter

    saved = form.validate_on_submit() and save_or_report(
        form, write, lambda letter: f"Letter “{letter.subject}” logged.")
    if saved:
        return redirect(url_for("letters.detail", letter_id=saved.value.id))
    status = 400 if request.method == "POST" else 200
    return render_template("letters/form.html", form=form, letter=None), status


def _initial_data(session, letter: Letter) -> dict:
    data = {"sent_on": letter.sent_on.strftime("%Y-%m") if letter.date_precision == "month" else letter.sent_on.isoformat(),
            "subject": letter.subject, "direction": letter.direction, "body": letter.body,
            "source_url": letter.source_url or ""}
    titles = {}
    for role in PARTICIPANT_ROLES:
        data[f"{role}_parties"], data[f"{role}_people"] = [], []
    for participant, _party, person in session.exec(queries.participants_of([letter.id])):
        if participant.person_id:
            data[f"{participant.role}_people"].append(participant.person_id)
            if participant.title:
                titles[person.name] = participant.title
        else:
            data[f"{participant.role}_parties"].append(participant.party_id)
    data["titles"] = "\n".join(f"{name}: {title}" for name, title in titles.items())
    return data


@blueprint.route("/<int:letter_id>/edit", methods=["GET", "POST"])
@editor_required
def edit(letter_id: int):
    session = get_session()
    letter = _visible_letter_or_404(session, letter_id)
    form = _letter_form(session) if request.method == "POST" else _letter_form(session, data=_initial_data(session, letter))
    if form.validate_on_submit() and save_or_report(form, lambda: operations.update_letter(
            session, letter, **_letter_values(session, form), reply_by_days=current_app.config["REPLY_BY_DAYS"],
            actor=Actor.of(current_user)), "Letter saved."):
        return redirect(url_for("letters.detail", letter_id=letter.id))
    status = 400 if request.method == "POST" else 200
    return render_template("letters/form.html", form=form, letter=letter), status


@blueprint.route("/<int:letter_id>/links", methods=["POST"])
@editor_required
def link(letter_id: int):
    session = get_session()
    letter = _visible_letter_or_404(session, letter_id)
    form = LinkForm()

    def write():
        if form.target.data is None:
            raise InvalidInput("choose a letter: type its subject or its number", "target")
        # The picker resolved the id among the letters this viewer may see.
        target = access.get_visible(session, access.current_viewer(), Letter, form.target.data)
        operations.link_letters(session, letter, target, form.kind.data, actor=Actor.of(current_user))
        return target

    if form.validate_on_submit() and save_or_report(form, write, lambda target: (
            f"Linked: this letter {form.kind.data.replace('_', ' ')} “{target.subject}”.")):
        return redirect(url_for("letters.detail", letter_id=letter.id))
    return _render_letter(session, letter, 400, link_form=form)


@blueprint.route("/<int:letter_id>/no-reply", methods=["POST"])
@editor_required
def no_reply(letter_id: int):
    session = get_session()
    letter = _visible_letter_or_404(session, letter_id)
    form = NoReplyForm()
    if form.validate_on_submit():
        try:
            operations.mark_no_reply_needed(session, letter, (form.reason.data or "").strip(),
                                            actor=Actor.of(current_user))
        except InvalidInput as error:
            session.rollback()
            return _render_letter(session, letter, 400, action_error=str(error), no_reply_form=form)
        session.commit()
        flash("Marked “no reply needed”.")
        return redirect(url_for("letters.detail", letter_id=letter.id))
    return _render_letter(session, letter, 400, no_reply_form=form)


@blueprint.route("/<int:letter_id>/reopen", methods=["POST"])
@editor_required
def reopen(letter_id: int):
    session = get_session()
    letter = _visible_letter_or_404(session, letter_id)
    if ActionForm().validate_on_submit():
        try:
            operations.reopen_reply(session, letter, actor=Actor.of(current_user))
        except InvalidInput as error:
            session.rollback()
            return _render_letter(session, letter, 400, action_error=str(error))
        session.commit()
        flash("Reopened: the letter awaits a reply again.")
    return redirect(url_for("letters.detail", letter_id=letter.id))


@blueprint.route("/<int:letter_id>/files", methods=["POST"])
@editor_required
def upload(letter_id: int):
    session = get_session()
    letter = _visible_letter_or_404(session, letter_id)
    form = UploadForm()

    def write():
        received = _read_upload(form.file.data)
        if received is None:
            raise InvalidInput("choose a file to upload", "file")
        filename, content_type, data = received
        operations.attach_file(session, letter, filename=filename, content_type=content_type, data=data,
                               max_bytes=current_app.config["MAX_UPLOAD_BYTES"], actor=Actor.of(current_user))
        return filename

    # Every refusal here names the file field, the only place the upload form shows a message.
    if form.validate_on_submit() and save_or_report(form, write, lambda filename: f"Attached {filename}."):
        return redirect(url_for("letters.detail", letter_id=letter.id))
    return _render_letter(session, letter, 400, upload_form=form)
