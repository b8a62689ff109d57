"""The sample record loads with the states the seed documents describe."""
from datetime import date

import pytest
from sqlmodel import select

from tracker import clock, events
from tracker.commitments.models import CommitmentParty, is_done_late, is_overdue, needs_decision, timing
from tracker.consultations.models import CommentPeriodExtension
from tracker.demo.load import load_sample_record
from tracker.letters.models import LetterLink
from tracker.access import EVERYTHING
from tracker.letters.queries import awaiting_reply_late
from tracker.parties.queries import roles_held_on


@pytest.fixture()
def record(session):
    return load_sample_record(session)


def test_three_letters_with_dates_and_precision(record):
    assert record.letters["ccnso"].sent_on == date(2010, 3, 11)
    assert record.letters["chairs"].date_precision == "month"
    assert record.letters["chairs"].sent_on == date(2010, 3, 1)
    assert record.letters["reply"].sent_on == date(2010, 4, 21)
    assert record.letters["reply"].direction == "outgoing"


def test_reply_of_21_april_replies_to_the_chairs_letter(record, session):
    link = session.exec(select(LetterLink)).one()
    assert (link.from_letter_id, link.to_letter_id, link.kind) == (
        record.letters["reply"].id, record.letters["chairs"].id, "replies_to")
    assert record.letters["chairs"].reply_state == "replied"


def test_ccnso_letter_is_still_awaiting_a_reply_past_its_reply_by_date(record, session):
    ccnso = record.letters["ccnso"]
    assert ccnso.reply_state == "awaiting_reply"
    assert ccnso.reply_by == date(2010, 4, 10)
    late = list(session.exec(awaiting_reply_late(date(2010, 5, 12), EVERYTHING)))
    assert [letter.id for letter in late] == [ccnso.id]


def test_chris_disspain_was_chair_of_the_ccnso_council_on_11_march_2010(record, session):
    rows = list(session.exec(roles_held_on(record.people["chris"].id, date(2010, 3, 11))))
    assert [(role.title, party.name) for role, party in rows] == [("Chair", "ccNSO Council")]


def test_workshop_findings_were_done_late(record):
    findings = record.commitments["workshop_findings"]
    assert findings.due_latest == date(2010, 4, 30)
    assert findings.fulfilled_on == date(2010, 5, 24)
    assert is_done_late(findings)


def test_concept_of_operations_is_overdue_on_12_may_2010(record):
    concept = record.commitments["concept_of_operations"]
    assert (concept.due_earliest, concept.due_latest, concept.due_precision) == (
        date(2010, 5, 1), date(2010, 5, 10), "window")
    assert is_overdue(concept, date(2010, 5, 12))
    assert not is_overdue(concept, date(2010, 5, 10))
    assert concept.owner_id == record.people["greg"].id


def test_cost_breakdown_is_vague_and_needs_a_decision(record):
    breakdown = record.commitments["cost_breakdown"]
    assert breakdown.due_phrase == "weeks not months"
    assert breakdown.due_precision == "vague" and breakdown.due_latest is None
    assert needs_decision(breakdown)
    assert timing(breakdown, date(2010, 5, 12), 14) == "needs_decision"


def test_chairs_requests_extension_granted_and_working_group(record, session):
    extension = record.commitments["extension"]
    assert extension.kind == "request" and extension.status == "done"
    assert "14 April 2010" in extension.outcome
    working_group = record.commitments["working_group"]
    assert working_group.kind == "request"
    assert working_group.due_anchor_meeting_id == record.meetings["brussels"].id
    by = set(session.exec(select(CommitmentParty.party_id).where(
        CommitmentParty.commitment_id == working_group.id, CommitmentParty.side == "by")))
    assert by == {record.parties[k].id for k in ("ccnso", "gnso", "alac")}


def test_comment_periods_extended_to_14_april(record, session):
    extensions = list(session.exec(select(CommentPeriodExtension)))
    assert len(extensions) == 2
    assert {e.new_closes_on for e in extensions} == {date(2010, 4, 14)}
    assert {e.requested_in_letter_id for e in extensions} == {record.letters["chairs"].id}


def test_nairobi_session_holds_the_transcript_and_its_commitments(record):
    nairobi = record.meetings["nairobi"]
    assert "constituent portions of that $2.1" in nairobi.transcript
    made_there = [c for c in record.commitments.values() if c.source_meeting_id == nairobi.id]
    assert len(made_there) == 4
    assert all(c.speaker_id == record.people["greg"].id for c in made_there)


def test_history_is_dated_when_things_happened(record, session):
    timeline = events.history(session, "commitment", record.commitments["workshop_findings"].id)
    assert [e.kind for e in timeline] == ["commitment.made", "commitment.done"]
    assert timeline[-1].occurred_at.date() == date(2010, 5, 24)
    assert clock.now().date() == date(2010, 5, 12)  # the pinned test clock is restored afterwards


def test_demo_staff_have_example_org_addresses(record):
    for key in ("rod", "greg", "yurie"):
        assert record.people[key].email.endswith("@example.org")
        assert record.people[key].is_staff
