"""The party page reads its summary line and its three lists of commitments in one statement (queries.party_page);
what it shows is what each list and count means on its own: the reports' statement of a party's list
(queries.of_party), the timeline's order and each derived state's Python definition."""
import random
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests import factories
from tests.dashboards import dataset
from tracker.access import EVERYTHING, Viewer
from tracker.commitments import operations as commitment_operations
from tracker.commitments.models import (Commitment, CommitmentParty, is_active, is_done_late, is_done_on_time,
                                        is_due_soon, is_overdue, needs_decision)
from tracker.dashboards import queries
from tracker.dashboards.routes import LIST_CAP, TIMELINE_CAP, party_sides, read_party_commitments

TODAY = date(2010, 5, 12)
WITHIN = 14
Window = commitment_operations.Window

def _many_commitments(session, party, other, ceo, count=90):
    """More than a page of promises and requests of every state around the party, some with another party too, one
    with the party on both sides, and some of the other party's alone."""
    chance = random.Random(7)
    for n in range(count):
        kind = chance.choice(("promise", "request"))
        latest = None if n % 9 == 0 else TODAY + timedelta(days=chance.randint(-60, 40))
        window = Window("soon") if latest is None else Window("by then", None, latest, "day")
        ours, theirs = [ceo], chance.choice(([party], [party, other], [other]))
        made_by, made_to = (ours, theirs) if kind == "promise" else (theirs, ours)
        commitment = factories.commitment(session, kind=kind, title=f"Item {n}", window=window, made_by=made_by,
                                          made_to=made_to)
        status = chance.choice(("open", "open", "in_progress", "done", "partly_done", "dropped", "superseded"))
        if status in ("done", "partly_done"):
            done_on = (latest or TODAY) + timedelta(days=chance.randint(-5, 5))
            commitment_operations.update_progress(session, commitment, status=status, fulfilled_on=min(done_on, TODAY))
        elif status != "open":
            commitment_operations.update_progress(session, commitment, status=status)
    # The party on both sides: counted once.
    factories.commitment(session, kind="promise", title="Both sides", made_by=[ceo, party], made_to=[party],
                         window=Window("by then", None, TODAY - timedelta(days=3), "day"))
    session.commit()


def _visible_of(session, party_id, viewer):
    """The party's commitments the viewer may see, by the policy's own rule (a reader limited to some parties sees
    the commitments one of them is on)."""
    def on(party_ids):
        return select(CommitmentParty.commitment_id).where(CommitmentParty.party_id.in_(party_ids))

    statement = select(Commitment).where(Commitment.id.in_(on([party_id])))
    if not viewer.sees_everything:
        statement = statement.where(Commitment.id.in_(on(viewer.party_ids)))
    return list(session.exec(statement))


@pytest.mark.parametrize("reader", ["everything", "limited to the other party"])
def test_party_page_lists_and_counts_are_those_of_each_definition(session, reader):
    record = dataset.build(session)
    other = factories.party(session, name="ALAC", short_name="ALAC")
    _many_commitments(session, record.ccnso, other, record.ceo)
    viewer = EVERYTHING if reader == "everything" else Viewer(role="viewer", party_ids=frozenset({other.id}))
    party = record.ccnso
    sides = party_sides(party)

    summary, listed = read_party_commitments(session, party.id, sides, TODAY, WITHIN, viewer)

    def reference(side, kind):
        return [c.id for c in session.exec(queries.of_party(party.id, side, kind, viewer).limit(LIST_CAP))]

    assert [c.id for c in listed["promised"]] == reference(sides.promises, "promise")
    assert [c.id for c in listed["asked"]] == reference(sides.requests, "request")
    if viewer.sees_everything:
        assert len(listed["promised"]) == LIST_CAP  # the cap is reached, so the order decides which are shown
    mine = _visible_of(session, party.id, viewer)
    dated = sorted((c for c in mine if c.due_latest is not None), key=lambda c: (c.due_latest, c.id), reverse=True)
    assert [c.id for c in listed["timeline"]] == [c.id for c in dated[:TIMELINE_CAP]]
    assert summary == {
        "overdue": sum(is_overdue(c, TODAY) for c in mine),
        "due_soon": sum(is_due_soon(c, TODAY, WITHIN) for c in mine),
        "needs_decision": sum(needs_decision(c) for c in mine),
        "done_on_time": sum(is_done_on_time(c) for c in mine),
        "done_late": sum(is_done_late(c) for c in mine),
        "open_requests": sum(c.kind == "request" and is_active(c) for c in mine),
    }
    if viewer.sees_everything:
        assert all(summary.values())  # every count has something to get wrong


def test_a_party_with_nothing_listed_still_gets_its_counts(session):
    record = dataset.build(session)
    party = factories.party(session, name="ASO", short_name="ASO")
    # Undated and asked of the party: on no list of an outside party's page, but needing a decision.
    factories.commitment(session, kind="request", title="Vague", window=Window("soon"), made_by=[record.ceo],
                         made_to=[party])
    session.commit()
    summary, listed = read_party_commitments(session, party.id, party_sides(party), TODAY, WITHIN, EVERYTHING)
    assert listed == {"promised": [], "asked": [], "timeline": []}
    assert summary["needs_decision"] == 1 and summary["open_requests"] == 1


def test_party_page_reads_the_partys_commitments_in_one_statement(admin_client, session):
    record = dataset.build(session)
    dataset.grow(session, record, times=3)
    reading_the_party = []

    def note(_conn, _cursor, statement, *_args):
        if re.search(r"commitment_party\.party_id (=|IN) ", statement):  # the party's links, by its id
            reading_the_party.append(statement)

    connection = session.connection()
    admin_client.get(f"/parties/{record.ccnso.id}")
    event.listen(connection, "before_cursor_execute", note)
    try:
        assert admin_client.get(f"/parties/{record.ccnso.id}").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", note)
    assert len(reading_the_party) == 1, reading_the_party
