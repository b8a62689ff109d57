"""The demo defines the advice register's five phases for requests and places the sample's requests."""
from __future__ import annotations

from tracker.demo.load import ADVICE_PHASES, load_sample_phases, load_sample_record
from tracker.phases.models import Phase
from tracker.phases.queries import of_kind


def test_demo_phases_place_each_sample_request_where_the_record_leaves_it(session):
    record = load_sample_record(session)
    assert load_sample_phases(session, record) is True
    assert [p.name for p in session.exec(of_kind("request"))] == list(ADVICE_PHASES)
    placed = {key: session.get(Phase, c.phase_id).name for key, c in record.commitments.items() if c.phase_id}
    assert placed == {"underlying_facts": "Receive & Acknowledge", "working_group": "Evaluate & Consider",
                      "extension": "Close"}
    assert all(c.phase_id is None for c in record.commitments.values() if c.kind == "promise")
    # The admin's phases are theirs: a second load defines nothing more.
    assert load_sample_phases(session, record) is False
    assert len(list(session.exec(of_kind("request")))) == 5
