"""Browser fixtures: a live tracker on 127.0.0.1 with its own database (CSRF on, as in production), a headless
Chromium driven by Playwright, and helpers to create records in the live database and to sign in through the form.

When /usr/bin/chromium is missing the browser tests are skipped, unless TRACKER_TEST_REQUIRE_BROWSER=1 (CI),
where a missing browser is a failure.
"""
from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories
from tests.conftest import testing_config
from tracker import create_app
from tracker.db import write_session
from tracker.demo.load import load_sample_record

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
TIMEOUT_MS = 10_000


class LiveServer:
    """A running tracker: its base URL and its app (for setting up records in its database)."""

    def __init__(self, url: str, app):
        self.url = url
        self.app = app

    @contextlib.contextmanager
    def session(self):
        """A session on the live app's database, committed when the block ends."""
        with self.app.app_context(), write_session() as session:
            yield session

    def create_user(self, role: str = "editor", **overrides):
        """An account in the live database; returns (email, password)."""
        with self.session() as session:
            user = factories.user(session, role=role, **overrides)
            return user.email, factories.PASSWORD


@pytest.fixture()
def live_server(make_database):
    """A fresh migrated database and the app serving it on a free port of 127.0.0.1, in a daemon thread."""
    app = create_app(testing_config(make_database(), WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-tracker", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["db"].engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright's sync API."""
    if not CHROMIUM.exists():
        if os.environ.get("TRACKER_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and TRACKER_TEST_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page(browser):
    """A new browser context and page per test (no cookies shared between tests)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def sign_in(page, live_server: LiveServer, email: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the real form and wait until the tracker has let us in."""
    page.goto(f"{live_server.url}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    if "/sign-in" in page.url:
        raise AssertionError(f"sign-in as {email} failed: {page.inner_text('main')}")


@pytest.fixture()
def signed_in_page(page, live_server):
    """signed_in_page(role="editor") → a page signed in as a new user of that role in the live app."""
    def make(role: str = "editor", **overrides):
        email, password = live_server.create_user(role, **overrides)
        sign_in(page, live_server, email, password)
        return page
    return make


def pick(page, name: str, typed: str, suggestion: str) -> None:
    """Type into a picker and click the suggestion holding `suggestion` (static/picker.js)."""
    picker = page.locator(".picker", has=page.locator(f"input[data-picker-text][name='{name}']"))
    picker.locator("input[data-picker-text]").type(typed)
    picker.locator(".picker-option", has_text=suggestion).click()


@pytest.fixture()
def sample(live_server):
    """The sample record loaded into the live tracker; the ids of the records the page tests open."""
    with live_server.session() as session:
        record = load_sample_record(session)
        return {"ccnso": record.parties["ccnso"].id, "ceo": record.parties["ceo"].id,
                "chairs": record.letters["chairs"].id, "concept": record.commitments["concept_of_operations"].id,
                "nairobi": record.meetings["nairobi"].id, "ssr": record.comment_periods["ssr"].id}
