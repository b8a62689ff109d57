import pytest

from tracker.mail.memory import MemoryTransport


@pytest.fixture()
def outbox(app):
    """The memory transport, fresh for each test: every message the app sends lands in outbox.sent."""
    transport = MemoryTransport()
    app.extensions["mail_transport"] = transport
    yield transport
    app.extensions.pop("mail_transport", None)


@pytest.fixture()
def pin(app, monkeypatch):
    """pin("2010-05-12T23:00:00+00:00") moves the app's clock for this test only."""
    return lambda moment: monkeypatch.setitem(app.config, "NOW", moment)
