"""A review posts every row back: the rows it may hold are bounded, a document that proposes more shows the first
ones and says so, and a post with more rows than that is refused with a message and saves nothing."""
from __future__ import annotations

import pytest
from sqlmodel import func, select

from tests.intake.helpers import CCNSO, seed_bytes, seed_world
from tests.intake.test_routes import review_fields, upload
from tracker.commitments.models import Commitment
from tracker.intake.extract import Candidate, Extraction, Participant
from tracker.intake.operations import MAX_REVIEW_ROWS, reviewable
from tracker.letters.models import Letter


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


def counts(session) -> tuple[int, int]:
    return (session.exec(select(func.count()).select_from(Letter)).one(),
            session.exec(select(func.count()).select_from(Commitment)).one())


@pytest.mark.parametrize("rows", ["candidates", "participants"])
def test_a_post_with_more_rows_than_a_review_holds_is_refused_and_saves_nothing(editor_client, session, world,
                                                                                 rows):
    fields = review_fields(upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True))
    before = counts(session)
    template = {key: value for key, value in fields.items() if key.startswith(f"{rows}-0-")}
    assert template, f"the review has a first row of {rows}"
    for number in range(MAX_REVIEW_ROWS + 5):
        for key, value in template.items():
            fields[f"{rows}-{number}-" + key.split("-", 2)[2]] = value
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 400
    assert f"A review holds at most {MAX_REVIEW_ROWS:,}" in response.get_data(as_text=True)
    assert counts(session) == before


def test_a_document_proposing_more_commitments_than_a_review_holds_shows_the_first_and_says_so(editor_client,
                                                                                                world):
    sentences = " ".join(f"We will publish report number {n} by 30 April 2010." for n in range(MAX_REVIEW_ROWS + 50))
    text = f"Dear Chair,\n\n{sentences}\n\nYours sincerely,\nRod Beckstrom\n"
    response = upload(editor_client, text.encode(), "many.txt")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"The first {MAX_REVIEW_ROWS:,} of" in html
    shown = len(set(n for n in range(MAX_REVIEW_ROWS + 60) if f'name="candidates-{n}-quote"' in html))
    # The candidates shown, plus the blank row for one the reading missed when there is room for it.
    assert MAX_REVIEW_ROWS <= shown <= MAX_REVIEW_ROWS + 1



def _candidate(number: int) -> Candidate:
    return Candidate(kind="promise", sentence=f"We will do {number}.", start=number, end=number + 1,
                     title=f"Do {number}")


def test_reviewable_cuts_each_list_to_what_a_review_holds_and_says_so():
    extraction = Extraction(kind="letter", candidates=[_candidate(n) for n in range(7)],
                            authors=[Participant("author", f"A{n}") for n in range(3)],
                            recipients=[Participant("recipient", f"R{n}") for n in range(3)],
                            speakers=[Participant("speaker", "S")], warnings=["kept"])
    cut = reviewable(extraction, limit=5)
    assert [c.start for c in cut.candidates] == [0, 1, 2, 3, 4]
    assert [p.name for p in cut.authors + cut.recipients + cut.speakers] == ["A0", "A1", "A2", "R0", "R1"]
    assert cut.warnings == ["kept", "The first 5 of 7 commitments found are shown; import the whole document with "
                            "`flask intake FILE`.", "The first 5 of 7 people named are shown."]
    # A pure function: what it was given is unchanged.
    assert len(extraction.candidates) == 7 and extraction.warnings == ["kept"]


def test_reviewable_leaves_what_fits_alone():
    extraction = Extraction(kind="letter", candidates=[_candidate(n) for n in range(5)],
                            authors=[Participant("author", "A")])
    assert reviewable(extraction, limit=5) == extraction
