"""Notices told immediately go out through the digest delivery (a real SMTP server here): once, retried after a
transient failure, never after success. Notices for the digest are folded into the next one, once."""
import email
import email.policy
from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tracker.commitments import operations as commitments
from tracker.commitments.operations import Window
from tracker.notices.models import Notice
from tracker.reminders import jobs
from tracker.reminders.models import Digest

MID_MAY = Window("by 15 May", None, date(2010, 5, 15), "day")
# After 20:00 UTC: the 08:00 digests of the day are past their grace, the 23:30 ones not yet due.
EVENING = "2010-05-12T20:30:00+00:00"
SENTENCE = ("The promise “Publish the Concept of Operations” to the ccNSO was rescheduled from 30 April 2010 "
            "to 15 May 2010 (reason: the Board asked for more time).")


def parsed(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def to(smtp_server, address):
    return [parsed(raw) for _sender, recipients, raw in smtp_server.messages if recipients == [address]]


@pytest.mark.smtp_allowed
def test_an_immediate_notice_arrives_over_smtp_once_with_its_sentence_and_link(app, session, world, smtp_server,
                                                                              smtp_transport, pin):
    pin(EVENING)
    commitments.reschedule(session, world.promise, MID_MAY, reason="the Board asked for more time",
                           actor=world.actor)
    first = jobs.run_pass(app)
    second = jobs.run_pass(app)
    (message,) = to(smtp_server, "chris@example.org")
    assert message["Subject"] == "“Publish the Concept of Operations”: rescheduled"
    assert message["List-Unsubscribe"].strip().startswith("<http://tracker.test/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Hello Chris Disspain,")
    assert SENTENCE in text
    assert f"    http://tracker.test/commitments/{world.promise.id}\r\n" in text
    assert f'href="http://tracker.test/commitments/{world.promise.id}"' in html
    assert "http://tracker.test/reminders/mine" in text
    assert first.notice_emails == 1 and second.notice_emails == 0 and second.sent == []
    notice = session.exec(select(Notice).where(Notice.recipient_id == world.chris.id)).one()
    digest = session.get(Digest, notice.digest_id)
    assert (notice.state, digest.state, digest.attempts, digest.period) == (
        "queued", "sent", 1, f"notice-{notice.id}")
    # Greg asked for his digest: nothing of his own went out at noon.
    assert to(smtp_server, "greg@example.org") == []


@pytest.mark.smtp_allowed
def test_a_transient_smtp_failure_is_retried_later_and_the_notice_sent_once(app, session, world, smtp_server,
                                                                           smtp_transport, pin):
    pin(EVENING)
    commitments.update_progress(session, world.promise, status="dropped", actor=world.actor)
    smtp_server.rcpt_replies.append("451 4.3.0 Mailbox temporarily unavailable, try again later")
    jobs.run_pass(app)
    digest = session.exec(select(Digest)).one()
    assert (digest.state, digest.attempts) == ("pending", 1) and "451" in digest.last_error
    assert smtp_server.messages == []
    pin("2010-05-12T20:35:00+00:00")  # past the first backoff (at most 60 s)
    jobs.run_pass(app)
    pin("2010-05-12T20:40:00+00:00")
    jobs.run_pass(app)
    (message,) = to(smtp_server, "chris@example.org")
    assert "The promise “Publish the Concept of Operations” to the ccNSO was dropped." in \
        message.get_body(("plain",)).get_content()
    session.refresh(digest)
    assert (digest.state, digest.attempts) == ("sent", 2)
    assert session.exec(select(Digest)).all() == [digest]


def test_several_notices_to_one_person_go_in_one_email(app, session, world, outbox, pin):
    pin(EVENING)
    other = factories.commitment(session, title="Publish the resource analysis", made_by=[world.office],
                                 made_to=[world.ccnso])
    commitments.reschedule(session, world.promise, MID_MAY, actor=world.actor)
    commitments.update_progress(session, other, status="done", fulfilled_on=date(2010, 5, 11), actor=world.actor)
    jobs.run_pass(app)
    (message,) = [m for m in outbox.sent if m.to == ("chris@example.org",)]
    assert message.subject == "2 updates on promises you follow or own"
    assert "The promise “Publish the resource analysis” to the ccNSO was delivered on 11 May 2010." in message.text
    assert "was rescheduled from 30 April 2010 to 15 May 2010." in message.text


def test_a_notice_the_reader_may_no_longer_see_is_withheld_not_sent(app, session, world, outbox, pin):
    pin(EVENING)
    commitments.reschedule(session, world.promise, MID_MAY, actor=world.actor)
    # Before the next pass, Chris's account is set up limited to the GNSO.
    factories.user(session, role="viewer", email="chris@example.org", party_ids=[world.gnso.id])
    report = jobs.run_pass(app)
    assert [m for m in outbox.sent if m.to == ("chris@example.org",)] == []
    assert report.notice_emails == 0
    notice = session.exec(select(Notice).where(Notice.recipient_id == world.chris.id)).one()
    assert (notice.state, notice.digest_id) == ("withheld", None)


def test_a_digest_notice_is_folded_into_the_next_digest_once(app, session, world, outbox, pin):
    pin(EVENING)
    commitments.reschedule(session, world.promise, MID_MAY, reason="the Board asked for more time",
                           actor=world.actor)
    jobs.run_pass(app)
    assert [m for m in outbox.sent if m.to == ("greg@example.org",)] == []
    pin("2010-05-13T08:00:00+00:00")
    jobs.run_pass(app)
    (digest,) = [m for m in outbox.sent if m.to == ("greg@example.org",)]
    assert digest.subject.startswith("Reminders for 13 May 2010: 1 update")
    moved = digest.text.split("== What moved since your last digest (1) ==")[1].split("\n== ")[0]
    assert ("- Publish the Concept of Operations (rescheduled from 30 April 2010 to 15 May 2010; "
            "reason: the Board asked for more time)") in moved
    assert "the ccNSO" in moved and f"http://tracker.test/commitments/{world.promise.id}" in moved
    assert "What moved since your last digest" in digest.html
    notice = session.exec(select(Notice).where(Notice.recipient_id != world.chris.id)).one()
    row = session.get(Digest, notice.digest_id)
    assert (notice.state, row.period) == ("folded", "2010-05-13")
    pin("2010-05-14T08:00:00+00:00")
    jobs.run_pass(app)
    later = [m for m in outbox.sent if m.to == ("greg@example.org",)][1:]
    assert later and all("What moved" not in m.text for m in later)


def test_an_overdue_notice_the_digest_already_lists_as_overdue_is_not_repeated(app, session, world, outbox, pin):
    pin("2010-05-01T21:00:00+00:00")
    jobs.run_pass(app)
    pin("2010-05-02T08:00:00+00:00")
    jobs.run_pass(app)
    (digest,) = [m for m in outbox.sent if m.to == ("greg@example.org",)]
    assert digest.subject == "Reminders for 2 May 2010: 1 overdue"
    assert "What moved" not in digest.text
    greg = session.exec(select(Notice).where(Notice.recipient_id != world.chris.id)).one()
    assert greg.state == "folded"
    # Chris asked to be told at once: the overdue notice went out on 1 May.
    (told,) = [m for m in outbox.sent if m.to == ("chris@example.org",) and not m.subject.startswith("Reminders")]
    assert "to the ccNSO is overdue: it was due by 30 April 2010." in told.text
