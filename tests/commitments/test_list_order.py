"""The commitments list: most urgent first, undated last, read in index order on both databases."""
import json
from datetime import date

from sqlalchemy import text

from tests import factories
from tracker.access import EVERYTHING
from tracker.commitments.operations import Window
from tracker.commitments.queries import CommitmentFilters, filtered

TODAY = date(2010, 5, 12)


def _sql(session, statement) -> str:
    return str(statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))


def _plan(session, statement) -> str:
    """The query plan as text; on PostgreSQL with sorts and sequential scans priced out, so that a
    sort shows only when no index can give the order (the test tables are tiny)."""
    sql = _sql(session, statement)
    if session.get_bind().dialect.name == "sqlite":
        return " | ".join(row[-1] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL enable_sort = off"))
    plan = session.execute(text("EXPLAIN (FORMAT JSON) " + sql)).scalar_one()
    return json.dumps(plan)


def _has_sort(session, plan: str) -> bool:
    if session.get_bind().dialect.name == "sqlite":
        return "TEMP B-TREE" in plan
    return '"Node Type": "Sort"' in plan or '"Node Type": "Incremental Sort"' in plan


def test_unfiltered_list_is_read_in_index_order(session):
    plan = _plan(session, filtered(CommitmentFilters(viewer=EVERYTHING), TODAY, 14).limit(51))
    assert "ix_commitment_due_order" in plan
    assert not _has_sort(session, plan), plan


def test_list_of_one_status_is_read_in_index_order(session):
    plan = _plan(session, filtered(CommitmentFilters(viewer=EVERYTHING, status="done"), TODAY, 14).limit(51))
    assert "ix_commitment_status_due_order" in plan
    assert not _has_sort(session, plan), plan


def test_filters_that_exclude_undated_rows_leave_out_the_undated_last_term(session):
    def order_clause(filters):
        return _sql(session, filtered(filters, TODAY, 14)).split("ORDER BY")[1]

    assert "IS NULL" in order_clause(CommitmentFilters(viewer=EVERYTHING))
    assert "IS NULL" in order_clause(CommitmentFilters(viewer=EVERYTHING, status="open"))
    for filters in (CommitmentFilters(viewer=EVERYTHING, status="overdue"), CommitmentFilters(viewer=EVERYTHING, status="due_soon"),
                    CommitmentFilters(viewer=EVERYTHING, status="done_late"), CommitmentFilters(viewer=EVERYTHING, due_before=TODAY),
                    CommitmentFilters(viewer=EVERYTHING, due_after=TODAY)):
        assert "IS NULL" not in order_clause(filters), filters


def test_order_is_soonest_first_then_undated_then_by_id(session):
    party = factories.party(session)
    def window(latest):
        if latest is None:
            return Window("in due course", None, None, "vague")
        return Window(f"by {latest:%d %B}", None, latest, "day")

    made = [factories.commitment(session, made_to=[party], window=window(latest), title=title)
            for title, latest in (("vague one", None), ("later", date(2010, 6, 1)), ("sooner", date(2010, 5, 1)),
                                  ("also sooner", date(2010, 5, 1)), ("vague two", None))]
    session.flush()
    rows = session.exec(filtered(CommitmentFilters(viewer=EVERYTHING, party_id=party.id), TODAY, 14)).all()
    sooner = sorted((c for c in made if c.title in ("sooner", "also sooner")), key=lambda c: c.id)
    vague = sorted((c for c in made if c.due_latest is None), key=lambda c: c.id)
    assert [c.title for c in rows] == [c.title for c in sooner] + ["later"] + [c.title for c in vague]



def _assert_active_list_reads_the_partial_index(session, status):
    """PostgreSQL reads the overdue and due-soon lists from the partial index in order. SQLite's planner
    prefers its (status, due_latest) index and sorts only the matching rows under the LIMIT (0.7 ms for
    15,000 overdue rows at 100k letters), so there the check is that it searches an index, never scans."""
    plan = _plan(session, filtered(CommitmentFilters(viewer=EVERYTHING, status=status), TODAY, 14).limit(51))
    if session.get_bind().dialect.name == "sqlite":
        assert "SEARCH commitment USING INDEX" in plan and "SCAN commitment" not in plan, plan
        return
    assert "ix_commitment_active_due_order" in plan
    assert not _has_sort(session, plan), plan


def test_overdue_list_is_read_from_the_active_partial_index_without_sorting(session):
    _assert_active_list_reads_the_partial_index(session, "overdue")


def test_due_soon_list_is_read_from_the_active_partial_index_without_sorting(session):
    _assert_active_list_reads_the_partial_index(session, "due_soon")


def test_active_partial_index_exists_on_both_databases(session):
    if session.get_bind().dialect.name == "sqlite":
        names = set(session.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
    else:
        names = set(session.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'commitment'")).scalars())
    assert "ix_commitment_active_due_order" in names
