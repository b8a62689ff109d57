"""What a notice says, decided without a database."""
from datetime import date, datetime, timezone

import pytest

from tracker.notices.render import fold_into_digest, notice_line, subject_of
from tracker.reminders.digest import CommitmentItem, RecipientView, build_digest


def line(kind, data, commitment_kind="promise", parties=("ccNSO",), notice_id=1, commitment_id=7):
    return notice_line(notice_id=notice_id, kind=kind, data=data, commitment_id=commitment_id,
                       commitment_kind=commitment_kind, title="Publish the Concept of Operations",
                       counterparties=parties, path=f"/commitments/{commitment_id}")


@pytest.mark.parametrize("kind, data, sentence", [
    ("commitment.rescheduled",
     {"from": {"phrase": "by end of April", "latest": "2010-04-30"}, "to": {"phrase": "mid-May", "latest": "2010-05-20"},
      "reason": "the Board asked"},
     "The promise “Publish the Concept of Operations” to the ccNSO was rescheduled from 30 April 2010 to "
     "20 May 2010 (reason: the Board asked)."),
    ("commitment.rescheduled", {"from": {"phrase": "weeks not months"}, "to": {"latest": "2010-05-20"}, "reason": ""},
     "The promise “Publish the Concept of Operations” to the ccNSO was rescheduled from “weeks not months” "
     "(no date yet) to 20 May 2010."),
    ("commitment.done", {"fulfilled_on": "2010-05-11"},
     "The promise “Publish the Concept of Operations” to the ccNSO was delivered on 11 May 2010."),
    ("commitment.partly_done", {"fulfilled_on": "2010-05-11"},
     "The promise “Publish the Concept of Operations” to the ccNSO was partly delivered on 11 May 2010."),
    ("commitment.dropped", {"outcome": ""},
     "The promise “Publish the Concept of Operations” to the ccNSO was dropped."),
    ("commitment.overdue", {"due_latest": "2010-05-10", "days_late": 1},
     "The promise “Publish the Concept of Operations” to the ccNSO is overdue: it was due by 10 May 2010."),
    ("assigned", {}, "The promise “Publish the Concept of Operations” to the ccNSO was assigned to you."),
    ("commitment.superseded", {"replaced_by_id": 9, "replaced_by": "Publish the revised plan"},
     "The promise “Publish the Concept of Operations” to the ccNSO was superseded by “Publish the revised plan”."),
    # The replacement's id alone (the reader may not see it) names nothing.
    ("commitment.superseded", {"replaced_by_id": 9, "outcome": "merged"},
     "The promise “Publish the Concept of Operations” to the ccNSO was superseded (reason: merged)."),
    ("unassigned", {"changes": {"owner_id": [1, 2]}, "handed_to": "Rod Beckstrom"},
     "The promise “Publish the Concept of Operations” to the ccNSO was handed from you to Rod Beckstrom."),
    ("unassigned", {"changes": {"owner_id": [1, 2]}},
     "The promise “Publish the Concept of Operations” to the ccNSO was handed from you to someone else."),
    ("unassigned", {"changes": {"owner_id": [1, None]}},
     "The promise “Publish the Concept of Operations” to the ccNSO is no longer assigned to you: it has no owner now."),
])
def test_each_kind_is_told_in_plain_words(kind, data, sentence):
    assert line(kind, data).sentence == sentence


def test_a_request_names_who_asked_and_several_parties_are_listed():
    told = line("commitment.dropped", {}, commitment_kind="request", parties=("ALAC", "ccNSO", "GNSO"))
    assert told.sentence == ("The request “Publish the Concept of Operations” from the ALAC, the ccNSO and the GNSO "
                             "was dropped.")


def test_subjects_name_one_change_or_count_several():
    assert subject_of([line("commitment.done", {})]) == "“Publish the Concept of Operations”: delivered"
    # Not cut at a word inside the replacement's title ("… on …").
    assert subject_of([line("commitment.superseded", {"replaced_by": "Report on the findings"})]) == \
        "“Publish the Concept of Operations”: superseded"
    assert subject_of([line("unassigned", {"handed_to": "Rod Beckstrom"})]) == \
        "“Publish the Concept of Operations”: no longer yours"
    assert subject_of([line("commitment.done", {}), line("assigned", {}, notice_id=2)]) == \
        "2 updates on promises you follow or own"


def test_folding_puts_what_moved_first_and_does_not_repeat_an_overdue_item():
    now = datetime(2010, 5, 12, 8, tzinfo=timezone.utc)
    recipient = RecipientView(id=1, name="Greg", email="greg@example.org", since=now)
    overdue = CommitmentItem(7, "Publish the Concept of Operations", "open", "ccNSO", "by 10 May",
                             date(2010, 5, 10), "day")
    content = build_digest(recipient, [overdue], now)
    folded = fold_into_digest(content, [line("commitment.overdue", {"due_latest": "2010-05-10"}),
                                        line("assigned", {}, notice_id=2, commitment_id=8)])
    assert [section.key for section in folded.sections] == ["moved", "overdue"]
    (moved,) = [section for section in folded.sections if section.key == "moved"]
    assert [(shown.id, shown.note) for group in moved.groups for shown in group.lines] == [(8, "assigned to you")]
    assert folded.subject == "Reminders for 12 May 2010: 1 update, 1 overdue"
    assert fold_into_digest(content, [line("commitment.overdue", {"due_latest": "2010-05-10"})]) is content
