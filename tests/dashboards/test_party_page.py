import re
from datetime import date

import pytest

from tests import factories
from tests.dashboards import dataset
from tests.dashboards.helpers import section, titles_in
from tracker.commitments import operations as commitment_operations

Window = commitment_operations.Window


@pytest.fixture()
def record(session):
    return dataset.build(session)


def test_party_page_lists_what_we_promised_them_open_first(admin_client, record):
    html = admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True)
    assert titles_in(section(html, "promised")) == ["Publish the workshop findings", "Publish a Concept of Operations",
                                                    "Cost breakdown", "Publish an FAQ", "Old paper"]


def test_party_page_shows_one_state_per_promise_with_days_late(admin_client, record):
    promised = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "promised")
    states = [re.sub(r"\s+", " ", text).strip()
              for text in re.findall(r'<span class="badge \w+">(.*?)</span>', promised.split("<tbody>")[1], re.S)]
    # Pinned day 12 May 2010: due 30 April → 12 days late; due 10 May → 2; the FAQ done 1 May (due 10 May);
    # the old paper done 2 April (due 31 March).
    assert states == ["overdue, 12 days late", "overdue, 2 days late", "needs decision", "done 1 May 2010, on time",
                      "done 2 April 2010, 2 days late"]


def test_party_page_shows_their_requests_and_the_answer(admin_client, record):
    asked = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "asked")
    assert titles_in(asked) == ["Extend the comment periods by 15 days"]
    assert "Extended to 14 April" in asked and "done 28 March 2010, on time" in asked


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
    assert timeline.count('<g class="row') == 5  # the vague cost breakdown has no row
    assert timeline.count('<g class="row overdue">') == 2  # the workshop findings and the Concept of Operations
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


def _summary(html: str) -> dict[str, tuple[int, str]]:
    """{css state: (count, href)} of the party page's summary line."""
    block = re.search(r'<nav class="summary".*?</nav>', html, re.S).group(0)
    return {state: (int(count), href.replace("&amp;", "&")) for state, href, count in re.findall(
        r'<li class="summary-(\w+)"><a href="([^"]+)"><strong>(\d+)</strong>', block)}


def test_party_summary_counts_each_state_and_links_to_the_filtered_list(admin_client, record):
    html = admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True)
    party = record.ccnso.id
    assert _summary(html) == {
        "overdue": (2, f"/commitments/?party={party}&status=overdue"),
        "due_soon": (0, f"/commitments/?party={party}&status=due_soon"),
        "needs_decision": (1, f"/commitments/?party={party}&status=needs_decision"),
        "done_on_time": (2, f"/commitments/?party={party}&status=done_on_time"),   # the FAQ and the extension
        "done_late": (1, f"/commitments/?party={party}&status=done_late"),         # the old paper
        "open_requests": (0, f"/commitments/?party={party}&kind=request&status=active"),
    }


def test_each_summary_count_is_the_length_of_the_list_its_link_opens(admin_client, session, record):
    dataset.grow(session, record, times=2)
    for party in (record.ccnso, record.gnso, record.ceo):
        for state, (count, href) in _summary(admin_client.get(f"/parties/{party.id}").get_data(as_text=True)).items():
            listed = admin_client.get(href).get_data(as_text=True)
            rows = re.findall(r'<tr id="commitment-\d+"|<a href="/commitments/\d+">', listed.split("<tbody>")[-1])
            assert len(rows) == count, (party.short_name, state, count, len(rows))


def test_summary_counts_an_open_request_and_a_due_soon_promise(admin_client, session, record):
    factories.commitment(session, kind="request", title="Answer our questions", made_by=[record.gnso],
                         made_to=[record.ceo], window=Window("by 20 May", None, date(2010, 5, 20), "day"))
    session.commit()
    counts = _summary(admin_client.get(f"/parties/{record.gnso.id}").get_data(as_text=True))
    # The analysis (due 20 May) and the new request (due 20 May) are due within 14 days of 12 May.
    assert counts["due_soon"][0] == 2 and counts["open_requests"][0] == 1


def test_our_own_office_lists_the_promises_it_made_not_nothing(admin_client, record):
    html = admin_client.get(f"/parties/{record.ceo.id}").get_data(as_text=True)
    promised = section(html, "promised")
    assert "Nothing was promised" not in promised and "What CEO promised" in promised
    assert len(titles_in(promised)) == 8
    assert titles_in(section(html, "asked")) == ["Extend the comment periods by 15 days"]


def test_progress_bar_on_open_rows_only(admin_client, session, record):
    commitment_operations.update_progress(session, record.commitments["conops"], status="in_progress", progress=40)
    session.commit()
    promised = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "promised")
    row = re.search(rf'<tr id="commitment-{record.commitments["conops"].id}">.*?</tr>', promised, re.S).group(0)
    assert '<progress max="100" value="40"' in row
    done_row = re.search(rf'<tr id="commitment-{record.commitments["faq"].id}">.*?</tr>', promised, re.S).group(0)
    assert "<progress" not in done_row


def _reply_cell(html: str, letter_id: int) -> str:
    row = re.search(rf'<tr[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*><a href="/letters/{letter_id}">.*?</tr>', html, re.S)
    assert row, f"no row for letter {letter_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(0).split("</td>")[-2])).strip()


def test_a_late_reply_says_when_it_came_and_how_late(admin_client, session, record):
    from tracker.letters.operations import link_letters

    # "Remarks to the GAC" (11 March) had to be answered by 10 April; the reply came on 21 April.
    link_letters(session, record.letters["reply"], record.letters["angry"], "replies_to")
    session.commit()
    party_page = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "correspondence")
    assert "replied 21 April 2010, 11 days after reply-by" in party_page
    assert 'class="badge replied_late"' in party_page
    letters_list = admin_client.get(f"/letters/?party={record.ccnso.id}").get_data(as_text=True)
    assert "replied 21 April 2010, 11 days after reply-by" in letters_list


def test_a_late_letter_reads_the_same_on_the_party_page_and_the_letters_list(admin_client, record):
    angry = record.letters["angry"].id
    party_page = section(admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True), "correspondence")
    letters_list = admin_client.get(f"/letters/?party={record.ccnso.id}").get_data(as_text=True)
    assert _reply_cell(party_page, angry) == _reply_cell(letters_list, angry) == \
        "late: awaiting reply since 10 April 2010"
