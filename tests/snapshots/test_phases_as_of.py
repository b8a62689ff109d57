"""A commitment's phase as of a past day: the phase it sat in then, not the one it sits in now."""
from __future__ import annotations

from datetime import date, datetime, timezone

from tests import factories
from tests.snapshots.observe import cutoff_of
from tracker import clock
from tracker.commitments.models import Commitment
from tracker.phases import operations as phases
from tracker.snapshots.operations import roll_back_to


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def test_the_phase_of_a_past_day_is_the_one_it_sat_in_then(session):
    with clock.pinned(noon(date(2010, 3, 1))):
        commitment = factories.commitment(session, kind="request")
        understand = phases.create_phase(session, kind="request", name="Understand")
        implement = phases.create_phase(session, kind="request", name="Implement")
    with clock.pinned(noon(date(2010, 3, 5))):
        phases.place_commitment(session, commitment, understand.id)
    with clock.pinned(noon(date(2010, 3, 9))):
        phases.place_commitment(session, commitment, implement.id)
    session.commit()

    for day, expected in ((date(2010, 3, 2), None), (date(2010, 3, 6), understand.id),
                          (date(2010, 3, 10), implement.id)):
        savepoint = session.begin_nested()
        roll_back_to(session, day, cutoff_of(day))
        session.expire_all()
        assert session.get(Commitment, commitment.id).phase_id == expected, day
        savepoint.rollback()
        session.expire_all()
    assert session.get(Commitment, commitment.id).phase_id == implement.id
