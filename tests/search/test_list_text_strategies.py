"""A list's `q=` gives the same rows in the same order whether it starts from the matches, walks the list in its
own order checking each row, or sorts the list's rows and then checks them in that order
(tracker.search.queries.text_check), over generated data, for common and rare words, with the other filters, and
within the viewer's parties."""
from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from sqlmodel import Session, func, select

from tests.conftest import ROOT
from tracker.access import Viewer
from tracker.commitments.models import CommitmentParty
from tracker.commitments.queries import CommitmentFilters
from tracker.commitments.queries import filtered as commitments_filtered
from tracker.letters.models import LetterParticipant
from tracker.letters.queries import LetterFilters
from tracker.letters.queries import filtered as letters_filtered
from tracker.search.queries import (AFTER_SORTING, AS_LISTED, FROM_MATCHES, matching_ids, parse_query, probe_limit,
                                    walks_in_list_order)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench import bench_pages  # noqa: E402

LETTERS = 600
DUE_SOON_DAYS = 14
ADMIN = Viewer(role="admin", party_ids=None, user_id=None)
# Generated commitments are titled "Promise 17 of letter 5" and quote "We will publish this soon."; letters are
# "Letter 5: budget" (or DNS-CERT, WHOIS, …) with the body "Dear colleagues, about item 5".
COMMITMENT_WORDS = ("publish", "promise", "request letter", "answ*", '"early May"', "17", "17 promise", "nothing")
LETTER_WORDS = ("item", "budget", "budg*", "DNS-CERT", "whois", "17", "item 17", "nothing")
COMMITMENT_FILTERS = ({}, {"status": "overdue"}, {"status": "done"}, {"status": "active"}, {"kind": "request"},
                      {"due_before": "2010-06-30", "due_after": "2009-01-01"}, {"party": "PARTY"},
                      {"party": "PARTY", "side": "to"}, {"owner": "3"})
LETTER_FILTERS = ({}, {"direction": "incoming"}, {"reply_state": "awaiting_reply"}, {"reply_state": "late"},
                  {"party": "PARTY"}, {"sent_after": "2009-06-01", "sent_before": "2010-05-12"})
WINDOWS = ((0, None), (0, 20), (20, 20), (200, 50))


@pytest.fixture(scope="module")
def generated_app(make_database):
    url = make_database()
    bench_pages.generate(url, LETTERS, bench_pages.TODAY)
    app = bench_pages.create_app({"DATABASE_URL": url, "NOW": f"{bench_pages.TODAY.isoformat()}T09:00:00+00:00",
                                  "TESTING": False, "SECRET_KEY": "test-only-secret-of-at-least-32-characters",
                                  "WTF_CSRF_ENABLED": False, "MAIL_TRANSPORT": "memory", "PAGE_SIZE": 50})
    yield app
    app.extensions["db"].engine.dispose()


@pytest.fixture(scope="module")
def session(generated_app):
    with generated_app.app_context(), Session(generated_app.extensions["db"].engine) as session:
        yield session


@pytest.fixture(scope="module")
def busy_party(session) -> int:
    return session.exec(select(CommitmentParty.party_id).where(CommitmentParty.party_id > bench_pages.INTERNAL_PARTIES)
                        .group_by(CommitmentParty.party_id).order_by(func.count().desc())).first()


@pytest.fixture(scope="module")
def viewers(busy_party) -> list[Viewer]:
    """Staff, and an external reader of three parties (the busiest among them)."""
    return [ADMIN, Viewer(role="viewer", party_ids=frozenset({busy_party, busy_party + 1, busy_party + 7}),
                          user_id=None)]


def _window(statement, offset, limit):
    statement = statement.offset(offset)
    return statement if limit is None else statement.limit(limit)


def _ids(session, statement) -> list[int]:
    return [row.id for row in session.exec(statement)]


def _args(args: dict, party: int) -> dict:
    return {key: str(party) if value == "PARTY" else value for key, value in args.items()}


def _checks(session) -> tuple[str, ...]:
    """Every way of checking the words this database offers: checking after sorting relies on SQLite's reading
    order and is never chosen on PostgreSQL."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    return (FROM_MATCHES, AS_LISTED, AFTER_SORTING) if sqlite else (FROM_MATCHES, AS_LISTED)


def _compare(session, viewers, busy_party, filters_class, filtered, scope_of, words_tried, filter_args, check_field):
    """For each viewer, words and filters: the list with `q=` is the list without it, keeping the rows whose text
    matches, in its order, in every page window and whichever way the words are checked."""
    record_type = "commitment" if filters_class is CommitmentFilters else "letter"
    compared = non_empty = 0
    for viewer in viewers:
        in_scope = None if viewer.party_ids is None else scope_of(viewer.party_ids)
        for words in words_tried:
            matching = set(session.scalars(matching_ids(record_type, parse_query(words))))
            for args in filter_args:
                base = filters_class.parse(_args(args, busy_party), viewer)
                with_words = filters_class.parse({**_args(args, busy_party), "q": words}, viewer)
                expected_all = [i for i in _ids(session, filtered(base)) if i in matching]
                for offset, limit in WINDOWS:
                    expected = expected_all[offset:None if limit is None else offset + limit]
                    for check in _checks(session):
                        filters = replace(with_words, **{check_field: check})
                        got = _ids(session, _window(filtered(filters), offset, limit))
                        assert got == expected, (viewer.party_ids, words, args, offset, limit, check)
                        assert in_scope is None or set(got) <= in_scope
                        compared += 1
                        non_empty += bool(got)
    assert compared == len(viewers) * len(words_tried) * len(filter_args) * len(WINDOWS) * len(_checks(session))
    assert non_empty > compared // 5  # many comparisons are of rows, not of two empty lists


def test_commitments_text_filter_gives_the_same_rows_every_way(session, viewers, busy_party):
    def scope_of(party_ids):
        return set(session.exec(select(CommitmentParty.commitment_id).where(CommitmentParty.party_id.in_(party_ids))))

    _compare(session, viewers, busy_party, CommitmentFilters,
             lambda filters: commitments_filtered(filters, bench_pages.TODAY, DUE_SOON_DAYS), scope_of,
             COMMITMENT_WORDS, COMMITMENT_FILTERS, "text_check")


def test_letters_text_filter_gives_the_same_rows_every_way(session, viewers, busy_party):
    def scope_of(party_ids):
        return set(session.exec(select(LetterParticipant.letter_id).where(LetterParticipant.party_id.in_(party_ids))))

    _compare(session, viewers, busy_party, LetterFilters, lambda filters: letters_filtered(filters, bench_pages.TODAY),
             scope_of, LETTER_WORDS, LETTER_FILTERS, "search_check")


def _check_of(session, filters_class, args, viewer=ADMIN) -> str:
    filters = filters_class.parse(args, viewer).planned(session, 51)
    return filters.text_check if filters_class is CommitmentFilters else filters.search_check


def test_common_words_are_checked_row_by_row_and_rare_ones_start_from_the_matches(session):
    assert _check_of(session, CommitmentFilters, {"q": "publish"}) == AS_LISTED  # every commitment
    assert _check_of(session, CommitmentFilters, {"q": "17 promise"}) == FROM_MATCHES  # a handful
    assert _check_of(session, CommitmentFilters, {"q": "nothing"}) == FROM_MATCHES
    assert _check_of(session, LetterFilters, {"q": "item"}) == AS_LISTED
    assert _check_of(session, LetterFilters, {"q": "item 17"}) == FROM_MATCHES
    assert CommitmentFilters.parse({}, ADMIN).planned(session, 51) == CommitmentFilters.parse({}, ADMIN)


def test_lists_that_sort_their_rows_first_check_a_common_word_after_sorting(session, viewers, busy_party):
    """A walk in the list's order stops at the end of the page only when an index gives that order; lists whose
    filters gather their rows are sorted first and then checked in that order (SQLite), or left to PostgreSQL's
    planner, starting from the matches."""
    sorted_first = AFTER_SORTING if session.get_bind().dialect.name == "sqlite" else FROM_MATCHES
    assert _check_of(session, CommitmentFilters, {"q": "publish", "status": "done"}) == AS_LISTED
    for state in ("active", "overdue", "due_soon", "needs_decision", "done_on_time", "done_late"):  # indexed in order
        assert _check_of(session, CommitmentFilters, {"q": "publish", "status": state}) == AS_LISTED, state
    assert _check_of(session, CommitmentFilters, {"q": "publish", "kind": "promise"}) == AS_LISTED
    for gathering in ({"party": str(busy_party)}, {"owner": "3"},
                      {"due_before": "2010-06-01"}):
        assert _check_of(session, CommitmentFilters, {"q": "publish", **gathering}) == sorted_first, gathering
        assert _check_of(session, CommitmentFilters, {"q": "17 promise", **gathering}) == FROM_MATCHES, gathering
    assert _check_of(session, CommitmentFilters, {"q": "publish"}, viewers[1]) == sorted_first  # a reader of some
    assert _check_of(session, LetterFilters, {"q": "item", "direction": "incoming"}) == AS_LISTED
    assert _check_of(session, LetterFilters, {"q": "item", "reply_state": "awaiting_reply"}) == sorted_first
    assert _check_of(session, LetterFilters, {"q": "item", "party": str(busy_party)}) == sorted_first
    assert _check_of(session, LetterFilters, {"q": "item"}, viewers[1]) == sorted_first


def test_checking_after_sorting_reads_the_sorted_rows_in_order_and_stops_at_the_page(session, busy_party):
    """SQLite reads the sorted ids first and each commitment by its key, in that order; no second sort, which
    would check every row before the page is cut."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("checking after sorting is chosen on SQLite only")
    filters = replace(CommitmentFilters.parse({"q": "publish", "party": str(busy_party)}, ADMIN),
                      text_check=AFTER_SORTING)
    statement = commitments_filtered(filters, bench_pages.TODAY, DUE_SOON_DAYS).limit(20)
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = [row[3] for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled))]
    outer = plan[plan.index(next(p for p in plan if p.startswith("SCAN listed"))):]
    assert any(p.startswith("SEARCH commitment USING INTEGER PRIMARY KEY") for p in outer), plan
    assert not any("TEMP B-TREE" in p for p in outer), plan


def _plan(session, filters) -> list[str]:
    statement = commitments_filtered(filters, bench_pages.TODAY, DUE_SOON_DAYS).limit(51)
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    return [row[3] for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled))]


@pytest.mark.parametrize("state, index", [("active", "ix_commitment_active_list_order"),
                                          ("needs_decision", "ix_commitment_undecided_list_order"),
                                          ("overdue", "ix_commitment_active_due_order"),
                                          ("due_soon", "ix_commitment_active_due_order"),
                                          ("done_on_time", "ix_commitment_done_due_order"),
                                          ("done_late", "ix_commitment_done_due_order")])
@pytest.mark.parametrize("words", [None, "publish"])
def test_a_state_with_an_index_in_list_order_is_read_in_it_and_cut_at_the_page(session, state, index, words):
    """Read from a partial index over the state's statuses in the list's order, which SQLite is told to use: no sort
    of every row of the state (with common words, each row checked as it is read)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner reads the partial index in order by itself; the index is named for SQLite")
    filters = CommitmentFilters.parse({"status": state, **({"q": words} if words else {})}, ADMIN)
    filters = filters.planned(session, 51)
    assert not words or filters.text_check == AS_LISTED
    plan = _plan(session, filters)
    assert plan[0].startswith((f"SCAN commitment USING INDEX {index}", f"SEARCH commitment USING INDEX {index}")), plan
    assert not any("TEMP B-TREE" in p for p in plan), plan


@pytest.mark.parametrize("state", ["active", "overdue", "due_soon", "needs_decision", "done_on_time", "done_late",
                                   "open", "done"])
def test_each_state_list_is_the_state_as_python_judges_it_most_urgent_first(session, state):
    """The rows of a state's list, read from its index or not, are those the state's Python definition keeps, in the
    list's order (soonest latest day first, undated last, then id), over every page of the generated record."""
    from tracker.commitments.models import Commitment, is_active, is_done_late, is_done_on_time, is_due_soon, \
        is_overdue, needs_decision

    today = bench_pages.TODAY
    judged = {"active": is_active, "overdue": lambda c: is_overdue(c, today),
              "due_soon": lambda c: is_due_soon(c, today, DUE_SOON_DAYS), "needs_decision": needs_decision,
              "done_on_time": is_done_on_time, "done_late": is_done_late}.get(state, lambda c: c.status == state)
    expected = [c.id for c in sorted((c for c in session.exec(select(Commitment)) if judged(c)),
                                     key=lambda c: (c.due_latest is None, c.due_latest or bench_pages.TODAY, c.id))]
    listed = _ids(session, commitments_filtered(CommitmentFilters.parse({"status": state}, ADMIN),
                                                today, DUE_SOON_DAYS))
    assert expected and listed == expected


def test_a_rare_word_with_a_state_starts_from_its_matches_and_names_no_index(session):
    """Naming the state's index would make SQLite walk every row of the state to find a rare word's few matches."""
    filters = CommitmentFilters.parse({"status": "active", "q": "17 promise"}, ADMIN).planned(session, 51)
    assert filters.text_check == FROM_MATCHES
    statement = commitments_filtered(filters, bench_pages.TODAY, DUE_SOON_DAYS)
    assert "INDEXED BY" not in str(statement.compile(session.get_bind()))
    walked = CommitmentFilters.parse({"status": "active", "q": "publish"}, ADMIN).planned(session, 51)
    if session.get_bind().dialect.name == "sqlite":
        assert "INDEXED BY" in str(commitments_filtered(walked, bench_pages.TODAY, DUE_SOON_DAYS).compile(
            session.get_bind()))


def test_probe_limit_balances_reading_the_matches_against_walking_the_list():
    assert probe_limit(0, 51) == probe_limit(10, 51) == 200  # a small table: starting from the matches is cheap
    assert probe_limit(3_000_000, 51) == 39_115  # sqrt(10 * 51 * 3,000,000)
    assert probe_limit(300_000, 101) > probe_limit(300_000, 51)  # a longer page makes walking dearer
    assert walks_in_list_order(12_369, 12_369) and not walks_in_list_order(12_368, 12_369)


def test_letters_list_says_more_than_instead_of_counting_every_common_match(generated_app):
    client = bench_pages.signed_in_client(generated_app)
    common = client.get("/letters/?q=item")  # every letter: checked row by row, not counted
    assert common.status_code == 200
    assert "More than 50 letters, page 1" in common.text and "older →" in common.text
    rare = client.get("/letters/?q=item 17")
    assert rare.status_code == 200 and "1 letter</p>" in rare.text and "More than" not in rare.text
    last = client.get("/letters/?q=item&page=12")  # 600 letters, 50 a page: the last page knows the total
    assert last.status_code == 200 and f"{LETTERS} letters, page 12 of 12" in last.text
    assert "older →" not in last.text and "More than" not in last.text
