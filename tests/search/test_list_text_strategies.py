"""A list's `q=` gives the same rows in the same order whether it starts from the matches or walks the list in its
own order checking each row (tracker.search.queries.text_condition), over generated data, for common and rare
words, with the other filters, and within the viewer's parties."""
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
from tracker.search.queries import matching_ids, parse_query, probe_limit, walks_in_list_order

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


def test_commitments_text_filter_gives_the_same_rows_either_way(session, viewers, busy_party):
    today = bench_pages.TODAY
    compared = non_empty = 0
    for viewer in viewers:
        in_scope = None if viewer.party_ids is None else set(session.exec(
            select(CommitmentParty.commitment_id).where(CommitmentParty.party_id.in_(viewer.party_ids))))
        for words in COMMITMENT_WORDS:
            matching = set(session.scalars(matching_ids("commitment", parse_query(words))))
            for args in COMMITMENT_FILTERS:
                base = CommitmentFilters.parse(_args(args, busy_party), viewer)
                with_words = CommitmentFilters.parse({**_args(args, busy_party), "q": words}, viewer)
                # What `q=` must give: the list without it, keeping the rows whose text matches, in its order.
                expected_all = [i for i in _ids(session, commitments_filtered(base, today, DUE_SOON_DAYS))
                                if i in matching]
                for offset, limit in WINDOWS:
                    expected = expected_all[offset:None if limit is None else offset + limit]
                    for in_list_order in (False, True):
                        filters = replace(with_words, text_in_list_order=in_list_order)
                        got = _ids(session, _window(commitments_filtered(filters, today, DUE_SOON_DAYS), offset,
                                                    limit))
                        assert got == expected, (viewer.party_ids, words, args, offset, limit, in_list_order)
                        assert in_scope is None or set(got) <= in_scope
                        compared += 1
                        non_empty += bool(got)
    assert compared == len(viewers) * len(COMMITMENT_WORDS) * len(COMMITMENT_FILTERS) * len(WINDOWS) * 2
    assert non_empty > compared // 5  # many comparisons are of rows, not of two empty lists


def test_letters_text_filter_gives_the_same_rows_either_way(session, viewers, busy_party):
    today = bench_pages.TODAY
    compared = non_empty = 0
    for viewer in viewers:
        in_scope = None if viewer.party_ids is None else set(session.exec(
            select(LetterParticipant.letter_id).where(LetterParticipant.party_id.in_(viewer.party_ids))))
        for words in LETTER_WORDS:
            matching = set(session.scalars(matching_ids("letter", parse_query(words))))
            for args in LETTER_FILTERS:
                base = LetterFilters.parse(_args(args, busy_party), viewer)
                with_words = LetterFilters.parse({**_args(args, busy_party), "q": words}, viewer)
                expected_all = [i for i in _ids(session, letters_filtered(base, today)) if i in matching]
                for offset, limit in WINDOWS:
                    expected = expected_all[offset:None if limit is None else offset + limit]
                    for in_list_order in (False, True):
                        filters = replace(with_words, search_in_list_order=in_list_order)
                        got = _ids(session, _window(letters_filtered(filters, today), offset, limit))
                        assert got == expected, (viewer.party_ids, words, args, offset, limit, in_list_order)
                        assert in_scope is None or set(got) <= in_scope
                        compared += 1
                        non_empty += bool(got)
    assert non_empty > compared // 5


def test_common_words_walk_the_list_and_rare_ones_start_from_the_matches(session):
    def walks(filters_class, words):
        filters = filters_class.parse({"q": words}, ADMIN).planned(session, 51)
        return filters.text_in_list_order if filters_class is CommitmentFilters else filters.search_in_list_order

    assert walks(CommitmentFilters, "publish")  # every commitment
    assert not walks(CommitmentFilters, "17 promise")  # a handful
    assert not walks(CommitmentFilters, "nothing")
    assert walks(LetterFilters, "item")
    assert not walks(LetterFilters, "item 17")
    assert CommitmentFilters.parse({}, ADMIN).planned(session, 51) == CommitmentFilters.parse({}, ADMIN)


def test_lists_that_sort_their_rows_first_start_from_the_matches(session, viewers, busy_party):
    """A walk stops at the end of the page only when an index gives the list's order; otherwise every row the
    filters gather would be checked."""
    def walks(filters_class, args, viewer=ADMIN):
        filters = filters_class.parse(args, viewer).planned(session, 51)
        return filters.text_in_list_order if filters_class is CommitmentFilters else filters.search_in_list_order

    assert walks(CommitmentFilters, {"q": "publish", "status": "done"})
    assert walks(CommitmentFilters, {"q": "publish", "kind": "promise"})
    for sorted_first in ({"status": "active"}, {"status": "overdue"}, {"party": str(busy_party)}, {"owner": "3"},
                         {"due_before": "2010-06-01"}):
        assert not walks(CommitmentFilters, {"q": "publish", **sorted_first}), sorted_first
    assert not walks(CommitmentFilters, {"q": "publish"}, viewers[1])  # a reader of some parties
    assert walks(LetterFilters, {"q": "item", "direction": "incoming"})
    assert not walks(LetterFilters, {"q": "item", "reply_state": "awaiting_reply"})
    assert not walks(LetterFilters, {"q": "item", "party": str(busy_party)})
    assert not walks(LetterFilters, {"q": "item"}, viewers[1])


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
