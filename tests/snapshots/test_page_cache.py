"""SQLite's page cache is widened while a past day is put back and read, and given back once the page is done, so
a connection does not keep a past day's memory for today's pages."""
from __future__ import annotations

import pytest

from tracker.demo.load import load_sample_record
from tracker.snapshots import operations


def cache_size(session) -> int:
    return session.connection().exec_driver_sql("PRAGMA cache_size").scalar()


@pytest.fixture()
def sqlite_only(session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PRAGMA cache_size is SQLite's")


def test_the_page_cache_is_widened_for_a_past_day_and_given_back_after(app, session, admin_client, sqlite_only,
                                                                     monkeypatch):
    load_sample_record(session)
    session.commit()
    before = cache_size(session)
    during = []
    put_back = operations._put_back

    def watched(session_, *args):
        during.append(cache_size(session_))
        return put_back(session_, *args)

    monkeypatch.setattr(operations, "_put_back", watched)
    assert admin_client.get("/commitments/?as_of=2010-05-01").status_code == 200
    assert during == [-operations.AS_OF_PAGE_CACHE_KIB]
    assert cache_size(session) == before != -operations.AS_OF_PAGE_CACHE_KIB


def test_a_day_refused_as_too_far_back_gives_the_page_cache_back_too(app, session, admin_client, sqlite_only,
                                                                     monkeypatch):
    load_sample_record(session)
    session.commit()
    before = cache_size(session)
    monkeypatch.setitem(app.config, "AS_OF_MAX_CHANGES", 1)
    assert admin_client.get("/commitments/?as_of=2010-02-01").status_code == 400
    assert cache_size(session) == before != -operations.AS_OF_PAGE_CACHE_KIB
