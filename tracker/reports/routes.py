"""Board reports: one party's, or every party the reader may see, as PDF or spreadsheet."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app
from sqlmodel import Session

from tracker import access, clock
from tracker.access import Viewer
from tracker.dashboards import related
from tracker.db import get_session
from tracker.parties.models import Party
from tracker.parties.queries import names_of_people
from tracker.phases import queries as phase_queries
from tracker.phases.models import display_name
from tracker.phases.related import counts_for_party as phase_counts_for_party
from tracker.phases.related import phases_of
from tracker.reports import cache, queries, render

blueprint = Blueprint("reports", __name__)

# Rows per section. Counts in the summary are always complete; a longer list says how many were left out and links
# to the full list, so a report costs the same whatever the size of the database.
REPORT_ROWS_CAP = 300
# Parties in the all-parties report's summary (up to three lines each), under the same rule.
SUMMARY_PARTIES_CAP = REPORT_ROWS_CAP // 3
EMPTY = {"promise": ("Nothing was promised to them.", "Nothing was promised."),
         "request": ("They have asked nothing of us.", "Nothing was asked of us.")}
MIMETYPES = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SECTION_TITLES = {  # kind → (party report, all-parties report, spreadsheet tab of each)
    "promise": ("What we promised them", "Promises", "Promised to them", "Promises"),
    "request": ("What they asked of us", "Requests", "Asked by them", "Requests"),
}


@blueprint.route("/parties/<int:party_id>/report.pdf")
def party_pdf(party_id: int):
    return _party_report(party_id, "pdf")


@blueprint.route("/parties/<int:party_id>/report.xlsx")
def party_xlsx(party_id: int):
    return _party_report(party_id, "xlsx")


@blueprint.route("/report.pdf")
def all_pdf():
    return _all_parties_report("pdf")


@blueprint.route("/report.xlsx")
def all_xlsx():
    return _all_parties_report("xlsx")


def _party_report(party_id: int, extension: str):
    session, viewer = get_session(), access.current_viewer()
    party = access.get_visible(session, viewer, Party, party_id)
    if party is None:
        abort(404)
    return _send(session, viewer, party, extension)


def _all_parties_report(extension: str):
    return _send(get_session(), access.current_viewer(), None, extension)


def _send(session: Session, viewer: Viewer, party: Party | None, extension: str) -> Response:
    """The report as a download: the file, or the report it is written from, kept from an earlier request when
    nothing it shows has changed since (tracker.reports.cache); built otherwise."""
    key, keep = cache.key_of(session, viewer, party.id if party else None, REPORT_ROWS_CAP, SUMMARY_PARTIES_CAP)
    kept = cache.of_app()
    file = kept.get((*key, extension)) if key is not None else None
    if file is None:
        report = kept.get(key) if key is not None else None
        if report is None:
            report = build(session, viewer, party)
            if keep:
                kept.put(key, report)
        file = (render.to_pdf(report) if extension == "pdf" else render.to_xlsx(report), report.filename(extension))
        if keep:
            kept.put((*key, extension), file)
    body, filename = file
    return Response(body, mimetype=MIMETYPES[extension],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def build(session: Session, viewer: Viewer, party: Party | None) -> render.Report:
    """The report of one party (what was promised to it, asked by it, its letters awaiting a reply), or of every
    party the viewer may see; every list and count through the access policy."""
    today = clock.today_in()
    within = int(current_app.config["DUE_SOON_DAYS"])
    base = current_app.config["BASE_URL"].rstrip("/")
    party_id = party.id if party else None
    rows = {kind: _first_rows(session, queries.commitments(kind, viewer, party_id), REPORT_ROWS_CAP)
            for kind, _side in queries.SECTIONS}
    letters = session.execute(queries.awaiting_reply_rows(viewer, party_id).limit(REPORT_ROWS_CAP)).all()
    shown = rows["promise"] + rows["request"]
    sides = related.commitment_parties(session, shown)
    owner_ids = {c.owner_id for c in shown if c.owner_id is not None}
    owners = {person.id: person.name for person in session.exec(names_of_people(owner_ids))} if owner_ids else {}
    participants = related.letter_participants(session, letters)
    phase_kinds = {phase.kind for phase in session.exec(phase_queries.all_phases())}
    phases = phases_of(session, shown) if phase_kinds else {}

    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, state, count in session.exec(queries.state_counts(today, within, viewer, party_id)):
        counts[kind][state] = count
    awaiting, late = session.exec(queries.awaiting_reply_counts(today, viewer, party_id)).one()

    def commitment_section(kind):
        titles = SECTION_TITLES[kind]
        title, sheet = (titles[0], titles[2]) if party else (titles[1], titles[3])
        side = dict(queries.SECTIONS)[kind]
        list_url = f"{base}/commitments/?" + urlencode({"kind": kind, **({"party": party_id, "side": side}
                                                                        if party else {})})
        lines = [render.commitment_line(c, today, within, sides[c.id], owners, base,
                                        display_name(phases.get(c.phase_id))) for c in rows[kind]]
        # A party report names the parties on the other side; the all-parties report the party it concerns.
        column = ("made_by" if kind == "promise" else "made_to") if party else ("made_to" if kind == "promise"
                                                                               else "made_by")
        return render.Section(title=title, sheet=sheet, kind="commitments", rows=lines,
                              total=sum(counts[kind].values()), parties_column=column,
                              empty=EMPTY[kind][0 if party else 1],
                              full_list_url=list_url, shows_phase=kind in phase_kinds)

    letters_url = f"{base}/letters/?" + urlencode({"reply": "awaiting_reply", **({"party": party_id} if party else {})})
    letters_section = render.Section(
        title="Letters awaiting a reply", sheet="Awaiting reply", kind="letters",
        rows=[render.letter_line(letter, participants[letter.id], today, base) for letter in letters],
        total=awaiting, parties_column="", empty="No letter is awaiting a reply.", full_list_url=letters_url)
    sections = [commitment_section("promise"), commitment_section("request"), letters_section]

    if party:
        summary = [render.summary_line(party.name, SECTION_TITLES["promise"][0], counts["promise"]),
                   render.summary_line(party.name, SECTION_TITLES["request"][0], counts["request"]),
                   render.letters_summary_line(party.name, awaiting, late)]
        phase_counts = [render.PhaseCount(kind, display_name(phase), count)
                        for kind, counted in phase_counts_for_party(session, party.id, viewer)
                        for phase, count in counted]
        return render.Report(title=f"Commitments report: {party.name}", scope=_scope_of_party(party),
                             as_of=today, summary=summary, sections=sections, phase_counts=phase_counts)
    by_party, note = _summary_by_party(session, viewer, today, within, base)
    summary = by_party + [
        render.summary_line("All parties", "Promises", counts["promise"]),
        render.summary_line("All parties", "Requests", counts["request"]),
        render.letters_summary_line("All parties", awaiting, late)]
    return render.Report(title="Commitments report: all parties", scope=_scope_of_viewer(viewer), as_of=today,
                         summary=summary, sections=sections, summary_note=note)


def _first_rows(session: Session, statements, cap: int) -> list:
    """The first `cap` rows of these statements read in turn, stopping once there are enough (rows of a few
    columns: execute, not exec, which would give the first column of each)."""
    rows = []
    for statement in statements:
        if len(rows) >= cap:
            break
        rows += session.execute(statement.limit(cap - len(rows))).all()
    return rows


def _summary_by_party(session: Session, viewer: Viewer, today: date, within: int,
                      base: str) -> tuple[list[render.SummaryLine], str]:
    """Each visible party's promises received, requests made and letters awaiting a reply (parties with none left
    out) for the first SUMMARY_PARTIES_CAP visible parties by name, and a note saying how many there are when there
    are more;
    a commitment shared by several parties counts for each of them, so the "All parties" lines are counted on
    their own."""
    parties = list(session.exec(queries.parties_in_summary(viewer).limit(SUMMARY_PARTIES_CAP + 1)))
    note = ""
    if len(parties) > SUMMARY_PARTIES_CAP:
        parties = parties[:SUMMARY_PARTIES_CAP]
        total = session.exec(queries.count_of(queries.parties_in_summary(viewer))).one()
        note = (f"The first {SUMMARY_PARTIES_CAP} of {total} parties are shown, by name (a party with nothing to "
                f"report is left out); every party's report: {base}/parties/")
    if not parties:
        return [], note
    party_ids = [party_id for party_id, _name in parties]
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for party_id, kind, state, count in session.exec(queries.state_counts_by_party(today, within, viewer,
                                                                                   party_ids)):
        counts[(party_id, kind)][state] = count
    letters = {party_id: (awaiting, late) for party_id, awaiting, late
               in session.exec(queries.awaiting_reply_counts_by_party(today, viewer, party_ids))}
    lines = []
    for party_id, short_name in parties:
        for kind, _side in queries.SECTIONS:
            if counts.get((party_id, kind)):
                lines.append(render.summary_line(short_name, SECTION_TITLES[kind][2], counts[(party_id, kind)]))
        if party_id in letters:
            lines.append(render.letters_summary_line(short_name, *letters[party_id]))
    return lines, note


def _scope_of_party(party: Party) -> str:
    return f"What was promised to {party.short_name}, what it asked of us, and its letters awaiting a reply."


def _scope_of_viewer(viewer: Viewer) -> str:
    if viewer.sees_everything:
        return "Every party's promises, requests and letters awaiting a reply."
    return "The promises, requests and letters awaiting a reply of the parties this account may see."
