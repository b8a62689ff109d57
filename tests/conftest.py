"""Fixtures: a migrated database (SQLite file, or PostgreSQL when TRACKER_TEST_DATABASE_URL is set),
an app, a session rolled back after each test, a client, and signed-in clients per role.

On PostgreSQL each run creates its own database next to the one named in the URL and drops it at the end,
so two runs never see each other's rows.
"""
from __future__ import annotations

import contextvars
import os
import smtplib
import tomllib
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from tests import factories
from tracker import create_app
from tracker.migrate import upgrade

pytest_plugins = ["tests.mail_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
TEST_PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "")
PASSWORD = factories.PASSWORD


def testing_config(database_url: str, **extra) -> dict:
    with open(ROOT / "config" / "testing.toml", "rb") as fh:
        config = tomllib.load(fh)
    config["DATABASE_URL"] = database_url
    config.update(extra)
    return config


def create_postgres_database(base_url: str) -> str:
    """A new, empty database on the server of base_url; returns its URL."""
    url = make_url(base_url)
    name = f"tracker_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # a green run must mean PostgreSQL really ran
        raise pytest.UsageError(f"PostgreSQL at {base_url} cannot be reached: {error}") from error
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(database_url: str) -> None:
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def make_database(tmp_path_factory):
    """Factory for fresh, migrated databases of the backend under test (dropped at the end)."""
    created = []

    def make() -> str:
        if TEST_PG_URL:
            url = create_postgres_database(TEST_PG_URL)
        else:
            url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "tracker.db")
        created.append(url)
        upgrade(url)
        return url

    yield make
    for url in created:
        if url.startswith("postgresql"):
            drop_postgres_database(url)


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of the backend under test with no tables at all (never migrated); dropped afterwards."""
    if TEST_PG_URL:
        url = create_postgres_database(TEST_PG_URL)
        yield url
        drop_postgres_database(url)
    else:
        yield "sqlite:///" + str(tmp_path / "never-migrated.db")


@pytest.fixture(scope="session")
def database_url(make_database):
    return make_database()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, so it gets its own app context and `g` (signed-in user,
    visible parties) even though the test itself holds an app context open for its setup."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    application = create_app(testing_config(database_url))
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture()
def session(app):
    """A session whose work is rolled back after the test; the app's requests use it too."""
    database = app.extensions["db"]
    connection = database.engine.connect()
    transaction = connection.begin()
    test_session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    database.session_override = test_session
    with app.app_context():
        yield test_session
    database.session_override = None
    test_session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture()
def client(app, session):
    return app.test_client()


def _signed_in_client(app, session, role: str, **kwargs):
    user = factories.user(session, role=role, **kwargs)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.user = user
    return client


@pytest.fixture()
def admin_client(app, session):
    return _signed_in_client(app, session, "admin")


@pytest.fixture()
def editor_client(app, session):
    return _signed_in_client(app, session, "editor")


@pytest.fixture()
def viewer_client(app, session):
    return _signed_in_client(app, session, "viewer")


@pytest.fixture()
def signed_in(app, session):
    """signed_in(role, party_ids=[...]) → a client signed in as a new user of that role."""
    return lambda role, **kwargs: _signed_in_client(app, session, role, **kwargs)


@pytest.fixture(autouse=True)
def no_real_smtp(request, monkeypatch):
    """Fail any test that opens SMTP by accident; tests with a real local server mark themselves smtp_allowed."""
    if request.node.get_closest_marker("smtp_allowed"):
        return

    def refuse(*_args, **_kwargs):
        raise AssertionError("this test tried to open a real SMTP connection")

    monkeypatch.setattr(smtplib.SMTP, "connect", refuse)
    monkeypatch.setattr(smtplib.SMTP_SSL, "connect", refuse)


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only are skipped on SQLite runs."""
    if TEST_PG_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TRACKER_TEST_DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)
