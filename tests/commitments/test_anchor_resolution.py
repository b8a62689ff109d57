"""A commitment due relative to a meeting not yet recorded gets its window when the meeting is recorded."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlmodel import select

from tests import factories
from tracker import clock
from tests.intake.helpers import seed_world
from tracker.commitments.handlers import identifying_words, meeting_names, resolved_window, set_by_hand
from tracker.commitments.models import Commitment, DueWindowChange
from tracker.commitments.operations import Window
from tracker.events import Event
from tracker.intake import operations as intake_operations
from tracker.intake.extract import extract
from tracker.intake.read import Document
from tracker.meetings import operations as meeting_operations

UTC = timezone.utc
TORONTO = ("ICANN 38 Toronto",)
TORONTO_DAYS = (date(2010, 10, 17), date(2010, 10, 22))
LETTER = """21 April 2010

Dear Chris,

Thank you for your comments on the plan. We will publish the revised plan before the Toronto meeting.

Yours sincerely,

Rod Beckstrom
CEO and President
"""


# --------------------------------------------------------------------------- the decision (pure)


def test_a_phrase_naming_the_meeting_resolves_to_the_day_before_it_starts():
    resolution = resolved_window("before the Toronto meeting", date(2010, 4, 21), TORONTO, TORONTO_DAYS)
    assert (resolution.window.earliest, resolution.window.latest, resolution.window.precision) == (
        date(2010, 4, 21), date(2010, 10, 16), "day")
    assert not resolution.next_in_series
    assert resolution.anchor_as_written == "Toronto meeting"


def test_a_numbered_meeting_resolves_only_to_that_number():
    assert resolved_window("by ICANN 38", date(2010, 4, 21), TORONTO, TORONTO_DAYS).window.latest == date(2010, 10, 17)
    assert resolved_window("by ICANN 84", date(2010, 4, 21), TORONTO, TORONTO_DAYS) is None


def test_a_meeting_over_before_the_promise_was_made_is_not_the_one_it_means():
    assert resolved_window("before the Toronto meeting", date(2010, 11, 2), TORONTO, TORONTO_DAYS) is None


def test_a_phrase_naming_another_meeting_is_left_alone():
    assert resolved_window("before the Nairobi meeting", date(2010, 4, 21), TORONTO, TORONTO_DAYS) is None


def test_the_next_call_of_a_series_resolves_when_the_meeting_holds_its_words():
    names = ("GNSO Council call",)
    resolution = resolved_window("at the next Council call", date(2014, 9, 25), names, (date(2014, 10, 9),) * 2)
    assert resolution.series == ("call", "council")
    assert resolution.anchor_as_written == "next Council call"
    assert (resolution.window.earliest, resolution.window.latest) == (date(2014, 10, 9), date(2014, 10, 9))
    assert resolution.window.phrase == "at the next Council call"
    # A call before the promise was made is not "the next" one.
    assert resolved_window("at the next Council call", date(2014, 9, 25), names, (date(2014, 9, 1),) * 2) is None
    assert resolved_window("at the next Council call", date(2014, 9, 25), ("Board workshop",),
                           (date(2014, 10, 9),) * 2) is None


def test_generic_words_do_not_select_commitments():
    assert identifying_words(meeting_names("ICANN 38 Toronto", "Toronto meeting, ICANN38")) == [
        "38", "icann38", "toronto"]


def test_a_window_moved_by_hand_is_told_apart_from_the_one_its_phrase_gives():
    computed = Window("before the Toronto meeting", date(2010, 4, 21), date(2010, 10, 16), "day", 1)
    by_hand = Window("before the Toronto meeting", date(2010, 4, 21), date(2010, 11, 30), "day", 1)
    assert not set_by_hand(computed, date(2010, 4, 21), TORONTO, TORONTO_DAYS)
    assert set_by_hand(by_hand, date(2010, 4, 21), TORONTO, TORONTO_DAYS)
    # A window tied to a meeting by hand, with a phrase naming none, follows the meeting.
    assert not set_by_hand(Window("when the board decides", None, date(2010, 11, 30), "day", 1),
                           date(2010, 4, 21), TORONTO, TORONTO_DAYS)


# --------------------------------------------------------------------------- with the database


def _toronto(session, **overrides):
    values = dict(title="ICANN 38 Toronto", kind="icann_public_meeting", timezone="America/Toronto",
                  starts_at=datetime(2010, 10, 17, 12, tzinfo=UTC), ends_at=datetime(2010, 10, 22, 20, tzinfo=UTC))
    values.update(overrides)
    return meeting_operations.create_meeting(session, **values)


def _letter_saying_before_toronto(session) -> Commitment:
    world = seed_world(session)
    data = LETTER.encode()
    document = Document(text=LETTER, filename="reply.txt", content_type="text/plain", format="text",
                        sha256="", size=len(data))
    known = intake_operations.known_from(session, LETTER)
    extraction = extract(LETTER, known, date(2010, 4, 21))
    reviewed = intake_operations.accept_all(extraction, document, data, known=known)
    for item in reviewed.commitments:
        item.made_by = item.made_by or [world["parties"]["CEO"].id]
        item.made_to = item.made_to or [world["parties"]["ccNSO"].id]
    saved = intake_operations.save_intake(session, reviewed, max_bytes=1_000_000)
    assert len(saved.commitment_ids) == 1
    return session.get(Commitment, saved.commitment_ids[0])


def test_a_letter_due_before_a_meeting_not_yet_recorded_resolves_when_it_is_scheduled(session):
    commitment = _letter_saying_before_toronto(session)
    assert (commitment.due_phrase, commitment.due_precision, commitment.due_latest) == (
        "before the Toronto meeting", "unresolved", None)

    toronto = _toronto(session)

    session.refresh(commitment)
    # "before" a meeting: the last on-time day is the day before it starts, in the meeting's own timezone.
    assert (commitment.due_earliest, commitment.due_latest, commitment.due_precision) == (
        date(2010, 4, 21), date(2010, 10, 16), "day")
    assert commitment.due_anchor_meeting_id == toronto.id
    assert commitment.baseline_latest == date(2010, 10, 16)  # its first date: what slips are measured against
    change = session.exec(select(DueWindowChange).where(DueWindowChange.commitment_id == commitment.id)).one()
    assert change.reason == "the meeting it depends on (“Toronto meeting”) is now recorded, starting 17 October 2010"
    assert "ICANN 38" not in change.reason
    event = session.exec(select(Event).where(Event.kind == "commitment.rescheduled",
                                             Event.subject_id == commitment.id)).one()
    assert event.data["from"]["precision"] == "unresolved"
    assert event.data["to"]["latest"] == "2010-10-16"


def test_a_resolved_anchor_then_moves_with_its_meeting(session):
    commitment = _letter_saying_before_toronto(session)
    toronto = _toronto(session)

    meeting_operations.move_meeting(session, toronto, starts_at=datetime(2010, 10, 24, 12, tzinfo=UTC),
                                    ends_at=datetime(2010, 10, 29, 20, tzinfo=UTC))

    session.refresh(commitment)
    assert (commitment.due_earliest, commitment.due_latest) == (date(2010, 4, 21), date(2010, 10, 23))


def test_a_window_set_by_hand_after_it_resolved_stays_when_the_meeting_moves(session):
    commitment = _letter_saying_before_toronto(session)
    toronto = _toronto(session)
    from tracker.commitments import operations as commitment_operations
    commitment_operations.reschedule(session, commitment, Window("before the Toronto meeting", date(2010, 4, 21),
                                                                 date(2010, 11, 30), "day", toronto.id),
                                     reason="agreed extension")

    meeting_operations.move_meeting(session, toronto, starts_at=datetime(2010, 10, 24, 12, tzinfo=UTC),
                                    ends_at=datetime(2010, 10, 29, 20, tzinfo=UTC))

    session.refresh(commitment)
    assert commitment.due_latest == date(2010, 11, 30)


def test_closed_and_other_commitments_are_not_touched(session):
    internal, ccnso = factories.party(session, is_internal=True), factories.party(session)
    unresolved = Window("before the Toronto meeting", None, None, "unresolved")
    done = factories.commitment(session, made_by=[internal], made_to=[ccnso], window=unresolved, status="dropped")
    elsewhere = factories.commitment(session, made_by=[internal], made_to=[ccnso],
                                     window=Window("before the Nairobi meeting", None, None, "unresolved"))

    _toronto(session)

    for commitment in (done, elsewhere):
        session.refresh(commitment)
        assert (commitment.due_precision, commitment.due_latest) == ("unresolved", None)


def test_the_next_call_resolves_only_to_the_first_such_call_after_the_promise(session):
    internal, gnso = factories.party(session, is_internal=True), factories.party(session)
    commitment = factories.commitment(session, made_by=[internal], made_to=[gnso],
                                      window=Window("at the next Council call", None, None, "unresolved"))
    made_on = commitment.created_at.date()
    first = factories.meeting(session, title="GNSO Council call", kind="call",
                              starts_at=datetime.combine(made_on, datetime.min.time(), UTC).replace(hour=14)
                              + (datetime(2000, 1, 15) - datetime(2000, 1, 1)),
                              ends_at=datetime.combine(made_on, datetime.min.time(), UTC).replace(hour=15)
                              + (datetime(2000, 1, 15) - datetime(2000, 1, 1)))
    session.refresh(commitment)
    assert commitment.due_anchor_meeting_id == first.id
    assert commitment.due_latest == first.starts_at.date()


def test_the_next_call_is_not_a_later_one_when_an_earlier_call_is_recorded(session):
    internal, gnso = factories.party(session, is_internal=True), factories.party(session)
    commitment = factories.commitment(session, made_by=[internal], made_to=[gnso],
                                      window=Window("at the next Council call", None, None, "unresolved"))
    midnight = datetime.combine(commitment.created_at.date(), datetime.min.time(), UTC)
    later = factories.meeting(session, title="GNSO Council call", kind="call",
                              starts_at=midnight + timedelta(days=30, hours=14),
                              ends_at=midnight + timedelta(days=30, hours=15))
    session.refresh(commitment)
    assert commitment.due_anchor_meeting_id == later.id
    factories.meeting(session, title="Council call", kind="call", starts_at=midnight + timedelta(days=2, hours=14),
                      ends_at=midnight + timedelta(days=2, hours=15))
    # Already resolved: a call recorded afterwards does not take it over.
    session.refresh(commitment)
    assert commitment.due_anchor_meeting_id == later.id


def test_an_earlier_call_of_the_series_blocks_a_later_one(session):
    internal, gnso = factories.party(session, is_internal=True), factories.party(session)
    midnight = datetime.combine(clock.today_in(), datetime.min.time(), UTC)
    with_earlier = factories.meeting(session, title="Council call", kind="call",
                                     starts_at=midnight + timedelta(days=2, hours=14),
                                     ends_at=midnight + timedelta(days=2, hours=15))
    commitment = factories.commitment(session, made_by=[internal], made_to=[gnso],
                                      window=Window("at the next Council call", None, None, "unresolved"))
    factories.meeting(session, title="GNSO Council call", kind="call", starts_at=midnight + timedelta(days=30, hours=14),
                      ends_at=midnight + timedelta(days=30, hours=15))
    session.refresh(commitment)
    # The call two days on came first: a later one recorded now is not "the next call".
    assert (commitment.due_precision, commitment.due_anchor_meeting_id) == ("unresolved", None)
    assert with_earlier.id
