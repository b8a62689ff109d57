"""build_digest and the send-time decisions: pure, no database, no network."""
from datetime import date, datetime, timedelta, timezone

import pytest

from tracker.reminders.digest import (CommitmentItem, LetterItem, RecipientView, Schedule, build_digest,
                                      due_occurrence, latest_occurrence, parse_send_time)

UTC = timezone.utc
NOW = datetime(2010, 5, 12, 23, 0, tzinfo=UTC)
GREG = RecipientView(1, "Greg Rattray", "greg.rattray@example.org", "America/New_York", 7,
                     since=datetime(2010, 5, 11, 12, tzinfo=UTC))


def item(id, title, due_latest=None, status="open", precision="window", party="ccNSO Council", **kw):
    return CommitmentItem(id=id, title=title, status=status, party=party, due_phrase=kw.pop("phrase", "soon"),
                          due_latest=due_latest, due_precision=precision, **kw)


def lines(content, key):
    section = next((s for s in content.sections if s.key == key), None)
    return [(group.party, line.title) for group in section.groups for line in group.lines] if section else []


def test_concept_of_operations_due_10_may_is_two_days_overdue_on_12_may_in_new_york():
    content = build_digest(GREG, [item(9, "Concept of Operations", date(2010, 5, 10), phrase="in early May",
                                       baseline_latest=date(2010, 5, 10))], NOW)
    overdue = content.sections[0]
    assert overdue.key == "overdue"
    assert overdue.groups[0].lines[0].days_late == 2
    assert content.subject == "Reminders for 12 May 2010: 1 overdue"


def test_overdue_uses_the_recipients_today_not_utc():
    # 2010-05-11T02:00Z is still 10 May in New York: due 10 May is not overdue there yet.
    content = build_digest(GREG, [item(1, "A", date(2010, 5, 10))], datetime(2010, 5, 11, 2, tzinfo=UTC))
    assert lines(content, "overdue") == []
    assert lines(content, "due_soon") == [("ccNSO Council", "A")]
    assert content.sections[0].groups[0].lines[0].days_left == 0


def test_most_overdue_comes_first_and_groups_follow_their_most_urgent_item():
    items = [item(1, "Late a bit", date(2010, 5, 10), party="GNSO Council"),
             item(2, "Very late", date(2010, 4, 1), party="ccNSO Council"),
             item(3, "Late too", date(2010, 5, 1), party="GNSO Council")]
    content = build_digest(GREG, items, NOW)
    assert lines(content, "overdue") == [("ccNSO Council", "Very late"), ("GNSO Council", "Late too"),
                                         ("GNSO Council", "Late a bit")]
    assert [line.days_late for group in content.sections[0].groups for line in group.lines] == [41, 11, 2]


def test_sections_hold_due_soon_undecided_late_letters_and_done_since_last_digest():
    items = [item(1, "Next week", date(2010, 5, 19)), item(2, "Too far", date(2010, 5, 20)),
             item(3, "Weeks not months", None, precision="vague", phrase="weeks not months"),
             item(4, "Done yesterday", date(2010, 4, 30), status="done", done_at=datetime(2010, 5, 12, 1, tzinfo=UTC)),
             item(5, "Done long ago", date(2010, 4, 30), status="done", done_at=datetime(2010, 5, 1, tzinfo=UTC)),
             LetterItem(7, "Angry ccNSO letter", "ccNSO Council", date(2010, 3, 11), date(2010, 4, 10)),
             LetterItem(8, "Not late yet", "ALAC", date(2010, 5, 1), date(2010, 5, 31))]
    content = build_digest(GREG, items, NOW)
    assert [s.key for s in content.sections] == ["overdue", "due_soon", "needs_decision", "letters", "done"][1:]
    assert lines(content, "due_soon") == [("ccNSO Council", "Next week")]
    assert lines(content, "needs_decision") == [("ccNSO Council", "Weeks not months")]
    assert lines(content, "letters") == [("ccNSO Council", "Angry ccNSO letter")]
    assert lines(content, "done") == [("ccNSO Council", "Done yesterday")]
    assert content.counts == {"overdue": 0, "due_soon": 1, "needs_decision": 1, "letters": 1, "done": 1}


@pytest.mark.parametrize("status", ["done", "partly_done", "dropped", "superseded"])
def test_closed_item_is_never_listed_as_overdue_or_due(status):
    content = build_digest(GREG, [item(1, "Closed", date(2010, 5, 1), status=status)], NOW)
    assert lines(content, "overdue") == [] and lines(content, "due_soon") == []
    assert content.is_empty


def test_rescheduled_item_shows_its_new_window_and_slip_from_baseline():
    content = build_digest(GREG, [item(1, "Moved", date(2010, 5, 31), phrase="end of May",
                                       baseline_phrase="in early May", baseline_latest=date(2010, 5, 10))],
                           datetime(2010, 5, 28, 12, tzinfo=UTC))
    line = content.sections[0].groups[0].lines[0]
    assert (line.due_phrase, line.due_latest, line.slip_days, line.baseline_phrase) == (
        "end of May", date(2010, 5, 31), 21, "in early May")


def test_same_item_from_two_sources_is_listed_once():
    content = build_digest(GREG, [item(1, "Twice", date(2010, 5, 1)), item(1, "Twice", date(2010, 5, 1), party="ALAC")],
                           NOW)
    assert content.item_count == 1


def test_empty_digest_is_not_sent_unless_asked():
    assert build_digest(GREG, [], NOW).should_send is False
    keen = RecipientView(2, "Keen", "keen@example.org", send_when_empty=True)
    assert build_digest(keen, [], NOW).should_send is True
    assert build_digest(keen, [], NOW).subject == "Reminders for 12 May 2010: nothing due"


@pytest.mark.parametrize("value", ["25:00", "8am", "08:60", "", "8:5", "-1:00"])
def test_send_time_that_is_not_a_time_of_day_is_refused(value):
    with pytest.raises(ValueError):
        parse_send_time(value)


def first_due_moments(schedule, start, hours):
    """Simulate a scheduler pass every minute: when does each period's digest first become due?"""
    sent = {}
    for minute in range(hours * 60):
        now = start + timedelta(minutes=minute)
        occurrence = due_occurrence(schedule, now, timedelta(hours=12))
        if occurrence and occurrence[0] not in sent:
            sent[occurrence[0]] = now
    return sent


@pytest.mark.parametrize("tz, start, expected", [
    # Auckland, clocks back on Sun 4 April 2010 (NZDT +13 → NZST +12)
    ("Pacific/Auckland", datetime(2010, 4, 2, 12, tzinfo=UTC),
     {"2010-04-03": datetime(2010, 4, 2, 19, tzinfo=UTC), "2010-04-04": datetime(2010, 4, 3, 20, tzinfo=UTC),
      "2010-04-05": datetime(2010, 4, 4, 20, tzinfo=UTC)}),
    # Auckland, clocks forward on Sun 26 September 2010 (+12 → +13)
    ("Pacific/Auckland", datetime(2010, 9, 24, 12, tzinfo=UTC),
     {"2010-09-25": datetime(2010, 9, 24, 20, tzinfo=UTC), "2010-09-26": datetime(2010, 9, 25, 19, tzinfo=UTC),
      "2010-09-27": datetime(2010, 9, 26, 19, tzinfo=UTC)}),
    # Los Angeles, clocks forward on Sun 14 March 2010 (PST -8 → PDT -7)
    ("America/Los_Angeles", datetime(2010, 3, 13, 6, tzinfo=UTC),
     {"2010-03-13": datetime(2010, 3, 13, 16, tzinfo=UTC), "2010-03-14": datetime(2010, 3, 14, 15, tzinfo=UTC),
      "2010-03-15": datetime(2010, 3, 15, 15, tzinfo=UTC)}),
    # Los Angeles, clocks back on Sun 7 November 2010 (-7 → -8)
    ("America/Los_Angeles", datetime(2010, 11, 6, 6, tzinfo=UTC),
     {"2010-11-06": datetime(2010, 11, 6, 15, tzinfo=UTC), "2010-11-07": datetime(2010, 11, 7, 16, tzinfo=UTC),
      "2010-11-08": datetime(2010, 11, 8, 16, tzinfo=UTC)}),
])
def test_digest_is_due_at_local_eight_once_a_day_across_clock_changes(tz, start, expected):
    assert first_due_moments(Schedule("daily", 0, "08:00", tz), start, 72) == expected


def test_weekly_digest_is_due_on_its_weekday_only():
    schedule = Schedule("weekly", 0, "08:00", "Pacific/Auckland")  # Mondays
    sent = first_due_moments(schedule, datetime(2010, 5, 9, 0, tzinfo=UTC), 24 * 7)
    assert sent == {"2010-W19": datetime(2010, 5, 9, 20, tzinfo=UTC)}  # Mon 10 May 08:00 NZST


def test_scheduler_back_within_grace_sends_the_missed_morning_digest_and_not_after():
    schedule = Schedule("daily", 0, "08:00", "America/Los_Angeles")
    grace = timedelta(hours=12)
    assert due_occurrence(schedule, datetime(2010, 5, 12, 21, tzinfo=UTC), grace) == (
        "2010-05-12", datetime(2010, 5, 12, 15, tzinfo=UTC))
    assert due_occurrence(schedule, datetime(2010, 5, 13, 4, tzinfo=UTC), grace) is None  # 13 h late
    assert latest_occurrence(schedule, datetime(2010, 5, 12, 14, 59, tzinfo=UTC))[0] == "2010-05-11"


def test_long_section_lists_the_most_urgent_and_counts_the_rest():
    recipient = RecipientView(1, "Greg", "g@example.org", "UTC", 7, max_per_section=2)
    items = [item(n, f"Item {n}", date(2010, 5, n)) for n in range(1, 6)]  # 1–5 May: all overdue on 12 May
    content = build_digest(recipient, items, NOW)
    overdue = content.sections[0]
    assert [line.title for line in overdue.groups[0].lines] == ["Item 1", "Item 2"]
    assert (overdue.shown, overdue.more, overdue.count, overdue.more_path) == (2, 3, 5,
                                                                                "/commitments/?status=overdue")
    assert content.subject == "Reminders for 12 May 2010: 5 overdue"


@pytest.mark.parametrize("status", ["open", "in_progress", "done", "dropped"])
@pytest.mark.parametrize("latest, precision", [(date(2010, 5, 1), "window"), (date(2010, 5, 12), "day"),
                                               (date(2010, 5, 19), "day"), (date(2010, 5, 20), "day"),
                                               (None, "vague"), (date(2010, 6, 30), "unresolved")])
def test_sections_agree_with_the_commitments_derived_states(status, latest, precision):
    from tracker.commitments.models import timing

    content = build_digest(RecipientView(1, "U", "u@example.org", "UTC", 7), [item(1, "X", latest, status, precision)],
                           datetime(2010, 5, 12, 12, tzinfo=UTC))
    listed = content.sections[0].key if content.sections else None
    from types import SimpleNamespace

    row = SimpleNamespace(status=status, due_latest=latest, due_precision=precision, fulfilled_on=None)
    expected = timing(row, date(2010, 5, 12), 7)
    assert listed == (expected if expected in ("overdue", "due_soon", "needs_decision") else None)
