import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tracker import create_app
from tracker.config import ConfigError


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_anonymous_api_call_gets_401(client):
    assert client.get("/api/letters").status_code == 401


def test_sign_in_with_wrong_password_is_refused(client, session):
    from tests import factories

    user = factories.user(session)
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 200
    assert "Unknown email or wrong password" in response.get_data(as_text=True)


def test_signed_in_viewer_sees_overview(viewer_client):
    assert viewer_client.get("/").status_code == 200


@pytest.mark.parametrize("key, value, message", [
    ("NOW", "yesterday", "ISO 8601"),
    ("NOW", "2010-05-12T09:00:00", "UTC offset"),
    ("DISPLAY_TIMEZONE", "Mars/Olympus", "IANA"),
    ("REPLY_BY_DAYS", "0", "positive"),
    ("MAIL_TRANSPORT", "pigeon", "MAIL_TRANSPORT"),
    ("DATE_ORDER", "YMD", "DATE_ORDER"),
])
def test_bad_configuration_stops_the_app_with_a_clear_message(key, value, message, database_url):
    with pytest.raises(ConfigError, match=message):
        create_app({"DATABASE_URL": database_url, key: value})


def test_environment_value_of_wrong_type_is_named(monkeypatch, database_url):
    monkeypatch.setenv("TRACKER_REPLY_BY_DAYS", "thirty")
    with pytest.raises(ConfigError, match="TRACKER_REPLY_BY_DAYS"):
        create_app({"DATABASE_URL": database_url})


def test_the_wsgi_module_freezes_what_it_built_out_of_the_garbage_collectors_way():
    frozen = subprocess.run([sys.executable, "-c", "import gc, app; print(gc.get_freeze_count())"], cwd=ROOT,
                            capture_output=True, text=True, check=True, env={"TRACKER_DATABASE_URL": "sqlite://"})
    assert int(frozen.stdout) > 10_000
