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
from tracker.reports import queries, render

blueprint = Blueprint("reports", __name__)

# Rows per section. Counts in the summary are always complete; a longer list says how many were left out and links
# to the full list, so a report costs the same whatever the size of the database.
REPORT_ROWS_CAP = 300
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
    return _send(build(session, viewer, party), extension)


def _all_parties_report(extension: str):
    return _send(build(get_session(), access.current_viewer(), None), extension)


def _send(report: render.Report, extension: str) -> Response:
    body = render.to_pdf(report) if extension == "pdf" else render.to_xlsx(report)
    return Response(body, mimetype=MIMETYPES[extension],
                    headers={"Content-Disposition": f'attachment; filename="{report.filename(extension)}"'})


def build(session: Session, viewer: Viewer, party: Party | None) -> render.Report:
    """The report of one party (what was promised to it, asked by it, its letters awaiting a reply), or of every
    party the viewer may see; every list and count through the access policy."""
    today = clock.today_in()
    within = int(current_app.config["DUE_SOON_DAYS"])
    base = current_app.config["BASE_URL"].rstrip("/")
    party_id = party.id if party else None
    rows = {kind: list(session.exec(queries.commitments(kind, viewer, party_id).limit(REPORT_ROWS_CAP)))
            for kind, _side in queries.SECTIONS}
    letters = list(session.exec(queries.awaiting_reply(viewer, party_id).limit(REPORT_ROWS_CAP)))
    shown = rows["promise"] + rows["request"]
    sides = related.commitment_parties(session, shown)
    owners = {pid: person.name for pid, person in related.commitment_people(session, shown).items()}
    participants = related.letter_participants(session, letters)

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
        lines = [render.commitment_line(c, today, within, sides[c.id], owners, base) for c in rows[kind]]
        # A party report names the parties on the other side; the all-parties report the party it concerns.
        column = ("made_by" if kind == "promise" else "made_to") if party else ("made_to" if kind == "promise"
                                                                               else "made_by")
        return render.Section(title=title, sheet=sheet, kind="commitments", rows=lines,
                              total=sum(counts[kind].values()), parties_column=column,
                              empty=EMPTY[kind][0 if party else 1],
                              full_list_url=list_url)

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
        return render.Report(title=f"Commitments report: {party.name}", scope=_scope_of_party(party),
                             as_of=today, summary=summary, sections=sections)
    summary = _summary_by_party(session, viewer, today, within) + [
        render.summary_line("All parties", "Promises", counts["promise"]),
        render.summary_line("All parties", "Requests", counts["request"]),
        render.letters_summary_line("All parties", awaiting, late)]
    return render.Report(title="Commitments report: all parties", scope=_scope_of_viewer(viewer), as_of=today,
                         summary=summary, sections=sections)


def _summary_by_party(session: Session, viewer: Viewer, today: date, within: int) -> list[render.SummaryLine]:
    """Each visible party's promises received, requests made and letters awaiting a reply (parties with none left
    out); a commitment shared by several parties counts for each of them, so the "All parties" lines are counted
    on their own."""
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for party_id, kind, state, count in session.exec(queries.state_counts_by_party(today, within, viewer)):
        counts[(party_id, kind)][state] = count
    letters = {party_id: (awaiting, late)
               for party_id, awaiting, late in session.exec(queries.awaiting_reply_counts_by_party(today, viewer))}
    party_ids = {party_id for party_id, _kind in counts} | set(letters)
    if not party_ids:
        return []
    lines = []
    for party in session.exec(queries.parties_named(party_ids, viewer)):
        for kind, _side in queries.SECTIONS:
            if counts.get((party.id, kind)):
                lines.append(render.summary_line(party.short_name, SECTION_TITLES[kind][2], counts[(party.id, kind)]))
        if party.id in letters:
            lines.append(render.letters_summary_line(party.short_name, *letters[party.id]))
    return lines


def _scope_of_party(party: Party) -> str:
    return f"What was promised to {party.short_name}, what it asked of us, and its letters awaiting a reply."


def _scope_of_viewer(viewer: Viewer) -> str:
    if viewer.sees_everything:
        return "Every party's promises, requests and letters awaiting a reply."
    return "The promises, requests and letters awaiting a reply of the parties this account may see."
