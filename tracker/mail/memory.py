"""Keeps messages in a list: the test transport."""
from __future__ import annotations

from tracker.mail import Email


class MemoryTransport:
    name = "memory"

    def __init__(self):
        self.sent: list[Email] = []

    def send(self, email: Email) -> str:
        self.sent.append(email)
        return email.message_id
