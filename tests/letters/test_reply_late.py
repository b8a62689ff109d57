"""'Awaiting a reply, late' means the same in SQL and in Python, and is what the list's reply_state=late shows."""
from datetime import date, timedelta
from itertools import product

from sqlmodel import select, update

from tests import factories
from tracker.letters.models import REPLY_STATES, Letter, is_reply_late, reply_late_condition

TODAY = date(2010, 5, 12)


def test_sql_and_python_agree_on_reply_late(session):
    made = []
    for state, reply_by in product((None, *REPLY_STATES), (None, TODAY - timedelta(days=1), TODAY)):
        letter = factories.letter(session, subject=f"{state} {reply_by}")
        made.append(letter.id)
        session.execute(update(Letter).where(Letter.id == letter.id).values(reply_state=state, reply_by=reply_by))
    session.flush()
    session.expire_all()
    rows = session.exec(select(Letter).where(Letter.id.in_(made))).all()
    in_sql = set(session.exec(select(Letter.id).where(Letter.id.in_(made), reply_late_condition(TODAY))))
    in_python = {letter.id for letter in rows if is_reply_late(letter, TODAY)}
    assert in_sql == in_python and len(in_python) == 1
