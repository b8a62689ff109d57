"""Fixtures for tests that send mail or move the clock, shared by every suite: the memory transport, a real SMTP
server (aiosmtpd) on 127.0.0.1 with the transport that talks to it, and a pinned clock."""
import socket

import pytest
from aiosmtpd.controller import Controller

from tracker.mail.memory import MemoryTransport
from tracker.mail.smtp import SMTPTransport


class RecordingHandler:
    """An SMTP server's behaviour: refuse RCPT with queued replies (e.g. 451, 550), else accept and record."""

    def __init__(self):
        self.messages = []        # (envelope sender, recipients, raw bytes)
        self.rcpt_replies = []    # replies for the next RCPT commands, e.g. "451 4.3.0 Try again later"
        self.rcpt_attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_attempts += 1
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or
                              envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, for this test only."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.host, handler.port = controller.hostname, controller.port
    yield handler
    controller.stop()



@pytest.fixture()
def smtp_transport(app, smtp_server):
    """The app sends through the real SMTP server of this test."""
    transport = SMTPTransport(smtp_server.host, smtp_server.port, timeout=5)
    app.extensions["mail_transport"] = transport
    yield transport
    app.extensions.pop("mail_transport", None)


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
