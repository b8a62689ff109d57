"""Each cue's examples are its tests; then the constructions of real correspondence, one sentence each."""
from datetime import date

import pytest

from tracker.intake import cues
from tracker.intake.extract import classify, cue_for, extract

SENTENCE_EXAMPLES = [(cue, example) for cue in cues.SENTENCE_CUES for example in cue.examples]
LINE_EXAMPLES = [(cue, example) for cue in cues.LINE_CUES for example in cue.examples]
VETO_EXAMPLES = [(cue, example) for cue in cues.NOT_COMMITMENTS for example in cue.examples]


@pytest.mark.parametrize(("cue", "example"), SENTENCE_EXAMPLES, ids=[e for _, e in SENTENCE_EXAMPLES])
def test_sentence_cue_fires_on_its_examples_with_its_kind(cue, example):
    assert cue.pattern.search(example)
    found = cue_for(example)
    assert found is not None and found[0] == cue.kind


@pytest.mark.parametrize(("cue", "example"), LINE_EXAMPLES, ids=[e for _, e in LINE_EXAMPLES])
def test_line_cue_fires_on_its_examples(cue, example):
    assert cue.pattern.search(example)


@pytest.mark.parametrize(("cue", "example"), VETO_EXAMPLES, ids=[e for _, e in VETO_EXAMPLES])
def test_pointers_and_courtesies_are_never_candidates(cue, example):
    assert cues.vetoed(example) is cue
    assert classify(example) is None


def test_every_cue_has_a_name_and_examples():
    for cue in cues.LINE_CUES + cues.SENTENCE_CUES + cues.NOT_COMMITMENTS:
        assert cue.name and cue.examples


NOTES = """Notes of the steering group call, 2031-03-04

Action items:
Recirculate the draft charter to the mailing list
Staff to prepare a summary of the comments by 12 March 2031.
Members to send their edits before the next call.
AI: Chair will write to the board about the delay.
Action all: read the revised terms of reference
2031-02-20: Ana Ruiz to draft the budget note.
"""


def candidates_of(text, reference=None):
    return [(c.kind, c.cue, c.sentence) for c in extract(text, reference_date=reference).candidates]


def test_action_items_become_candidates_with_the_owner_deciding_the_kind():
    found = {sentence: (kind, cue) for kind, cue, sentence in candidates_of(NOTES)}
    assert found["Recirculate the draft charter to the mailing list"] == \
        ("promise", "item under an action-items heading")
    assert found["Staff to prepare a summary of the comments by 12 March 2031."] == ("promise", "owner to verb")
    assert found["Members to send their edits before the next call."] == ("request", "owner to verb")
    assert found["AI: Chair will write to the board about the delay."] == ("promise", "action line")
    assert found["Action all: read the revised terms of reference"] == ("request", "action line")
    assert found["2031-02-20: Ana Ruiz to draft the budget note."] == ("promise", "dated action item")


def test_notes_are_dated_by_their_title_and_action_items_get_their_due():
    result = extract(NOTES)
    assert result.date == date(2031, 3, 4)
    staff = next(c for c in result.candidates if c.sentence.startswith("Staff to prepare"))
    assert staff.due.latest == date(2031, 3, 12)


def test_the_date_an_action_item_was_opened_is_not_its_due():
    result = extract(NOTES)
    opened = next(c for c in result.candidates if c.sentence.startswith("2031-02-20"))
    assert opened.due is None


def test_a_hard_wrapped_sentence_is_not_read_as_an_owner_first_item():
    text = ("Dear colleagues,\n\nWe have been talking with the regional groups about the proposal and with the\n"
            "Centre to have the survey run by a partner, which is not yet decided either way.\n\nRegards,\nAna Ruiz\n")
    assert not any(cue == "owner to verb" for _, cue, _ in candidates_of(text))


TIMELINE = """Dear Council members,

Here is the revised timeline for the statement:

Monday, 5 May: Secretariat sends the draft to the Council
Friday, 9 May: deadline for Council comments
Thursday, 15 May: Council vote on the statement

Best regards,
Ana Ruiz
"""


def test_timeline_lines_are_commitments_whose_kind_follows_who_acts():
    result = extract(TIMELINE, reference_date=date(2031, 4, 28))
    kinds = [(c.kind, c.due.latest if c.due else None) for c in result.candidates]
    assert kinds == [("promise", date(2031, 5, 5)), ("request", date(2031, 5, 9)), ("request", date(2031, 5, 15))]


def test_a_single_dated_line_is_not_a_timeline():
    text = "Dear all,\n\nTelechat: 14 May 2031\n\nThe group met twice this month and no decision was taken.\n"
    assert candidates_of(text) == []


@pytest.mark.parametrize("sentence", [
    "Please find attached the minutes of the last call.",
    "Please see below the notes captured during the meeting.",
    "Please note that the list is moderated.",
    "You might consider raising this with your group at some point.",
])
def test_pointers_and_hypotheticals_are_not_requests(sentence):
    assert classify(sentence) is None


@pytest.mark.parametrize(("sentence", "kind"), [
    ("As a reminder, please provide your input by today.", "request"),
    ("Tom, please confirm whether this version meets your expectations.", "request"),
    ("I formally request you to offer advice on the proposed change.", "request"),
    ("We would appreciate the name of your delegate by 30 April 2031.", "request"),
    ("The Council will invite the groups to provide comments by 2 June.", "request"),
    ("Maria Lopez will send the revised text to the list.", "promise"),
    ("The new archive will be added to the website next week.", "promise"),
    ("The item is to be discussed at the next committee meeting.", "promise"),
    ("Sam said he would start a discussion with the plenary about the proposal.", "promise"),
    ("It is the present intention to hand the report to the board in June.", "promise"),
])
def test_constructions_of_real_correspondence(sentence, kind):
    assert classify(sentence) == kind


def test_a_conditions_deadline_is_not_the_commitments():
    text = ("Dear all,\n\nIf I don't hear anything by Friday, we will deliver the final report on 2 September 2031."
            "\n\nBest regards,\nAna Ruiz\n")
    result = extract(text, reference_date=date(2031, 8, 1))
    assert result.candidates[0].due.latest == date(2031, 9, 2)


def test_undated_message_still_reads_a_fully_written_date_but_not_a_relative_one():
    text = ("Dear all,\n\nWe will publish the report by Friday, 30 April 2021.\nWe will send the slides tomorrow to "
            "everyone on the list.\n\nThanks,\nAna\n")
    result = extract(text)
    assert result.date is None
    assert [c.due.latest if c.due else None for c in result.candidates] == [date(2021, 4, 30), None]


def test_outlook_sent_header_of_a_quoted_message_dates_an_undated_reply():
    text = ("Agreed, thanks.\n\nFrom: Ana Ruiz\nSent: Tuesday, May 23, 2023 10:12 AM\nTo: Council\n"
            "Subject: Statement\n\nDear all,\n\nWe will circulate the statement by 26 May.\n")
    result = extract(text)
    assert result.date == date(2023, 5, 23)


@pytest.mark.parametrize(("line", "expected"), [
    ("Minutes of the 27-28 September 2031 interim meeting", date(2031, 9, 27)),
    ("Letter of May 4th., 2031", date(2031, 5, 4)),
])
def test_day_ranges_and_ordinals_with_a_period_are_read(line, expected):
    from tracker.intake.extract import parse_date_text
    assert parse_date_text(line) == (expected, "day")


def test_each_candidate_says_which_cue_proposed_it():
    result = extract("Dear Ana,\n\nWe will publish the findings by 3 May 2031.\n\nBest regards,\nTom Kerr\n")
    assert result.candidates[0].cue


def test_a_sentence_cut_off_in_the_middle_is_no_candidate():
    assert classify("But we will work hard to") is None


def test_a_line_introducing_a_list_is_not_an_item_but_its_items_are():
    text = "Dear all,\n\nPlan to finish the review of the charter:\n\n- Staff to circulate the draft charter\n"
    found = [(cue, sentence) for _, cue, sentence in candidates_of(text)]
    assert found == [("owner to verb", "- Staff to circulate the draft charter")]


def test_bullets_flattened_onto_one_line_are_separate_items():
    text = ("Dear all,\n\nRevised plan: * Monday, 5 May: Secretariat sends the draft to the Council "
            "* Friday, 9 May: deadline for Council comments\n")
    result = extract(text, reference_date=date(2031, 4, 28))
    assert [(c.kind, c.due.latest) for c in result.candidates] == [("promise", date(2031, 5, 5)),
                                                                   ("request", date(2031, 5, 9))]


def test_markdown_day_headings_of_minutes_are_not_timeline_items():
    text = "## Day 1: 4 May 2031\n\nNotes.\n\n## Day 2: 5 May 2031\n\nMore notes.\n"
    assert candidates_of(text) == []


def test_owner_named_after_the_item_in_minutes_but_not_a_reply_in_a_transcript():
    owner_last = next(c for c in cues.LINE_CUES if c.name == "item with its owner last")
    assert owner_last.pattern.search("Consistency check of the two drafts: Priya.")
    assert not owner_last.pattern.search("Rudolf Lang: Okay.")


def test_a_message_saying_tomorrow_with_its_date_is_dated_the_day_before():
    text = ("Dear council,\n\nThe deadline to volunteer is tomorrow, Thursday 6 March (23:59 UTC).\n\n"
            "Drafting: 7 March - 20 March 2031\nCouncil vote: 25 March - 28 March 2031\n\nBest regards,\nAna Ruiz\n")
    result = extract(text)
    assert result.date == date(2031, 3, 5)
    assert result.candidates[0].due.latest == date(2031, 3, 6)


def test_an_attribution_line_dates_an_undated_reply():
    text = "Agreed.\n\n2031/5/15 Ana Ruiz <ana@example.org>\n\nDear all,\n\nWe will send it later today.\n"
    assert extract(text).date == date(2031, 5, 15)


@pytest.mark.parametrize(("sentence", "latest"), [
    ("Team leads to contact the volunteers by end of week.", date(2031, 3, 7)),
    ("Reviewers for the draft: Ana and Tom (2 weeks).", date(2031, 3, 18)),
    ("Staff to send the draft to the list on 6-Mar-2031.", date(2031, 3, 6)),
])
def test_due_phrases_written_the_way_notes_write_them_are_read(sentence, latest):
    from tracker.intake.extract import due_of
    assert due_of(sentence, date(2031, 3, 4)).latest == latest


def test_the_next_meeting_is_an_unresolved_due():
    from tracker.intake.extract import due_of
    due = due_of("Staff to add the item to the agenda for the next Council meeting.", date(2031, 3, 4))
    assert (due.precision, due.latest, due.phrase) == ("unresolved", None, "for the next Council meeting")
