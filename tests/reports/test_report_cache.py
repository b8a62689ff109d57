"""Reports kept between requests (tracker/reports/cache.py): given again while nothing changed, built again after
any change, and never given to a reader who may see other parties."""
from __future__ import annotations

import pytest

from sqlmodel import Session

from tests import factories
from tests.access.conftest import sign_in
from tests.conftest import PASSWORD, testing_config
from tests.reports.test_reports import pdf_text, sheets
from tracker import create_app
from tracker.db import StatementCounter, write_session
from tracker.kept import RecentlyUsed
from tracker.parties.models import Party


@pytest.fixture()
def cached(app, monkeypatch):
    """The report cache turned on for this test, empty."""
    monkeypatch.setitem(app.config, "REPORT_CACHE_SIZE", 8)
    monkeypatch.setitem(app.extensions, "report_cache", RecentlyUsed(8))
    return app.extensions["report_cache"]


def statements_of(app, client, url) -> tuple[int, object]:
    with StatementCounter(app.extensions["db"].engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return statements.count, response


def test_a_report_is_given_again_until_anything_changes(app, admin_client, session, cached, ccnso, ceo):
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="First promise")
    session.commit()
    url = f"/parties/{ccnso.id}/report.xlsx"
    built, first = statements_of(app, admin_client, url)
    kept, second = statements_of(app, admin_client, url)
    assert second.data == first.data and second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert kept < built  # only the sign-in, the party and the newest event were read
    assert len(cached) == 2  # the report and its spreadsheet

    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Second promise")  # appends an event
    session.commit()
    titles = list(sheets(admin_client.get(url))["Promised to them"]["Title"])
    assert sorted(titles) == ["First promise", "Second promise"]
    assert "Second promise" in pdf_text(admin_client.get(f"/parties/{ccnso.id}/report.pdf"))


def test_the_other_file_of_a_kept_report_is_written_from_it_without_counting_again(app, admin_client, session,
                                                                                 cached, ccnso, ceo):
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="A kept promise")
    session.commit()
    built, _ = statements_of(app, admin_client, f"/parties/{ccnso.id}/report.xlsx")
    written, pdf = statements_of(app, admin_client, f"/parties/{ccnso.id}/report.pdf")
    assert written < built  # the report's lists and counts were not read again
    assert "A kept promise" in pdf_text(pdf)
    assert pdf.headers["Content-Disposition"].endswith('.pdf"')
    assert len(cached) == 3  # the report, its spreadsheet and its PDF


def test_a_kept_report_is_never_given_to_a_reader_who_sees_other_parties(app, admin_client, session, cached, ccnso,
                                                                         gnso, ceo):
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Promise to the ccNSO")
    factories.commitment(session, made_by=[ceo], made_to=[gnso], title="Promise to the GNSO")
    limited = factories.user(session, role="viewer", party_ids=[gnso.id])
    session.commit()
    everything = list(sheets(admin_client.get("/report.xlsx"))["Promises"]["Title"])
    assert sorted(everything) == ["Promise to the GNSO", "Promise to the ccNSO"]
    viewer = sign_in(app, session, limited)
    assert list(sheets(viewer.get("/report.xlsx"))["Promises"]["Title"]) == ["Promise to the GNSO"]
    # And the other way round: the limited reader's report, kept, is not what the admin gets.
    assert sorted(sheets(admin_client.get("/report.xlsx"))["Promises"]["Title"]) == everything


def test_a_report_of_a_past_day_is_not_kept(app, admin_client, session, cached, ccnso, ceo):
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="A promise")
    session.commit()
    assert admin_client.get(f"/parties/{ccnso.id}/report.pdf?as_of=2010-05-01").status_code == 200
    assert len(cached) == 0


@pytest.fixture(scope="module")
def own_app(make_database):
    """An app without the shared test session: each request reads what is committed, as in production."""
    app = create_app(testing_config(make_database(), REPORT_CACHE_SIZE=8))
    yield app
    app.extensions["db"].engine.dispose()


@pytest.mark.postgres_only
def test_a_report_built_while_another_change_is_written_is_not_kept(own_app):
    """PostgreSQL numbers an event when it is written: a change that commits late carries an event older than the
    newest, so a report kept under the newest would go on missing it."""

    with own_app.app_context(), write_session() as session:
        factories.user(session, role="admin", email="reports-late@example.org")
        ceo, ccnso = factories.party(session, is_internal=True), factories.party(session)
        factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Promised first")
        party_ids = ceo.id, ccnso.id
    client = own_app.test_client()
    assert client.post("/sign-in", data={"email": "reports-late@example.org",
                                         "password": PASSWORD}).status_code == 302
    url = f"/parties/{party_ids[1]}/report.xlsx"

    def titles() -> list[str]:
        return sorted(sheets(client.get(url))["Promised to them"]["Title"])

    engine = own_app.extensions["db"].engine
    with own_app.app_context(), engine.connect() as late_connection:
        late_transaction = late_connection.begin()
        late = Session(bind=late_connection)
        ceo, ccnso = (late.get(Party, party_id) for party_id in party_ids)
        factories.commitment(late, made_by=[ceo], made_to=[ccnso], title="Promised while another wrote")
        with write_session() as session:  # numbered after the one above, committed before it
            ceo, ccnso = (session.get(Party, party_id) for party_id in party_ids)
            factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Promised last")
        assert titles() == ["Promised first", "Promised last"]
        late_transaction.commit()
    assert titles() == ["Promised first", "Promised last", "Promised while another wrote"]
