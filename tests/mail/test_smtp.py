"""The SMTP transport against a real SMTP server (aiosmtpd) started by each test on 127.0.0.1."""
import email
import email.policy
from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tests.mail_fixtures import free_port
from tracker.commitments.operations import Window
from tracker.mail import Email, PermanentError, TransientError, transport_from_config
from tracker.mail.smtp import SMTPTransport
from tracker.reminders import jobs
from tracker.reminders.models import Digest

pytestmark = pytest.mark.smtp_allowed


def owner_with_overdue_item(session):
    owner = factories.person(session, name="Greg Rattray", email="greg.rattray@example.org",
                             timezone="America/New_York")
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    item = factories.commitment(session, title="Publish a Concept of Operations", owner_id=owner.id, made_to=[ccnso],
                                window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    return owner, item


def test_digest_arrives_over_smtp_with_recipient_subject_both_parts_links_and_unsubscribe(app, session, smtp_server,
                                                                                         smtp_transport, pin):
    owner, item = owner_with_overdue_item(session)
    pin("2010-05-12T23:00:00+00:00")
    report = jobs.send_due(app)
    assert len(report.sent) == 1
    ((sender, recipients, raw),) = smtp_server.messages
    assert (sender, recipients) == ("tracker@example.org", ["greg.rattray@example.org"])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Reminders for 12 May 2010: 1 overdue"
    assert message["To"] == "greg.rattray@example.org"
    assert message["List-Unsubscribe"].strip().startswith("<http://tracker.test/unsubscribe/")  # may be folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Publish a Concept of Operations (2 days late" in text
    assert f"http://tracker.test/commitments/{item.id}" in text
    assert f'<a href="http://tracker.test/commitments/{item.id}">Publish a Concept of Operations</a>' in html
    digest = session.exec(select(Digest)).one()
    # The message as stored is the message as sent.
    assert raw.replace(b"\r\n", b"\n").strip() == digest.raw_message.encode().replace(b"\r\n", b"\n").strip()
    assert (digest.state, digest.transport, digest.attempts) == ("sent", "smtp", 1)


def test_server_refusing_with_451_then_accepting_delivers_on_retry(app, session, smtp_server, smtp_transport, pin):
    owner_with_overdue_item(session)
    smtp_server.rcpt_replies.append("451 4.3.0 Mailbox temporarily unavailable, try again later")
    pin("2010-05-12T23:00:00+00:00")
    jobs.send_due(app)
    digest = session.exec(select(Digest)).one()
    assert digest.state == "pending" and digest.attempts == 1
    assert "451" in digest.last_error and smtp_server.messages == []
    pin("2010-05-12T23:05:00+00:00")  # past the first backoff (at most 60 s)
    jobs.send_due(app)
    session.refresh(digest)
    assert (digest.state, digest.attempts) == ("sent", 2)
    assert len(smtp_server.messages) == 1


def test_server_refusing_with_550_fails_visibly_and_is_not_retried(app, session, smtp_server, smtp_transport, pin):
    owner_with_overdue_item(session)
    smtp_server.rcpt_replies.append("550 5.1.1 No such user here")
    pin("2010-05-12T23:00:00+00:00")
    jobs.send_due(app)
    pin("2010-05-13T03:00:00+00:00")
    jobs.send_due(app)
    digest = session.exec(select(Digest)).one()
    assert (digest.state, digest.attempts) == ("failed", 1)
    assert "550 5.1.1 No such user here" in digest.last_error
    assert smtp_server.rcpt_attempts == 1 and smtp_server.messages == []


def test_connection_refused_is_transient(smtp_server):
    closed_port = smtp_server.port
    transport = SMTPTransport("127.0.0.1", closed_port, timeout=2)
    smtp_server.rcpt_replies.clear()
    message = Email("tracker@example.org", ("a@example.org",), "Hi", "text", message_id="<x@example.org>")
    transport.send(message)  # sanity: the server answers

    with pytest.raises(TransientError, match="not reachable"):
        SMTPTransport("127.0.0.1", free_port(), timeout=2).send(message)


def test_smtp_transport_is_built_from_configuration(app, monkeypatch):
    for key, value in (("MAIL_TRANSPORT", "smtp"), ("SMTP_HOST", "mail.example.org"), ("SMTP_PORT", 587),
                       ("SMTP_SECURITY", "starttls"), ("SMTP_USERNAME", "tracker"), ("SMTP_PASSWORD", "pw")):
        monkeypatch.setitem(app.config, key, value)
    transport = transport_from_config(app)
    assert isinstance(transport, SMTPTransport)
    assert (transport.host, transport.port, transport.security, transport.username) == (
        "mail.example.org", 587, "starttls", "tracker")


def test_permanent_and_transient_are_told_apart_by_reply_code(smtp_server):
    transport = SMTPTransport(smtp_server.host, smtp_server.port, timeout=5)
    message = Email("tracker@example.org", ("a@example.org",), "Hi", "text", message_id="<y@example.org>")
    smtp_server.rcpt_replies.append("452 4.2.2 Mailbox full")
    with pytest.raises(TransientError):
        transport.send(message)
    smtp_server.rcpt_replies.append("553 5.1.3 Bad address syntax")
    with pytest.raises(PermanentError):
        transport.send(message)
