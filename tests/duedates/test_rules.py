"""The grammar's tables: every example of every rule and combination, the declarations the engine relies
on, combined phrases, day-first dates, impossible dates, anchored bounds and the shared vocabulary."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tracker.duedates import (COMBINATIONS, RULES, DueWindow, anchored_bounds, find_all_due, find_dates,
                              impossible_dates, parse_due, vocabulary, written_date)
from tracker.duedates.engine import tables_present
from tracker.duedates.rules import EXAMPLE_EVENTS, EXAMPLE_WRITTEN_ON

D = date


def expected_window(expected: str):
    """"2010-05-01..2010-05-10 window" → (earliest, latest, precision); "vague", "unresolved", "none"."""
    if expected in ("vague", "unresolved"):
        return None, None, expected
    days, precision = expected.split()
    first, _, last = days.partition("..")
    return date.fromisoformat(first), date.fromisoformat(last or first), precision


def _examples():
    for table in (RULES, COMBINATIONS):
        for rule in table:
            for example in rule.examples:
                phrase, expected = example[:2]
                written_on = example[2] if len(example) > 2 else EXAMPLE_WRITTEN_ON
                yield pytest.param(phrase, expected, written_on, id=f"{rule.name}: {phrase}")


@pytest.mark.parametrize("phrase, expected, written_on", list(_examples()))
def test_every_example_of_every_rule_reads_as_declared(phrase, expected, written_on):
    window = parse_due(phrase, written_on, EXAMPLE_EVENTS)
    if expected == "none":
        assert window is None
        return
    assert window is not None, "no due expression found"
    assert (window.earliest, window.latest, window.precision) == expected_window(expected)


def test_every_rule_and_combination_has_a_name_and_examples():
    names = [rule.name for rule in RULES] + [c.name for c in COMBINATIONS]
    assert len(names) == len(set(names))
    assert all(rule.examples for rule in RULES + COMBINATIONS)


def test_every_trigger_names_a_vocabulary_table():
    assert {t for rule in RULES for t in rule.triggers} <= set(vocabulary.TRIGGERS)


def _texts_to_check():
    from tests.duedates import test_parse_due as table
    texts = [example[0] for rule in RULES + COMBINATIONS for example in rule.examples]
    texts += [row[0] for row in table.TABLE] + table.NEGATIVES + [row["sentence"] for row in table._load_corpus()]
    return texts + [text for text, *_ in COMBINED]


def test_a_rule_matches_only_where_a_word_of_its_triggers_occurs():
    # The engine skips a rule on sentences without its trigger words: a wrong declaration would make
    # it miss phrases silently, so check every match of every pattern on every known phrase.
    texts = _texts_to_check()
    for rule in RULES:
        if not rule.triggers:
            continue
        for text in texts:
            for m in re.finditer(rule.pattern, text):
                assert not tables_present(m.group()).isdisjoint(rule.triggers), (rule.name, m.group())


# --------------------------------------------------------------------------- combined phrases
# (text, written_on, expected, anchor, anchored bounds)
W = D(2010, 3, 10)  # a Wednesday
BRUSSELS = {"Brussels meeting": (D(2010, 6, 20), D(2010, 6, 25)),
            "Cartagena meeting": (D(2010, 12, 5), D(2010, 12, 10))}
BOTH, LATEST = {"earliest", "latest"}, {"latest"}
COMBINED = [
    # <amount> before / after <meeting>
    ("We will publish it two weeks after the Brussels meeting.", W, "2010-07-09 day", "Brussels meeting", BOTH),
    ("We will publish it 2 weeks after the Brussels meeting.", W, "2010-07-09 day", "Brussels meeting", BOTH),
    ("We will publish it a week after the Brussels meeting.", W, "2010-07-02 day", "Brussels meeting", BOTH),
    ("We will publish it thirty days after the Cartagena meeting.", W, "2011-01-09 day", "Cartagena meeting", BOTH),
    ("We will publish it one month following the Cartagena meeting.", W, "2011-01-10 day", "Cartagena meeting", BOTH),
    ("We will publish it six weeks after the ICANN meeting in Brussels.", W, "2010-08-06 day", "Brussels meeting", BOTH),
    ("We will publish it two weeks before the Brussels meeting.", W, "2010-03-10..2010-06-06 day", "Brussels meeting", LATEST),
    ("We will publish it three weeks before the Cartagena meeting.", W, "2010-03-10..2010-11-14 day", "Cartagena meeting", LATEST),
    ("We will publish it 10 days prior to the Brussels meeting.", W, "2010-03-10..2010-06-10 day", "Brussels meeting", LATEST),
    ("We will publish it five days ahead of the Brussels meeting.", W, "2010-03-10..2010-06-15 day", "Brussels meeting", LATEST),
    ("We will publish it one month in advance of the Cartagena meeting.", W, "2010-03-10..2010-11-05 day", "Cartagena meeting", LATEST),
    ("We will publish it at least two weeks before the Brussels meeting.", W, "2010-03-10..2010-06-06 day", "Brussels meeting", LATEST),
    ("We will publish it no later than two weeks after the Brussels meeting.", W, "2010-03-10..2010-07-09 day", "Brussels meeting", LATEST),
    ("The agenda follows one week before the Toronto meeting.", W, "unresolved", "Toronto meeting", set()),
    ("The Board will act no later than its meeting in Cartagena.", W, "2010-03-10..2010-12-05 day", "Cartagena meeting", LATEST),
    ("We will discuss this at our Brussels meeting.", W, "2010-06-20..2010-06-25 window", "Brussels meeting", BOTH),
    # within <amount> of <meeting>
    ("We will publish it within two weeks of the Brussels meeting.", W, "2010-03-10..2010-07-09 day", "Brussels meeting", LATEST),
    ("We will publish it within 14 days of the Brussels meeting.", W, "2010-03-10..2010-07-09 day", "Brussels meeting", LATEST),
    ("We will publish it within fourteen days after the Cartagena meeting.", W, "2010-03-10..2010-12-24 day", "Cartagena meeting", LATEST),
    ("We will publish it within a month of the ICANN meeting in Brussels.", W, "2010-03-10..2010-07-25 day", "Brussels meeting", LATEST),
    ("We will publish it within three weeks following the Brussels meeting.", W, "2010-03-10..2010-07-16 day", "Brussels meeting", LATEST),
    # <amount> before / after / of <date>
    ("The report follows 30 days after 1 June.", W, "2010-07-01 day", None, set()),
    ("The report follows ten days after 15 July 2010.", W, "2010-07-25 day", None, set()),
    ("The report follows two weeks from 1 June.", W, "2010-06-15 day", None, set()),
    ("Papers are needed three days before 14 May.", W, "2010-03-10..2010-05-11 day", None, set()),
    ("Papers are needed one week prior to 30 September.", W, "2010-03-10..2010-09-23 day", None, set()),
    ("Replies are expected within 30 days of 1 June.", W, "2010-03-10..2010-07-01 day", None, set()),
    ("Replies are expected within two weeks after 3 May.", W, "2010-03-10..2010-05-17 day", None, set()),
    # parts of a period
    ("We will send the draft in the first week of June.", W, "2010-06-01..2010-06-07 window", None, set()),
    ("We will send the draft in the second week of August.", W, "2010-08-08..2010-08-14 window", None, set()),
    ("We will send the draft in the third week of October.", W, "2010-10-15..2010-10-21 window", None, set()),
    ("We will send the draft in the last week of November.", W, "2010-11-24..2010-11-30 window", None, set()),
    ("We will send the draft in the first week of next month.", W, "2010-04-01..2010-04-07 window", None, set()),
    ("We will send the draft in the last week of next month.", W, "2010-04-24..2010-04-30 window", None, set()),
    ("We will send the draft by the first week of September.", W, "2010-03-10..2010-09-07 day", None, set()),
    ("We will send the draft in the closing days of June.", W, "2010-06-24..2010-06-30 window", None, set()),
    ("We will send the draft during the closing days of October.", W, "2010-10-25..2010-10-31 window", None, set()),
    ("We will send the draft in the final days of September 2010.", W, "2010-09-24..2010-09-30 window", None, set()),
    ("We will send the draft in the last few days of May.", W, "2010-05-25..2010-05-31 window", None, set()),
    ("We will send the draft in the closing days of the year.", W, "2010-12-25..2010-12-31 window", None, set()),
    ("We will send the draft in the opening days of July.", W, "2010-07-01..2010-07-07 window", None, set()),
    ("We will send the draft in the first half of June.", W, "2010-06-01..2010-06-15 window", None, set()),
    ("We will send the draft in the second half of September.", W, "2010-09-16..2010-09-30 window", None, set()),
    ("We will send the draft in the first half of 2011.", W, "2011-01-01..2011-06-30 window", None, set()),
    ("We will send the draft in the second half of the year.", W, "2010-07-01..2010-12-31 window", None, set()),
    ("We will send the draft in the first half of next year.", W, "2011-01-01..2011-06-30 window", None, set()),
    ("We will send the draft in the first fortnight of August.", W, "2010-08-01..2010-08-14 window", None, set()),
    ("We will send the draft in the week of 7 June.", W, "2010-06-07..2010-06-13 window", None, set()),
    ("We will send the draft the week of June 7.", W, "2010-06-07..2010-06-13 window", None, set()),
    ("We will send the draft during the week of 14 June.", W, "2010-06-14..2010-06-20 window", None, set()),
    ("We will send the draft at the start of the week of 14 June.", W, "2010-06-14..2010-06-15 window", None, set()),
    ("We will send the draft by the end of the first week of May.", W, "2010-03-10..2010-05-07 day", None, set()),
    ("We will send the draft by the end of next week.", W, "2010-03-10..2010-03-19 day", None, set()),
    ("We will send the draft by the end of this week.", W, "2010-03-10..2010-03-12 day", None, set()),
    ("We will send the draft by end of next month.", W, "2010-03-10..2010-04-30 day", None, set()),
    ("We will send the draft by the middle of next month.", W, "2010-03-10..2010-04-20 day", None, set()),
    ("We will send the draft by mid-next month.", W, "2010-03-10..2010-04-20 day", None, set()),
    ("We will send the draft at the beginning of next month.", W, "2010-04-01..2010-04-10 window", None, set()),
    ("We will send the draft early in May.", W, "2010-05-01..2010-05-10 window", None, set()),
    ("We will send the draft late next month.", W, "2010-04-21..2010-04-30 window", None, set()),
    ("We will send the draft in late Q3.", W, "2010-09-01..2010-09-30 window", None, set()),
    ("We will send the draft in early Q4 2010.", W, "2010-10-01..2010-10-31 window", None, set()),
    ("We will send the draft at the end of the third quarter.", W, "2010-09-01..2010-09-30 window", None, set()),
    ("We will send the draft by the end of the second quarter of 2010.", W, "2010-03-10..2010-06-30 day", None, set()),
    ("We will send the draft by the end of calendar year 2010.", W, "2010-03-10..2010-12-31 day", None, set()),
    ("We will send the draft in June or July.", W, "2010-06-01..2010-07-31 window", None, set()),
]


@pytest.mark.parametrize("text, written_on, expected, anchor, moving", COMBINED,
                         ids=[f"{i:02d}-{row[0][:50]}" for i, row in enumerate(COMBINED)])
def test_combined_phrases(text, written_on, expected, anchor, moving):
    window = parse_due(text, written_on, BRUSSELS)
    assert window is not None
    assert (window.earliest, window.latest, window.precision) == expected_window(expected)
    assert window.anchor == anchor
    assert window.anchored_bounds == moving


def test_combined_phrase_keeps_the_amount_in_its_phrase():
    window = parse_due("We will publish it two weeks after the Brussels meeting.", W, BRUSSELS)
    assert window.phrase == "two weeks after the Brussels meeting"


def test_amount_after_a_meeting_moves_with_the_meeting():
    moved = {"Brussels meeting": (D(2010, 7, 5), D(2010, 7, 9))}
    assert parse_due("We will publish it two weeks after the Brussels meeting.", W, moved).latest == D(2010, 7, 23)


def test_amount_alone_and_after_alone_are_no_due_dates():
    assert parse_due("We waited two weeks for the reply.", W, BRUSSELS) is None
    assert parse_due("We will talk after the Brussels meeting.", W, BRUSSELS) is None


# --------------------------------------------------------------------------- more real-style phrases
M = D(2010, 5, 12)
REAL = [
    ("Written comments must be received no later than 5 p.m. Eastern Time on June 30, 2010.", "2010-05-12..2010-06-30 day"),
    ("Submissions are due by 12:00 Central European Summer Time on 30 June.", "2010-05-12..2010-06-30 day"),
    ("The deadline for receipt of comments is 5 July 2010.", "2010-05-12..2010-07-05 day"),
    ("A progress report will be issued by mid-year.", "2010-05-12..2010-08-31 day"),
    ("The report will be finalised in the weeks following the meeting.", "vague"),
    ("The report will be tabled at the Council's July meeting.", "2010-07-01..2010-07-31 window"),
    ("Please let us know your availability for the week beginning 7 June.", "2010-06-07..2010-06-13 window"),
    ("We hope to finalise the charter in the first half of next month.", "2010-06-01..2010-06-15 window"),
    ("The final report is due at the end of Q2 2010.", "2010-05-12..2010-06-30 day"),
    ("The final report will be ready at the end of Q3.", "2010-09-01..2010-09-30 window"),
    ("Your response is requested within 21 days of the date of this letter.", "2010-05-12..2010-06-02 day"),
    ("The consultation will run for eight weeks, closing on 9 July.", "2010-05-12..2010-07-09 day"),
    ("This period has now been extended by two weeks until 30 June.", "2010-05-12..2010-06-30 day"),
    ("The forum will be open from 31 May 2010 through 30 June 2010.", "2010-05-31..2010-06-30 window"),
    ("Comments received after 30 June will not be considered.", "none"),
]


@pytest.mark.parametrize("text, expected", REAL, ids=[f"{i:02d}-{row[0][:50]}" for i, row in enumerate(REAL)])
def test_more_real_style_phrases(text, expected):
    window = parse_due(text, M)
    if expected == "none":
        assert window is None
        return
    assert window is not None
    assert (window.earliest, window.latest, window.precision) == expected_window(expected)


# --------------------------------------------------------------------------- numeric dates and their order

@pytest.mark.parametrize("text, order, expected", [
    ("by 15/06/2010", "MDY", D(2010, 6, 15)),    # only day-first makes sense
    ("by 15/06/2010", "DMY", D(2010, 6, 15)),
    ("by 06/15/2010", "DMY", D(2010, 6, 15)),    # only month-first makes sense
    ("by 03/04/2010", "MDY", D(2010, 3, 4)),
    ("by 03/04/2010", "DMY", D(2010, 4, 3)),
    ("by 30/6/10", "MDY", D(2010, 6, 30)),
    ("by 15.06.2010", "MDY", D(2010, 6, 15)),
])
def test_numeric_dates_read_day_first_when_unambiguous_else_in_the_configured_order(text, order, expected):
    assert parse_due(text, W, date_order=order).latest == expected


def test_a_numeric_range_follows_the_configured_order():
    window = parse_due("from 01/06/2010 to 15/06/2010", W, date_order="DMY")
    assert (window.earliest, window.latest) == (D(2010, 6, 1), D(2010, 6, 15))


def test_an_unknown_date_order_is_refused():
    with pytest.raises(ValueError):
        parse_due("by 03/04/2010", W, date_order="YDM")


# --------------------------------------------------------------------------- impossible dates

@pytest.mark.parametrize("text, written", [
    ("Please reply by 31 April.", "31 April"),
    ("The report is due on 30 February 2011.", "30 February 2011"),
    ("The board will decide on 29 February 2011.", "29 February 2011"),
    ("by April 31, 2010", "31 April 2010"),
    ("by 2010-02-30", "2010-02-30"),
    ("by 31/04/2010", "31/04/2010"),
])
def test_impossible_dates_are_named_as_written(text, written):
    assert parse_due(text, W) is None
    assert impossible_dates(text, W) == [written]


def test_a_leap_day_without_year_is_possible():
    assert impossible_dates("by 29 February", D(2012, 1, 10)) == []
    assert parse_due("by 29 February", D(2012, 1, 10)).latest == D(2012, 2, 29)


def test_real_dates_are_not_impossible():
    assert impossible_dates("by 30 April and on 2010-02-28 and 12/31/2010", W) == []


# --------------------------------------------------------------------------- anchored bounds

@pytest.mark.parametrize("phrase, bounds", [
    ("prior to the Brussels meeting", LATEST),
    ("before the ICANN meeting in Cartagena", LATEST),
    ("by the Brussels meeting", LATEST),
    ("within two weeks of the Brussels meeting", LATEST),
    ("two weeks before the Brussels meeting", LATEST),
    ("at the Brussels meeting", BOTH),
    ("during the Cartagena meeting", BOTH),
    ("two weeks after the Brussels meeting", BOTH),
    ("by the end of the Brussels meeting", LATEST),
    ("at the end of the Brussels meeting", BOTH),
    ("within 30 days after the close of the Brussels meeting", LATEST),
    ("sometime soon", BOTH),  # no meeting in the phrase: the window was tied to it by hand
    ("", BOTH),
])
def test_anchored_bounds_are_read_from_the_phrase(phrase, bounds):
    assert anchored_bounds(phrase) == bounds


def test_moving_the_meeting_keeps_a_deadline_s_earliest():
    before = parse_due("We will publish prior to the Brussels meeting.", W, BRUSSELS)
    moved = parse_due("We will publish prior to the Brussels meeting.", W,
                      {"Brussels meeting": (D(2010, 3, 1), D(2010, 3, 4))})
    assert before.earliest == W
    assert moved.latest == D(2010, 2, 28) and moved.earliest == moved.latest  # clamped: deadline passed


def test_anchored_bounds_take_no_part_in_equality():
    assert DueWindow("x", W, W, "day", anchored_bounds=frozenset({"latest"})) == DueWindow("x", W, W, "day")


# --------------------------------------------------------------------------- dates for intake

def test_find_dates_lists_written_dates_with_their_spans():
    text = "Thank you for your letter of 25 March 2010. Dated: March 2010; see 2010-04-14."
    found = find_dates(text)
    assert [(text[m.start:m.end], m.earliest, m.precision) for m in found] == [
        ("25 March 2010", D(2010, 3, 25), "day"), ("March 2010", D(2010, 3, 1), "month"),
        ("2010-04-14", D(2010, 4, 14), "day")]
    assert found[1].latest == D(2010, 3, 31)


def test_find_dates_without_a_writing_date_needs_the_year():
    assert find_dates("on 14 April") == []
    assert [m.latest for m in find_dates("on 14 April", D(2010, 4, 2))] == [D(2010, 4, 14)]


def test_find_dates_skips_dates_that_do_not_exist():
    assert find_dates("31 April 2010") == []


@pytest.mark.parametrize("text, expected", [
    ("11 March 2010", (D(2010, 3, 11), "day")), ("April 21, 2010", (D(2010, 4, 21), "day")),
    ("Tuesday, 9 March 2010", (D(2010, 3, 9), "day")), ("the 9th of March, 2010", (D(2010, 3, 9), "day")),
    ("March 2010", (D(2010, 3, 1), "month")), ("2010-04-21", (D(2010, 4, 21), "day")),
    ("Date: 21 April 2010\nDear Chris", (D(2010, 4, 21), "day")),
    ("31 April 2010", None), ("14 April", None), ("May we thank you", None), ("no date here", None)])
def test_written_date_reads_a_letter_s_own_date(text, expected):
    assert written_date(text) == expected


def test_vocabulary_reads_numbers_and_months():
    assert vocabulary.number_value("twenty-one") == 21
    assert vocabulary.number_value("a couple of") == 2
    assert vocabulary.number_value("several") is None
    assert vocabulary.month_number("Sept.") == 9
    assert vocabulary.part_name("the closing days") == "last days"


def test_find_all_due_on_a_combined_sentence():
    found = find_all_due("We meet in the first week of June and report two weeks after the Brussels meeting.",
                         W, BRUSSELS)
    assert [w.phrase for w in found] == ["in the first week of June", "two weeks after the Brussels meeting"]


@pytest.mark.parametrize("text, expected", [
    ("Minutes of the 27-28 September 2031 interim meeting", (D(2031, 9, 27), "day")),
    ("Action items of the 15 July 2031 Council meeting", (D(2031, 7, 15), "day")),
    ("Minutes of the 2031-07-06 Board call", (D(2031, 7, 6), "day")),
    ("Letter of May 4th., 2031", (D(2031, 5, 4), "day")),
    ("Sent: woensdag 16 oktober 2031 10:12", (D(2031, 10, 16), "day")),
    ("Enviado: 16 de octubre de 2031", (D(2031, 10, 16), "day")),
    ("Gesendet: Montag, 3. März 2031", (D(2031, 3, 3), "day")),
    ("le 31 avril 2031", None)])
def test_written_date_reads_titles_ranges_and_other_languages(text, expected):
    assert written_date(text) == expected


def test_month_names_of_other_languages_are_vocabulary_data():
    assert vocabulary.month_number("oktober") == 10
    assert vocabulary.month_number("Décembre") == 12
    assert vocabulary.month_number("march") == 3


# --------------------------------------------------------------------------- phrases intake asked for

def test_on_the_same_date_is_no_due_date():
    assert parse_due("The two letters were sent on the same date.", W) is None


def test_the_next_meeting_stays_unresolved_even_when_a_meeting_of_that_name_is_known():
    events = {"Council meeting": (D(2010, 5, 6), D(2010, 5, 6))}
    due = parse_due("Staff to add the item to the agenda for the next Council meeting.", W, events)
    assert (due.phrase, due.precision, due.anchor, due.latest) == (
        "for the next Council meeting", "unresolved", "next Council meeting", None)
    assert parse_due("We will reply by the Council meeting.", W, events).latest == D(2010, 5, 6)


@pytest.mark.parametrize("text", ["Comments by the next call.", "Members to send their edits before the next call.",
                                  "We will come back to this on the next call."])
def test_the_next_call_is_an_unresolved_due_anchored_to_it(text):
    due = parse_due(text, W)
    assert (due.precision, due.anchor) == ("unresolved", "next call")


def test_a_numbered_meeting_is_only_the_known_meeting_with_that_number():
    events = {"IETF 103 Bangkok": (D(2010, 11, 3), D(2010, 11, 9))}
    assert parse_due("Look into it, ideally for IETF 103.", W, events).latest == D(2010, 11, 3)
    other = parse_due("Look into it, ideally for IETF 104.", W, events)
    assert (other.precision, other.anchor) == ("unresolved", "IETF 104")
    assert parse_due("We will report by ICANN 68.", W).anchor == "ICANN 68"


def test_for_a_meeting_is_due_by_its_first_day_but_does_not_outweigh_a_written_date():
    due = parse_due("We will prepare the slides for the Brussels meeting.", W, BRUSSELS)
    assert (due.latest, due.precision, due.anchor, due.anchored_bounds) == (
        D(2010, 6, 20), "day", "Brussels meeting", frozenset({"latest"}))
    assert parse_due("We will send the paper on 3 May for the Brussels meeting.", W, BRUSSELS).latest == D(2010, 5, 3)


@pytest.mark.parametrize("text, earliest, latest", [
    ("The policy will be discussed at the September teleconference.", D(2010, 9, 1), D(2010, 9, 30)),
    ("Item deferred to the October Council call.", D(2010, 10, 1), D(2010, 10, 31)),
    ("We will present the draft at the October Council call.", D(2010, 10, 1), D(2010, 10, 31)),
])
def test_a_months_recurring_call_reads_as_that_month(text, earliest, latest):
    due = parse_due(text, W)
    assert (due.earliest, due.latest, due.precision) == (earliest, latest, "window")
    assert due.anchor.endswith(("teleconference", "call"))


@pytest.mark.parametrize("text, earliest, latest, precision", [
    ("We will circulate the draft during the week of 13 September.", D(2010, 9, 13), D(2010, 9, 19), "window"),
    ("Comments are due by the week of September 15.", W, D(2010, 9, 19), "day"),
    ("Edits to the chair by the beginning of the week of 20 September.", W, D(2010, 9, 21), "day"),
])
def test_the_week_of_a_date_is_that_monday_to_sunday(text, earliest, latest, precision):
    due = parse_due(text, W)
    assert (due.earliest, due.latest, due.precision) == (earliest, latest, precision)


@pytest.mark.parametrize("text, latest", [
    ("Team leads to contact the volunteers by end of week.", D(2010, 3, 12)),
    ("Team leads to contact the volunteers by end of month.", D(2010, 3, 31)),
    ("Reviewers for the draft: Ana and Tom (2 weeks).", D(2010, 3, 24)),
    ("Staff to send the draft to the list on 6-May-2010.", D(2010, 5, 6)),
])
def test_due_phrases_as_notes_write_them(text, latest):
    assert parse_due(text, W).latest == latest
