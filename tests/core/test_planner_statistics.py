"""SQLite's planner statistics: without them it drives a party's done-on-time count (the party page's summary
line) from the status index."""
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from tracker.access import EVERYTHING
from sqlmodel import func, select

from tracker.commitments.models import Commitment
from tracker.commitments.queries import involving_parties, state_condition, visible
from tracker.db import refresh_planner_statistics
from tracker.migrate import upgrade

NOW = "2010-05-12 09:00:00"


def _fill(engine, commitments: int, of_small_party: int) -> None:
    """Done commitments: party 2 has the first few, party 1 all the others."""
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO party (id, name, short_name, kind, is_internal, description, created_at) "
            "VALUES (1, 'Big', 'B', 'supporting_organisation', false, '', :now), "
            "(2, 'Small', 'S', 'supporting_organisation', false, '', :now)"), {"now": NOW})
        connection.execute(text(
            "INSERT INTO commitment (id, kind, title, quote, due_phrase, due_latest, due_precision, baseline_phrase, "
            "status, progress, outcome, created_at, updated_at, fulfilled_on) VALUES (:id, 'promise', 'T', '', "
            "'by 1 May', :due, 'day', '', 'done', 100, '', :now, :now, :done)"),
            [{"id": i, "due": date(2010, 5, 1), "done": date(2010, 4, 30), "now": NOW}
             for i in range(1, commitments + 1)])
        connection.execute(text("INSERT INTO commitment_party (commitment_id, party_id, side) VALUES (:c, :p, 'to')"),
                           [{"c": i, "p": 2 if i <= of_small_party else 1} for i in range(1, commitments + 1)])


def _done_on_time(party_id: int):
    """A count of a party's commitments in one state, as the party page's "done on time" (tracker.dashboards.queries.party_page)
    and the commitments list of a party and state count them."""
    return visible(select(func.count()).select_from(Commitment).where(
        involving_parties([party_id]), state_condition("done_on_time", date(2010, 5, 12), 14)), EVERYTHING)


def _plan(engine, statement) -> str:
    sql = str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        return " | ".join(row[-1] for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_with_statistics_the_small_partys_count_starts_from_its_links(tmp_path):
    url = "sqlite:///" + str(tmp_path / "stats.db")
    upgrade(url)
    engine = create_engine(url)
    try:
        _fill(engine, commitments=3000, of_small_party=5)
        count = _done_on_time(2)
        assert "USING INDEX ix_commitment_status_" in _plan(engine, count)  # the guess: every done one

        report = refresh_planner_statistics(engine)

        assert report.refreshed and "refreshed" in report.summary()
        plan = _plan(engine, count)
        assert "PRIMARY KEY" in plan and "ix_commitment_status_" not in plan, plan
        with engine.connect() as connection:
            analysed = set(connection.execute(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'commitment'")).scalars())
            assert connection.execute(count).one() == (5,)
        assert {"ix_commitment_due_order", "ix_commitment_status_due_order"} <= analysed
    finally:
        engine.dispose()


@pytest.mark.postgres_only
def test_postgresql_is_left_to_autovacuum(app):
    report = refresh_planner_statistics(app.extensions["db"].engine)
    assert not report.refreshed
    assert report.summary() == "postgresql: left to autovacuum"
