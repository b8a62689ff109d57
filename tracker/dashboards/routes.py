"""The overview (what is late, due, undecided, done) and the page of one party."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup

from tracker import access, clock, history
from tracker.commitments.models import row_state, timing
from tracker.dashboards import queries, related
from tracker.dashboards.svg import timeline_svg
from tracker.db import get_session
from tracker.letters.models import reply_badge
from tracker.letters.queries import listing
from tracker.letters.routes import first_replies
from tracker.parties.models import Party, Person
from tracker.parties.queries import roles_of_party
from tracker.phases.related import counts_for_party as phase_counts_for_party

blueprint = Blueprint("dashboards", __name__)

# Rows per list on the dashboards; each list links to the full, filtered list.
LIST_CAP = 20
# Commitments drawn on a party's timeline (the latest due ones).
TIMELINE_CAP = 30


@blueprint.route("/")
def overview():
    session = get_session()
    viewer = access.current_viewer()
    today = clock.today_in()
    within = current_app.config["DUE_SOON_DAYS"]
    counts = session.exec(queries.overview_counts(today, within, viewer)).one()
    lists = {
        "overdue": list(session.exec(queries.overdue(today, viewer).limit(LIST_CAP))),
        "due_soon": list(session.exec(queries.due_soon(today, within, viewer).limit(LIST_CAP))),
        "needs_decision": list(session.exec(queries.needs_decision(viewer).limit(LIST_CAP))),
        "recently_done": list(session.exec(queries.recently_done(today, viewer).limit(LIST_CAP))),
    }
    late_letters = list(session.exec(queries.late_letters(today, viewer).limit(LIST_CAP)))
    shown = [c for rows in lists.values() for c in rows]
    return render_template("dashboards/overview.html", title="Overview", today=today, within=within,
                           counts=counts._mapping, lists=lists, late_letters=late_letters, cap=LIST_CAP,
                           parties=related.commitment_parties(session, shown),
                           people=related.commitment_people(session, shown),
                           participants=related.letter_participants(session, late_letters),
                           reply_badges={letter.id: reply_badge(letter, today) for letter in late_letters},
                           replied_on={},
                           timing_of=lambda c: timing(c, today, within))


@blueprint.route("/parties/<int:party_id>")
def party(party_id: int):
    session = get_session()
    viewer = access.current_viewer()
    party = access.get_visible(session, viewer, Party, party_id)
    if party is None:
        abort(404)
    today = clock.today_in()
    within = current_app.config["DUE_SOON_DAYS"]
    sides = party_sides(party)
    # Every list below involves this party, which the viewer may see; the policy is still applied so that the
    # page stays right if what makes a record visible ever changes.
    summary, listed = read_party_commitments(session, party_id, sides, today, within, viewer)
    promised, asked, timeline_rows = listed["promised"], listed["asked"], listed["timeline"]
    # The on-time rate is read off the summary line's counts: done on time out of done on time or late.
    on_time = summary["done_on_time"]
    finished = on_time + summary["done_late"]
    timeline_rows.reverse()  # earliest due at the top
    letters = list(session.exec(listing(viewer, party_id=party_id).limit(LIST_CAP)))
    replied_on = first_replies(session, letters, viewer)
    shown = promised + asked
    roles = current_roles(session.exec(roles_of_party(party_id)), today)
    return render_template("dashboards/party.html", title=party.name, party=party, today=today, sides=sides,
                           summary=summary, summary_states=queries.SUMMARY_STATES,
                           phase_counts=phase_counts_for_party(session, party_id, viewer),
                           promised=promised, asked=asked, cap=LIST_CAP,
                           on_time_rate=on_time_rate(finished, on_time), finished=finished, on_time=on_time,
                           roles=roles, letters=letters, participants=related.letter_participants(session, letters),
                           reply_badges={letter.id: reply_badge(letter, today, replied_on.get(letter.id))
                                         for letter in letters}, replied_on=replied_on,
                           parties=related.commitment_parties(session, shown),
                           people=related.commitment_people(session, shown),
                           timeline=Markup(timeline_svg(timeline_rows, today)), timeline_cap=TIMELINE_CAP,
                           timing_of=lambda c: timing(c, today, within),
                           state_of=lambda c: row_state(c, today, within),
                           # Named only when the reader may see that person (tracker.access.people).
                           default_owner=access.get_visible(session, viewer, Person, party.default_owner_id),
                           events=history.timeline(session, viewer, "party", party_id))


def read_party_commitments(session, party_id: int, sides: "PartySides", today: date, within: int, viewer):
    """({summary state: count}, {list name: [Commitment]}) for the party page, from its one statement
    (queries.party_page)."""
    statement = queries.party_page(sides.promises, sides.requests, today, within, viewer, LIST_CAP, TIMELINE_CAP)
    rows = session.exec(statement, params={"party_id": party_id}).all()
    summary = {name: rows[0]._mapping[name] for name in (*queries.SUMMARY_STATES, "open_requests")}
    listed: dict[str, list] = {name: [] for name in queries.PARTY_LISTS}
    for row in rows:
        if row.list is not None:
            listed[row.list].append(row.Commitment)
    return summary, listed


@dataclass(frozen=True)
class PartySides:
    """Which side of a commitment the party is on in each list of its page."""
    promises: str   # "to": promises made to them; "by": promises they (our own office) made
    requests: str   # "by": requests they made of us; "to": requests made of them


def party_sides(party: Party) -> PartySides:
    """An outside group is promised things and asks things of us; one of our own offices (the CEO's, the Board)
    makes the promises and is asked: listing its promises "to" it would show none while it has many."""
    return PartySides("by", "to") if party.is_internal else PartySides("to", "by")


def on_time_rate(finished: int, on_time: int) -> str:
    """"83%" of finished dated commitments done by their last on-time day; "n/a" when none are finished."""
    if not finished:
        return "n/a"
    return f"{round(100 * on_time / finished)}%"


def current_roles(rows, today: date) -> list:
    """The (Role, Person) rows held today."""
    return [(role, person) for role, person in rows
            if (role.starts_on is None or role.starts_on <= today) and (role.ends_on is None or role.ends_on >= today)]
