"""SMTP with STARTTLS, implicit TLS or neither, and an optional login."""
from __future__ import annotations

import re
import smtplib
import socket
import ssl

from tracker.mail import Email, PermanentError, TransientError


class SMTPTransport:
    name = "smtp"

    def __init__(self, host: str, port: int, security: str = "none", username: str = "", password: str = "",
                 timeout: float = 30.0):
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout = username, password, timeout

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        return connection

    def send(self, email: Email) -> str:
        try:
            with self._connect() as connection:
                if self.username:
                    connection.login(self.username, self.password)
                refused = connection.sendmail(email.sender, list(email.to), _crlf(email.as_bytes()))
        except smtplib.SMTPRecipientsRefused as error:
            raise _classified(min(code for code, _ in error.recipients.values()),
                              "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in
                                        error.recipients.items())) from None
        except smtplib.SMTPAuthenticationError as error:
            raise PermanentError(f"SMTP login refused: {error.smtp_code} {_text(error.smtp_error)}") from None
        except smtplib.SMTPResponseException as error:
            raise _classified(error.smtp_code, f"{error.smtp_code} {_text(error.smtp_error)}") from None
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, socket.timeout,
                TimeoutError, OSError) as error:
            raise TransientError(f"SMTP server {self.host}:{self.port} not reachable: {error}") from None
        if refused:
            # Some recipients accepted, others refused: the message went out; report who was refused.
            raise PermanentError("; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in refused.items()))
        return email.message_id


def _crlf(data: bytes) -> bytes:
    # smtplib sends bytes as they are; SMTP requires CRLF line ends (the stored message uses LF).
    return re.sub(rb"\r?\n", b"\r\n", data)


def _classified(code: int, message: str):
    return TransientError(f"SMTP {message}") if 400 <= code < 500 else PermanentError(f"SMTP {message}")


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
