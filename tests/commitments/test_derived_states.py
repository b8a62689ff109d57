"""Each derived state means the same in SQL and in Python, on every combination of status, precision and dates."""
from datetime import date, timedelta
from itertools import product

from sqlmodel import select, update

from tests import factories
from tracker.commitments.models import (STATUSES, Commitment, is_done_late, is_due_soon, is_overdue, needs_decision,
                                        state_condition, timing, timing_condition)
from tracker.commitments.operations import Window

TODAY = date(2010, 5, 12)
WITHIN = 7
PYTHON = {"overdue": lambda c: is_overdue(c, TODAY), "due_soon": lambda c: is_due_soon(c, TODAY, WITHIN),
          "needs_decision": needs_decision, "done_late": is_done_late}


def every_combination(session) -> list[Commitment]:
    """A commitment for every status, due day (none, past, today, the last due-soon day, later) and fulfilment
    day."""
    latest_days = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=WITHIN),
                   TODAY + timedelta(days=WITHIN + 1))
    fulfilled_days = (None, TODAY - timedelta(days=2), TODAY + timedelta(days=WITHIN + 2))
    made = []
    for status, latest, fulfilled in product(STATUSES, latest_days, fulfilled_days):
        window = (Window("in due course", None, None, "vague") if latest is None
                  else Window(f"by {latest}", None, latest, "day"))
        commitment = factories.commitment(session, window=window)
        made.append(commitment.id)
        session.execute(update(Commitment).where(Commitment.id == commitment.id)
                        .values(status=status, fulfilled_on=fulfilled))
    session.flush()
    session.expire_all()
    return session.exec(select(Commitment).where(Commitment.id.in_(made))).all()


def test_sql_and_python_agree_on_every_derived_state(session):
    rows = every_combination(session)
    made = [c.id for c in rows]
    for state, predicate in PYTHON.items():
        in_sql = set(session.exec(select(Commitment.id).where(Commitment.id.in_(made),
                                                              state_condition(state, TODAY, WITHIN))))
        in_python = {c.id for c in rows if predicate(c)}
        assert in_sql == in_python, state
        assert in_python, f"no sample is {state}: the comparison would prove nothing"


def test_sql_timing_gives_the_word_python_timing_gives_on_every_combination(session):
    rows = every_combination(session)
    in_sql = dict(session.exec(select(Commitment.id, timing_condition(TODAY, WITHIN))
                               .where(Commitment.id.in_([c.id for c in rows]))).all())
    assert in_sql == {c.id: timing(c, TODAY, WITHIN) for c in rows}
    assert set(in_sql.values()) == {"overdue", "due_soon", "needs_decision", "done_late", "on_time", "open", "closed"}
