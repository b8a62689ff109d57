"""Writes each message as an .eml file: the default for `make run`, readable with any mail client."""
from __future__ import annotations

import os
import re
from pathlib import Path

from tracker.mail import Email, PermanentError


class OutboxTransport:
    name = "outbox"

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def send(self, email: Email) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9.@-]+", "_", email.message_id.strip("<>")) or "message"
        target = self.folder / f"{stem}.eml"
        temporary = target.with_suffix(".eml.part")
        try:
            temporary.write_bytes(email.as_bytes())
            # Rename is atomic: a reader never sees half a message.
            os.replace(temporary, target)
        except OSError as error:
            raise PermanentError(f"cannot write {target}: {error}") from None
        return email.message_id
