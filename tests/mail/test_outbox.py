import email
import email.policy

from tracker.mail import Email, transport_from_config
from tracker.mail.memory import MemoryTransport
from tracker.mail.outbox import OutboxTransport

MESSAGE = Email("tracker@example.org", ("greg.rattray@example.org",), "Reminders", "text part", "<p>html part</p>",
                {"List-Unsubscribe": "<http://tracker.test/unsubscribe/x>"}, "<digest-1-2010-05-12@example.org>")


def test_outbox_writes_one_readable_eml_file_per_message(tmp_path):
    transport = OutboxTransport(tmp_path / "outbox")
    assert transport.send(MESSAGE) == "<digest-1-2010-05-12@example.org>"
    (written,) = (tmp_path / "outbox").iterdir()
    assert written.name == "digest-1-2010-05-12@example.org.eml"
    parsed = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "greg.rattray@example.org"
    assert parsed.get_body(("plain",)).get_content().strip() == "text part"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>html part</p>"


def test_transport_is_picked_by_configuration(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "outbox")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", "")
    outbox = transport_from_config(app)
    assert isinstance(outbox, OutboxTransport) and outbox.folder.as_posix().endswith("instance/outbox")
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "memory")
    assert isinstance(transport_from_config(app), MemoryTransport)
