"""The pages of the README's tour, with the sample record, in a real browser, for each role.

Set TRACKER_SCREENSHOTS=docs/screenshots to refresh the README's pictures while the test runs.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import factories
from tests.browser.conftest import sign_in
from tracker.demo.load import load_sample_record

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("TRACKER_SCREENSHOTS")


@pytest.fixture()
def sample(live_server):
    """The sample record in the live database, and ids of the records the tour visits."""
    with live_server.session() as session:
        record = load_sample_record(session)
        ids = {"ccnso": record.parties["ccnso"].id, "gnso": record.parties["gnso"].id,
               "reply": record.letters["reply"].id, "chairs": record.letters["chairs"].id,
               "concept": record.commitments["concept_of_operations"].id,
               "nairobi": record.meetings["nairobi"].id, "ssr": record.comment_periods["ssr"].id}
    return ids


def visit(page, live_server, path: str, shot: str | None = None) -> str:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    if SCREENSHOTS and shot:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{shot}.png"), full_page=False)
    return page.inner_text("main")


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_tour_pages_show_the_sample_record(role, live_server, page, sample):
    email, password = live_server.create_user(role)
    sign_in(page, live_server, email, password)
    shoot = role == "editor"

    overview = visit(page, live_server, "/", shoot and "overview")
    assert "Publish a Concept of Operations and updated resource analysis" in overview  # overdue on 12 May 2010
    assert "ccNSO Council concerns" in overview                                          # awaiting reply, late

    party = visit(page, live_server, f"/parties/{sample['ccnso']}", shoot and "party")
    assert "Publish the workshop findings and the list of consultations" in party
    assert "Share the underlying facts or studies" in party
    assert page.locator("svg").count() >= 1

    letter = visit(page, live_server, f"/letters/{sample['reply']}", shoot and "letter")
    assert "Thank you for your letter of 25 March 2010" in letter
    assert "Comments on the establishment of a" in letter  # the chairs' letter, in the thread

    commitment = visit(page, live_server, f"/commitments/{sample['concept']}", shoot and "commitment")
    assert "in early May" in commitment
    assert "overdue" in commitment.lower()

    meeting = visit(page, live_server, f"/meetings/{sample['nairobi']}", shoot and "meeting")
    assert "Detail the constituent portions of the $2.1 million" in meeting
    visit(page, live_server, f"/comment-periods/{sample['ssr']}", shoot and "comment_period")
    visit(page, live_server, "/commitments/?status=overdue", shoot and "commitments")

    can_edit = page.goto(f"{live_server.url}/letters/new").status
    assert can_edit == (200 if role in ("admin", "editor") else 403)


def test_viewer_limited_to_the_ccnso_sees_only_the_ccnso(live_server, page, sample):
    with live_server.session() as session:
        viewer = factories.user(session, role="viewer", party_ids=[sample["ccnso"]])
    sign_in(page, live_server, viewer.email)

    assert "ccNSO Council concerns" in visit(page, live_server, "/")
    assert page.goto(f"{live_server.url}/parties/{sample['ccnso']}").status == 200
    assert page.goto(f"{live_server.url}/parties/{sample['gnso']}").status == 404
    parties_list = visit(page, live_server, "/parties/")
    assert "ccNSO Council" in parties_list and "GNSO Council" not in parties_list


def test_anonymous_visitor_sees_only_the_sign_in_page(live_server, page, sample):
    page.goto(f"{live_server.url}/letters/{sample['reply']}")
    assert "/sign-in" in page.url
    assert "Thank you for your letter" not in page.content()
