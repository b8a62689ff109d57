"""Day by day over the sample record, the record rebuilt from the event log equals the record loaded only up to
that day.

The oracle: the demo loader runs its steps in the order of their days, each under a clock pinned to when it
happened. Loading it with every step after a day left out gives, through the same operations staff use, the
record as it stood at the end of that day — without the event log's help. The snapshot loads everything and rolls
back from the log (tracker.snapshots.operations.roll_back_to). They must agree on every day from before the first
step to after the last.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import select

from tests.snapshots.observe import DUE_SOON_DAYS, cutoff_of, observed
from tracker import clock
from tracker.commitments.models import Commitment, timing
from tracker.demo import load
from tracker.events import Event, history
from tracker.snapshots.operations import roll_back_to

FIRST_DAY, LAST_DAY = date(2010, 1, 31), date(2010, 5, 30)


class _Later(Exception):
    """A step of the loader dated after the day being loaded up to."""


def steps_of_the_loader(monkeypatch) -> list[datetime]:
    moments = []
    real = clock.pinned

    class Watched(real):
        def __enter__(self):
            moments.append(self.moment)
            return super().__enter__()

    monkeypatch.setattr(load.clock, "pinned", Watched)
    return moments


def load_up_to(session, monkeypatch, cutoff: datetime) -> None:
    """The sample record with every step from `cutoff` on left out."""
    real = clock.pinned

    class UpTo(real):
        def __enter__(self):
            if self.moment >= cutoff:
                raise _Later
            return super().__enter__()

    monkeypatch.setattr(load.clock, "pinned", UpTo)
    try:
        load.load_sample_record(session)
    except _Later:
        pass
    finally:
        monkeypatch.setattr(load.clock, "pinned", real)


def days():
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += timedelta(days=1)


def test_the_loader_runs_its_steps_in_the_order_of_their_days(session, monkeypatch):
    moments = steps_of_the_loader(monkeypatch)
    load.load_sample_record(session)
    assert len(moments) >= 8
    assert moments == sorted(moments)


def test_rebuilt_record_equals_the_record_loaded_up_to_each_day(session, monkeypatch, as_of_moment):
    # Which loader steps fall before each day's end; days with the same steps share one partial load.
    with session.begin_nested() as savepoint:
        moments = steps_of_the_loader(monkeypatch)
        load.load_sample_record(session)
        savepoint.rollback()
    monkeypatch.undo()
    session.expire_all()
    days_by_steps: dict[int, list[date]] = {}
    for day in days():
        days_by_steps.setdefault(sum(moment < cutoff_of(day) for moment in moments), []).append(day)
    assert min(days_by_steps) == 0 and max(days_by_steps) == len(moments)

    # The oracle first, each partial load in a savepoint of its own.
    expected, loaded_by_cutoff = {}, {}
    for same_steps in days_by_steps.values():
        as_of_moment(None)
        with session.begin_nested() as savepoint:
            load_up_to(session, monkeypatch, cutoff_of(same_steps[-1]))
            session.flush()
            for day in same_steps:
                as_of_moment(day)
                expected[day] = observed(session, day)
                loaded_by_cutoff[day] = len(expected[day]["commitments"])
            savepoint.rollback()
        session.expire_all()
    as_of_moment(None)

    load.load_sample_record(session)
    session.flush()
    assert session.exec(select(Event.id)).first() is not None
    compared = 0
    for day in days():
        as_of_moment(day)
        with session.begin_nested() as savepoint:
            roll_back_to(session, day, cutoff_of(day))
            assert observed(session, day) == expected[day], day
            savepoint.rollback()
        session.expire_all()
        compared += 1
    assert compared == (LAST_DAY - FIRST_DAY).days + 1
    # The span covers the record from nothing to everything.
    assert loaded_by_cutoff[FIRST_DAY] == 0 and loaded_by_cutoff[LAST_DAY] == 9


def test_concept_of_operations_overdue_and_workshop_findings_not_done_on_12_may(session, as_of_moment):
    record = load.load_sample_record(session)
    session.flush()
    day = date(2010, 5, 12)
    as_of_moment(day)
    with session.begin_nested() as savepoint:
        roll_back_to(session, day, cutoff_of(day))
        concept = session.get(Commitment, record.commitments["concept_of_operations"].id)
        findings = session.get(Commitment, record.commitments["workshop_findings"].id)
        assert timing(concept, day, DUE_SOON_DAYS) == "overdue"
        assert findings.status == "open" and findings.fulfilled_on is None
        assert timing(findings, day, DUE_SOON_DAYS) == "overdue"
        assert all(e.occurred_at < cutoff_of(day) for e in history(session, "commitment", findings.id))
        savepoint.rollback()
    session.expire_all()
    findings = session.get(Commitment, record.commitments["workshop_findings"].id)
    assert findings.status == "done" and findings.fulfilled_on == date(2010, 5, 24)
