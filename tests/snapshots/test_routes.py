"""Every page that shows the record takes ?as_of=: 200 with a day, a clear 400 for anything else; links keep the
day, a banner leads back to today, and nothing can be written through a page of a past day."""
from __future__ import annotations

import re

import pytest
from flask import url_for

from tracker.demo.load import load_sample_record

# Routes that show records, with the sample record's ids they are tried with.
RECORD_ROUTES = {
    "dashboards.overview": {}, "dashboards.party": {"party_id": "ccnso"},
    "letters.index": {}, "letters.detail": {"letter_id": "chairs"}, "letters.export_csv": {},
    "letters.export_xlsx": {}, "commitments.index": {}, "commitments.show": {"commitment_id": "concept_of_operations"},
    "commitments.export_csv": {}, "commitments.export_xlsx": {}, "meetings.index": {},
    "meetings.show": {"meeting_id": "nairobi"}, "consultations.index": {}, "consultations.show": {"period_id": "ssr"},
    "parties.index": {}, "parties.people": {}, "parties.person": {"person_id": "greg"},
    "reports.party_pdf": {"party_id": "ccnso"}, "reports.party_xlsx": {"party_id": "ccnso"},
    "reports.all_pdf": {}, "reports.all_xlsx": {}, "search.index": {},
    "api.letters": {}, "api.letter": {"letter_id": "chairs"}, "api.commitments": {},
    "api.commitment": {"commitment_id": "concept_of_operations"}, "api.meetings": {},
    "api.meeting": {"meeting_id": "nairobi"}, "api.comment_periods": {}, "api.comment_period": {"period_id": "ssr"},
    "api.parties": {}, "api.party": {"party_id": "ccnso"}, "api.people": {}, "api.person": {"person_id": "greg"},
}
BAD_DAYS = ("yesterday", "2010-5-12", "2010-02-30", "1899-12-31", "2010-05-13", "12/05/2010", "", "2010-05-12x")


@pytest.fixture()
def record(session):
    return load_sample_record(session)


def record_id(record, argument: str, key: str) -> int:
    found = {"party_id": record.parties, "letter_id": record.letters, "commitment_id": record.commitments,
             "meeting_id": record.meetings, "period_id": record.comment_periods, "person_id": record.people}
    return found[argument][key].id


def path_of(app, record, endpoint: str, **extra) -> str:
    with app.test_request_context():
        return url_for(endpoint, **{arg: record_id(record, arg, key) for arg, key in RECORD_ROUTES[endpoint].items()},
                       **extra)


@pytest.mark.parametrize("endpoint", sorted(RECORD_ROUTES))
def test_record_route_answers_200_as_of_a_past_day_and_400_for_a_bad_one(app, admin_client, record, endpoint):
    assert admin_client.get(path_of(app, record, endpoint, as_of="2010-04-22")).status_code == 200
    for bad in BAD_DAYS:
        response = admin_client.get(path_of(app, record, endpoint, as_of=bad))
        assert response.status_code == 400, bad
        assert "as_of" in response.get_data(as_text=True), bad


def test_every_get_route_answers_as_of_as_it_answers_without(app, admin_client, record):
    """No page breaks (500) on a past day when all its records existed then: each answers as it does today."""
    first_of = {"party_id": record.parties["ccnso"], "letter_id": record.letters["ccnso"],
                "commitment_id": record.commitments["cost_breakdown"], "meeting_id": record.meetings["nairobi"],
                "period_id": record.comment_periods["ssr"], "person_id": record.people["greg"]}
    differing, tried = [], 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {argument: first_of[argument].id if argument in first_of else ("x" if argument == "token" else 1)
                  for argument in rule.arguments}
        with app.test_request_context():
            today = url_for(rule.endpoint, **values)
        then = today + ("&" if "?" in today else "?") + "as_of=2010-04-22"
        now_status, then_status = admin_client.get(today).status_code, admin_client.get(then).status_code
        tried += 1
        if then_status != now_status:
            differing.append((rule.endpoint, now_status, then_status))
    assert differing == []
    assert tried > 60


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_party_page_as_of_12_may_shows_the_concept_of_operations_overdue(admin_client, record):
    page = admin_client.get(f"/parties/{record.parties['ccnso'].id}?as_of=2010-05-12")
    text = text_of(page)
    assert "Showing the record as of 12 May 2010" in text
    row = re.search(r"Publish a Concept of Operations.{0,300}", text).group(0)
    assert "overdue" in row
    findings = re.search(r"Publish the workshop findings.{0,300}", text).group(0)
    assert "overdue" in findings and "done" not in findings


def test_links_keep_the_day_and_the_banner_leads_back_to_today(admin_client, record):
    body = admin_client.get("/commitments/?as_of=2010-04-22&kind=promise").get_data(as_text=True)
    concept = record.commitments["concept_of_operations"].id
    assert f'href="/commitments/{concept}?as_of=2010-04-22"' in body
    back = re.search(r'<p class="as-of-banner".*?href="([^"]+)"', body, re.S).group(1)
    assert "as_of" not in back and "kind=promise" in back and back.startswith("/commitments/")
    # The filter form and the search box keep the day (a GET form drops its action's query string).
    filters = re.search(r'<form class="filters".*?</form>', body, re.S).group(0)
    assert 'name="as_of" value="2010-04-22"' in filters
    header = re.search(r'<form class="header-search".*?</form>', body, re.S).group(0)
    assert 'name="as_of" value="2010-04-22"' in header
    letters = admin_client.get("/letters/?as_of=2010-04-22").get_data(as_text=True)
    assert 'name="as_of" value="2010-04-22"' in re.search(r'<form class="filters".*?</form>', letters, re.S).group(0)
    today = admin_client.get("/commitments/?kind=promise").get_data(as_text=True)
    assert "as-of-banner" not in today and "as_of=" not in today


def test_records_that_did_not_exist_yet_are_not_found_and_not_listed(admin_client, record):
    reply = record.letters["reply"]
    assert admin_client.get(f"/letters/{reply.id}?as_of=2010-04-20").status_code == 404
    assert admin_client.get(f"/letters/{reply.id}?as_of=2010-04-21").status_code == 200
    listed = admin_client.get("/api/letters?as_of=2010-04-20").get_json()
    assert reply.id not in [item["id"] for item in listed["items"]]
    assert reply.id in [item["id"] for item in admin_client.get("/api/letters").get_json()["items"]]


def test_history_lines_after_the_day_are_left_out(admin_client, record):
    findings = record.commitments["workshop_findings"].id
    then = text_of(admin_client.get(f"/commitments/{findings}?as_of=2010-05-12"))
    now = text_of(admin_client.get(f"/commitments/{findings}"))
    assert "marked done on 24 May 2010" in now
    assert "marked done" not in then and "24 May 2010" not in then


def test_writes_are_refused_and_not_offered_as_of_a_past_day(admin_client, record, session):
    concept = record.commitments["concept_of_operations"]
    response = admin_client.post(f"/commitments/{concept.id}/progress?as_of=2010-04-22",
                                 data={"status": "dropped", "progress": "0"})
    assert response.status_code == 400
    assert "read only" in response.get_data(as_text=True)
    session.expire_all()
    assert concept.status == "open"
    page = admin_client.get(f"/commitments/{concept.id}?as_of=2010-04-22").get_data(as_text=True)
    assert '<main id="main" tabindex="-1" class="as-of">' in page


def test_nothing_of_the_rolled_back_record_stays_after_the_page(admin_client, record, session):
    findings = record.commitments["workshop_findings"]
    assert admin_client.get(f"/commitments/{findings.id}?as_of=2010-04-01").status_code == 404
    session.expire_all()
    assert findings.status == "done"
    assert admin_client.get(f"/commitments/{findings.id}").status_code == 200


def test_the_active_list_of_a_past_day_is_read_from_the_views(admin_client, record):
    """Today the active list names its index for SQLite (INDEXED BY); a past day's table is a view without one, so
    the name must not be given there (SQLite would refuse the statement)."""
    response = admin_client.get("/commitments/?as_of=2010-04-22&status=active")
    assert response.status_code == 200
    assert 'class="as-of-banner"' in response.get_data(as_text=True)
