import pytest

from tests.dashboards import dataset


@pytest.fixture()
def record(session):
    return dataset.build(session)


def titles(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item.get("title", item.get("subject")) for item in response.get_json()["items"]]


# Commitments
def test_commitments_overdue_most_overdue_first(admin_client, record):
    assert titles(admin_client.get("/api/commitments?status=overdue")) == [
        "Publish the workshop findings", "Publish a Concept of Operations"]


def test_commitment_item_carries_fields_parties_timing_and_url(admin_client, record):
    workshop = record.commitments["workshop"]
    item = admin_client.get("/api/commitments?status=overdue").get_json()["items"][0]
    assert item["id"] == workshop.id and item["url"] == f"/commitments/{workshop.id}"
    assert item["timing"] == "overdue" and item["status"] == "open" and item["kind"] == "promise"
    assert item["due"] == {"phrase": "by end of April", "earliest": None, "latest": "2010-04-30",
                           "precision": "day", "anchor_meeting_id": None}
    assert item["made_by"] == [{"id": record.ceo.id, "name": "CEO's office", "short_name": "CEO"}]
    assert item["made_to"] == [{"id": record.ccnso.id, "name": "ccNSO Council", "short_name": "ccNSO"}]
    assert item["owner"] == {"id": record.owner.id, "name": "Greg Rattray"}


@pytest.mark.parametrize("query, expected", [
    ("status=due_soon", ["Updated resource analysis"]),
    ("status=needs_decision", ["Cost breakdown"]),
    ("status=done_late", ["Old paper", "Consultation list"]),
    ("kind=request", ["Extend the comment periods by 15 days"]),
    ("party={gnso}&side=to", ["Consultation list", "Updated resource analysis", "Brussels briefing"]),
    ("party={ccnso}&side=by", ["Extend the comment periods by 15 days"]),
    ("due_before=2010-04-30&due_after=2010-04-01", ["Publish the workshop findings", "Consultation list"]),
    ("owner={owner}", ["Publish the workshop findings", "Publish a Concept of Operations"]),
])
def test_commitment_filters(admin_client, record, query, expected):
    query = query.format(gnso=record.gnso.id, ccnso=record.ccnso.id, owner=record.owner.id)
    assert titles(admin_client.get(f"/api/commitments?{query}")) == expected


def test_commitment_timing_is_done_late_for_late_fulfilment(admin_client, record):
    items = admin_client.get(f"/api/commitments?party={record.gnso.id}&status=done").get_json()["items"]
    assert [(i["title"], i["timing"], i["fulfilled_on"]) for i in items] == [
        ("Consultation list", "done_late", "2010-05-05")]


@pytest.mark.parametrize("query, parameter", [
    ("status=late", "status"),
    ("due_before=2010-02-30", "due_before"),
    ("party=abc", "party"),
    ("limit=100000", "limit"),
    ("limit=0", "limit"),
    ("offset=-1", "offset"),
    ("kind=gift", "kind"),
    ("side=left", "side"),
    ("owner=x", "owner"),
    ("due_after=tomorrow", "due_after"),
])
def test_bad_commitment_parameter_is_400_naming_it(admin_client, record, query, parameter):
    response = admin_client.get(f"/api/commitments?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter and parameter in body["error"]


def test_pagination_limits_offsets_and_points_to_the_next_page(admin_client, record):
    first = admin_client.get("/api/commitments?limit=2").get_json()
    second = admin_client.get("/api/commitments?limit=2&offset=2").get_json()
    everything = admin_client.get("/api/commitments").get_json()
    assert [len(first["items"]), first["limit"], first["offset"], first["next_offset"]] == [2, 2, 0, 2]
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in everything["items"][:4]]
    assert len(everything["items"]) == 9 and everything["next_offset"] is None and everything["limit"] == 100


def test_limit_of_500_is_accepted(admin_client, record):
    assert admin_client.get("/api/commitments?limit=500").status_code == 200


# Letters
def test_letters_newest_first_with_participants_and_url(admin_client, record):
    body = admin_client.get("/api/letters").get_json()
    assert [i["subject"] for i in body["items"]] == ["Working group membership", "Thank you for your letter",
                                                     "Remarks to the GAC", "GNSO questions"]
    angry = body["items"][2]
    assert angry["sent_on"] == "2010-03-11" and angry["reply_state"] == "awaiting_reply"
    assert angry["reply_by"] == "2010-04-10" and angry["url"] == f"/letters/{record.letters['angry'].id}"
    assert [(p["role"], p["party"]["short_name"]) for p in angry["participants"]] == [
        ("author", "ccNSO"), ("recipient", "CEO")]


@pytest.mark.parametrize("query, expected", [
    ("party={ccnso}", ["Thank you for your letter", "Remarks to the GAC"]),
    ("direction=outgoing", ["Thank you for your letter"]),
    ("reply_state=awaiting_reply", ["Working group membership", "Remarks to the GAC", "GNSO questions"]),
    ("sent_after=2010-03-11", ["Working group membership", "Thank you for your letter", "Remarks to the GAC"]),
    ("sent_before=2010-03-11", ["Remarks to the GAC", "GNSO questions"]),
    ("sent_after=2010-03-02&sent_before=2010-04-30", ["Thank you for your letter", "Remarks to the GAC"]),
])
def test_letter_filters(admin_client, record, query, expected):
    query = query.format(ccnso=record.ccnso.id)
    assert titles(admin_client.get(f"/api/letters?{query}")) == expected


@pytest.mark.parametrize("query, parameter", [
    ("party=abc", "party"),
    ("direction=sideways", "direction"),
    ("reply_state=ignored", "reply_state"),
    ("sent_after=2010-02-30", "sent_after"),
    ("sent_before=yesterday", "sent_before"),
    ("sent_after=2010-05-01&sent_before=2010-04-01", "sent_before"),
    ("limit=100000", "limit"),
    ("offset=abc", "offset"),
])
def test_bad_letter_parameter_is_400_naming_it(admin_client, record, query, parameter):
    response = admin_client.get(f"/api/letters?{query}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter and parameter in response.get_json()["error"]


# Parties
def test_parties_sorted_by_name_with_url(admin_client, record):
    items = admin_client.get("/api/parties").get_json()["items"]
    # Sorted by name; the collation decides where lowercase "ccNSO" goes (SQLite: bytes, PostgreSQL: locale).
    assert [i["short_name"] for i in items] == ["CEO", "GNSO", "ccNSO"] or \
        [i["short_name"] for i in items] == ["CEO", "ccNSO", "GNSO"]
    assert {i["short_name"]: i["url"] for i in items}["ccNSO"] == f"/parties/{record.ccnso.id}"


def test_bad_party_list_limit_is_400(admin_client, record):
    response = admin_client.get("/api/parties?limit=501")
    assert response.status_code == 400 and response.get_json()["parameter"] == "limit"


# Access
def test_viewer_limited_to_ccnso_gets_only_ccnso_records(signed_in, record):
    client = signed_in("viewer", party_ids=[record.ccnso.id])
    assert [i["short_name"] for i in client.get("/api/parties").get_json()["items"]] == ["ccNSO"]
    assert titles(client.get("/api/letters")) == ["Thank you for your letter", "Remarks to the GAC"]
    assert titles(client.get("/api/commitments?status=due_soon")) == []
    assert set(titles(client.get("/api/commitments"))) == {
        "Publish the workshop findings", "Publish a Concept of Operations", "Cost breakdown", "Publish an FAQ",
        "Old paper", "Extend the comment periods by 15 days"}


def test_viewer_limited_to_ccnso_filtering_on_gnso_gets_only_shared_records(signed_in, record):
    client = signed_in("viewer", party_ids=[record.ccnso.id])
    # The joint reply went to both councils: the ccNSO viewer sees it, and no GNSO-only letter.
    assert titles(client.get(f"/api/letters?party={record.gnso.id}")) == ["Thank you for your letter"]
    assert titles(client.get(f"/api/commitments?party={record.gnso.id}&side=to")) == []


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_every_signed_in_role_can_read(signed_in, record, role):
    client = signed_in(role)
    assert len(client.get("/api/commitments").get_json()["items"]) == 9


@pytest.mark.parametrize("path", ["/api/parties", "/api/letters", "/api/commitments"])
def test_anonymous_gets_401_json(client, path):
    response = client.get(path)
    assert response.status_code == 401 and response.get_json() == {"error": "sign in required"}
