"""Pickers in a real browser: typing shows suggestions from the server, choosing one fills the form, saving keeps it."""
from __future__ import annotations

import pytest
from sqlmodel import select

from tests import factories
from tracker.meetings.models import MeetingParticipant

pytestmark = pytest.mark.browser


def test_typing_in_a_picker_suggests_matches_and_the_chosen_one_is_saved(live_server, signed_in_page):
    with live_server.session() as session:
        chris = factories.person(session, name="Chris Disspain", email="chris@example.org")
        factories.person(session, name="Christine Other", email="christine@example.org")
        ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
        meeting = factories.meeting(session, title="Nairobi public meeting")
        ids = {"chris": chris.id, "ccnso": ccnso.id, "meeting": meeting.id}
    page = signed_in_page("editor")
    page.goto(f"{live_server.url}/meetings/{ids['meeting']}")

    person = page.locator("input[data-picker-text][name=person_id]")
    person.type("chris")
    suggestions = page.locator(".picker", has=person).locator(".picker-option")
    suggestions.first.wait_for()
    assert sorted(suggestions.all_inner_texts()) == ["Chris Disspain <chris@example.org>",
                                                     "Christine Other <christine@example.org>"]
    suggestions.filter(has_text="Chris Disspain").click()
    assert page.input_value("input[name='person_id-id']") == str(ids["chris"])

    party = page.locator("input[data-picker-text][name=party_id]")
    party.type("nso")
    page.locator(".picker", has=party).locator(".picker-option", has_text="ccNSO Council").click()
    page.fill("form:has(input[name=person_id]) input[name=role]", "chair")
    with page.expect_navigation():
        page.click("form:has(input[name=person_id]) button[type=submit]")

    assert "Participant added." in page.inner_text("main")
    with live_server.session() as session:
        saved = session.exec(select(MeetingParticipant)).one()
        assert (saved.person_id, saved.party_id, saved.role) == (ids["chris"], ids["ccnso"], "chair")


def test_replaced_by_shows_with_superseded_and_the_chosen_commitment_is_named(live_server, signed_in_page):
    with live_server.session() as session:
        ceo = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
        ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
        old = factories.commitment(session, title="Publish the Concept of Operations", made_by=[ceo], made_to=[ccnso])
        new = factories.commitment(session, title="Publish the revised plan", made_by=[ceo], made_to=[ccnso])
        ids = {"old": old.id, "new": new.id}
    page = signed_in_page("editor")
    page.goto(f"{live_server.url}/commitments/{ids['old']}")
    replaced_by = page.locator("[data-shown-when='status=superseded']")
    assert replaced_by.is_hidden()
    page.select_option("select[name=status]", "superseded")
    assert replaced_by.is_visible()
    text = page.locator("input[data-picker-text][name=replaced_by_id]")
    text.type("revised")
    page.locator(".picker", has=text).locator(".picker-option", has_text="Publish the revised plan").click()
    assert page.input_value("input[name='replaced_by_id-id']") == str(ids["new"])
    with page.expect_navigation():
        page.click("form:has(input[name=replaced_by_id]) button[type=submit]")
    assert "Progress recorded." in page.inner_text("main")
    link = page.locator(".replaced-by a")
    assert link.inner_text() == "Publish the revised plan"
    assert link.get_attribute("href") == f"/commitments/{ids['new']}"
