import re

import pytest

from tracker.mail.memory import MemoryTransport


@pytest.fixture()
def outbox(app):
    """The memory transport, fresh for each test: every message the app sends lands in outbox.sent."""
    transport = MemoryTransport()
    app.extensions["mail_transport"] = transport
    yield transport
    app.extensions.pop("mail_transport", None)


def link_path(email) -> str:
    """The /set-password/… path of the link in an account email."""
    match = re.search(r"http://tracker\.test(/set-password/\S+)", email.text)
    assert match, email.text
    return match.group(1)
