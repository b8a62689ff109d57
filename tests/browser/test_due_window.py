"""The due-window field in a real browser: typing a phrase fills the window, a typed day is kept and saved."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tests.browser.conftest import pick
from tracker.commitments.models import Commitment

pytestmark = pytest.mark.browser


@pytest.fixture()
def reply_letter(live_server):
    """The CEO's reply of 21 April 2010 to the three chairs, with the parties on both sides."""
    with live_server.session() as session:
        ceo = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
        ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
        letter = factories.letter(session, sent_on=date(2010, 4, 21), subject="Reply to the three chairs",
                                  direction="outgoing", authors=[ceo], recipients=[ccnso])
        return {"letter": letter.id, "ceo": ceo.id, "ccnso": ccnso.id}


def test_editor_types_early_may_sees_the_window_overrides_the_latest_day_and_it_is_saved(live_server,
                                                                                           signed_in_page,
                                                                                           reply_letter):
    page = signed_in_page("editor")
    page.goto(f"{live_server.url}/commitments/new")
    page.fill("input[name=title]", "Publish the Concept of Operations")
    pick(page, "source_letter_id", "three chairs", "Reply to the three chairs")
    pick(page, "made_by", "CEO", "CEO's office")
    pick(page, "made_to", "ccnso", "ccNSO Council")

    page.type("input[name=due_phrase]", "in early May")

    preview = page.locator("[data-due-preview]")
    preview.filter(has_text="1 May – 10 May 2010 · window").wait_for()
    assert page.input_value("input[name=due_earliest]") == "2010-05-01"
    assert page.input_value("input[name=due_latest]") == "2010-05-10"
    assert page.input_value("select[name=due_precision]") == "window"

    page.fill("input[name=due_latest]", "2010-05-14")
    page.type("input[name=due_phrase]", " ")  # a further keystroke: the typed day must survive it
    preview.filter(has_text="your dates are kept").wait_for()
    assert page.input_value("input[name=due_latest]") == "2010-05-14"

    with page.expect_navigation():
        page.click("form.commitment-form button[type=submit]")

    assert "/commitments/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    due = page.inner_text("td.due-now")
    assert "“in early May”" in due
    assert "1 May 2010 – 14 May 2010" in due
    with live_server.session() as session:
        saved = session.exec(select(Commitment).where(Commitment.title == "Publish the Concept of Operations")).one()
        assert (saved.due_phrase, saved.due_earliest, saved.due_latest, saved.due_precision) == (
            "in early May", date(2010, 5, 1), date(2010, 5, 14), "window")
        assert saved.source_letter_id == reply_letter["letter"]
