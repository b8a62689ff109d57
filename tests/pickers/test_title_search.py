"""The letters and commitments pickers: every typed word starts a word of the title, through the title index.

Each search is compared with a reference that reads every row in Python, in both of the index's shapes (from the
matches, and in the picker's own order checking each row), and through the route, which chooses between them.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, text

from tests import factories
from tracker import access
from tracker.commitments.models import Commitment, CommitmentParty
from tracker.commitments import operations as commitment_operations
from tracker.letters import operations as letter_operations
from tracker.letters.models import Letter, LetterParticipant
from tracker.pickers import queries
from tracker.search.models import TITLE_INDEXED_TYPES, SearchDocument, title_index, title_vector_sql
from tracker.search.operations import index_record, rebuild
from tracker.search.queries import TitleQuery, title_query, title_words

ADMIN = access.Viewer(role="admin", party_ids=None)
SUBJECTS = ["Organization of the École consultation", "Reply on DNS-CERT operations", "naïve Ångström budget",
            "ORGANIZING committee: Zürich", "Operational plan, IDN ccTLD fast-track", "comment period (WHOIS)",
            "Señor García's letter", "budget 2010/11 draft", "Übersicht DNS", "Operations & organisation"]


def _words(text_: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFD", text_) if not unicodedata.combining(c)).lower()
    return re.findall(r"[^\W_]+", folded)


def reference(rows, typed: str, key, limit: int = queries.SEARCH_LIMIT):
    """Every row, read in Python: those whose title has, for each typed word, a word it starts; in the kind's order."""
    wanted = _words(typed)
    found = [row for row in rows if all(any(w.startswith(t) for w in _words(row[1])) for t in wanted)]
    return [row[0] for row in sorted(found, key=key)][:limit]


@pytest.fixture()
def generated(session):
    ours = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    theirs = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    letters, commitments = [], []
    for n in range(60):
        subject = f"{SUBJECTS[n % len(SUBJECTS)]} no {n}"
        letter = factories.letter(session, subject=subject, sent_on=date(2010, 1, 1) + timedelta(days=n % 17))
        letters.append((letter.id, subject, letter.sent_on))
        title = f"{'Promise' if n % 3 else 'Request'}: {SUBJECTS[(n * 7) % len(SUBJECTS)]} item {n}"
        made_to = [theirs] if n % 4 == 0 else [factories.party(session)]
        commitment = factories.commitment(session, made_by=[ours], made_to=made_to, title=title)
        commitments.append((commitment.id, title, n % 4 == 0))
    session.commit()
    return dict(letters=letters, commitments=commitments, theirs=theirs)


TYPED = ["organi", "opera", "ORG committee", "ecole", "École", "zurich", "ZÜR", "angstr naive", "dns",
         "dns-cert", "no 4", "item 1", "garcia's", "señor", "budget 2010", "o", "p", "whois)", "nothing here",
         "organ organi", "operations organisation"]


@pytest.mark.parametrize("typed", TYPED)
def test_letters_match_the_reference_in_both_shapes_and_through_the_route(session, editor_client, generated, typed):
    kind = queries.KINDS["letters"]
    expected = reference(generated["letters"], typed, key=lambda row: (-row[2].toordinal(), -row[0]))
    planned = title_query(session, "letter", title_words(typed))
    for in_order in (False, True):
        found = session.execute(queries.search(kind, ADMIN, typed, planned=planned, in_own_order=in_order))
        assert [row.id for row in found.scalars()] == expected, (typed, in_order)
    unplanned = session.execute(queries.search(kind, ADMIN, typed, planned=TitleQuery(title_words(typed))))
    assert [row.id for row in unplanned.scalars()] == expected
    response = editor_client.get("/pick/letters", query_string={"q": typed})
    assert [r["id"] for r in response.get_json()["results"]] == expected


@pytest.mark.parametrize("typed", TYPED + ["promise", "request item", "prom 5"])
def test_commitments_match_the_reference_in_both_shapes_and_through_the_route(session, editor_client, generated,
                                                                              typed):
    kind = queries.KINDS["commitments"]
    expected = reference(generated["commitments"], typed, key=lambda row: -row[0])
    planned = title_query(session, "commitment", title_words(typed))
    for in_order in (False, True):
        found = session.execute(queries.search(kind, ADMIN, typed, planned=planned, in_own_order=in_order))
        assert [row.id for row in found.scalars()] == expected, (typed, in_order)
    response = editor_client.get("/pick/commitments", query_string={"q": typed})
    assert [r["id"] for r in response.get_json()["results"]] == expected


def test_a_rare_and_a_common_word_take_different_shapes_with_the_same_answer(session, generated, monkeypatch):
    from tracker.search import queries as search_queries

    # With the least probe at 3 matches, "promise" (40 titles) walks and "item 17" (one) starts from the matches.
    monkeypatch.setattr(search_queries, "LEAST_PROBE", 3)
    monkeypatch.setattr(search_queries, "probe_limit", lambda records, rows: 3)
    kind = queries.KINDS["commitments"]
    for typed, walks in (("promise", True), ("item 17", False)):
        query = title_query(session, "commitment", title_words(typed))
        assert search_queries.titles_in_own_order(session, "commitment", query, Commitment, 20) is walks
        found = session.execute(queries.planned_search(session, kind, ADMIN, typed)).scalars()
        assert [row.id for row in found] == reference(generated["commitments"], typed, key=lambda row: -row[0])


def test_a_typed_id_names_the_record(session, editor_client, generated):
    letter_id = generated["letters"][5][0]
    commitment_id = generated["commitments"][7][0]
    assert [r["id"] for r in editor_client.get(f"/pick/letters?q=%23{letter_id}").get_json()["results"]] == [letter_id]
    assert [r["id"] for r in editor_client.get(f"/pick/commitments?q={commitment_id}").get_json()["results"]] == [
        commitment_id]


def test_a_viewer_is_only_offered_commitments_they_may_see(session, signed_in, generated):
    viewer = signed_in("viewer", party_ids=[generated["theirs"].id])
    visible = {row[0] for row in generated["commitments"] if row[2]}
    for typed in ("promise", "request", "item 1", "organi", ""):
        results = viewer.get("/pick/commitments", query_string={"q": typed}).get_json()["results"]
        assert {r["id"] for r in results} <= visible, typed
        expected = reference([row for row in generated["commitments"] if row[2]], typed, key=lambda row: -row[0])
        assert [r["id"] for r in results] == expected, typed
    hidden = next(row[0] for row in generated["commitments"] if not row[2])
    assert viewer.get(f"/pick/commitments?q={hidden}").get_json()["results"] == []
    assert viewer.get("/pick/letters?q=organi").status_code == 403


@pytest.mark.parametrize("typed", ['"', '*', 'NEAR(', 'organi OR dns', 'title:organi', '"organi', 'dns*', '-',
                                   '(', ')', '^', "'", "&|!", ":*", "\\", "a" * 10_000, "x " * 5_000, "%_",
                                   "\U0001F600", "\u0301", "٣٤", "ｏｒｇａｎｉ"])
def test_hostile_text_never_fails(editor_client, generated, typed):
    for kind in ("letters", "commitments"):
        response = editor_client.get(f"/pick/{kind}", query_string={"q": typed})
        assert response.status_code in (200, 400), (kind, typed, response.status_code)
        assert isinstance(response.get_json()["results"], list)


def test_nul_and_too_many_words_are_refused_clearly(editor_client, generated):
    assert editor_client.get("/pick/letters", query_string={"q": "dns\x00"}).status_code == 400
    many = " ".join(f"w{n}" for n in range(40))
    response = editor_client.get("/pick/commitments", query_string={"q": many})
    assert response.status_code == 400 and "at most" in response.get_json()["error"]


def test_lone_punctuation_finds_nothing(editor_client, generated):
    for typed in ("?", "--", "#", "…"):
        assert editor_client.get("/pick/letters", query_string={"q": typed}).get_json()["results"] == [], typed


def _picked(client, kind, typed):
    return [r["id"] for r in client.get(f"/pick/{kind}", query_string={"q": typed}).get_json()["results"]]


def test_the_title_index_follows_a_letter_and_a_commitment_made_changed_and_removed(session, editor_client):
    ours = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    letter = factories.letter(session, subject="Kilimanjaro timetable")
    theirs = factories.party(session, name="GNSO Council", short_name="GNSO")
    commitment = factories.commitment(session, made_by=[ours], made_to=[theirs], title="Publish the Serengeti report")
    session.commit()
    assert _picked(editor_client, "letters", "kilim") == [letter.id]
    assert _picked(editor_client, "commitments", "sereng") == [commitment.id]

    letter_operations.update_letter(session, letter, sent_on=letter.sent_on, subject="Zanzibar schedule",
                                    direction=letter.direction, body="", participants=[
                                        letter_operations.ParticipantInput("author", party_id=ours.id)])
    commitment_operations.update_details(session, commitment, title="Ngorongoro", quote="", owner_id=None,
                                         made_by=[ours.id], made_to=[theirs.id])
    session.commit()
    assert _picked(editor_client, "letters", "kilim") == []
    assert _picked(editor_client, "letters", "zanzi") == [letter.id]
    assert _picked(editor_client, "commitments", "sereng") == []
    assert _picked(editor_client, "commitments", "ngoro") == [commitment.id]

    letter_id, commitment_id = letter.id, commitment.id
    session.execute(delete(LetterParticipant).where(LetterParticipant.letter_id == letter_id))
    session.execute(delete(Letter).where(Letter.id == letter_id))
    session.execute(delete(CommitmentParty).where(CommitmentParty.commitment_id == commitment_id))
    session.execute(delete(Commitment).where(Commitment.id == commitment_id))
    session.expunge_all()
    index_record(session, "letter", letter_id)
    index_record(session, "commitment", commitment_id)
    session.commit()
    assert _picked(editor_client, "letters", "zanzi") == []
    assert _picked(editor_client, "commitments", "ngoro") == []
    if session.get_bind().dialect.name == "sqlite":
        for table_name in ("letter_title_fts", "commitment_title_fts"):
            assert session.execute(text(f"SELECT count(*) FROM {table_name}")).scalar() == session.execute(
                text("SELECT count(*) FROM search_document WHERE record_type = :t"),
                {"t": table_name.split("_")[0]}).scalar()


def test_postgresql_queries_the_expression_the_migration_indexed(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the partial GIN indexes are PostgreSQL's")
    # The planner uses an expression index only for the very same expression: the one the queries write, indexed
    # again here (undone with the test's transaction), must read as the migration's does.
    for record_type in TITLE_INDEXED_TYPES:
        session.execute(text(f"CREATE INDEX check_{record_type}_title ON search_document USING gin "
                             f"({title_vector_sql()}) WHERE record_type = '{record_type}'"))
        made, written = (session.execute(text("SELECT pg_get_indexdef(CAST(:name AS regclass))"), {"name": name})
                         .scalar().split(" USING ")[1]
                         for name in (title_index(record_type), f"check_{record_type}_title"))
        assert made == written


def test_the_exact_title_is_found_through_the_index_among_longer_ones(session, generated):
    kind = queries.KINDS["letters"]
    wanted = next(row for row in generated["letters"] if row[1].endswith(" no 1"))
    for typed in (wanted[1], wanted[1].upper(), f"  {wanted[1]} "):
        # "… no 1" also starts "… no 11" … "no 19": only the letter whose whole subject it is comes back.
        assert [row.id for row in session.execute(queries.exactly(kind, ADMIN, typed)).scalars()] == [wanted[0]]
    assert session.execute(queries.exactly(kind, ADMIN, wanted[1][:-1])).scalars().all() == []
    long_title = " ".join(f"word{n}" for n in range(30))
    letter = factories.letter(session, subject=long_title)
    assert [row.id for row in session.execute(queries.exactly(kind, ADMIN, long_title)).scalars()] == [letter.id]


@pytest.mark.parametrize("window", [20, 45, 1000])
def test_a_walk_bounded_to_the_first_records_answers_from_them_and_falls_back_to_the_matches(
        session, editor_client, generated, monkeypatch, window):
    # PostgreSQL's probe (queries.picked): the first `window` commitments in the picker's order, checked one by one.
    monkeypatch.setattr(queries, "walk_window", lambda records, rows: window)
    kind = queries.KINDS["commitments"]
    newest_first = sorted(generated["commitments"], key=lambda row: -row[0])
    for typed in ("promise", "request", "item 1", "organi", "nothing here"):
        within = reference(newest_first[:window], typed, key=lambda row: -row[0])
        query = TitleQuery(title_words(typed))
        walked = session.execute(queries.search(kind, ADMIN, typed, planned=query, in_own_order=True,
                                                within_first=window)).scalars()
        assert [row.id for row in walked] == within, (typed, window)
        expected = reference(generated["commitments"], typed, key=lambda row: -row[0])
        assert [row.id for row in queries.picked(session, kind, ADMIN, typed)] == expected, (typed, window)
        assert _picked(editor_client, "commitments", typed) == expected


def test_a_rebuild_refills_the_title_index(session, editor_client, generated):
    rebuild(session.connection())
    session.commit()
    expected = reference(generated["commitments"], "organi", key=lambda row: -row[0])
    assert _picked(editor_client, "commitments", "organi") == expected != []
    if session.get_bind().dialect.name == "sqlite":
        for record_type in TITLE_INDEXED_TYPES:
            documents = session.execute(select(func.count()).select_from(SearchDocument)
                                        .where(SearchDocument.record_type == record_type)).scalar()
            indexed = session.execute(text(f"SELECT count(*) FROM {record_type}_title_fts")).scalar()
            assert indexed == documents > 0
