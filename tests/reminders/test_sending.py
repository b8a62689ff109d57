"""Planning and delivering digests against the database (memory transport; SMTP and Graph in tests/mail)."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from tests import factories
from tracker import events
from tracker.commitments import operations as commitment_operations
from tracker.commitments.operations import Window
from tracker.db import StatementCounter
from tracker.demo.load import load_sample_record
from tracker.mail import PermanentError, TransientError
from tracker.reminders import jobs, operations
from tracker.reminders.models import Digest

EVENING_12_MAY = "2010-05-12T23:00:00+00:00"


def digests(session):
    return list(session.exec(select(Digest).order_by(Digest.id)))


def test_sample_record_owner_gets_concept_of_operations_as_overdue(app, session, outbox, pin):
    record = load_sample_record(session)
    pin(EVENING_12_MAY)
    report = jobs.run_pass(app)
    to_greg = [m for m in outbox.sent if m.to == ("greg.rattray@example.org",)]
    assert len(to_greg) == 1
    message = to_greg[0]
    overdue_part = message.text.split("== Overdue")[1].split("==\n", 1)[1].split("\n== ")[0]
    assert "Publish a Concept of Operations and updated resource analysis (2 days late, due “in early May”" \
        in overdue_part
    concept = record.commitments["concept_of_operations"]
    assert f"http://tracker.test/commitments/{concept.id}" in message.text
    assert f'href="http://tracker.test/commitments/{concept.id}"' in message.html
    assert report.sent and not report.failed


def test_sweep_emits_overdue_once_per_item_and_it_shows_in_the_history(app, session, outbox, pin):
    record = load_sample_record(session)
    concept = record.commitments["concept_of_operations"]
    pin(EVENING_12_MAY)
    jobs.sweep(app)
    jobs.sweep(app)
    kinds = [e.kind for e in events.history(session, "commitment", concept.id)]
    assert kinds.count("commitment.overdue") == 1
    overdue = [e for e in events.history(session, "commitment", concept.id) if e.kind == "commitment.overdue"][0]
    assert overdue.unique_key == f"commitment.overdue:{concept.id}:2010-05-10"
    assert overdue.data["days_late"] == 2


def test_due_soon_then_overdue_are_each_emitted_once(app, session, pin):
    owner = factories.person(session, timezone="UTC")
    item = factories.commitment(session, owner_id=owner.id, window=Window("by 15 May", None, date(2010, 5, 15), "day"))
    for moment in ("2010-05-12T09:00:00+00:00", "2010-05-13T09:00:00+00:00", "2010-05-16T09:00:00+00:00",
                   "2010-05-17T09:00:00+00:00"):
        pin(moment)
        jobs.sweep(app)
    kinds = [e.kind for e in events.history(session, "commitment", item.id) if e.kind.startswith("commitment.")]
    assert kinds == ["commitment.made", "commitment.due_soon", "commitment.overdue"]


def test_send_due_twice_sends_nothing_the_second_time(app, session, outbox, pin):
    load_sample_record(session)
    pin(EVENING_12_MAY)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["digest", "send-due"])
    assert first.exit_code == 0, first.output
    sent_first = len(outbox.sent)
    assert sent_first >= 1
    second = runner.invoke(args=["digest", "send-due"])
    assert second.exit_code == 0, second.output
    assert len(outbox.sent) == sent_first
    assert "planned 0" in second.output and "sent 0" in second.output


def test_dry_run_stores_and_sends_nothing(app, session, outbox, pin):
    load_sample_record(session)
    pin(EVENING_12_MAY)
    result = app.test_cli_runner().invoke(args=["digest", "send-due", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "greg.rattray@example.org  2010-05-12  pending" in result.output
    assert outbox.sent == [] and digests(session) == []


def test_preview_prints_what_the_owner_would_get(app, session, pin):
    load_sample_record(session)
    pin(EVENING_12_MAY)
    result = app.test_cli_runner().invoke(args=["digest", "preview", "--to", "greg.rattray@example.org"])
    assert result.exit_code == 0, result.output
    assert "Subject: Reminders for 12 May 2010: 2 overdue, 2 without a date" in result.output
    assert "- Publish a Concept of Operations and updated resource analysis (2 days late" in result.output
    unknown = app.test_cli_runner().invoke(args=["digest", "preview", "--to", "nobody@example.org"])
    assert unknown.exit_code != 0 and "nobody with the address" in unknown.output


def make_recipient(session, tz, send_time="08:00", **preferences):
    person = factories.person(session, timezone=tz)
    item = factories.commitment(session, owner_id=person.id, window=Window("by 1 May", None, date(2010, 5, 1), "day"))
    recipient = operations.save_recipient(session, email=person.email, name=person.name, party_ids=[],
                                          preferences=operations.Preferences(timezone=tz, send_time=send_time,
                                                                             **preferences))
    return recipient, item


def test_auckland_and_los_angeles_each_get_their_digest_at_their_own_eight(app, session, outbox, pin):
    auckland, _ = make_recipient(session, "Pacific/Auckland", send_when_empty=True)
    los_angeles, _ = make_recipient(session, "America/Los_Angeles", send_when_empty=True)

    def planned():
        return [(d.recipient_id, d.period, d.scheduled_for.strftime("%d %H:%M")) for d in digests(session)]

    # 3 April 2010, 08:00 PDT in Los Angeles is 15:00 UTC.
    pin("2010-04-03T14:59:00+00:00")
    jobs.send_due(app)
    assert planned() == []
    pin("2010-04-03T15:00:00+00:00")
    jobs.send_due(app)
    assert planned() == [(los_angeles.id, "2010-04-03", "03 15:00")]
    # 4 April 2010: Auckland leaves daylight time overnight; 08:00 NZST is 20:00 UTC on 3 April.
    pin("2010-04-03T19:59:00+00:00")
    jobs.send_due(app)
    assert len(planned()) == 1
    pin("2010-04-03T20:00:00+00:00")
    jobs.send_due(app)
    assert planned()[1] == (auckland.id, "2010-04-04", "03 20:00")
    assert [m.to[0] for m in outbox.sent] == [digests(session)[0].to_address, digests(session)[1].to_address]


def test_nothing_to_say_sends_nothing_unless_asked(app, session, outbox, pin):
    quiet = factories.person(session, timezone="UTC")
    operations.save_recipient(session, email=quiet.email, name="Quiet", party_ids=[], preferences=operations.Preferences())
    keen = factories.person(session, timezone="UTC")
    operations.save_recipient(session, email=keen.email, name="Keen", party_ids=[],
                              preferences=operations.Preferences(send_when_empty=True))
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app)
    assert [m.to[0] for m in outbox.sent] == [keen.email]
    assert {d.to_address: d.state for d in digests(session)} == {quiet.email: "skipped", keen.email: "pending"} or \
        {d.to_address: d.state for d in digests(session)} == {quiet.email: "skipped", keen.email: "sent"}


def test_paused_and_unsubscribed_recipients_get_nothing(app, session, outbox, pin):
    paused, _ = make_recipient(session, "UTC", paused=True)
    gone, _ = make_recipient(session, "UTC")
    operations.unsubscribe(session, gone)
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app)
    assert outbox.sent == []


def test_done_item_appears_once_in_done_since_then_never_again(app, session, outbox, pin):
    recipient, item = make_recipient(session, "UTC")
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app)
    assert "1 overdue" in outbox.sent[-1].subject
    pin("2010-05-12T10:00:00+00:00")
    commitment_operations.update_progress(session, item, status="done", fulfilled_on=date(2010, 5, 12))
    pin("2010-05-13T08:00:00+00:00")
    jobs.send_due(app)
    assert outbox.sent[-1].subject == "Reminders for 13 May 2010: 1 done"
    pin("2010-05-14T08:00:00+00:00")
    jobs.send_due(app)
    assert len(outbox.sent) == 2  # nothing left to say on the 14th


def test_follower_of_a_party_gets_what_was_promised_to_it_grouped_by_party(app, session, outbox, pin):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    factories.commitment(session, title="For the ccNSO", made_to=[ccnso],
                         window=Window("by 1 May", None, date(2010, 5, 1), "day"))
    factories.commitment(session, title="For the GNSO", made_to=[gnso],
                         window=Window("by 1 May", None, date(2010, 5, 1), "day"))
    chair = factories.person(session, timezone="Australia/Melbourne")
    operations.save_recipient(session, email=chair.email, name=chair.name, party_ids=[ccnso.id],
                              preferences=operations.Preferences(timezone="Australia/Melbourne", include_own=False))
    pin("2010-05-11T22:00:00+00:00")  # 08:00 on 12 May in Melbourne
    jobs.send_due(app)
    assert len(outbox.sent) == 1
    assert "ccNSO Council\n- For the ccNSO (11 days late" in outbox.sent[0].text
    assert "For the GNSO" not in outbox.sent[0].text


def test_late_letter_to_a_followed_party_is_listed(app, session, outbox, pin):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    letter = factories.letter(session, authors=[ccnso], subject="Objection to remarks made to the GAC",
                              sent_on=date(2010, 3, 11))
    letter.reply_state, letter.reply_by = "awaiting_reply", date(2010, 4, 10)
    session.add(letter)
    chair = factories.person(session)
    operations.save_recipient(session, email=chair.email, name=chair.name, party_ids=[ccnso.id],
                              preferences=operations.Preferences())
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app)
    assert f"Objection to remarks made to the GAC (32 days late, reply was due 10 April 2010)\n" \
           f"    http://tracker.test/letters/{letter.id}" in outbox.sent[0].text


def test_rescheduled_item_shows_new_window_and_slip(app, session, outbox, pin):
    recipient, item = make_recipient(session, "UTC")
    commitment_operations.reschedule(session, item, Window("by 14 May", None, date(2010, 5, 14), "day"), "delayed")
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app)
    assert "(in 2 days, due “by 14 May”, 14 May 2010)\n    rescheduled: +13 days from the first promise (“by 1 May”)" \
        in outbox.sent[0].text


class FlakyTransport:
    name = "flaky"

    def __init__(self, *errors):
        self.errors = list(errors)
        self.sent = []

    def send(self, email):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(email)
        return "ok"


def test_transient_failure_is_retried_later_with_backoff_and_then_sent(app, session, pin):
    make_recipient(session, "UTC")
    transport = FlakyTransport(TransientError("451 try later"))
    pin("2010-05-12T08:00:00+00:00")
    report = jobs.send_due(app, transport)
    digest = digests(session)[0]
    assert report.retrying == [digest.id]
    assert (digest.state, digest.attempts, digest.last_error) == ("pending", 1, "451 try later")
    assert timedelta(seconds=30) <= digest.next_attempt_at - datetime(2010, 5, 12, 8, tzinfo=timezone.utc) \
        <= timedelta(seconds=60)
    jobs.send_due(app, transport)  # same moment: not due again yet
    assert transport.sent == []
    pin("2010-05-12T08:05:00+00:00")
    jobs.send_due(app, transport)
    session.refresh(digest)
    assert (digest.state, digest.attempts, digest.last_error) == ("sent", 2, "")
    assert len(transport.sent) == 1


def test_permanent_failure_stops_and_is_not_retried(app, session, pin):
    make_recipient(session, "UTC")
    transport = FlakyTransport(PermanentError("550 no such user"))
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app, transport)
    pin("2010-05-13T07:00:00+00:00")
    jobs.send_due(app, transport)
    digest = digests(session)[0]
    assert (digest.state, digest.attempts, digest.last_error) == ("failed", 1, "550 no such user")
    assert transport.sent == []


def test_retry_delay_grows_exponentially_with_jitter_and_honours_retry_after():
    import random

    rng = random.Random(1)
    base = timedelta(seconds=60)
    delays = [operations.retry_delay(n, base, rng=rng) for n in (1, 2, 3, 4)]
    for attempt, delay in zip((1, 2, 3, 4), delays):
        assert base * 2 ** (attempt - 1) * 0.5 <= delay <= base * 2 ** (attempt - 1)
    assert operations.retry_delay(1, base, retry_after=600, rng=rng) == timedelta(seconds=600)
    assert operations.retry_delay(30, base, rng=rng) <= timedelta(hours=6)


def test_row_stuck_in_sending_past_the_lease_becomes_unknown_and_is_never_resent(app, session, outbox, pin):
    make_recipient(session, "UTC")
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app, transport=FlakyTransport(TransientError("x")))  # planned, one failed attempt
    digest = digests(session)[0]
    # As if a process claimed it and died before marking it.
    digest.state, digest.claimed_at, digest.claimed_by = "sending", datetime(2010, 5, 12, 8, 1, tzinfo=timezone.utc), "dead:1"
    session.add(digest)
    session.flush()
    pin("2010-05-12T08:10:00+00:00")
    jobs.send_due(app)
    assert digest.state == "sending"  # still inside the lease
    pin("2010-05-12T08:20:00+00:00")
    report = jobs.send_due(app)
    session.refresh(digest)
    assert report.unknown == [digest.id] and digest.state == "unknown"
    pin("2010-05-12T09:00:00+00:00")
    jobs.send_due(app)
    session.refresh(digest)
    assert digest.state == "unknown" and outbox.sent == []


def test_building_digests_takes_a_fixed_number_of_statements_whatever_the_recipients(app, session, pin):
    for _ in range(12):
        make_recipient(session, "UTC")
    pin("2010-05-12T08:00:00+00:00")
    with StatementCounter(app.extensions["db"].engine) as twelve:
        operations.plan_due_digests(session, grace=timedelta(hours=12))
    session.rollback()
    for _ in range(12):
        make_recipient(session, "UTC")
    with StatementCounter(app.extensions["db"].engine) as many:
        operations.plan_due_digests(session, grace=timedelta(hours=12))
    # 10, and up to 4 for the notices folded in (read with their events, accounts, parties; marked folded).
    assert many.count == twelve.count <= 14


def test_keyed_events_are_inserted_in_batches_and_a_recorded_key_is_skipped_not_an_error(app, session):
    item = factories.commitment(session)
    first = events.record_unique(session, "commitment.overdue", "commitment",
                                 [(item.id, {"days_late": 1}, f"test-overdue:{item.id}:a")])
    again = events.record_unique(session, "commitment.overdue", "commitment",
                                 [(item.id, {"days_late": 1}, f"test-overdue:{item.id}:a"),
                                  (item.id, {"days_late": 2}, f"test-overdue:{item.id}:b")])
    assert (first, again) == (1, 1)
    keyed = [e for e in events.history(session, "commitment", item.id) if e.unique_key]
    assert [(e.unique_key, e.data) for e in keyed] == [(f"test-overdue:{item.id}:a", {"days_late": 1}),
                                                      (f"test-overdue:{item.id}:b", {"days_late": 2})]


def test_keyed_batches_refuse_kinds_whose_handlers_must_see_each_event(session):
    with pytest.raises(ValueError, match="handlers"):
        events.record_unique(session, "letter.logged", "letter", [(1, {}, "never")])
