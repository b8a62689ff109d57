"""The reminders page lists recipients a page at a time, by name, each with the parties it follows."""
import re

from tests import factories
from tracker.reminders import operations


def _names(response) -> list[str]:
    return re.findall(r'<td><a href="/reminders/\d+">([^<]+)</a></td>', response.get_data(as_text=True))


def _add_recipients(session, names, party_ids=()):
    for number, name in enumerate(names):
        operations.save_recipient(session, email=f"{name.lower().replace(' ', '.')}.{number}@example.org", name=name,
                                  party_ids=list(party_ids), preferences=operations.Preferences())
    session.commit()


def test_recipients_come_a_page_at_a_time_by_name_without_skipping_or_repeating(app, admin_client, session,
                                                                                monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    # Two namesakes straddle the page boundary: the order still places each on exactly one page.
    _add_recipients(session, ["Erin Chair", "Ann Chair", "Bob Chair", "Bob Chair", "Dan Chair"])

    first, second, third = (admin_client.get(f"/reminders/?page={page}") for page in (1, 2, 3))

    assert [_names(first), _names(second), _names(third)] == [["Ann Chair", "Bob Chair"],
                                                              ["Bob Chair", "Dan Chair"], ["Erin Chair"]]
    first_page = first.get_data(as_text=True)
    assert 'href="/reminders/?page=2"' in first_page and "previous" not in first_page
    last_page = third.get_data(as_text=True)
    assert 'href="/reminders/?page=2"' in last_page and "next →" not in last_page
    first_ids = re.findall(r'href="/reminders/(\d+)"', first_page)
    second_ids = re.findall(r'href="/reminders/(\d+)"', second.get_data(as_text=True))
    assert not set(first_ids) & set(second_ids)


def test_each_recipient_shows_the_parties_it_follows(admin_client, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    _add_recipients(session, ["Ann Chair"], party_ids=[ccnso.id, gnso.id])
    _add_recipients(session, ["Bob Chair"])

    page = admin_client.get("/reminders/").get_data(as_text=True)

    ann_row = page[page.index("Ann Chair"):page.index("Bob Chair")]
    assert "GNSO, ccNSO" in ann_row  # by party name
    bob_row = page[page.index("Bob Chair"):page.index("</tbody>")]
    assert "ccNSO" not in bob_row and "GNSO" not in bob_row


def test_a_page_past_the_end_is_empty_and_a_bad_page_is_refused(admin_client, session):
    _add_recipients(session, ["Ann Chair"])

    assert "Nobody gets digests yet." in admin_client.get("/reminders/?page=9").get_data(as_text=True)
    refused = admin_client.get("/reminders/?page=x")
    assert refused.status_code == 400
    assert "page" in refused.get_data(as_text=True)
