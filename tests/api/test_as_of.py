"""An API answer given as_of says which day it shows: lists in their envelope (`as_of`), every answer in the
Memento-Datetime header (RFC 7089, the last second of that day). Today's answers say as_of null and carry no
such header. Every API read is tried, taken from the URL map."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest
from flask import url_for

from tests.conftest import testing_config
from tracker import create_app
from tracker.demo.load import load_sample_record

DAY = date(2010, 4, 22)
DOCUMENT = "api.openapi"


@pytest.fixture()
def record(session):
    return load_sample_record(session)


def last_second_of(day: date, tz_name: str) -> str:
    """The HTTP-date (RFC 7231 IMF-fixdate) of the last second of `day` in the timezone."""
    end = datetime.combine(day, time(23, 59, 59), ZoneInfo(tz_name)).astimezone(timezone.utc)
    return format_datetime(end, usegmt=True)


def api_reads(app, record) -> dict[str, str]:
    """endpoint → path of every GET route under /api/, with ids of sample records that existed on DAY."""
    ids = {"party_id": record.parties["ccnso"].id, "letter_id": record.letters["ccnso"].id,
           "commitment_id": record.commitments["cost_breakdown"].id, "meeting_id": record.meetings["nairobi"].id,
           "period_id": record.comment_periods["ssr"].id, "person_id": record.people["greg"].id}
    paths = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.rule.startswith("/api/") and "GET" in rule.methods:
                paths[rule.endpoint] = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})
    return paths


def test_every_api_read_given_as_of_states_the_day_and_today_does_not(app, admin_client, record):
    paths = api_reads(app, record)
    assert len(paths) == 13 and DOCUMENT in paths
    expected = last_second_of(DAY, app.config["DISPLAY_TIMEZONE"])
    lists = 0
    for endpoint, path in sorted(paths.items()):
        then = admin_client.get(f"{path}?as_of={DAY.isoformat()}")
        now = admin_client.get(path)
        assert (then.status_code, now.status_code) == (200, 200), endpoint
        assert "Memento-Datetime" not in now.headers, endpoint
        if endpoint == DOCUMENT:
            # The document is the same on every day: no memento of one.
            assert "Memento-Datetime" not in then.headers
            continue
        assert then.headers["Memento-Datetime"] == expected, endpoint
        body, today = then.get_json(), now.get_json()
        if "items" in today:
            lists += 1
            assert body["as_of"] == DAY.isoformat(), endpoint
            assert today["as_of"] is None, endpoint
        else:
            assert "as_of" not in body, endpoint  # a record keeps its shape; the header says the day
    assert lists == 6


def test_a_list_as_of_a_day_lists_that_day_and_its_next_page_keeps_the_day(admin_client, record):
    reply = record.letters["reply"]
    first = admin_client.get("/api/letters?as_of=2010-04-20&limit=1")
    assert first.get_json()["as_of"] == "2010-04-20"
    assert "as_of=2010-04-20" in first.get_json()["next"]
    following = admin_client.get(first.get_json()["next"])
    assert following.get_json()["as_of"] == "2010-04-20"
    assert following.headers["Memento-Datetime"] == "Tue, 20 Apr 2010 23:59:59 GMT"
    listed = admin_client.get("/api/letters?as_of=2010-04-20&limit=500").get_json()["items"]
    assert reply.id not in [item["id"] for item in listed]


def test_a_record_not_yet_made_is_404_without_a_memento_header(admin_client, record):
    reply = record.letters["reply"]
    missing = admin_client.get(f"/api/letters/{reply.id}?as_of=2010-04-20")
    assert missing.status_code == 404 and "Memento-Datetime" not in missing.headers
    found = admin_client.get(f"/api/letters/{reply.id}?as_of=2010-04-21")
    assert found.headers["Memento-Datetime"] == "Wed, 21 Apr 2010 23:59:59 GMT"


def test_a_bad_day_is_400_without_a_memento_header(admin_client, record):
    response = admin_client.get("/api/commitments?as_of=2010-02-30")
    assert response.status_code == 400 and "Memento-Datetime" not in response.headers


def test_the_moment_is_the_end_of_the_day_in_the_display_timezone(database_url, session):
    brussels = create_app(testing_config(database_url, DISPLAY_TIMEZONE="Europe/Brussels"))
    brussels.extensions["db"].session_override = session
    try:
        from tests import factories
        from tests.conftest import PASSWORD

        load_sample_record(session)
        user = factories.user(session, role="admin")
        client = brussels.test_client()
        assert client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
        response = client.get("/api/commitments?as_of=2010-04-22")
        # Midnight at the end of 22 April in Brussels (CEST, UTC+2) is 22:00 UTC.
        assert response.headers["Memento-Datetime"] == "Thu, 22 Apr 2010 21:59:59 GMT"
        assert response.headers["Memento-Datetime"] == last_second_of(date(2010, 4, 22), "Europe/Brussels")
    finally:
        brussels.extensions["db"].session_override = None


def test_the_document_describes_as_of_on_every_read_and_the_header_and_the_envelope_field(client):
    document = client.get("/api/openapi.json").get_json()
    reads = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            names = [p["name"] for p in operation["parameters"]]
            success = operation["responses"][min(operation["responses"])]
            if method == "get" and path != "/api/openapi.json":
                reads += 1
                assert "as_of" in names and "400" in operation["responses"], path
                assert "Memento-Datetime" in success["headers"], path
            else:
                assert "as_of" not in names and "headers" not in success, (method, path)
    assert reads == 12
    pages = [name for name in document["components"]["schemas"] if name.endswith("Page")]
    assert len(pages) == 6
    for name in pages:
        schema = document["components"]["schemas"][name]
        assert "as_of" in schema["required"], name
        assert {"type": "string", "format": "date"} in schema["properties"]["as_of"]["anyOf"], name
