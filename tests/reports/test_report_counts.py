"""The board reports' counts and lists agree with a reference computed in Python from every row: each commitment's
state by timing(), counted per kind and per party on its side, and the every-party lists in the list order (open
ones soonest due first, undated last, then the latest closed), on the sample record and on generated data."""
from __future__ import annotations

import sys
from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, func, select

from tests.conftest import ROOT
from tests.dashboards import dataset
from tracker import access
from tracker.access import Viewer
from tracker.commitments.models import ACTIVE_STATUSES, Commitment, CommitmentParty, timing
from tracker.parties.models import Party
from tracker.reports import queries, render, routes

TODAY = date(2010, 5, 12)
WITHIN = 14
EVERYONE = Viewer(role="admin", party_ids=None)


def reference(session: Session, viewer: Viewer):
    """(totals {kind: Counter of states}, {(party_id, kind): Counter}, {kind: commitment ids in list order}) from
    every commitment the viewer may see, read whole and judged in Python."""
    visible = set(session.exec(select(Commitment.id).where(access.commitments(viewer))))
    commitments = {c.id: c for c in session.exec(select(Commitment)) if c.id in visible}
    sides = dict(queries.SECTIONS)
    totals = {kind: Counter() for kind in sides}
    for c in commitments.values():
        if c.kind in totals:
            totals[c.kind][timing(c, TODAY, WITHIN)] += 1
    by_party: dict[tuple[int, str], Counter] = {}
    for link in session.exec(select(CommitmentParty)):
        c = commitments.get(link.commitment_id)
        if c is not None and sides.get(c.kind) == link.side:
            by_party.setdefault((link.party_id, c.kind), Counter())[timing(c, TODAY, WITHIN)] += 1

    def list_order(c):
        if c.status in ACTIVE_STATUSES:
            return (0, c.due_latest is None, c.due_latest or date.min, -c.id)
        return (1, c.due_latest is None, -(c.due_latest.toordinal() if c.due_latest else 0), -c.id)

    order = {kind: [c.id for c in sorted((c for c in commitments.values() if c.kind == kind), key=list_order)]
             for kind in sides}
    return totals, by_party, order


def check_report(app, session: Session, viewer: Viewer, cap: int) -> None:
    totals, by_party, order = reference(session, viewer)
    with app.test_request_context():
        report = routes.build(session, viewer, None)
    assert report.as_of == TODAY
    # The lists: the first `cap` of each kind, in list order.
    for section, kind in zip(report.sections, ("promise", "request")):
        assert [int(line.url.rsplit("/", 1)[1]) for line in section.rows] == order[kind][:cap], kind
        assert section.total == sum(totals[kind].values())
    # The "All parties" lines: every visible commitment of the kind, once.
    lines = {(line.party, line.section): line.counts for line in report.summary}
    for kind, section in (("promise", "Promises"), ("request", "Requests")):
        assert lines[("All parties", section)] == render.summary_line("", "", totals[kind]).counts
    # A line per party (of the first ones by name) and kind it has commitments of, none for the others.
    shown = list(session.exec(queries.parties_in_summary(viewer).limit(routes.SUMMARY_PARTIES_CAP)))
    expected = {(short_name, routes.SECTION_TITLES[kind][2]): render.summary_line("", "", counted).counts
                for party_id, short_name in shown for kind in ("promise", "request")
                if (counted := by_party.get((party_id, kind)))}
    assert {key: counts for key, counts in lines.items() if key[1] in ("Promised to them", "Asked by them")} \
        == expected
    assert expected, "no party has commitments: the comparison would prove nothing"


def check_party_reports(app, session: Session, viewer: Viewer, party_ids) -> None:
    """Each party report's summary lines count what the reference counts for that party on its side."""
    _totals, by_party, _order = reference(session, viewer)
    for party_id in party_ids:
        party = session.get(Party, party_id)
        with app.test_request_context():
            report = routes.build(session, viewer, party)
        lines = {line.section: line.counts for line in report.summary}
        for kind in ("promise", "request"):
            counted = by_party.get((party_id, kind), Counter())
            assert lines[routes.SECTION_TITLES[kind][0]] == render.summary_line("", "", counted).counts, (party_id,
                                                                                                         kind)


@pytest.fixture()
def record(session):
    return dataset.build(session)


@pytest.mark.parametrize("cap", [300, 3, 1])
def test_counts_and_lists_match_the_rows_on_the_sample_record(app, session, record, monkeypatch, cap):
    monkeypatch.setattr(routes, "REPORT_ROWS_CAP", cap)
    check_report(app, session, EVERYONE, cap)
    check_report(app, session, Viewer(role="viewer", party_ids=frozenset({record.gnso.id})), cap)
    check_party_reports(app, session, EVERYONE, [record.ccnso.id, record.gnso.id, record.ceo.id])


@pytest.fixture(scope="module")
def generated(make_database):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import bench_pages

    url = make_database()
    bench_pages.generate(url, 400, TODAY)
    app = bench_pages.create_app({"DATABASE_URL": url, "NOW": f"{TODAY.isoformat()}T09:00:00+00:00",
                                  "TESTING": False, "SECRET_KEY": "test-only-secret-of-at-least-32-characters",
                                  "DUE_SOON_DAYS": WITHIN, "REPORT_CACHE_SIZE": 0})
    yield app
    app.extensions["db"].engine.dispose()


def test_counts_and_lists_match_the_rows_on_generated_data(generated, monkeypatch):
    with generated.app_context(), Session(generated.extensions["db"].engine) as session:
        open_dated = session.exec(select(Commitment.id).where(
            Commitment.kind == "promise", Commitment.status.in_(ACTIVE_STATUSES),
            Commitment.due_latest.is_not(None))).all()
        parties = session.exec(select(Party.id).order_by(Party.name)).all()
        # Caps that end within the open dated ones, and past them into the undated and the closed ones.
        for cap in (5, len(open_dated) + 3, 10_000):
            monkeypatch.setattr(routes, "REPORT_ROWS_CAP", cap)
            check_report(generated, session, EVERYONE, cap)
        monkeypatch.setattr(routes, "REPORT_ROWS_CAP", 50)
        limited = Viewer(role="viewer", party_ids=frozenset(parties[::7]))
        check_report(generated, session, limited, 50)
        busiest = session.exec(select(CommitmentParty.party_id).group_by(CommitmentParty.party_id)
                               .order_by(func.count().desc(), CommitmentParty.party_id)).first()
        check_party_reports(generated, session, EVERYONE, [busiest, *parties[:5]])
        check_party_reports(generated, session, limited, parties[::7][:5])


def _plan(session: Session, statement) -> list[str]:
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    return [row[3] for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled))]


def test_every_commitment_is_counted_from_the_timing_index_alone(generated):
    """SQLite counts the states of every commitment from ix_commitment_timing, which holds every column the state
    is judged from: no whole commitment row is read (PostgreSQL's index-only scan needs its visibility map, which
    autovacuum keeps; its planner is left to choose)."""
    with generated.app_context(), Session(generated.extensions["db"].engine) as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("the plan is checked on SQLite")
        plan = _plan(session, queries.state_counts(TODAY, WITHIN, EVERYONE))
    assert plan[0].startswith(("SCAN commitment USING COVERING INDEX ix_commitment_timing",
                               "SEARCH commitment USING COVERING INDEX ix_commitment_timing")), plan


def test_each_party_is_counted_from_its_links_on_the_sections_side(generated):
    """SQLite counts the listed parties' commitments from their links on each section's side (the link index) and
    looks up only those commitments, not every commitment of both kinds from the timing index."""
    with generated.app_context(), Session(generated.extensions["db"].engine) as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("the plan is checked on SQLite")
        party_ids = session.exec(select(Party.id).order_by(Party.name).limit(routes.SUMMARY_PARTIES_CAP)).all()
        plan = _plan(session, queries.state_counts_by_party(TODAY, WITHIN, EVERYONE, party_ids))
    links = [p for p in plan if "commitment_party" in p]
    assert links and all("ix_commitment_party_party (party_id=? AND side=?)" in p for p in links), plan
    assert not any(p.startswith(("SCAN commitment", "SEARCH commitment USING COVERING INDEX")) for p in plan), plan
