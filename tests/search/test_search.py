"""Search: what is found, how it is ranked and marked, what filters do, what a reader may not see, hostile queries."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from tests import factories
from tests.intake.bombs import docx_zip_bomb
from tracker.commitments.operations import Window
from tracker.consultations import operations as consultation_operations
from tracker.letters import operations as letter_operations
from tracker.meetings import operations as meeting_operations
from tracker.search.models import SearchDocument
from tracker.search.operations import rebuild
from tracker.search.queries import fts5_match, parse_query


def _hits(client, **params) -> list[str]:
    """The result titles (markers removed) of a search page."""
    response = client.get("/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<li>\s*<span class="badge">[^<]*</span>\s*'
                                                                    r'<a href="[^"]*">(.*?)</a>', html, re.S)]


@pytest.fixture()
def record(session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    letter = factories.letter(session, authors=[ccnso], subject="DNS-CERT business case",
                              body="<p>We look forward to the <b>Concept of Operations</b> in early May.</p>",
                              sent_on=date(2010, 3, 25))
    hidden = factories.letter(session, authors=[gnso], subject="Zanzibar registry security",
                              body="<p>Confidential to the GNSO: the Zanzibar matter.</p>", sent_on=date(2010, 4, 2))
    promise = factories.commitment(session, made_to=[ccnso], title="Publish the security framework",
                                   quote="We plan to publish a Concept of Operations in early May.",
                                   window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    meeting = factories.meeting(session, title="Nairobi consultation")
    meeting_operations.add_participant(session, meeting, party_id=ccnso.id)
    meeting_operations.update_transcript(session, meeting, "Rod: we will report back in weeks not months.")
    period = consultation_operations.open_comment_period(session, title="DNS-CERT proposal",
                                                         opens_on=date(2010, 2, 12), closes_on=date(2010, 3, 29))
    consultation_operations.add_submission(session, period, author="ccNSO Council", submitted_on=date(2010, 3, 1),
                                           party_id=ccnso.id)
    consultation_operations.record_summary(session, period, summary="Commenters asked for an independent review.")
    person = factories.person(session, name="Chris Disspain", email="chris@example.org")
    session.commit()
    return dict(ccnso=ccnso, gnso=gnso, letter=letter, hidden=hidden, promise=promise, meeting=meeting,
                period=period, person=person)


def test_words_of_a_letters_body_find_it_with_the_match_marked(editor_client, record):
    response = editor_client.get("/search", query_string={"q": "concept operations"})
    html = response.get_data(as_text=True)
    assert "DNS-CERT business case" in html
    assert "<mark>Concept</mark>" in html and "<mark>Operations</mark>" in html


@pytest.mark.parametrize("typed, expected", [
    ('"weeks not months"', "Nairobi consultation"),
    ("independent review", "DNS-CERT proposal"),
    ("Disspain", "Chris Disspain"),
    ("ccnso", "ccNSO Council (ccNSO)"),
    ("framework", "Publish the security framework"),
    ("secur*", "Publish the security framework"),
])
def test_every_record_type_is_found(editor_client, record, typed, expected):
    assert expected in _hits(editor_client, q=typed)


def test_a_phrase_needs_its_words_together(editor_client, record):
    assert "DNS-CERT business case" in _hits(editor_client, q='"early May"')
    assert "DNS-CERT business case" not in _hits(editor_client, q='"May early"')


def test_a_title_match_ranks_above_a_body_match(editor_client, session, record):
    factories.letter(session, authors=[record["ccnso"]], subject="Budget", body="<p>Publish the framework soon.</p>")
    session.commit()
    hits = _hits(editor_client, q="framework")
    assert hits.index("Publish the security framework") < hits.index("Budget")


def test_filters_by_type_party_and_date(editor_client, record):
    assert _hits(editor_client, q="DNS-CERT", type="comment_period") == ["DNS-CERT proposal"]
    assert "Zanzibar registry security" in _hits(editor_client, q="zanzibar", party="GNSO")
    assert _hits(editor_client, q="zanzibar", party="ccNSO") == []
    assert _hits(editor_client, q="DNS-CERT", type="letter", **{"from": "2010-03-01", "to": "2010-03-31"}) == [
        "DNS-CERT business case"]
    assert _hits(editor_client, q="DNS-CERT", type="letter", **{"from": "2010-04-01"}) == []


def test_a_limited_viewer_never_sees_what_they_may_not(signed_in, record):
    viewer = signed_in("viewer", party_ids=[record["ccnso"].id])
    response = viewer.get("/search", query_string={"q": "zanzibar"})
    assert response.status_code == 200
    assert b"Zanzibar" not in response.data.replace(b'value="zanzibar"', b"")
    assert "DNS-CERT business case" in _hits(viewer, q="DNS-CERT")
    # Naming a hidden party as a filter says no more than naming one that does not exist.
    hidden_party = viewer.get("/search", query_string={"q": "x", "party": "GNSO"})
    unknown_party = viewer.get("/search", query_string={"q": "x", "party": "Nowhere"})
    assert hidden_party.status_code == unknown_party.status_code == 400


def test_a_viewer_with_no_parties_finds_nothing(signed_in, session, record):
    viewer = signed_in("viewer", party_ids=[])
    viewer.user.limited_to_parties = True
    session.add(viewer.user)
    session.commit()
    assert _hits(viewer, q="DNS-CERT") == []


def test_the_index_follows_edits_and_attached_files(editor_client, session, record):
    letter = record["letter"]
    letter_operations.update_letter(session, letter, sent_on=letter.sent_on, subject="Renamed letter",
                                    direction=letter.direction, body="<p>Nothing left of the old words.</p>",
                                    participants=[letter_operations.ParticipantInput("author",
                                                                                     party_id=record["ccnso"].id)])
    letter_operations.attach_file(session, letter, filename="annex.txt", content_type="text/plain",
                                  data=b"Annex: the Kilimanjaro timetable.", max_bytes=10_000)
    session.commit()
    assert "DNS-CERT business case" not in _hits(editor_client, q="concept")
    assert "Renamed letter" in _hits(editor_client, q="kilimanjaro")


def test_a_rebuild_indexes_what_is_already_there(session, record):
    session.exec(SearchDocument.__table__.delete())
    rebuild(session.connection())
    counts = dict(session.exec(select(SearchDocument.record_type, func.count())
                               .group_by(SearchDocument.record_type)).all())
    assert counts["letter"] == 2 and counts["commitment"] == 1 and counts["meeting"] == 1
    if session.get_bind().dialect.name == "sqlite":
        assert session.execute(text("SELECT count(*) FROM search_fts")).scalar() == sum(counts.values())


def test_record_text_is_escaped_around_the_marks(editor_client, session, record):
    factories.letter(session, authors=[record["ccnso"]], subject="<script>alert(1)</script> harmless")
    session.commit()
    html = editor_client.get("/search", query_string={"q": "harmless"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("typed", ['NEAR(a b)', '"unterminated', "a AND OR NOT b", "-x", "title:x", "^x", "*", "(",
                                   "x:* & !y", "'; DROP TABLE letter; --", "ü" * 300, "\u200b"])
def test_engine_syntax_in_a_query_is_only_words(editor_client, record, typed):
    assert editor_client.get("/search", query_string={"q": typed}).status_code == 200


@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"q": " ".join(["w"] * 13)}, {"q": "x", "page": "0"},
                                    {"q": "x", "page": "²"}, {"q": "x", "page": "99999999999"},
                                    {"q": "x", "type": "password"}, {"q": "x", "from": "2010-02-30"},
                                    {"q": "x", "from": "2010-05-01", "to": "2010-04-01"}])
def test_bad_parameters_get_a_message_not_an_error(editor_client, record, params):
    response = editor_client.get("/search", query_string=params)
    assert response.status_code == 400
    assert b'class="error"' in response.data


def test_queries_are_parsed_into_words_prefixes_and_phrases():
    query = parse_query('"Concept of Operations" brussels secur* "x"')
    assert query.phrases == (("Concept", "of", "Operations"),) and query.words == ("brussels", "x")
    assert query.prefixes == ("secur",)
    assert fts5_match(query) == '"brussels" AND "x" AND "secur"* AND "Concept of Operations"'


def test_the_header_has_a_search_box(editor_client):
    assert b'action="/search"' in editor_client.get("/").data


def test_an_attachment_that_would_exhaust_the_reader_is_indexed_without_its_text(editor_client, session, record):
    letter = record["letter"]
    letter_operations.attach_file(session, letter, filename="bomb.docx", content_type="application/octet-stream",
                                  data=docx_zip_bomb(3000), max_bytes=10_000_000)
    letter_operations.attach_file(session, letter, filename="annex.txt", content_type="text/plain",
                                  data=b"Annex: the Serengeti timetable.", max_bytes=10_000)
    session.commit()
    assert letter.subject in _hits(editor_client, q="serengeti")


def test_a_lists_text_filter_starts_from_the_index_on_sqlite():
    from sqlalchemy.dialects import sqlite

    from tracker.search.queries import matching_ids

    compiled = str(matching_ids("letter", parse_query("budget")).compile(dialect=sqlite.dialect()))
    assert "MATCH" in compiled and not compiled.rstrip().endswith("= 1")
