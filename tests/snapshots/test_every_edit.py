"""Every kind of change, each on its own day, then the record rebuilt for every day of the span equals what was
observed at the end of that day while it happened (the oracle: the record itself, looked at as it went)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tests import factories
from tests.snapshots.observe import cutoff_of, observed
from tracker import clock
from tracker.commitments import operations as commitments
from tracker.commitments.operations import Window
from tracker.consultations import operations as consultations
from tracker.letters import operations as letters
from tracker.letters.operations import ParticipantInput
from tracker.meetings import operations as meetings
from tracker.snapshots.operations import roll_back_to

FIRST, LAST = date(2010, 1, 9), date(2010, 3, 2)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def steps(session):
    """(day, change) in the order they happen; each change runs with the clock pinned to noon of its day."""
    made = {}

    def setup():
        made["us"] = factories.party(session, name="Our office", short_name="US", is_internal=True)
        made["them"] = factories.party(session, name="Their council", short_name="THEM")
        made["also"] = factories.party(session, name="Another council", short_name="ALSO")
        made["ann"] = factories.person(session, name="Ann Owner")
        made["bob"] = factories.person(session, name="Bob Owner")
        made["brussels"] = factories.meeting(session, title="Brussels", starts_at=noon(date(2010, 6, 20)),
                                             ends_at=noon(date(2010, 6, 25)))

    def first_letter_and_promises():
        made["asked"] = factories.letter(session, subject="They ask", sent_on=date(2010, 1, 5),
                                         authors=[made["them"]], recipients=[made["us"]])
        made["promise"] = factories.commitment(
            session, title="Publish the plan", made_by=[made["us"]], made_to=[made["them"]],
            owner_id=made["ann"].id, window=Window("by 31 January", None, date(2010, 1, 31), "day"))
        made["anchored"] = factories.commitment(
            session, title="Before Brussels", made_by=[made["us"]], made_to=[made["them"]],
            window=Window("prior to the Brussels meeting", date(2010, 1, 11), date(2010, 6, 19), "day",
                          made["brussels"].id))
        made["vague"] = factories.commitment(session, title="Soon", made_by=[made["us"]], made_to=[made["them"]],
                                             window=Window("weeks not months", None, None, "vague"))

    def edit_letter():
        letters.update_letter(session, made["asked"], sent_on=date(2010, 1, 6), subject="They ask again",
                              direction="incoming", source_url="https://example.org/asked",
                              participants=[ParticipantInput("author", party_id=made["them"].id),
                                            ParticipantInput("recipient", party_id=made["us"].id)])

    def reschedule_and_edit_promise():
        commitments.reschedule(session, made["promise"], Window("mid-February", date(2010, 2, 11),
                                                                date(2010, 2, 20), "window"), reason="more input")
        commitments.update_details(session, made["promise"], title="Publish the full plan", quote="we will",
                                   owner_id=made["bob"].id, made_by=[made["us"].id],
                                   made_to=[made["them"].id, made["also"].id])

    def progress():
        commitments.update_progress(session, made["promise"], status="in_progress", progress=40,
                                    outcome="Drafting")

    def no_reply_needed():
        letters.mark_no_reply_needed(session, made["asked"], "answered by phone")

    def reopen():
        letters.reopen_reply(session, made["asked"])

    def reply():
        made["reply"] = factories.letter(session, subject="We answer", sent_on=date(2010, 2, 5),
                                         direction="outgoing", authors=[made["us"]], recipients=[made["them"]])
        letters.link_letters(session, made["reply"], made["asked"], "replies_to")

    def done():
        commitments.update_progress(session, made["promise"], status="done", fulfilled_on=date(2010, 2, 7),
                                    evidence_letter_id=made["reply"].id, outcome="Published")

    def reopened():
        commitments.update_progress(session, made["promise"], status="in_progress", progress=80,
                                    evidence_url="https://example.org/draft", outcome="One part missing")

    def move_meeting():
        meetings.move_meeting(session, made["brussels"], starts_at=noon(date(2010, 6, 27)),
                              ends_at=noon(date(2010, 7, 2)))

    def comment_period():
        made["period"] = consultations.open_comment_period(session, title="Plan comments", opens_on=date(2010, 2, 16),
                                                           closes_on=date(2010, 2, 26))

    def extend_and_submit():
        consultations.extend(session, made["period"], new_closes_on=date(2010, 3, 5), current_close=date(2010, 2, 26),
                             reason="asked")
        consultations.add_submission(session, made["period"], author="Their council", submitted_on=date(2010, 2, 18),
                                     party_id=made["them"].id)

    def summary_participant_file():
        consultations.record_summary(session, made["period"], summary="They liked it",
                                     summary_url="https://example.org/summary")
        meetings.add_participant(session, made["brussels"], person_id=made["ann"].id, role="speaker")
        letters.attach_file(session, made["asked"], filename="asked.txt", content_type="text/plain",
                            data=b"They ask", max_bytes=10_000)

    def vague_gets_a_date():
        commitments.reschedule(session, made["vague"], Window("end of February", None, date(2010, 2, 28), "day"))

    def dropped():
        commitments.update_progress(session, made["anchored"], status="dropped")

    return [(date(2010, 1, 10), setup), (date(2010, 1, 11), first_letter_and_promises),
            (date(2010, 1, 15), edit_letter), (date(2010, 1, 20), reschedule_and_edit_promise),
            (date(2010, 1, 25), progress), (date(2010, 2, 1), no_reply_needed), (date(2010, 2, 3), reopen),
            (date(2010, 2, 5), reply), (date(2010, 2, 8), done), (date(2010, 2, 12), reopened),
            (date(2010, 2, 15), move_meeting), (date(2010, 2, 16), comment_period),
            (date(2010, 2, 18), extend_and_submit), (date(2010, 2, 20), summary_participant_file),
            (date(2010, 2, 25), vague_gets_a_date), (date(2010, 2, 27), dropped)]


def test_rebuilt_record_equals_what_was_seen_on_each_day(session, as_of_moment):
    seen = {}
    day = FIRST
    for step_day, change in [*steps(session), (LAST + timedelta(days=1), None)]:
        while day < step_day:
            as_of_moment(day)
            seen[day] = observed(session, day)
            day += timedelta(days=1)
        as_of_moment(None)
        if change is not None:
            with clock.pinned(noon(step_day)):
                change()
            session.flush()
    assert seen[FIRST]["commitments"] == {} and len(seen[LAST]["commitments"]) == 3

    mismatched = []
    for day, expected in seen.items():
        as_of_moment(day)
        with session.begin_nested() as savepoint:
            roll_back_to(session, day, cutoff_of(day))
            rebuilt = observed(session, day)
            if rebuilt != expected:
                mismatched.append((day, {key: (rebuilt[key], expected[key]) for key in expected
                                         if rebuilt[key] != expected[key]}))
            savepoint.rollback()
        session.expire_all()
    assert mismatched == []
