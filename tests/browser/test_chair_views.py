"""What a chair opens, in a real browser: the party page as of a past day at desktop and phone sizes, and the
party page printed for a board pack. Screenshots go into TRACKER_SCREENSHOTS when set, for the README."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import SIZES, overflow

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_party_page_as_of_a_past_day_says_so_and_shows_that_day(size, live_server, page, sample, tmp_path):
    email, password = live_server.create_user("viewer")
    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, email, password)
    response = page.goto(f"{live_server.url}/parties/{sample['ccnso']}?as_of=2010-05-12")
    assert response.status == 200
    banner = page.locator(".as-of-banner")
    assert banner.is_visible()
    assert "12 May 2010" in banner.inner_text()
    body = page.locator("main").inner_text()
    assert "Concept of Operations" in body
    scroll_width, inner_width = overflow(page)
    assert scroll_width <= inner_width, f"sideways scroll as of a past day at {size}"
    shots = Path(os.environ.get("TRACKER_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"party-as-of-{size}.png"), full_page=True)
    # Back to today: the same page without the day, and no banner.
    banner.get_by_role("link", name="back to today").click()
    assert "as_of" not in page.url
    assert page.locator(".as-of-banner").count() == 0


def test_the_party_page_prints_the_record_without_the_screen_only_parts(live_server, page, sample):
    email, password = live_server.create_user("viewer")
    sign_in(page, live_server, email, password)
    page.goto(f"{live_server.url}/parties/{sample['ccnso']}")
    page.emulate_media(media="print")
    assert not page.locator("nav").first.is_visible()
    assert page.locator("h1").is_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "ccNSO" in text and "Concept of Operations" in text
    assert "Sign out" not in text
