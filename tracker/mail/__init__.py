"""Outgoing mail: one Email value, one small Transport interface, picked by config (MAIL_TRANSPORT).

Transports raise TransientError (try again later: SMTP 4xx, connection refused, Graph 429/5xx) or
PermanentError (do not retry: SMTP 5xx recipient refused, Graph 4xx); the caller keeps the state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime
from typing import Protocol

from flask import Flask


@dataclass(frozen=True)
class Email:
    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    message_id: str = ""
    date: datetime | None = None
    # The exact bytes to send when the message was rendered and stored before (a digest row).
    raw: bytes | None = None

    def to_mime(self) -> EmailMessage:
        """The MIME message: text part first, HTML as the alternative."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(self.to)
        message["Subject"] = self.subject
        if self.date is not None:
            message["Date"] = format_datetime(self.date)
        message["Message-ID"] = self.message_id or make_msgid(domain=self.sender.rpartition("@")[2] or None)
        for name, value in self.headers.items():
            message[name] = value
        message.set_content(self.text)
        if self.html:
            message.add_alternative(self.html, subtype="html")
        return message

    def as_bytes(self) -> bytes:
        return self.raw if self.raw is not None else self.to_mime().as_bytes()


class DeliveryError(Exception):
    """A message that was not delivered; `permanent` says whether trying again can help."""

    permanent = False

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class TransientError(DeliveryError):
    permanent = False


class PermanentError(DeliveryError):
    permanent = True


class Transport(Protocol):
    name: str

    def send(self, email: Email) -> str:
        """Deliver the message; returns the id the transport knows it by. Raises DeliveryError."""


def transport_from_config(app: Flask) -> Transport:
    """The transport named by MAIL_TRANSPORT, configured from the app's settings."""
    config = app.config
    kind = config["MAIL_TRANSPORT"]
    if kind == "smtp":
        from tracker.mail.smtp import SMTPTransport

        return SMTPTransport(host=config["SMTP_HOST"], port=int(config["SMTP_PORT"]),
                             security=config["SMTP_SECURITY"], username=config["SMTP_USERNAME"],
                             password=config["SMTP_PASSWORD"], timeout=float(config.get("SMTP_TIMEOUT", 30)))
    if kind == "graph":
        from tracker.mail.graph import GraphTransport

        return GraphTransport(tenant_id=config["GRAPH_TENANT_ID"], client_id=config["GRAPH_CLIENT_ID"],
                              client_secret=config["GRAPH_CLIENT_SECRET"], sender=config["GRAPH_SENDER"],
                              authority_host=config["GRAPH_AUTHORITY_HOST"], api=config["GRAPH_API"])
    if kind == "outbox":
        from pathlib import Path

        from tracker.mail.outbox import OutboxTransport

        folder = config.get("MAIL_OUTBOX_DIR") or str(Path(app.instance_path) / "outbox")
        return OutboxTransport(folder)
    from tracker.mail.memory import MemoryTransport

    return MemoryTransport()


def transport(app: Flask) -> Transport:
    """The app's transport, built once (a test may replace app.extensions['mail_transport'])."""
    if "mail_transport" not in app.extensions:
        app.extensions["mail_transport"] = transport_from_config(app)
    return app.extensions["mail_transport"]
