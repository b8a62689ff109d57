import re

import pytest

from tests import factories
from tests.dashboards import dataset
from tests.dashboards.helpers import section, titles_in


@pytest.fixture()
def record(session):
    return dataset.build(session)


def test_party_page_lists_what_we_promised_them_open_first(admin_client, record):
    html = admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True)
    assert titles_in(section(html, "promised")) == ["Publish the workshop findings", "Publish a Concept of Operations",
                                                    "Cost breakdown", "Publish an FAQ", "Old paper"]


def test_party_page_shows_state_badges_of_promises(admin_client, record):
    promised = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "promised")
    assert re.findall(r'<span class="badge (\w+)">', promised.split("<tbody>")[1]) == [
        "overdue", "overdue", "vague", "needs_decision", "on_time", "done_late"]


def test_party_page_shows_their_requests_and_the_answer(admin_client, record):
    asked = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "asked")
    assert titles_in(asked) == ["Extend the comment periods by 15 days"]
    assert "Extended to 14 April" in asked and "28 March 2010" in asked and ">done</span>" in asked


def test_party_page_on_time_rate_counts_done_by_latest_day(admin_client, record):
    html = admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True)
    # FAQ and the extension on time, the old paper two days late.
    assert '<div class="number">67%</div>' in html and "2 of 3 finished" in html


def test_party_page_on_time_rate_is_na_without_finished_commitments(admin_client, session, record):
    party = factories.party(session)
    session.commit()
    assert '<div class="number">n/a</div>' in admin_client.get(f"/parties/{party.id}").get_data(as_text=True)


def test_party_page_shows_current_roles_only(admin_client, record):
    people = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "people")
    assert "Chris Disspain — Chair" in people and "Former Chair" not in people


def test_party_page_lists_their_letters_newest_first(admin_client, record):
    letters = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "correspondence")
    assert titles_in(letters) == ["Thank you for your letter", "Remarks to the GAC"]
    assert f'href="/letters/?party={record.ccnso.id}"' in letters


def test_party_page_draws_one_timeline_row_per_dated_commitment(admin_client, record):
    timeline = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "timeline")
    assert timeline.count('<g class="row">') == 5  # the vague cost breakdown has no row
    assert "<script" not in timeline and timeline.count('class="today"') == 1


def test_unknown_party_is_404(admin_client, record):
    assert admin_client.get("/parties/999999").status_code == 404


def test_viewer_limited_to_gnso_gets_404_for_ccnso_party_page(signed_in, record):
    client = signed_in("viewer", party_ids=[record.gnso.id])
    assert client.get(f"/parties/{record.ccnso.id}").status_code == 404
    assert client.get(f"/parties/{record.gnso.id}").status_code == 200


def test_viewer_limited_to_ccnso_sees_ccnso_party_page(signed_in, record):
    client = signed_in("viewer", party_ids=[record.ccnso.id])
    html = client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True)
    assert "Publish the workshop findings" in html


def test_editor_sees_any_party_page(editor_client, record):
    assert editor_client.get(f"/parties/{record.gnso.id}").status_code == 200


def test_party_page_shows_the_party_history(editor_client, session):
    from tests import factories

    party = factories.party(session, name="Registry Stakeholder Group", short_name="RySG")
    session.commit()
    page = editor_client.get(f"/parties/{party.id}").get_data(as_text=True)
    assert "History" in page and "created the party" in page
