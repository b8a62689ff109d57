"""Requests that wrote nothing end in COMMIT on PostgreSQL, so the connection keeps the statements psycopg prepared
(tracker.db.end_request); one that wrote and did not commit is still rolled back; and a page of a past day, whose
temporary views hide the records made since, never runs a statement prepared before those views were made.

These tests run on an app of their own, without the shared test session, so each request opens and closes its own
session on the pool's connection, as in production."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests import factories
from tests.conftest import PASSWORD, testing_config
from tracker import create_app
from tracker.commitments.models import Commitment
from tracker.db import end_request, write_session
from tracker.demo.load import load_sample_record

DAY = "2010-05-01"
# psycopg prepares a statement at its fifth run on a connection (its default prepare_threshold).
RUNS_TO_PREPARE = 6


@pytest.fixture(scope="module")
def own_app(make_database):
    app = create_app(testing_config(make_database()))
    with app.app_context(), write_session() as session:
        load_sample_record(session)
        factories.user(session, role="admin", email="prepared@example.org")
    yield app
    app.extensions["db"].engine.dispose()


@pytest.fixture()
def admin(own_app):
    client = own_app.test_client()
    response = client.post("/sign-in", data={"email": "prepared@example.org", "password": PASSWORD})
    assert response.status_code == 302
    return client


def on_the_connection(app, statement: str):
    """Run a statement on the pool's connection (the test client's requests, one after another, all use that one)
    and commit: a rollback would make psycopg forget what it prepared."""
    pool = app.extensions["db"].engine.pool
    assert pool.checkedin() == 1, "the requests were expected to share one connection"
    raw = pool.connect()
    try:
        cursor = raw.cursor()
        cursor.execute(statement)
        return cursor.fetchone()[0] if cursor.description else None
    finally:
        raw.dbapi_connection.commit()
        raw.close()


def prepared_statements(app) -> int:
    return on_the_connection(app, "SELECT count(*) FROM pg_prepared_statements")


@pytest.mark.postgres_only
def test_pages_that_only_read_keep_their_prepared_statements(own_app, admin):
    for _ in range(RUNS_TO_PREPARE):
        assert admin.get("/api/commitments?limit=200").status_code == 200
    assert prepared_statements(own_app) > 0


@pytest.mark.postgres_only
def test_a_past_day_never_runs_a_statement_prepared_before_its_views(own_app, admin):
    with own_app.app_context(), write_session() as session:
        made_since = factories.commitment(session, title="Made after the day shown").id
    today = "/api/commitments?limit=200"
    assert admin.get(today).status_code == 200
    # A temporary schema made in a committed transaction stays with the connection. Statements prepared then are
    # not parsed again when a temporary view is made under a table's name (PostgreSQL parses them again when the
    # schemas searched change, and making the temporary schema is such a change, but not a view made in it).
    on_the_connection(own_app, "CREATE TEMPORARY TABLE lasting_temporary_schema (id integer)")
    for _ in range(RUNS_TO_PREPARE):
        assert made_since in {item["id"] for item in admin.get(today).get_json()["items"]}
    assert prepared_statements(own_app) > 0

    past = admin.get(f"{today}&as_of={DAY}")
    assert past.status_code == 200
    shown = {item["id"] for item in past.get_json()["items"]}
    assert shown and made_since not in shown
    # And today's list again once the day's views are gone.
    assert made_since in {item["id"] for item in admin.get(today).get_json()["items"]}


def test_a_request_that_wrote_and_did_not_commit_is_rolled_back(own_app):
    with own_app.app_context():
        database = own_app.extensions["db"]
        session = database.new_session()
        title = session.exec(select(Commitment.title).order_by(Commitment.id)).first()
        commitment = session.exec(select(Commitment).order_by(Commitment.id)).first()
        commitment.title = "Never committed"
        session.flush()
        end_request(session)
        session.close()

        session = database.new_session()
        assert session.exec(select(Commitment.title).order_by(Commitment.id)).first() == title
        session.close()


def test_a_request_that_only_read_ends_its_transaction(own_app):
    with own_app.app_context():
        session = own_app.extensions["db"].new_session()
        assert session.execute(text("SELECT 1")).scalar() == 1
        end_request(session)
        postgres = session.get_bind().dialect.name == "postgresql"
        # Committed on PostgreSQL; left to closing the session (a rollback) on SQLite.
        assert session.in_transaction() is not postgres
        session.close()
