"""Each page costs the same number of SQL statements however much data there is (no N+1)."""
import pytest

from tests.dashboards import dataset
from tests.dashboards.helpers import CountStatements


PAGES = {
    "overview": lambda r: "/",
    "party page": lambda r: f"/parties/{r.ccnso.id}",
    "commitments overdue": lambda r: "/commitments/?status=overdue",
    "letter page": lambda r: f"/letters/{r.letters['angry'].id}",
    "api commitments": lambda r: f"/api/commitments?status=overdue&party={r.ccnso.id}",
}


def statements_for(client, session, url):
    client.get(url)  # warm up: the first request of a client may load things the next ones do not
    with CountStatements(session) as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["admin", "limited viewer"])
def test_statement_count_of_page_does_not_grow_with_the_data(signed_in, session, role, page):
    record = dataset.build(session)
    client = signed_in("admin") if role == "admin" else signed_in("viewer", party_ids=[record.ccnso.id])
    url = PAGES[page](record)
    small = statements_for(client, session, url)
    dataset.grow(session, record, times=5)
    assert statements_for(client, session, url) == small


def test_overview_needs_nine_statements(admin_client, session):
    record = dataset.build(session)
    admin_client.get("/")
    with CountStatements(session) as counter:
        admin_client.get("/")
    # counts, four commitment lists, late letters, their parties, owners, letter participants
    assert counter.count == 9
    assert record.ccnso.id
