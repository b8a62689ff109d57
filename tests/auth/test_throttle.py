"""Sign-in throttle: per typed account (whatever the address) and per client address (whatever the account),
with the limits of config/default.toml; counters shared between processes when the storage is Redis."""
import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import PASSWORD, testing_config
from tracker.auth.throttle import limiter
from tracker.config import load_file

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = load_file("default.toml")
PER_ACCOUNT = 5   # "5 per minute" in config/default.toml
PER_ADDRESS = 20  # "20 per minute"


@pytest.fixture()
def real_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", DEFAULTS["SIGN_IN_LIMIT_PER_ACCOUNT"])
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ADDRESS", DEFAULTS["SIGN_IN_LIMIT_PER_ADDRESS"])
    limiter.reset()
    yield
    limiter.reset()


def attempt(client, email, address, password="wrong password here"):
    return client.post("/sign-in", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_the_default_limits_are_the_ones_measured_here():
    assert DEFAULTS["SIGN_IN_LIMIT_PER_ACCOUNT"].startswith(f"{PER_ACCOUNT} per minute")
    assert DEFAULTS["SIGN_IN_LIMIT_PER_ADDRESS"].startswith(f"{PER_ADDRESS} per minute")


def test_one_account_gets_five_attempts_a_minute_then_a_clear_429_from_any_address(app, session, real_limits):
    user = factories.user(session, role="editor")
    client = app.test_client()
    statuses = [attempt(client, user.email, f"10.1.0.{n}").status_code for n in range(PER_ACCOUNT + 3)]
    assert statuses == [200] * PER_ACCOUNT + [429] * 3
    refused = attempt(client, user.email, "10.1.0.99", password=PASSWORD)  # even the right password waits
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]
    # The address typed differently (case, spaces) is the same account.
    assert attempt(client, "  " + user.email.upper(), "10.1.0.100").status_code == 429
    # Another account is not affected.
    other = factories.user(session, role="editor")
    assert attempt(client, other.email, "10.1.0.101", password=PASSWORD).status_code == 302


def test_unknown_addresses_are_throttled_like_known_ones(app, session, real_limits):
    client = app.test_client()
    statuses = [attempt(client, "nobody@example.org", f"10.2.0.{n}").status_code for n in range(PER_ACCOUNT + 1)]
    assert statuses == [200] * PER_ACCOUNT + [429]


def test_one_address_gets_twenty_attempts_a_minute_across_accounts(app, session, real_limits):
    client = app.test_client()
    statuses = [attempt(client, f"guess{n}@example.org", "10.3.0.1").status_code for n in range(PER_ADDRESS + 2)]
    assert statuses == [200] * PER_ADDRESS + [429] * 2
    user = factories.user(session, role="editor")
    assert attempt(client, user.email, "10.3.0.1", password=PASSWORD).status_code == 429
    assert attempt(client, user.email, "10.3.0.2", password=PASSWORD).status_code == 302  # another address


def test_showing_the_form_is_not_counted(app, session, real_limits):
    client = app.test_client()
    for _ in range(PER_ADDRESS + 5):
        assert client.get("/sign-in", environ_base={"REMOTE_ADDR": "10.4.0.1"}).status_code == 200


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(app, session, real_limits):
    client = app.test_client()
    statuses = [client.post("/sign-in", data={"email": f"p{n}@example.org", "password": "x" * 12},
                            headers={"X-Forwarded-For": f"192.0.2.{n}"},
                            environ_base={"REMOTE_ADDR": "10.5.0.1"}).status_code
                for n in range(PER_ADDRESS + 1)]
    assert statuses[-1] == 429  # a client cannot pick a fresh address per attempt


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(database_url, session):
    from tracker import create_app

    proxied = create_app(testing_config(database_url, TRUSTED_PROXIES=1,
                                        SIGN_IN_LIMIT_PER_ADDRESS=DEFAULTS["SIGN_IN_LIMIT_PER_ADDRESS"]))
    limiter.reset()
    client = proxied.test_client()

    def through_proxy(client_address, n):
        return client.post("/sign-in", data={"email": f"q{n}@example.org", "password": "x" * 12},
                           headers={"X-Forwarded-For": client_address},
                           environ_base={"REMOTE_ADDR": "10.6.0.1"}).status_code

    assert [through_proxy("198.51.100.7", n) for n in range(PER_ADDRESS + 1)][-1] == 429
    assert through_proxy("198.51.100.8", 0) == 200
    # Only the last hop is believed: a client prepending its own X-Forwarded-For does not escape.
    assert through_proxy("203.0.113.1, 198.51.100.7", 1) == 429
    limiter.reset()


WORKER = textwrap.dedent("""
    import json, sys
    from tracker import create_app
    app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "throttle-test-key-of-at-least-32-chars",
                      "WTF_CSRF_ENABLED": False, "MAIL_TRANSPORT": "memory", "TESTING": True})
    client = app.test_client()
    statuses = [client.post("/sign-in", data={"email": "target@example.org", "password": "wrong password here"},
                            environ_base={"REMOTE_ADDR": address}).status_code for address in sys.argv[2:]]
    print(json.dumps(statuses))
""")


def test_counters_in_redis_are_shared_between_worker_processes(make_database):
    """Two processes stand in for two gunicorn workers: with Redis storage the account's five attempts are
    shared; with the default memory storage each process would have allowed five of its own."""
    redis = pytest.importorskip("redis")
    storage = "redis://127.0.0.1:6379/13"
    connection = redis.Redis.from_url(storage)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"tracker-test-{uuid.uuid4().hex[:8]}"
    database = make_database()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    environment.update(TRACKER_RATELIMIT_STORAGE_URI=storage, TRACKER_RATELIMIT_KEY_PREFIX=prefix)

    def worker(*addresses):
        done = subprocess.run([sys.executable, "-c", WORKER, database, *addresses], cwd=ROOT, env=environment,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    try:
        first = worker("10.7.0.1", "10.7.0.2", "10.7.0.3")
        second = worker("10.7.0.4", "10.7.0.5", "10.7.0.6")
        assert first == [200, 200, 200]
        assert second == [200, 200, 429]
        assert any(key.startswith(b"LIMITS:LIMITER/" + prefix.encode()) for key in connection.scan_iter("LIMITS:*"))
    finally:
        for key in connection.scan_iter(f"LIMITS:LIMITER/{prefix}*"):
            connection.delete(key)
        connection.close()


def test_sign_in_limits_are_checked_at_start(tmp_path):
    from tracker.config import ConfigError, build

    with pytest.raises(ConfigError, match="SIGN_IN_LIMIT_PER_ACCOUNT"):
        build(str(tmp_path), {"SIGN_IN_LIMIT_PER_ACCOUNT": "lots", "SECRET_KEY": "k" * 40})

