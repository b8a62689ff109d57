"""Single records of every kind, the new lists, and cursor pagination."""
from datetime import date, datetime, timezone

import pytest

from tests import factories
from tests.dashboards import dataset
from tracker.consultations import operations as consultations
from tracker.meetings import operations as meetings
from tracker.parties import operations as parties


@pytest.fixture()
def record(session):
    built = dataset.build(session)
    session.commit()
    return built


def test_single_commitment_is_the_list_item(admin_client, record):
    workshop = record.commitments["workshop"]
    listed = {i["id"]: i for i in admin_client.get("/api/commitments").get_json()["items"]}
    response = admin_client.get(f"/api/commitments/{workshop.id}")
    assert response.status_code == 200 and response.get_json() == listed[workshop.id]


def test_single_letter_carries_its_body(admin_client, record):
    angry = record.letters["angry"]
    body = admin_client.get(f"/api/letters/{angry.id}").get_json()
    assert body["id"] == angry.id and body["subject"] == "Remarks to the GAC" and body["body"] == angry.body
    assert [(p["role"], p["party"]["short_name"]) for p in body["participants"]] == [
        ("author", "ccNSO"), ("recipient", "CEO")]


def test_party_and_person_records(admin_client, session, record):
    parties.add_role(session, person=record.owner, party=record.ccnso, title="Liaison", starts_on=date(2009, 1, 1))
    session.commit()
    assert admin_client.get(f"/api/parties/{record.ccnso.id}").get_json()["short_name"] == "ccNSO"
    person = admin_client.get(f"/api/people/{record.owner.id}").get_json()
    assert person["name"] == "Greg Rattray" and person["url"] == f"/people/{record.owner.id}"
    assert person["roles"] == [{"title": "Liaison", "party": {"id": record.ccnso.id, "name": "ccNSO Council",
                                                             "short_name": "ccNSO"},
                                "starts_on": "2009-01-01", "ends_on": None}]
    assert record.owner.id in [p["id"] for p in admin_client.get("/api/people").get_json()["items"]]


def test_meeting_and_comment_period_records_and_lists(admin_client, session, record):
    meeting = meetings.create_meeting(session, title="Brussels", kind="icann_public_meeting",
                                      starts_at=datetime(2010, 6, 20, 8, tzinfo=timezone.utc),
                                      ends_at=datetime(2010, 6, 25, 18, tzinfo=timezone.utc), timezone="Europe/Brussels")
    meetings.add_participant(session, meeting, person_id=record.owner.id, party_id=record.ccnso.id, role="speaker")
    period = consultations.open_comment_period(session, title="DNS-CERT", opens_on=date(2010, 2, 12),
                                               closes_on=date(2010, 3, 29))
    consultations.extend(session, period, new_closes_on=date(2010, 4, 14), current_close=date(2010, 3, 29),
                         reason="asked")
    consultations.add_submission(session, period, author="ccNSO", submitted_on=date(2010, 3, 1),
                                 party_id=record.ccnso.id)
    session.commit()
    shown = admin_client.get(f"/api/meetings/{meeting.id}").get_json()
    assert shown["starts_at"] == "2010-06-20T08:00:00+00:00" and shown["timezone"] == "Europe/Brussels"
    assert shown["participants"][0]["person"] == {"id": record.owner.id, "name": "Greg Rattray"}
    assert [m["title"] for m in admin_client.get("/api/meetings").get_json()["items"]] == ["Brussels"]
    period_shown = admin_client.get(f"/api/comment-periods/{period.id}").get_json()
    assert period_shown["current_close"] == "2010-04-14" and period_shown["closes_on"] == "2010-03-29"
    assert period_shown["extensions"] == [{"new_closes_on": "2010-04-14", "reason": "asked",
                                           "requested_in_letter_id": None}]
    assert [s["author"] for s in period_shown["submissions"]] == ["ccNSO"]
    listed = admin_client.get("/api/comment-periods").get_json()["items"]
    assert [(p["title"], p["current_close"]) for p in listed] == [("DNS-CERT", "2010-04-14")]


@pytest.mark.parametrize("path", ["commitments", "letters", "parties", "people", "meetings", "comment-periods"])
def test_unknown_id_is_404_json(admin_client, record, path):
    response = admin_client.get(f"/api/{path}/424242")
    assert response.status_code == 404 and "error" in response.get_json()


def test_viewer_limited_to_ccnso_gets_404_for_a_gnso_only_commitment(signed_in, record):
    client = signed_in("viewer", party_ids=[record.ccnso.id])
    gnso_only = record.commitments["analysis"]
    assert client.get(f"/api/commitments/{gnso_only.id}").status_code == 404
    assert signed_in("viewer").get(f"/api/commitments/{gnso_only.id}").status_code == 200


# Cursor pagination -----------------------------------------------------------------------------------------

def _walk(client, first_url):
    """Every page by following next; returns (ids in order, number of pages)."""
    ids, pages, url = [], 0, first_url
    while url:
        body = client.get(url).get_json()
        ids += [i["id"] for i in body["items"]]
        pages += 1
        url = body["next"]
    return ids, pages


@pytest.mark.parametrize("path", ["/api/commitments", "/api/letters", "/api/parties", "/api/people",
                                  "/api/commitments?status=done"])
def test_following_next_pages_through_the_whole_list_in_order(admin_client, session, record, path):
    dataset.grow(session, record)
    session.commit()
    everything = [i["id"] for i in admin_client.get(path + ("&" if "?" in path else "?") + "limit=500")
                  .get_json()["items"]]
    ids, pages = _walk(admin_client, path + ("&" if "?" in path else "?") + "limit=2")
    assert len(everything) > 2 and ids == everything and pages == -(-len(everything) // 2)


def test_cursor_pages_neither_skip_nor_repeat_when_records_are_added_before_the_cursor(admin_client, session,
                                                                                       record):
    first = admin_client.get("/api/letters?limit=2").get_json()
    before = [i["id"] for i in admin_client.get("/api/letters").get_json()["items"]]
    # A newer letter sorts first: an offset would now repeat the second item; the cursor does not.
    factories.letter(session, authors=[record.ccnso], sent_on=date(2010, 5, 11))
    session.commit()
    rest, _ = _walk(admin_client, first["next"])
    assert [i["id"] for i in first["items"]] + rest == before
    assert first["next_cursor"] in first["next"] and first["next_offset"] == 2


def test_the_next_link_keeps_the_filters(admin_client, record):
    body = admin_client.get(f"/api/commitments?limit=1&party={record.gnso.id}&side=to").get_json()
    assert f"party={record.gnso.id}" in body["next"] and "side=to" in body["next"] and "offset" not in body["next"]
    assert body["offset"] == 0
    second = admin_client.get(body["next"]).get_json()
    assert second["offset"] is None and second["next_offset"] is None


@pytest.mark.parametrize("cursor", ["garbage", "WzEsMl0", "", "x" * 900])
def test_a_cursor_this_api_did_not_give_is_400(admin_client, record, cursor):
    response = admin_client.get(f"/api/letters?cursor={cursor}")
    if cursor == "":
        assert response.status_code == 200
        return
    assert response.status_code == 400 and response.get_json()["parameter"] == "cursor"


def test_a_cursor_of_another_list_is_400(admin_client, record):
    letters_cursor = admin_client.get("/api/letters?limit=1").get_json()["next_cursor"]
    response = admin_client.get(f"/api/commitments?cursor={letters_cursor}")
    assert response.status_code == 400 and response.get_json()["parameter"] == "cursor"


def test_cursor_and_offset_together_is_400(admin_client, record):
    cursor = admin_client.get("/api/letters?limit=1").get_json()["next_cursor"]
    response = admin_client.get(f"/api/letters?cursor={cursor}&offset=1")
    assert response.status_code == 400 and response.get_json()["parameter"] == "offset"
