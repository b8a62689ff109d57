"""Dues a document writes away from the commitment: a labelled goal after the item, a deadline sentence beside a
request, a timeline's closing line, the date of the next call, and fully written dates in undated messages."""
from datetime import date

from tracker.intake.extract import due_of, extract, stated_next_meetings
from tracker.intake.signatures import group_of_notes


def _candidate(extraction, words):
    found = [c for c in extraction.candidates if words in c.sentence]
    assert found, [c.sentence for c in extraction.candidates]
    return found[0]


def test_a_bracketed_goal_after_the_full_stop_is_the_items_due():
    text = ("Minutes of the board call, 2031-06-04\n\nOpen action items\n"
            "* 2031-05-02: Priya Nair to draft the liaison guide for new members. (Goal: 2031-06-20)\n")
    item = _candidate(extract(text), "liaison guide")
    assert item.due is not None and item.due.latest == date(2031, 6, 20)
    assert "(Goal: 2031-06-20)" in item.sentence


def test_the_date_an_item_was_opened_is_still_not_its_due():
    text = ("Minutes of the board call, 2031-06-04\n\nOpen action items\n"
            "* 2031-05-02: Priya Nair to draft the liaison guide for new members.\n")
    assert _candidate(extract(text), "liaison guide").due is None


def test_a_deadline_sentence_gives_its_date_to_the_request_beside_it():
    text = ("Dear colleagues,\n\nThe working party needs two more members. The deadline to volunteer is Friday, "
            "12 September 2031. Please write to the secretariat if you would like to join.\n\nBest regards,\nMarta\n")
    request = _candidate(extract(text), "Please write to the secretariat")
    assert request.kind == "request"
    assert request.due is not None and request.due.latest == date(2031, 9, 12)


def test_a_deadline_in_another_paragraph_does_not_reach_an_unrelated_request():
    text = ("Dear colleagues,\n\nThe deadline to register for the workshop is 12 September 2031.\n\n"
            "Separately, please send your travel receipts to the finance team.\n\nBest regards,\nMarta\n")
    request = _candidate(extract(text), "travel receipts")
    assert request.due is None


def test_a_timelines_closing_line_dates_the_request_that_names_what_it_closes():
    text = ("Call for candidates: review team\n\nTimeline:\n"
            "  • 1 March 2031: Applications open\n"
            "  • 31 March 2031: Close of the application period\n"
            "  • 15 April 2031: Selection announced\n\n"
            "Applications should be sent to the selection committee. Please include a short statement of "
            "interest with each application.\n")
    request = _candidate(extract(text), "statement of interest")
    assert request.due is not None and request.due.latest == date(2031, 3, 31)


def test_the_next_call_dated_in_the_notes_resolves_by_next_call():
    text = ("Notes of the review team call, 2031-02-03\n\nAction all: read the draft guideline and send comments "
            "by next call\n\n- Next call\n17 February 2031 (scheduled)\n")
    assert stated_next_meetings(text, date(2031, 2, 3)) == {"next call": (date(2031, 2, 17), date(2031, 2, 17))}
    item = _candidate(extract(text), "send comments")
    assert item.due is not None and item.due.latest == date(2031, 2, 17)


def test_an_undated_next_call_stays_unresolved():
    text = "Notes of the review team call, 2031-02-03\n\nAction all: send comments by next call\n"
    item = _candidate(extract(text), "send comments")
    assert item.due is not None and item.due.precision == "unresolved"


def test_a_fully_written_date_is_read_in_an_undated_message_and_a_relative_one_keeps_only_its_phrase():
    written = due_of("It will go to the plenary list on 4-Mar-2031 for discussion.", None)
    assert written is not None and written.latest == date(2031, 3, 4)
    for sentence, phrase in (("I will send it early next week.", "early next week"),
                             ("I will send it by Monday.", "by Monday")):
        due = due_of(sentence, None)
        assert (due.phrase, due.earliest, due.latest, due.precision) == (phrase, None, None, "vague")


def test_notes_to_all_go_to_the_group_whose_meeting_they_record():
    assert group_of_notes("Dear all,\n\nBelow are the notes and actions from the IDN PDP WG meeting today.\n") \
        == "IDN PDP WG"
    assert group_of_notes("All,\n\nDraft Agenda ccNSO Council Meeting\n1. Welcome\n") == "ccNSO Council"
    assert group_of_notes("Hi Ana,\n\nBelow are the notes from the IDN PDP WG meeting.\n") == ""
    assert group_of_notes("Dear all,\n\nNotes from today's WG call follow.\n") == ""


def test_undated_notes_to_all_name_the_group_as_recipient():
    text = "Dear all,\n\nBelow are the notes and actions from the IDN PDP WG meeting.\n\nAction: Staff to circulate the draft.\n"
    recipients = extract(text).recipients
    assert [r.party_name for r in recipients] == ["IDN PDP WG"]


def test_a_date_asked_about_is_not_the_due_of_asking():
    assert due_of("Ask the region whether its vote could start on 14 May.", date(2031, 5, 2)) is None
    assert due_of("Ask the region by 9 May whether its vote could start on 14 May.", date(2031, 5, 2)).latest \
        == date(2031, 5, 9)


def test_on_the_same_date_takes_the_last_date_written_before_it():
    text = ("Dear members,\n\nWe will publish the final report on 3 November 2031. On the same date we will send "
            "it to every member organisation.\n\nRegards,\nThe secretariat\n")
    item = _candidate(extract(text), "On the same date")
    assert item.due is not None and item.due.latest == date(2031, 11, 3)


def test_a_practice_kept_at_every_meeting_has_no_due():
    assert due_of("We will brief the members during the Board meetings.", date(2031, 5, 2)) is None
