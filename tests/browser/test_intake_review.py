"""Intake in a real browser: upload the CEO's reply of 21 April 2010, review its two promises in place, drop one,
retitle the other, save, and find exactly that one commitment on the letter's page."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from tests.intake.helpers import REPLY, SEEDS, seed_world
from tracker.commitments.models import Commitment
from tracker.letters.models import Letter

pytestmark = pytest.mark.browser

NEW_TITLE = "Publish the Concept of Operations and the updated resource analysis"


@pytest.fixture()
def world(live_server):
    """The sample record's parties, people with their roles, and the Nairobi and Brussels meetings."""
    with live_server.session() as session:
        created = seed_world(session)
        return {"ceo": created["parties"]["CEO"].id}


def test_editor_uploads_reply_drops_one_promise_retitles_the_other_and_letter_shows_only_that_one(
        live_server, signed_in_page, world):
    page = signed_in_page("editor")
    page.goto(f"{live_server.url}/intake/")
    page.set_input_files("input[name=file]", str(SEEDS / REPLY))
    with page.expect_navigation():
        page.click("form[action$='/intake/'] button[type=submit]")

    # The review page: both promises are marked in the text itself, numbered, in reading order.
    assert page.inner_text("h1") == f"Review: {REPLY}"
    marks = page.locator(".intake-text mark.candidate")
    assert marks.count() == 2
    assert marks.nth(0).is_visible() and marks.nth(1).is_visible()
    first_mark, second_mark = (" ".join(marks.nth(i).inner_text().split()) for i in (0, 1))
    assert first_mark.startswith("1The findings from the workshop will be published")
    assert first_mark.endswith("our analysis of comments by end of April.")
    assert second_mark.startswith("2We further plan to publish a Concept of Operations")
    assert second_mark.endswith("as basis for continued community consultation.")

    # …and beside the text, each with its due window read from the phrase.
    assert page.locator("fieldset[id^=review-candidate-]").count() == 2
    assert page.input_value("input[name=candidates-0-due_phrase]") == "by end of April"
    assert page.input_value("input[name=candidates-0-due_latest]") == "2010-04-30"
    assert page.input_value("select[name=candidates-0-due_precision]") == "day"
    assert page.input_value("input[name=candidates-1-due_phrase]") == "in early May"
    assert page.input_value("input[name=candidates-1-due_earliest]") == "2010-05-01"
    assert page.input_value("input[name=candidates-1-due_latest]") == "2010-05-10"
    assert page.input_value("select[name=candidates-1-due_precision]") == "window"
    assert page.is_checked("input[name=candidates-0-accept]") and page.is_checked("input[name=candidates-1-accept]")

    page.uncheck("input[name=candidates-0-accept]")
    page.fill("input[name=candidates-1-title]", NEW_TITLE)
    with page.expect_navigation():
        page.click("form[action$='/intake/save'] button[type=submit]")

    # The letter's page lists exactly one commitment, with the title as edited.
    assert re.search(r"/letters/\d+$", page.url), page.url
    assert "with 1 commitment(s)" in page.inner_text("body")
    listed = page.locator("section.commitments li")
    assert listed.count() == 1
    assert listed.locator("a").inner_text() == NEW_TITLE
    assert "promise, due “in early May”" in listed.inner_text()

    letter_id = int(page.url.rsplit("/", 1)[1])
    with live_server.session() as session:
        letter = session.get(Letter, letter_id)
        assert (letter.sent_on, letter.direction) == (date(2010, 4, 21), "outgoing")
        saved = session.exec(select(Commitment)).all()
        assert [(c.title, c.kind, c.source_letter_id, c.due_earliest, c.due_latest, c.due_precision)
                for c in saved] == [(NEW_TITLE, "promise", letter_id, date(2010, 5, 1), date(2010, 5, 10), "window")]
