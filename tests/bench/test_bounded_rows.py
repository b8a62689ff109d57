"""Every GET route fetches at most a page of rows plus a constant, however much data there is.

A few thousand generated letters (with the generator's fixed 500 parties and 5,000 people) are enough to show a
route that loads a whole table: it fetches thousands of rows where a bounded page fetches a page and its
related rows. Routes are discovered from the URL map with bench/bench_pages.py's samples, so a new route is
covered (or the run stops) without editing this file.
"""
from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT
from tracker.api.routes import DEFAULT_LIMIT as API_PAGE_SIZE
from tracker.db import RowCounter

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench import bench_pages  # noqa: E402

LETTERS = 3000
PAGE_SIZE = 50
# Each record on a page brings a few related rows (parties on both sides, participants, owner).
RELATED_PER_RECORD = 4
# Rows besides the page: the signed-in user, the viewer's parties, capped dashboard cards, the event timeline.
ALLOWANCE = 250


def bound(endpoint: str) -> int:
    """The most rows a route may fetch: its page of records with their related rows, plus the allowance."""
    page = API_PAGE_SIZE if endpoint.startswith("api.") else PAGE_SIZE
    return page * RELATED_PER_RECORD + ALLOWANCE

# Routes that still build pickers or filters from whole tables (people, parties, letters, meetings). The
# type-to-search pickers replace them; this dict then empties, and any other route that grows fails.
KNOWN_UNBOUNDED = {
    # A board pack of every party the reader may see: up to 300 rows per section and the summary lines of the
    # first 100 parties, more than a page by design but bounded by the report's caps (the test at the end).
    "reports.all_pdf": "up to 300 rows per section and the summary of up to 100 parties",
    "reports.all_xlsx": "up to 300 rows per section and the summary of up to 100 parties",
}


@pytest.fixture(scope="module")
def generated_app(make_database):
    url = make_database()
    bench_pages.generate(url, LETTERS, bench_pages.TODAY)
    app = bench_pages.create_app({"DATABASE_URL": url, "NOW": f"{bench_pages.TODAY.isoformat()}T09:00:00+00:00",
                                  "TESTING": False, "SECRET_KEY": "test-only-secret-of-at-least-32-characters",
                                  "WTF_CSRF_ENABLED": False, "MAIL_TRANSPORT": "memory", "PAGE_SIZE": PAGE_SIZE,
                                  # What a report reads when it is built, not when it is given again from memory.
                                  "REPORT_CACHE_SIZE": 0})
    yield app
    app.extensions["db"].engine.dispose()


@pytest.fixture(scope="module")
def rows_by_route(generated_app):
    """{(endpoint, sample name): (url, rows fetched by one request)} for every GET route's samples."""
    client = bench_pages.signed_in_client(generated_app)
    sample = bench_pages.busiest(generated_app)
    endpoint_of = {name: endpoint for endpoint, samples in bench_pages.ROUTE_SAMPLES.items() for name, _ in samples}
    measured = {}
    for name, url in bench_pages.pages(generated_app, sample).items():
        client.get(url)  # warm caches, as a second visitor would find them
        with RowCounter() as rows:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        measured[(endpoint_of[name], name)] = (url, rows.count)
    return measured


# The first page of the record as of a past day reads the records changed since that day to roll them back
# (tracker/snapshots): its rows grow with the changes since the day, not with the size of the record. Its samples
# say "as of" in their name; bench/README.md gives their cost. The next pages of the day are bounded (below).
def as_of_sample(name: str) -> bool:
    return " as of " in name


def test_every_route_fetches_at_most_a_page_plus_a_constant(rows_by_route):
    over = {f"{endpoint} ({name}) {url}": rows for (endpoint, name), (url, rows) in rows_by_route.items()
            if rows > bound(endpoint) and endpoint not in KNOWN_UNBOUNDED and not as_of_sample(name)}
    assert not over, f"rows fetched over the bound (page size x {RELATED_PER_RECORD} + {ALLOWANCE}): {over}"


def test_the_next_page_of_a_past_day_fetches_at_most_a_page_plus_a_constant(rows_by_route):
    """Once a day's replay is kept (tracker/snapshots/cache.py), a page of that day no longer reads the records
    changed since: what it fetches is bounded as today's page is. (Each sample was requested once before it was
    counted, as a reader's second page of the day.)"""
    samples = {(endpoint, name): rows for (endpoint, name), (_url, rows) in rows_by_route.items()
               if as_of_sample(name)}
    assert samples, "no sample of a page of a past day"
    over = {f"{endpoint} ({name})": rows for (endpoint, name), rows in samples.items()
            if rows > bound(endpoint) and endpoint not in KNOWN_UNBOUNDED}
    assert not over, f"rows fetched over the bound (page size x {RELATED_PER_RECORD} + {ALLOWANCE}): {over}"


def test_known_unbounded_routes_are_real_routes_still_over_the_bound(rows_by_route):
    """An entry that no longer loads a whole table must leave KNOWN_UNBOUNDED, so the list only shrinks."""
    endpoints = {endpoint for endpoint, _ in rows_by_route}
    assert set(KNOWN_UNBOUNDED) <= endpoints, set(KNOWN_UNBOUNDED) - endpoints
    now_bounded = sorted(endpoint for endpoint in KNOWN_UNBOUNDED
                         if all(rows <= bound(e)
                                for (e, name), (_url, rows) in rows_by_route.items()
                                if e == endpoint and not as_of_sample(name)))
    assert not now_bounded, f"now bounded, remove from KNOWN_UNBOUNDED: {now_bounded}"


# A board report's rows: its capped sections (commitments with their parties and owners, letters with their
# participants), the summary's counts (a kind x state grid per listed party) and a few single rows. With the caps
# made small, a report that reads a whole table, or counts every party, shows at once.
SMALL_CAP = 6
SMALL_SUMMARY_PARTIES = 3
REPORT_ROUTES = ("reports.party_pdf", "reports.party_xlsx", "reports.all_pdf", "reports.all_xlsx")


def report_bound() -> int:
    states = 7  # tracker.reports.render.STATE_NAMES
    sections = 3 * SMALL_CAP * (1 + RELATED_PER_RECORD)
    summary = SMALL_SUMMARY_PARTIES * (2 * states + 1) + 2 * states + 2
    return sections + summary + 50


def test_reports_fetch_rows_bounded_by_their_caps_not_by_the_data(generated_app, monkeypatch):
    from tracker.reports import routes

    monkeypatch.setattr(routes, "REPORT_ROWS_CAP", SMALL_CAP)
    monkeypatch.setattr(routes, "SUMMARY_PARTIES_CAP", SMALL_SUMMARY_PARTIES)
    client = bench_pages.signed_in_client(generated_app)
    sample = bench_pages.busiest(generated_app)
    urls = {name: url for name, url in bench_pages.pages(generated_app, sample).items()
            if any(name == sample_name for endpoint in REPORT_ROUTES
                   for sample_name, _values in bench_pages.ROUTE_SAMPLES[endpoint])}
    assert len(urls) == len(REPORT_ROUTES), urls
    over = {}
    for name, url in urls.items():
        with RowCounter() as rows:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if rows.count > report_bound():
            over[name] = rows.count
    assert not over, f"report rows over {report_bound()} with sections capped at {SMALL_CAP}: {over}"
    # Each cut is said, with how many there are: the busiest party has more than SMALL_CAP promises, and more
    # than SMALL_SUMMARY_PARTIES parties have something to report.
    import io
    import re

    from pypdf import PdfReader

    def text_of(url):
        reader = PdfReader(io.BytesIO(client.get(url).data))
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))

    assert f"The first {SMALL_CAP} of" in text_of(urls["party report PDF"])
    assert f"The first {SMALL_SUMMARY_PARTIES} of" in text_of(urls["all-parties report PDF"])
