"""The main pages fit a phone (390×844) and a desktop without sideways scrolling; the menu folds on the phone and
opens without script. Screenshots of every page are taken (into TRACKER_SCREENSHOTS when set, for the README)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def main_pages(ids) -> dict[str, str]:
    return {"overview": "/", "party": f"/parties/{ids['ccnso']}", "party_ceo": f"/parties/{ids['ceo']}",
            "parties": "/parties/", "letters": "/letters/", "letter": f"/letters/{ids['chairs']}",
            "commitments": "/commitments/", "commitment": f"/commitments/{ids['concept']}",
            "meetings": "/meetings/", "meeting": f"/meetings/{ids['nairobi']}",
            "comment_period": f"/comment-periods/{ids['ssr']}", "new_commitment": "/commitments/new"}


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_main_pages_have_no_sideways_scroll(size, live_server, page, sample, tmp_path):
    email, password = live_server.create_user("editor")
    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, email, password)
    shots = Path(os.environ.get("TRACKER_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for name, path in main_pages(sample).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        scroll_width, inner_width = overflow(page)
        if scroll_width > inner_width:
            too_wide[path] = (scroll_width, inner_width)
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=name.startswith("party"))
    assert not too_wide, f"sideways scroll at {size}: {too_wide}"
    assert (shots / f"party-{size}.png").stat().st_size > 10_000


def test_phone_menu_folds_and_opens_without_script(live_server, page, sample):
    email, password = live_server.create_user("editor")
    page.set_viewport_size(SIZES["phone"])
    sign_in(page, live_server, email, password)
    page.goto(f"{live_server.url}/parties/{sample['ccnso']}")
    nav = page.locator("#site-nav")
    assert not nav.is_visible()
    # The navigation no longer fills the first screen: the page's own heading is in it.
    assert page.locator("main h1").bounding_box()["y"] < 844 * 0.25
    page.click("label.menu-button")
    assert nav.is_visible()
    assert nav.locator('a[aria-current="page"]').inner_text() == "Parties"
    assert overflow(page)[0] <= overflow(page)[1]


def test_skip_link_moves_focus_to_the_content(live_server, page, sample):
    email, password = live_server.create_user("viewer")
    sign_in(page, live_server, email, password)
    page.goto(f"{live_server.url}/letters/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.locator('#site-nav a[aria-current="page"]').inner_text() == "Letters"
