"""Real scheduler processes against a real database: exactly-once delivery and a sender killed mid-send."""
import os
import signal
import socket
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from tests import factories
from tests.conftest import ROOT, TEST_PG_URL
from tests.conftest import testing_config as config_for
from tracker import create_app
from tracker.commitments.operations import Window
from tracker.mail.memory import MemoryTransport
from tracker.reminders import jobs
from tracker.reminders.models import Digest

NOW = "2010-05-12T09:00:00+00:00"  # 09:00 UTC: the 08:00 digests of owners in UTC are due


def populated_database(make_database, owners: int) -> str:
    """A fresh database with `owners` people in UTC, each owning one overdue commitment (committed for real)."""
    url = make_database()
    app = create_app(config_for(url))
    with app.app_context():
        engine = app.extensions["db"].engine
        with Session(engine) as session:
            for _ in range(owners):
                owner = factories.person(session, timezone="UTC")
                factories.commitment(session, owner_id=owner.id,
                                     window=Window("by 1 May", None, date(2010, 5, 1), "day"))
            session.commit()
        engine.dispose()
    return url


def scheduler_process(url: str, tmp_path: Path, **settings) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env.update(TRACKER_DATABASE_URL=url, TRACKER_NOW=NOW, TRACKER_SECRET_KEY="a-long-secret-for-these-processes",
               TRACKER_BASE_URL="http://tracker.test", TRACKER_MAIL_TRANSPORT="outbox",
               TRACKER_MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))
    env.update({f"TRACKER_{key}": str(value) for key, value in settings.items()})
    return subprocess.Popen([str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", "scheduler"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def states(engine):
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT state FROM digest ORDER BY id"))]


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output.decode(errors="replace")


@pytest.mark.postgres_only
@pytest.mark.skipif(not TEST_PG_URL, reason="needs PostgreSQL (TRACKER_TEST_DATABASE_URL)")
def test_two_schedulers_started_together_send_each_digest_exactly_once(make_database, tmp_path):
    owners = 25
    url = populated_database(make_database, owners)
    engine = create_engine(url)
    first, second = scheduler_process(url, tmp_path), scheduler_process(url, tmp_path)
    try:
        wait_for(lambda: (lambda s: len(s) == owners and set(s) == {"sent"})(states(engine)))
    finally:
        logs = stop(first) + stop(second)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT recipient_id, message_id, claimed_by FROM digest")).all()
    engine.dispose()
    assert len(rows) == owners and len({r.recipient_id for r in rows}) == owners
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == owners, logs
    assert sorted(f.read_bytes().split(b"Message-ID: ")[1].split(b"\n")[0].decode() for f in files) == \
        sorted(r.message_id for r in rows)


@pytest.mark.smtp_allowed
def test_scheduler_killed_between_claim_and_send_leaves_unknown_never_resent(make_database, tmp_path):
    url = populated_database(make_database, 1)
    # An SMTP server that accepts the connection and never answers: the sender hangs after its claim committed.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    process = scheduler_process(url, tmp_path, MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1",
                                SMTP_PORT=silent.getsockname()[1], SMTP_TIMEOUT=120)
    engine = create_engine(url)
    try:
        wait_for(lambda: states(engine) == ["sending"])
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        stop(process)
        silent.close()
    engine.dispose()
    app = create_app(config_for(url, NOW="2010-05-12T09:20:00+00:00"))  # past the 15-minute lease
    transport = MemoryTransport()
    report = jobs.send_due(app, transport)
    with app.app_context():
        with Session(app.extensions["db"].engine) as session:
            digest = session.exec(select(Digest)).one()
            assert digest.state == "unknown" and report.unknown == [digest.id]
            assert "never confirmed" in digest.last_error and digest.attempts == 1
    app.config["NOW"] = "2010-05-12T11:00:00+00:00"
    jobs.send_due(app, transport)
    assert transport.sent == []
    app.extensions["db"].engine.dispose()
