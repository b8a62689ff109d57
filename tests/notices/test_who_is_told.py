"""Which notices an event makes: the owner and the followers of the party a promise was made to, by their
preference, never the person who made the change, never someone whose account may not see the promise."""
from datetime import date

from sqlmodel import select

from tests import factories
from tracker import events
from tracker.commitments import operations as commitments
from tracker.commitments.operations import Window
from tracker.notices.models import Notice
from tracker.reminders import jobs
from tracker.reminders import operations as reminder_operations
from tracker.reminders.models import Recipient

MID_MAY = Window("by 15 May", None, date(2010, 5, 15), "day")


def notices(session):
    return list(session.exec(select(Notice).order_by(Notice.id)))


def told(session, kind=None):
    """(recipient's address, reason, delivery) of every notice, for events of this kind."""
    rows = []
    for notice in notices(session):
        event = session.get(events.Event, notice.event_id)
        if kind is None or event.kind == kind:
            recipient = session.get(Recipient, notice.recipient_id)
            from tracker.parties.models import Person

            rows.append((session.get(Person, recipient.person_id).email, notice.reason, notice.delivery))
    return sorted(rows)


def test_reschedule_tells_the_owner_and_the_followers_of_the_party_and_nobody_else(session, world):
    commitments.reschedule(session, world.promise, MID_MAY, reason="the Board asked for more time",
                           actor=world.actor)
    assert told(session) == [("chris@example.org", "moved", "immediately"),
                             ("greg@example.org", "moved", "digest")]
    # Greg had no digest yet: as a new owner he gets the default one, which folds notices into the digest.
    greg = session.exec(select(Recipient).where(Recipient.person_id == world.owner.id)).one()
    assert (greg.notify_moves, greg.notify_assigned) == ("digest", "digest")


def test_delivered_partly_delivered_and_dropped_are_each_told(session, world):
    others = [factories.commitment(session, made_by=[world.office], made_to=[world.ccnso]) for _ in range(2)]
    commitments.update_progress(session, world.promise, status="done", fulfilled_on=date(2010, 5, 11),
                                actor=world.actor)
    commitments.update_progress(session, others[0], status="partly_done", fulfilled_on=date(2010, 5, 11),
                                actor=world.actor)
    commitments.update_progress(session, others[1], status="dropped", actor=world.actor)
    commitments.update_progress(session, factories.commitment(session, made_to=[world.ccnso]),
                                status="in_progress", progress=50, actor=world.actor)
    assert told(session, "commitment.done") == [("chris@example.org", "moved", "immediately"),
                                                ("greg@example.org", "moved", "digest")]
    assert told(session, "commitment.partly_done") == [("chris@example.org", "moved", "immediately")]
    assert told(session, "commitment.dropped") == [("chris@example.org", "moved", "immediately")]
    # Progress is not a move.
    assert told(session, "commitment.progressed") == []


def test_a_request_is_told_to_its_owner_but_not_to_followers(session, world):
    request = factories.commitment(session, kind="request", made_by=[world.ccnso], made_to=[world.office],
                                   owner_id=world.owner.id)
    commitments.reschedule(session, request, MID_MAY, actor=world.actor)
    assert told(session) == [("greg@example.org", "moved", "digest")]


def test_becoming_overdue_is_told_once_from_the_sweep(app, session, world, pin):
    pin("2010-05-01T12:00:00+00:00")
    jobs.sweep(app)
    jobs.sweep(app)
    assert told(session, "commitment.overdue") == [("chris@example.org", "moved", "immediately"),
                                                   ("greg@example.org", "moved", "digest")]


def test_an_item_long_overdue_when_first_swept_is_not_news(app, session, world, pin):
    pin("2010-05-12T12:00:00+00:00")  # 12 days after its last day
    jobs.sweep(app)
    assert [e.kind for e in events.history(session, "commitment", world.promise.id)].count("commitment.overdue") == 1
    assert told(session, "commitment.overdue") == []


def test_assignment_tells_the_new_owner_and_the_previous_one_that_it_was_handed_on(session, world):
    first = factories.person(session, email="first@example.org")
    item = factories.commitment(session, made_by=[world.office], made_to=[world.ccnso], owner_id=first.id,
                                actor=world.actor)
    second = factories.person(session, email="second@example.org")
    commitments.update_details(session, item, title=item.title, quote="", owner_id=second.id,
                               made_by=[world.office.id], made_to=[world.ccnso.id], actor=world.actor)
    assert told(session) == [("first@example.org", "assigned", "digest"), ("first@example.org", "unassigned", "digest"),
                             ("second@example.org", "assigned", "digest")]
    assert told(session, "commitment.updated") == [("first@example.org", "unassigned", "digest"),
                                                   ("second@example.org", "assigned", "digest")]
    # The title changing alone assigns nothing.
    commitments.update_details(session, item, title="A new title", quote="", owner_id=second.id,
                               made_by=[world.office.id], made_to=[world.ccnso.id], actor=world.actor)
    assert len(notices(session)) == 3


def test_the_person_who_made_the_change_is_not_told(session, world):
    greg = factories.user(session, role="editor", email="greg@example.org", display_name="Greg")
    commitments.reschedule(session, world.promise, MID_MAY, actor=events.Actor(greg.id, "Greg"))
    assert told(session) == [("chris@example.org", "moved", "immediately")]


def test_changes_made_by_the_system_are_not_told(session, world):
    commitments.reschedule(session, world.promise, MID_MAY)
    assert notices(session) == []


def test_a_follower_whose_account_may_not_see_the_party_is_not_told(session, world):
    # Chris's own account is limited to the GNSO: what is promised to the ccNSO is not his to see.
    factories.user(session, role="viewer", email="chris@example.org", party_ids=[world.gnso.id])
    commitments.reschedule(session, world.promise, MID_MAY, actor=world.actor)
    assert told(session) == [("greg@example.org", "moved", "digest")]


def test_never_paused_and_unsubscribed_are_not_told(session, world):
    for recipient, change in ((world.chris, dict(notify_moves="never")), (world.avri, dict(paused=True))):
        reminder_operations.update_preferences(
            session, recipient, reminder_operations.Preferences(send_time="23:30", **change),
            [world.ccnso.id])
    third = world.follower("third@example.org", "Third", [world.ccnso])
    reminder_operations.unsubscribe(session, third)
    commitments.reschedule(session, world.promise, MID_MAY, actor=world.actor)
    assert told(session) == [("greg@example.org", "moved", "digest")]


def test_the_same_event_is_never_told_twice_to_the_same_person(session, world):
    from tracker.notices import operations

    commitments.reschedule(session, world.promise, MID_MAY, actor=world.actor)
    event = [e for e in events.history(session, "commitment", world.promise.id)
             if e.kind == "commitment.rescheduled"][0]
    operations.notice_event(session, event, "moved")
    assert len(notices(session)) == 2


def test_telling_followers_takes_the_same_statements_however_many_follow(app, session, world):
    from tracker.db import StatementCounter

    def statements_of_a_reschedule(day):
        window = Window(f"by {day} May", None, date(2010, 5, day), "day")
        with StatementCounter(app.extensions["db"].engine) as counter:
            commitments.reschedule(session, world.promise, window, actor=world.actor)
        return counter.count

    statements_of_a_reschedule(14)  # the first also gives the owner a recipient row
    few = statements_of_a_reschedule(15)
    for n in range(20):
        world.follower(f"follower{n}@example.org", f"Follower {n}", [world.ccnso])
    many = statements_of_a_reschedule(16)
    assert few == many
    assert few <= 13
    assert len(notices(session)) == 2 + 2 + 22


def test_the_digest_preview_shows_the_notices_it_would_carry_and_marks_nothing(app, session, world):
    commitments.reschedule(session, world.promise, MID_MAY, actor=world.actor)
    content = reminder_operations.preview(session, "greg@example.org")
    assert content.sections[0].heading == "What moved since your last digest"
    greg = [n for n in notices(session) if n.recipient_id != world.chris.id]
    assert [n.state for n in greg] == ["pending"]
