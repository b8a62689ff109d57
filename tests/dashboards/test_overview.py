import pytest

from tests.dashboards import dataset
from tests.dashboards.helpers import section, titles_in


@pytest.fixture()
def record(session):
    return dataset.build(session)


def test_overview_lists_overdue_most_overdue_first_with_days_late(admin_client, record):
    html = admin_client.get("/").get_data(as_text=True)
    overdue = section(html, "overdue")
    assert titles_in(overdue) == ["Publish the workshop findings", "Publish a Concept of Operations"]
    assert [int(d) for d in __import__("re").findall(r'class="days-late">(\d+)<', overdue)] == [12, 2]


def test_overview_lists_due_soon_within_fourteen_days_only(admin_client, record):
    html = admin_client.get("/").get_data(as_text=True)
    assert titles_in(section(html, "due-soon")) == ["Updated resource analysis"]
    assert "Brussels briefing" not in html


def test_overview_lists_late_letters_oldest_reply_by_first(admin_client, record):
    html = admin_client.get("/").get_data(as_text=True)
    assert titles_in(section(html, "letters-late")) == ["GNSO questions", "Remarks to the GAC"]


def test_overview_lists_vague_commitments_as_needing_a_decision(admin_client, record):
    html = admin_client.get("/").get_data(as_text=True)
    assert titles_in(section(html, "needs-decision")) == ["Cost breakdown"]


def test_overview_lists_last_thirty_days_done_and_flags_done_late(admin_client, record):
    done = section(admin_client.get("/").get_data(as_text=True), "recently-done")
    assert titles_in(done) == ["Consultation list", "Publish an FAQ"]
    assert done.count("done late</span>") == 1
    late_row = done.split(f'id="commitment-{record.commitments["list"].id}"')[1].split("</tr>")[0]
    assert "done late" in late_row


def test_overview_cards_count_each_list(admin_client, record):
    html = admin_client.get("/").get_data(as_text=True)
    numbers = {card: int(__import__("re").search(rf'id="card-{card}"[^>]*><div class="number">(\d+)<', html).group(1))
               for card in ("overdue", "due-soon", "letters-late", "needs-decision", "recently-done")}
    assert numbers == {"overdue": 2, "due-soon": 1, "letters-late": 2, "needs-decision": 1, "recently-done": 2}


def test_overview_shows_owner_and_parties_of_each_row(admin_client, record):
    row = section(admin_client.get("/").get_data(as_text=True), "overdue").split("</tr>")[1]
    assert "Greg Rattray" in row
    assert ">CEO</a> → <a" in row and ">ccNSO</a>" in row


def test_overview_caps_a_list_and_links_to_all(admin_client, record, session, monkeypatch):
    from tracker.dashboards import routes

    monkeypatch.setattr(routes, "LIST_CAP", 1)
    overdue = section(admin_client.get("/").get_data(as_text=True), "overdue")
    assert titles_in(overdue) == ["Publish the workshop findings"]
    assert '<a class="see-all" href="/commitments/?status=overdue">See all 2</a>' in overdue


def test_viewer_limited_to_ccnso_sees_only_ccnso_items_on_overview(signed_in, record):
    client = signed_in("viewer", party_ids=[record.ccnso.id])
    html = client.get("/").get_data(as_text=True)
    assert titles_in(section(html, "overdue")) == ["Publish the workshop findings", "Publish a Concept of Operations"]
    assert titles_in(section(html, "due-soon")) == []
    assert titles_in(section(html, "letters-late")) == ["Remarks to the GAC"]
    assert titles_in(section(html, "needs-decision")) == ["Cost breakdown"]
    assert titles_in(section(html, "recently-done")) == ["Publish an FAQ"]
    assert "GNSO questions" not in html and "Consultation list" not in html


def test_unlimited_viewer_sees_everything_on_overview(viewer_client, record):
    html = viewer_client.get("/").get_data(as_text=True)
    assert titles_in(section(html, "due-soon")) == ["Updated resource analysis"]
    assert titles_in(section(html, "letters-late")) == ["GNSO questions", "Remarks to the GAC"]


def test_empty_overview_says_nothing_is_late(admin_client):
    html = admin_client.get("/").get_data(as_text=True)
    assert "Nothing is overdue." in html


def test_anonymous_visitor_is_sent_to_sign_in_from_party_page(client, record):
    response = client.get(f"/parties/{record.ccnso.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
