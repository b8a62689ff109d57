"""Each derived state has an SQL form (filters, counts) and a Python form (row badges): both select the same rows."""
from datetime import date

import pytest
from sqlmodel import select

from tests.dashboards import dataset
from tracker.commitments import models
from tracker.commitments.models import Commitment
from tracker.commitments.models import state_condition

TODAY = date(2010, 5, 12)
WITHIN = 14
PYTHON_FORMS = {
    "overdue": lambda c: models.is_overdue(c, TODAY),
    "due_soon": lambda c: models.is_due_soon(c, TODAY, WITHIN),
    "needs_decision": models.needs_decision,
    "done_on_time": models.is_done_on_time,
    "done_late": models.is_done_late,
    "active": models.is_active,
}


@pytest.mark.parametrize("state", sorted(PYTHON_FORMS))
def test_sql_and_python_forms_of_a_derived_state_agree(session, state):
    record = dataset.build(session)
    dataset.grow(session, record, times=2)
    everything = list(session.exec(select(Commitment)))
    by_sql = set(session.exec(select(Commitment.id).where(state_condition(state, TODAY, WITHIN))))
    by_python = {c.id for c in everything if PYTHON_FORMS[state](c)}
    assert by_sql == by_python and by_sql, state
