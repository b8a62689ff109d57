"""Records made after the day are hidden behind temporary views, never deleted: the tables keep every row while a
page of a past day is built, the rows that would go with such a record go with it, and nothing of the views is
left on the connection afterwards."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, text, update
from sqlmodel import SQLModel, select

from tests.snapshots.observe import cutoff_of
import tracker.models  # noqa: F401  (every table, so the enumeration below is complete)
from tracker.commitments.models import Commitment, CommitmentParty
from tracker.demo.load import load_sample_record
from tracker.events import Event
from tracker.letters.models import Letter, LetterParticipant
from tracker.snapshots import queries
from tracker.snapshots.operations import leftovers, roll_back_to
from tracker.snapshots.replay import STATE_KINDS, STATE_KINDS_OF

DAY = date(2010, 4, 1)
CSRF_TOKEN = re.compile(r'(?<=csrf)[^>]*')


@pytest.fixture()
def record(session):
    return load_sample_record(session)


def rows_in_table(session, name: str) -> int:
    """Counted in the table itself, past any temporary view of the same name."""
    schema = "main" if session.get_bind().dialect.name == "sqlite" else session.execute(
        text("SELECT current_schema()")).scalar()
    return session.execute(text(f'SELECT count(*) FROM "{schema}"."{name}"')).scalar()


def shown(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_every_foreign_key_to_a_record_says_what_a_delete_does_to_it():
    # The views hide what a delete would cascade to and put NULL where it would set NULL; a reference that says
    # neither would be left pointing at a record that did not exist yet.
    records = {model.__tablename__ for model in queries.MODELS.values()}
    found = 0
    for table in SQLModel.metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table.name in records:
                found += 1
                assert foreign_key.ondelete in ("CASCADE", "SET NULL"), (table.name, foreign_key.parent.name)
    assert found >= 10


def test_records_made_since_are_hidden_and_the_tables_keep_every_row(session, record):
    session.flush()
    in_tables = {model: rows_in_table(session, model.__tablename__)
                 for model in (Letter, Commitment, CommitmentParty, LetterParticipant)}
    today = {model: shown(session, model) for model in in_tables}
    with session.begin_nested() as savepoint:
        cost = roll_back_to(session, DAY, cutoff_of(DAY))
        assert cost.removed > 0
        for model, count in in_tables.items():
            assert rows_in_table(session, model.__tablename__) == count, model
        then = {model: shown(session, model) for model in in_tables}
        assert then[Letter] < today[Letter] and then[Commitment] < today[Commitment]
        # What a delete would have taken with them goes with them.
        assert then[CommitmentParty] < today[CommitmentParty]
        assert then[LetterParticipant] < today[LetterParticipant]
        later = session.exec(select(Letter.id).where(Letter.sent_on > DAY)).all()
        assert later == []
        assert sorted(leftovers(session)) != []
        savepoint.rollback()
    session.expire_all()
    assert leftovers(session) == []
    assert {model: shown(session, model) for model in in_tables} == today


def test_a_reference_to_a_record_made_later_reads_as_none_and_keeps_its_record(session, record):
    # A commitment made before the day that names a letter logged after it (imported that way): as a delete of the
    # letter would, the reference reads as none, and the commitment is still shown.
    with session.begin_nested() as savepoint:
        roll_back_to(session, DAY, cutoff_of(DAY))
        existing = session.exec(select(Commitment.id).order_by(Commitment.id)).all()
        savepoint.rollback()
    session.expire_all()
    assert existing, "the sample record has commitments made by 1 April 2010"
    older = session.get(Commitment, existing[0])
    later_letter = session.exec(select(Letter).where(Letter.sent_on > DAY).order_by(Letter.sent_on)).first()
    assert later_letter is not None
    older_id, later_id = older.id, later_letter.id
    session.execute(update(Commitment).where(Commitment.id == older_id).values(evidence_letter_id=later_id))
    session.flush()
    with session.begin_nested() as savepoint:
        roll_back_to(session, DAY, cutoff_of(DAY))
        then = session.get(Commitment, older_id)
        assert then is not None and then.evidence_letter_id is None
        assert session.exec(select(Letter.id).where(Letter.id == later_id)).first() is None
        savepoint.rollback()
    session.expire_all()
    assert session.get(Commitment, older_id).evidence_letter_id == later_id


def page_without_tokens(client, path: str) -> str:
    """The page, less its CSRF tokens (they carry the second they were made in)."""
    return CSRF_TOKEN.sub("", client.get(path).get_data(as_text=True))


def test_a_page_of_a_past_day_leaves_no_view_on_the_connection(app, admin_client, record, session):
    ccnso = record.parties["ccnso"]
    before = page_without_tokens(admin_client, f"/parties/{ccnso.id}")
    assert admin_client.get(f"/parties/{ccnso.id}?as_of=2010-04-01").status_code == 200
    assert leftovers(session) == []
    assert page_without_tokens(admin_client, f"/parties/{ccnso.id}") == before


def test_each_kind_of_change_names_the_type_of_record_it_changes(session, record):
    # The lists of records changed since a day ask for kinds, not subject types (tracker.snapshots.queries).
    assert sorted(kind for kinds in STATE_KINDS_OF.values() for kind in kinds) == sorted(STATE_KINDS)
    session.flush()
    recorded = session.exec(select(Event.kind, Event.subject_type).where(Event.kind.in_(STATE_KINDS))
                            .distinct()).all()
    assert len(recorded) >= 5
    for kind, subject_type in recorded:
        assert kind in STATE_KINDS_OF[subject_type], (kind, subject_type)


def test_search_as_of_a_day_finds_only_the_records_that_existed_then(admin_client, record, session):
    # The CEO's reply of 21 April and its promises (the Concept of Operations) were not there on 1 April.
    later = [f"/commitments/{record.commitments['concept_of_operations'].id}"]
    today = admin_client.get("/search?q=Concept").get_data(as_text=True)
    assert all(f'href="{path}' in today for path in later)
    then = admin_client.get("/search?q=Concept&as_of=2010-04-01").get_data(as_text=True)
    assert not any(f'href="{path}' in then for path in later)
    with session.begin_nested() as savepoint:
        roll_back_to(session, DAY, cutoff_of(DAY))
        from_index = session.execute(text("SELECT count(*) FROM search_document")).scalar()
        existing = sum(session.exec(select(func.count()).select_from(model)).one()
                       for model in queries.MODELS.values())
        people_and_parties = session.execute(text(
            "SELECT count(*) FROM search_document WHERE record_type IN ('party', 'person')")).scalar()
        assert from_index == existing + people_and_parties
        savepoint.rollback()
