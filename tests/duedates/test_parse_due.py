"""parse_due as callers see it: seed phrases, a rule-by-rule table, negatives and a real-phrase corpus."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from tracker.duedates import PRECISIONS, DueWindow, find_all_due, parse_due

D = date
BRUSSELS = {"Brussels meeting": (D(2010, 6, 20), D(2010, 6, 25))}
CORPUS = Path(__file__).with_name("corpus.tsv")


# --------------------------------------------------------------------------- seed documents

def test_ceo_reply_end_of_april_is_a_deadline_on_30_april():
    w = parse_due("The findings from the workshop will be published along with the full list of "
                  "consultations, what we've heard and our analysis of comments by end of April.",
                  written_on=D(2010, 4, 21))
    assert w == DueWindow("by end of April", D(2010, 4, 21), D(2010, 4, 30), "day")


def test_ceo_reply_early_may_is_first_ten_days_of_may():
    w = parse_due("We further plan to publish a Concept of Operations and updated resource analysis "
                  "in early May addressing the questions you've raised as basis for continued "
                  "community consultation.", written_on=D(2010, 4, 21), events=BRUSSELS)
    assert w == DueWindow("in early May", D(2010, 5, 1), D(2010, 5, 10), "window", None)


def test_brief_example_early_may():
    w = parse_due("We further plan to publish a Concept of Operations in early May",
                  written_on=D(2010, 4, 21), events=BRUSSELS)
    assert (w.phrase, w.earliest, w.latest, w.precision, w.anchor) == (
        "in early May", D(2010, 5, 1), D(2010, 5, 10), "window", None)


def test_ceo_reply_extended_until_past_day_is_the_nearest_14_april():
    w = parse_due("As you know, the public comment deadline was extended until 14 April and we are "
                  "continuing to gather perspectives.", written_on=D(2010, 4, 21))
    assert w == DueWindow("extended until 14 April", D(2010, 4, 14), D(2010, 4, 14), "day")


def test_ceo_reply_letter_reference_is_not_a_due_date():
    assert parse_due("Thank you for your letter of 25 March 2010, providing comments on the "
                     "establishment of a DNS-CERT.", written_on=D(2010, 4, 21)) is None


def test_ceo_reply_strategic_plan_years_are_not_dates():
    assert parse_due("As you know, the requirement to do so was identified in the ICANN 2010-2013 "
                     "Strategic Plan approved by the Board.", written_on=D(2010, 4, 21)) is None


def test_ceo_reply_past_workshop_range_is_returned_as_window():
    w = parse_due("A workshop was held on 6-7 April, including participants from the types of "
                  "organizations identified in your letter.", written_on=D(2010, 4, 21))
    assert (w.earliest, w.latest, w.precision) == (D(2010, 4, 6), D(2010, 4, 7), "window")


def test_transcript_weeks_not_months_is_vague():
    w = parse_due("So committing to do that, I don't want to commit at this time to the specific, "
                  "you know, timing of that but, you know, weeks not months.",
                  written_on=D(2010, 3, 9), events=BRUSSELS)
    assert w == DueWindow("weeks not months", None, None, "vague")


TRANSCRIPT_BRUSSELS = (
    "Again, we plan to engage in a, you know, scenario-based requirements and operational, you "
    "know, procedures analysis with the key stakeholders and, you know, potentially get as far as "
    "to, you know, list specific initial operating requirements and a concept of operations, "
    "hopefully prior to the Brussels meeting.")


def test_transcript_prior_to_brussels_is_day_before_meeting():
    w = parse_due(TRANSCRIPT_BRUSSELS, written_on=D(2010, 3, 9), events=BRUSSELS)
    assert w == DueWindow("prior to the Brussels meeting", D(2010, 3, 9), D(2010, 6, 19), "day",
                          anchor="Brussels meeting")


def test_transcript_prior_to_brussels_moves_when_the_meeting_moves():
    moved = {"Brussels meeting": (D(2010, 7, 5), D(2010, 7, 9))}
    assert parse_due(TRANSCRIPT_BRUSSELS, D(2010, 3, 9), moved).latest == D(2010, 7, 4)


def test_transcript_prior_to_brussels_without_events_is_unresolved():
    w = parse_due(TRANSCRIPT_BRUSSELS, written_on=D(2010, 3, 9))
    assert w == DueWindow("prior to the Brussels meeting", None, None, "unresolved",
                          anchor="Brussels meeting")


def test_transcript_april_timeframe_is_whole_april():
    w = parse_due("We are committed to do that in the April timeframe", D(2010, 3, 9), BRUSSELS)
    assert w == DueWindow("in the April timeframe", D(2010, 4, 1), D(2010, 4, 30), "window")


def test_transcript_full_sentence_prefers_the_deadline_marked_brussels_expression():
    text = ("We are committed to do that in the April timeframe and try to publish prior to the "
            "Brussels meeting a more detailed list of requirements, objectives and then, you know, "
            "how a resource build fits to achieving those objectives.")
    assert parse_due(text, D(2010, 3, 9), BRUSSELS).anchor == "Brussels meeting"
    found = find_all_due(text, D(2010, 3, 9), BRUSSELS)
    assert [w.phrase for w in found] == ["in the April timeframe", "prior to the Brussels meeting"]


def test_transcript_comments_ending_at_28th_of_march():
    w = parse_due("The interrogation for comments is ending at 28th of March, if I remember.",
                  written_on=D(2010, 3, 9))
    assert w == DueWindow("ending at 28th of March", D(2010, 3, 9), D(2010, 3, 28), "day")


def test_transcript_after_29_march_is_not_a_due_expression():
    assert parse_due("We'd do an analysis of the commentary we received, you know, after 29 March.",
                     written_on=D(2010, 3, 9)) is None


def test_joint_letter_extend_by_15_days_is_an_amount_not_a_deadline():
    assert parse_due(
        "ICANN extend the current public comment periods on ICANN's proposed strategic initiatives "
        "for improved DNS security, stability and resiliency and the global DNS-CERT business case "
        "document by 15 days.", written_on=D(2010, 3, 25)) is None


JOINT_LETTER_BRUSSELS = (
    "The Working Group should have the option of inviting participation from experts from a number "
    "of CERTs and other relevant organizations such as DNS-OARC, and could be formed at the ICANN "
    "meeting in Brussels in June, if not sooner.")


def test_joint_letter_at_brussels_with_events_is_the_meeting_window():
    w = parse_due(JOINT_LETTER_BRUSSELS, written_on=D(2010, 3, 25), events=BRUSSELS)
    assert w == DueWindow("at the ICANN meeting in Brussels in June", D(2010, 6, 20),
                          D(2010, 6, 25), "window", anchor="Brussels meeting")


def test_joint_letter_at_brussels_without_events_is_june_2010():
    w = parse_due(JOINT_LETTER_BRUSSELS, written_on=D(2010, 3, 25))
    assert (w.earliest, w.latest, w.precision) == (D(2010, 6, 1), D(2010, 6, 30), "window")
    assert w.anchor == "ICANN meeting in Brussels"


def test_summary_original_comment_period_range():
    w = parse_due("ICANN originally conducted public comment periods on the Proposed Strategic "
                  "Initiatives for Improved DNS Security, Stability & Resiliency (SSR) and Global "
                  "DNS\u2010CERT Business Case papers from 12 February to 29 March 2010.",
                  written_on=D(2010, 5, 30))
    assert w == DueWindow("from 12 February to 29 March 2010", D(2010, 2, 12), D(2010, 3, 29),
                          "window")


def test_summary_extended_by_15_days_to_14_april():
    w = parse_due("Based on requests from the community, both comment periods were extended by 15 "
                  "days to 14 April 2010.", written_on=D(2010, 5, 30))
    assert w == DueWindow("extended by 15 days to 14 April 2010", D(2010, 4, 14), D(2010, 4, 14),
                          "day")


def test_summary_nairobi_meeting_takes_its_written_dates():
    w = parse_due("This summary and analysis is a subset of the larger community consultations "
                  "that were conducted by ICANN staff and occurred on these topics during the ICANN "
                  "meeting in Nairobi, Kenya on 7\u201312 March 2010.", written_on=D(2010, 5, 30))
    assert (w.earliest, w.latest, w.precision) == (D(2010, 3, 7), D(2010, 3, 12), "window")


def test_summary_counts_are_not_dates():
    assert parse_due("In total, 13 comments were received in the forum for the Strategic "
                     "Initiatives paper, and 25 comments were received in the forum on DNS-CERT.",
                     written_on=D(2010, 5, 30)) is None


def test_ccnso_letter_tuesday_9_march_2010():
    w = parse_due("your comments made to the joint meeting of the ICANN Board and Governmental "
                  "Advisory Committee (GAC) on Tuesday, 9 March 2010.", written_on=D(2010, 3, 11))
    assert (w.phrase, w.earliest, w.latest, w.precision) == (
        "on Tuesday, 9 March 2010", D(2010, 3, 9), D(2010, 3, 9), "day")


def test_ccnso_letter_top_20_registries_is_not_a_date():
    assert parse_due("In addition, a number of the top 20 registries in the ccNSO state that you "
                     "have not spoken with them on this topic.", written_on=D(2010, 3, 11)) is None


def test_transcript_money_is_not_a_date():
    assert parse_due("Where is the cost breakout for the $2.1 million dollars? maybe in three years "
                     "it won't be $4.2 million", written_on=D(2010, 3, 9)) is None


# --------------------------------------------------------------------------- rule table
# (text, written_on, events, phrase substring, earliest, latest, precision, anchor)
W21A = D(2010, 4, 21)   # Wednesday
W9M = D(2010, 3, 9)     # Tuesday
W2A = D(2010, 4, 2)     # Friday
W20D = D(2010, 12, 20)  # Monday
W15J = D(2010, 6, 15)   # Tuesday
EV2 = {"Brussels meeting": (D(2010, 6, 20), D(2010, 6, 25)),
       "ICANN 39 Cartagena": (D(2010, 12, 5), D(2010, 12, 10)),
       "GAC high-level meeting": (D(2010, 9, 2), D(2010, 9, 2))}

TABLE = [
    # explicit dates
    ("The report will be published on 25 March 2010.", W9M, None, "25 March 2010", D(2010, 3, 25), D(2010, 3, 25), "day", None),
    ("The report will be published on March 25, 2010.", W9M, None, "March 25, 2010", D(2010, 3, 25), D(2010, 3, 25), "day", None),
    ("We will circulate the draft on 25th March.", W9M, None, "25th March", D(2010, 3, 25), D(2010, 3, 25), "day", None),
    ("Please reply on 10/25.", D(2010, 10, 1), None, "10/25", D(2010, 10, 25), D(2010, 10, 25), "day", None),
    ("The call takes place on Tuesday, 9 March 2010.", D(2010, 3, 1), None, "Tuesday, 9 March 2010", D(2010, 3, 9), D(2010, 3, 9), "day", None),
    ("The board will decide on 2010-04-14.", W2A, None, "2010-04-14", D(2010, 4, 14), D(2010, 4, 14), "day", None),
    ("The board will decide on 14 April.", W2A, None, "14 April", D(2010, 4, 14), D(2010, 4, 14), "day", None),
    ("We will publish the paper on the 3rd of May.", W21A, None, "the 3rd of May", D(2010, 5, 3), D(2010, 5, 3), "day", None),
    ("The next call is on Wed 5 May.", W21A, None, "Wed 5 May", D(2010, 5, 5), D(2010, 5, 5), "day", None),
    ("Comments will be reviewed on Sept. 14.", D(2010, 8, 1), None, "Sept. 14", D(2010, 9, 14), D(2010, 9, 14), "day", None),
    ("The council will vote on Thursday, 10 March.", D(2011, 3, 1), None, "Thursday, 10 March", D(2011, 3, 10), D(2011, 3, 10), "day", None),
    ("The new charter is expected on 12/01/2010.", D(2010, 11, 1), None, "12/01/2010", D(2010, 12, 1), D(2010, 12, 1), "day", None),
    ("The leap day report is due on 29 February.", D(2012, 1, 10), None, "29 February", D(2012, 1, 10), D(2012, 2, 29), "day", None),
    # deadline words
    ("Please send your comments by 12 April.", W2A, None, "by 12 April", W2A, D(2010, 4, 12), "day", None),
    ("Please send your comments before 12 April.", W2A, None, "before 12 April", W2A, D(2010, 4, 11), "day", None),
    ("Responses are requested no later than 30 April 2010.", W2A, None, "no later than 30 April 2010", W2A, D(2010, 4, 30), "day", None),
    ("Responses are requested not later than 30 April 2010.", W2A, None, "not later than 30 April 2010", W2A, D(2010, 4, 30), "day", None),
    ("The forum stays open until 5 May.", W21A, None, "until 5 May", W21A, D(2010, 5, 5), "day", None),
    ("Submit the form 5 May at the latest.", W21A, None, "5 May at the latest", W21A, D(2010, 5, 5), "day", None),
    ("Nominations must arrive prior to 1 June.", W21A, None, "prior to 1 June", W21A, D(2010, 5, 31), "day", None),
    ("Papers are needed in advance of 1 June.", W21A, None, "in advance of 1 June", W21A, D(2010, 5, 31), "day", None),
    ("We set a deadline of 14 April for submissions.", W2A, None, "deadline of 14 April", W2A, D(2010, 4, 14), "day", None),
    ("The cutoff date 3 May applies to all submissions.", W21A, None, "cutoff date 3 May", W21A, D(2010, 5, 3), "day", None),
    ("The cut-off is 3 May.", W21A, None, "cut-off is 3 May", W21A, D(2010, 5, 3), "day", None),
    ("The deadline for comments is 14 April.", W2A, None, "deadline for comments is 14 April", W2A, D(2010, 4, 14), "day", None),
    ("Replies are due 30 June 2010.", W15J, None, "due 30 June 2010", W15J, D(2010, 6, 30), "day", None),
    ("Please respond on or before 30 June 2010.", W15J, None, "on or before 30 June 2010", W15J, D(2010, 6, 30), "day", None),
    ("Applications close on 30 June.", W15J, None, "close", W15J, D(2010, 6, 30), "day", None),
    ("Submissions are accepted through 15 July.", W15J, None, "through 15 July", W15J, D(2010, 7, 15), "day", None),
    ("Please reply by 23:59 UTC on 14 April 2010.", W2A, None, "by 23:59 UTC on 14 April 2010", W2A, D(2010, 4, 14), "day", None),
    ("Comments are due by close of business on 16 April.", W2A, None, "by close of business on 16 April", W2A, D(2010, 4, 16), "day", None),
    ("The consultation was postponed to 12 May.", W21A, None, "postponed to 12 May", W21A, D(2010, 5, 12), "day", None),
    ("The period was extended to 14 April 2010.", W2A, None, "extended to 14 April 2010", W2A, D(2010, 4, 14), "day", None),
    ("Please reply by 10/25.", D(2010, 10, 1), None, "by 10/25", D(2010, 10, 1), D(2010, 10, 25), "day", None),
    # missing-year resolution
    ("Please reply by 10 January.", W20D, None, "by 10 January", W20D, D(2011, 1, 10), "day", None),
    ("We will meet on 5 January.", W20D, None, "5 January", D(2011, 1, 5), D(2011, 1, 5), "day", None),
    ("The comment period closed on 20 December.", D(2011, 1, 5), None, "20 December", D(2010, 12, 20), D(2010, 12, 20), "day", None),
    ("The report will follow in late January.", W20D, None, "late January", D(2011, 1, 21), D(2011, 1, 31), "window", None),
    ("The work ends in December.", D(2011, 1, 5), None, "in December", D(2010, 12, 1), D(2010, 12, 31), "window", None),
    ("The plan is expected in June.", W20D, None, "in June", D(2011, 6, 1), D(2011, 6, 30), "window", None),
    # month periods
    ("We will report in early May.", W21A, None, "in early May", D(2010, 5, 1), D(2010, 5, 10), "window", None),
    ("We will report in mid-June.", W21A, None, "mid-June", D(2010, 6, 11), D(2010, 6, 20), "window", None),
    ("We will report in mid June.", W21A, None, "mid June", D(2010, 6, 11), D(2010, 6, 20), "window", None),
    ("We will report in the middle of June.", W21A, None, "middle of June", D(2010, 6, 11), D(2010, 6, 20), "window", None),
    ("We will report in late May.", W21A, None, "late May", D(2010, 5, 21), D(2010, 5, 31), "window", None),
    ("The draft will be ready at the end of April.", W2A, None, "end of April", D(2010, 4, 30), D(2010, 4, 30), "day", None),
    ("The draft will be ready end of April.", W2A, None, "end of April", D(2010, 4, 30), D(2010, 4, 30), "day", None),
    ("Expect the proposal at the beginning of May.", W21A, None, "beginning of May", D(2010, 5, 1), D(2010, 5, 10), "window", None),
    ("Expect the proposal at the start of May.", W21A, None, "start of May", D(2010, 5, 1), D(2010, 5, 10), "window", None),
    ("The final report is due at the end of February 2012.", D(2012, 1, 10), None, "end of February 2012", D(2012, 1, 10), D(2012, 2, 29), "day", None),
    ("The review closes end of February.", D(2011, 1, 10), None, "end of February", D(2011, 1, 10), D(2011, 2, 28), "day", None),
    ("We expect a decision in late February 2012.", D(2012, 1, 10), None, "late February 2012", D(2012, 2, 21), D(2012, 2, 29), "window", None),
    ("A draft will appear in the first half of July.", W15J, None, "first half of July", D(2010, 7, 1), D(2010, 7, 15), "window", None),
    ("A draft will appear in the second week of July.", W15J, None, "second week of July", D(2010, 7, 8), D(2010, 7, 14), "window", None),
    ("A draft will appear in the last week of July.", W15J, None, "last week of July", D(2010, 7, 25), D(2010, 7, 31), "window", None),
    ("We aim for mid-to-late July.", W15J, None, "mid-to-late July", D(2010, 7, 11), D(2010, 7, 31), "window", None),
    ("The new version will be posted by mid-June.", W21A, None, "by mid-June", W21A, D(2010, 6, 20), "day", None),
    ("The paper will be out by early May.", W21A, None, "by early May", W21A, D(2010, 5, 10), "day", None),
    ("The paper will be out before the end of April.", W2A, None, "before the end of April", W2A, D(2010, 4, 30), "day", None),
    ("The paper will be out before June.", W21A, None, "before June", W21A, D(2010, 5, 31), "day", None),
    ("The paper will be out by June.", W21A, None, "by June", W21A, D(2010, 6, 30), "day", None),
    # whole months, timeframes, month ranges
    ("We are committed to do that in the April timeframe.", W9M, None, "the April timeframe", D(2010, 4, 1), D(2010, 4, 30), "window", None),
    ("The study will be done in the April-May timeframe.", W9M, None, "April-May timeframe", D(2010, 4, 1), D(2010, 5, 31), "window", None),
    ("A second round is planned in June.", W21A, None, "in June", D(2010, 6, 1), D(2010, 6, 30), "window", None),
    ("A second round is planned for June 2010.", W21A, None, "June 2010", D(2010, 6, 1), D(2010, 6, 30), "window", None),
    ("A second round is planned during September.", W21A, None, "during September", D(2010, 9, 1), D(2010, 9, 30), "window", None),
    ("Fieldwork runs from June to August 2010.", W21A, None, "from June to August 2010", D(2010, 6, 1), D(2010, 8, 31), "window", None),
    ("Fieldwork runs between June and August.", W21A, None, "between June and August", D(2010, 6, 1), D(2010, 8, 31), "window", None),
    ("The pilot runs November-February.", D(2010, 10, 1), None, "November-February", D(2010, 11, 1), D(2011, 2, 28), "window", None),
    # day ranges
    ("The workshop will be held between 2-7 November.", D(2010, 10, 1), None, "2-7 November", D(2010, 11, 2), D(2010, 11, 7), "window", None),
    ("The workshop will be held between 2 and 7 November.", D(2010, 10, 1), None, "between 2 and 7 November", D(2010, 11, 2), D(2010, 11, 7), "window", None),
    ("The workshop will be held 2\u20137 November.", D(2010, 10, 1), None, "2\u20137 November", D(2010, 11, 2), D(2010, 11, 7), "window", None),
    ("The meeting runs 20 and 21 May, 2010 in Heraklion.", W9M, None, "20 and 21 May, 2010", D(2010, 5, 20), D(2010, 5, 21), "window", None),
    ("The session runs April 6-7, 2010.", W2A, None, "April 6-7, 2010", D(2010, 4, 6), D(2010, 4, 7), "window", None),
    ("Comments are open from 12 February to 29 March 2010.", D(2010, 2, 1), None, "from 12 February to 29 March 2010", D(2010, 2, 12), D(2010, 3, 29), "window", None),
    ("Comments are open from 15 December to 15 January 2011.", D(2010, 12, 1), None, "from 15 December", D(2010, 12, 15), D(2011, 1, 15), "window", None),
    ("The review window is 1 May - 15 June 2010.", W21A, None, "1 May - 15 June 2010", D(2010, 5, 1), D(2010, 6, 15), "window", None),
    ("We will consult between 3 May and 4 June.", W21A, None, "between 3 May and 4 June", D(2010, 5, 3), D(2010, 6, 4), "window", None),
    ("Interviews will take place the week of 13 September.", D(2010, 8, 20), None, "week of 13 September", D(2010, 9, 13), D(2010, 9, 19), "window", None),
    ("Interviews will take place the week of 15 September.", D(2010, 8, 20), None, "week of 15 September", D(2010, 9, 13), D(2010, 9, 19), "window", None),
    ("Interviews will take place the week commencing 13 September 2010.", D(2010, 8, 20), None, "week commencing 13 September 2010", D(2010, 9, 13), D(2010, 9, 19), "window", None),
    # quarters, halves, years, seasons
    ("Implementation is planned for Q3 2010.", W21A, None, "Q3 2010", D(2010, 7, 1), D(2010, 9, 30), "window", None),
    ("Implementation is planned for Q3.", W21A, None, "Q3", D(2010, 7, 1), D(2010, 9, 30), "window", None),
    ("Implementation is planned in the third quarter of 2010.", W21A, None, "third quarter of 2010", D(2010, 7, 1), D(2010, 9, 30), "window", None),
    ("Implementation is planned in the fourth quarter.", W21A, None, "fourth quarter", D(2010, 10, 1), D(2010, 12, 31), "window", None),
    ("Implementation is planned by the end of Q1 2011.", W20D, None, "by the end of Q1 2011", W20D, D(2011, 3, 31), "day", None),
    ("We expect results by Q2.", W20D, None, "by Q2", W20D, D(2011, 6, 30), "day", None),
    ("Implementation is planned in H2 2010.", W21A, None, "H2 2010", D(2010, 7, 1), D(2010, 12, 31), "window", None),
    ("Implementation is planned in H1 2011.", W20D, None, "H1 2011", D(2011, 1, 1), D(2011, 6, 30), "window", None),
    ("Implementation is planned in the first half of 2010.", D(2010, 1, 5), None, "first half of 2010", D(2010, 1, 1), D(2010, 6, 30), "window", None),
    ("Implementation is planned in the second half of 2010.", W21A, None, "second half of 2010", D(2010, 7, 1), D(2010, 12, 31), "window", None),
    ("Implementation is planned in the second half of next year.", W21A, None, "second half of next year", D(2011, 7, 1), D(2011, 12, 31), "window", None),
    ("The reforms will be completed by the end of 2010.", W21A, None, "by the end of 2010", W21A, D(2010, 12, 31), "day", None),
    ("The reforms will be completed at the end of 2010.", W21A, None, "end of 2010", D(2010, 12, 31), D(2010, 12, 31), "day", None),
    ("The reforms will start at the beginning of 2011.", W21A, None, "beginning of 2011", D(2011, 1, 1), D(2011, 3, 31), "window", None),
    ("The reforms will start in early 2011.", W21A, None, "early 2011", D(2011, 1, 1), D(2011, 3, 31), "window", None),
    ("The reforms will start in mid-2011.", W21A, None, "mid-2011", D(2011, 5, 1), D(2011, 8, 31), "window", None),
    ("The reforms will start in late 2011.", W21A, None, "late 2011", D(2011, 10, 1), D(2011, 12, 31), "window", None),
    ("The new gTLD round will open in 2011.", W21A, None, "in 2011", D(2011, 1, 1), D(2011, 12, 31), "window", None),
    ("The new gTLD round will open by 2012.", W21A, None, "by 2012", W21A, D(2012, 12, 31), "day", None),
    ("The migration is due by year-end.", W21A, None, "by year-end", W21A, D(2010, 12, 31), "day", None),
    ("The migration will finish by the end of the year.", W21A, None, "by the end of the year", W21A, D(2010, 12, 31), "day", None),
    ("The survey will run in summer 2010.", W21A, None, "summer 2010", D(2010, 6, 1), D(2010, 8, 31), "window", None),
    ("The survey will run this autumn.", W21A, None, "this autumn", D(2010, 9, 1), D(2010, 11, 30), "window", None),
    ("The survey will run in the spring.", D(2010, 1, 10), None, "the spring", D(2010, 3, 1), D(2010, 5, 31), "window", None),
    ("The survey will run in winter 2010.", W21A, None, "winter 2010", D(2010, 12, 1), D(2011, 2, 28), "window", None),
    # relative days and weeks (W21A is a Wednesday)
    ("I will send it today.", W21A, None, "today", W21A, W21A, "day", None),
    ("I will send it tomorrow.", W21A, None, "tomorrow", D(2010, 4, 22), D(2010, 4, 22), "day", None),
    ("Please respond by tomorrow.", W21A, None, "by tomorrow", W21A, D(2010, 4, 22), "day", None),
    ("I will send it by close of business today.", W21A, None, "close of business today", W21A, W21A, "day", None),
    ("We will circulate it this week.", W21A, None, "this week", W21A, D(2010, 4, 25), "window", None),
    ("We will circulate it next week.", W21A, None, "next week", D(2010, 4, 26), D(2010, 5, 2), "window", None),
    ("We will circulate it early next week.", W21A, None, "early next week", D(2010, 4, 26), D(2010, 4, 27), "window", None),
    ("We will circulate it by the end of next week.", W21A, None, "by the end of next week", W21A, D(2010, 4, 30), "day", None),
    ("We will circulate it at the end of the week.", W21A, None, "end of the week", D(2010, 4, 23), D(2010, 4, 23), "day", None),
    ("We will circulate it later this week.", W21A, None, "later this week", D(2010, 4, 22), D(2010, 4, 25), "window", None),
    ("We will circulate it the following week.", W21A, None, "the following week", D(2010, 4, 26), D(2010, 5, 2), "window", None),
    ("The call is on Thursday this week.", W21A, None, "Thursday this week", D(2010, 4, 22), D(2010, 4, 22), "day", None),
    ("The call is next Wednesday.", W21A, None, "next Wednesday", D(2010, 4, 28), D(2010, 4, 28), "day", None),
    ("The call is this Friday.", W21A, None, "this Friday", D(2010, 4, 23), D(2010, 4, 23), "day", None),
    ("Please reply by Friday.", W21A, None, "by Friday", W21A, D(2010, 4, 23), "day", None),
    ("Please reply by Wednesday.", W21A, None, "by Wednesday", W21A, D(2010, 4, 28), "day", None),
    ("We will meet on Monday.", W21A, None, "on Monday", D(2010, 4, 26), D(2010, 4, 26), "day", None),
    ("The text will be final in 2 days.", W21A, None, "in 2 days", D(2010, 4, 23), D(2010, 4, 23), "day", None),
    ("The text will be final in one week.", W21A, None, "in one week", D(2010, 4, 28), D(2010, 4, 28), "day", None),
    ("The text will be final in a week's time.", W21A, None, "in a week's time", D(2010, 4, 28), D(2010, 4, 28), "day", None),
    ("The text will be final in three months.", W21A, None, "in three months", D(2010, 7, 21), D(2010, 7, 21), "day", None),
    ("Please reply within thirty days.", W21A, None, "within thirty days", W21A, D(2010, 5, 21), "day", None),
    ("Please reply within 30 days.", W21A, None, "within 30 days", W21A, D(2010, 5, 21), "day", None),
    ("Please reply within thirty (30) days of the date of this letter.", W21A, None, "within thirty (30) days", W21A, D(2010, 5, 21), "day", None),
    ("Please reply within two weeks.", W21A, None, "within two weeks", W21A, D(2010, 5, 5), "day", None),
    ("Please reply within a fortnight.", W21A, None, "within a fortnight", W21A, D(2010, 5, 5), "day", None),
    ("Please reply within 10 business days.", W21A, None, "within 10 business days", W21A, D(2010, 5, 5), "day", None),
    ("Please reply within twenty-one days.", W21A, None, "within twenty-one days", W21A, D(2010, 5, 12), "day", None),
    ("Please reply in the next two weeks.", W21A, None, "in the next two weeks", W21A, D(2010, 5, 5), "day", None),
    ("We will report back within six months.", D(2010, 8, 31), None, "within six months", D(2010, 8, 31), D(2011, 2, 28), "day", None),
    ("We will respond 30 days from now.", W21A, None, "30 days from now", D(2010, 5, 21), D(2010, 5, 21), "day", None),
    # relative months, quarters, years
    ("A revised paper follows next month.", W21A, None, "next month", D(2010, 5, 1), D(2010, 5, 31), "window", None),
    ("A revised paper follows next month.", W20D, None, "next month", D(2011, 1, 1), D(2011, 1, 31), "window", None),
    ("A revised paper follows by the end of the month.", W21A, None, "by the end of the month", W21A, D(2010, 4, 30), "day", None),
    ("A revised paper follows by the end of this month.", D(2012, 2, 3), None, "end of this month", D(2012, 2, 3), D(2012, 2, 29), "day", None),
    ("A revised paper follows at the end of next month.", W20D, None, "end of next month", D(2011, 1, 31), D(2011, 1, 31), "day", None),
    ("A revised paper follows early next month.", W21A, None, "early next month", D(2010, 5, 1), D(2010, 5, 10), "window", None),
    ("A revised paper follows this month.", W21A, None, "this month", W21A, D(2010, 4, 30), "window", None),
    ("A revised paper follows next quarter.", W21A, None, "next quarter", D(2010, 7, 1), D(2010, 9, 30), "window", None),
    ("A revised paper follows by the end of the quarter.", W21A, None, "end of the quarter", W21A, D(2010, 6, 30), "day", None),
    ("A revised paper follows next year.", W21A, None, "next year", D(2011, 1, 1), D(2011, 12, 31), "window", None),
    ("A revised paper follows early next year.", W21A, None, "early next year", D(2011, 1, 1), D(2011, 3, 31), "window", None),
    ("A revised paper follows later this year.", W21A, None, "later this year", D(2010, 4, 22), D(2010, 12, 31), "window", None),
    # events
    ("We will publish it before the Brussels meeting.", W21A, EV2, "before the Brussels meeting", W21A, D(2010, 6, 19), "day", "Brussels meeting"),
    ("We will publish it prior to the ICANN meeting in Brussels.", W21A, EV2, "prior to the ICANN meeting in Brussels", W21A, D(2010, 6, 19), "day", "Brussels meeting"),
    ("We will publish it ahead of the Brussels ICANN meeting.", W21A, EV2, "ahead of the Brussels ICANN meeting", W21A, D(2010, 6, 19), "day", "Brussels meeting"),
    ("We will publish it ahead of Brussels.", W21A, EV2, "ahead of Brussels", W21A, D(2010, 6, 19), "day", "Brussels meeting"),
    ("The group will meet at the Brussels meeting.", W21A, EV2, "at the Brussels meeting", D(2010, 6, 20), D(2010, 6, 25), "window", "Brussels meeting"),
    ("The group will meet during the ICANN meeting in Brussels.", W21A, EV2, "during the ICANN meeting in Brussels", D(2010, 6, 20), D(2010, 6, 25), "window", "Brussels meeting"),
    ("A charter will be ready by the Brussels meeting.", W21A, EV2, "by the Brussels meeting", W21A, D(2010, 6, 20), "day", "Brussels meeting"),
    ("A report will be presented at ICANN 39.", W21A, EV2, "at ICANN 39", D(2010, 12, 5), D(2010, 12, 10), "window", "ICANN 39 Cartagena"),
    ("A report will be presented at the Cartagena meeting.", W21A, EV2, "at the Cartagena meeting", D(2010, 12, 5), D(2010, 12, 10), "window", "ICANN 39 Cartagena"),
    ("A briefing will be sent in advance of the GAC high-level meeting.", W21A, EV2, "in advance of the GAC high-level meeting", W21A, D(2010, 9, 1), "day", "GAC high-level meeting"),
    ("We will report before the Nairobi meeting.", W21A, EV2, "before the Nairobi meeting", None, None, "unresolved", "Nairobi meeting"),
    ("We will report at the Toronto meeting.", W21A, None, "at the Toronto meeting", None, None, "unresolved", "Toronto meeting"),
    ("We will report at the IGF in Vilnius in September.", W21A, None, "IGF in Vilnius in September", D(2010, 9, 1), D(2010, 9, 30), "window", "IGF in Vilnius"),
    ("The working group should be formed by the Brussels meeting, if possible by 1 June.", W21A, EV2, "by 1 June", W21A, D(2010, 6, 1), "day", None),
    # vague
    ("We will respond as soon as possible.", W21A, None, "as soon as possible", None, None, "vague", None),
    ("We will respond ASAP.", W21A, None, "ASAP", None, None, "vague", None),
    ("We will respond shortly.", W21A, None, "shortly", None, None, "vague", None),
    ("The analysis will be posted in due course.", W21A, None, "in due course", None, None, "vague", None),
    ("ICANN will respond in a timely manner.", W21A, None, "in a timely manner", None, None, "vague", None),
    ("We will publish it in the coming weeks.", W21A, None, "in the coming weeks", None, None, "vague", None),
    ("We will publish it soon.", W21A, None, "soon", None, None, "vague", None),
    ("The budget will be discussed at a later date.", W21A, None, "at a later date", None, None, "vague", None),
    ("Further work is planned in the near future.", W21A, None, "in the near future", None, None, "vague", None),
    ("We will publish it in a few weeks.", W21A, None, "in a few weeks", None, None, "vague", None),
    ("We will publish it as soon as possible and no later than 30 April.", W21A, None, "no later than 30 April", W21A, D(2010, 4, 30), "day", None),
    ("We will reply as early as we can.", W21A, None, "as early as we can", None, None, "vague", None),
    # a quoted phrase keeps its deadline word
    ('The plan says the report is due "by end of April".', W21A, None, "by end of April", W21A, D(2010, 4, 30), "day", None),
    ("The Concept of Operations (\u201cbefore 14 May\u201d) is late.", W21A, None, "before 14 May", W21A, D(2010, 5, 13), "day", None),
    # choosing among several expressions
    ("The report, first promised for March, will now be published by 15 May.", W21A, None, "by 15 May", W21A, D(2010, 5, 15), "day", None),
    ("Comments are due by 14 April and reply comments by 5 May.", W2A, None, "by 5 May", W2A, D(2010, 5, 5), "day", None),
    ("In June we will hold a workshop and publish a report in September.", W21A, None, "In June", D(2010, 6, 1), D(2010, 6, 30), "window", None),
    ("Shortly after the meeting, on 3 May, we will publish the minutes.", W21A, None, "on 3 May", D(2010, 5, 3), D(2010, 5, 3), "day", None),
    ("May we suggest that you reply by 12 May?", W21A, None, "by 12 May", W21A, D(2010, 5, 12), "day", None),
    ("In May we will publish the draft.", W21A, None, "In May", D(2010, 5, 1), D(2010, 5, 31), "window", None),
    ("The public comment period, which opened on 1 March, closes on 14 April.", W9M, None, "14 April", W9M, D(2010, 4, 14), "day", None),
    ("Following the meeting on 12 March, we will respond within two weeks.", D(2010, 3, 15), None, "within two weeks", D(2010, 3, 15), D(2010, 3, 29), "day", None),
]


@pytest.mark.parametrize(
    "text, written_on, events, phrase, earliest, latest, precision, anchor", TABLE,
    ids=[f"{i:03d}-{row[0][:40]}" for i, row in enumerate(TABLE)])
def test_rule_table(text, written_on, events, phrase, earliest, latest, precision, anchor):
    w = parse_due(text, written_on, events)
    assert w is not None, "no due expression found"
    assert phrase in w.phrase
    assert (w.earliest, w.latest, w.precision, w.anchor) == (earliest, latest, precision, anchor)


NEGATIVES = [
    "We appreciate the engagement of the community on this issue.",
    "We may wish to revisit the scope of the working group.",
    "May we thank you again for your letter.",
    "Participants will march together to the venue.",
    "March forward with the proposal, the chair said.",
    "Where is the cost breakout for the $2.1 million dollars?",
    "In total, 13 comments were received in the forum.",
    "A number of the top 20 registries have not been consulted.",
    "The requirement was identified in the ICANN 2010-2013 Strategic Plan.",
    "PayPal notes that the initiative does not track with ICANN's 2010\u201313 Strategic Plan.",
    "Thank you for your letter of 25 March 2010.",
    "We refer to your email dated 3 May 2010.",
    "ICANN extend the current public comment periods by 15 days.",
    "We'd do an analysis of the commentary we received after 29 March.",
    "The new rules apply since 1 January.",
    "Please reply by 31 April.",
    "The report is due on 30 February 2011.",
    "Maybe in three years it won't be $4.2 million.",
    "See Section 5.1.3 and 5.1.1.1 of the paper, page 8.",
    "The proposed $4 million USD cost for initial funding is a huge amount.",
    "The meeting was attended by 45 people from 20 countries.",
    "We welcome the opportunity to develop a better understanding of these issues.",
    "The fall of the old model was predicted by many.",
    "He will be available 24/7 for the team.",
    "The working group discussed the matter at the meeting.",
    "Comments were received from AT&T, NetChoice and PayPal.",
    "Chris Disspain, Chair \u2013 ccNSO Council",
    "",
]


@pytest.mark.parametrize("text", NEGATIVES, ids=[f"neg{i:02d}" for i in range(len(NEGATIVES))])
def test_texts_without_due_expression_give_none(text):
    assert parse_due(text, D(2010, 4, 21), BRUSSELS) is None


def test_invalid_calendar_date_is_not_read_as_its_month():
    assert parse_due("The board will decide on 31 April 2010.", D(2010, 4, 2)) is None


def test_result_precision_is_always_a_known_precision():
    for row in TABLE:
        w = parse_due(row[0], row[1], row[2])
        assert w.precision in PRECISIONS
        if w.earliest and w.latest:
            assert w.earliest <= w.latest


def test_find_all_due_lists_every_expression_in_text_order():
    found = find_all_due("Comments are due by 14 April and reply comments by 5 May.", D(2010, 4, 2))
    assert [(w.phrase, w.latest) for w in found] == [
        ("due by 14 April", D(2010, 4, 14)), ("by 5 May", D(2010, 5, 5))]


def test_due_window_is_immutable():
    w = parse_due("by 5 May", D(2010, 4, 2))
    with pytest.raises(AttributeError):
        w.latest = D(2010, 5, 6)


# --------------------------------------------------------------------------- corpus + speed

def _load_corpus():
    with CORPUS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _corpus_hit(row) -> bool:
    w = parse_due(row["sentence"], date.fromisoformat(row["written_on"]))
    want = row["expected_precision"]
    if w is None:
        return False
    if want in ("vague", "unresolved"):
        return w.precision == want
    return (w.latest == date.fromisoformat(row["expected_latest"])
            and (not row["expected_earliest"]
                 or w.earliest == date.fromisoformat(row["expected_earliest"])))


def test_corpus_has_at_least_60_sourced_phrases():
    rows = _load_corpus()
    assert len(rows) >= 60
    assert all(r["source"].strip() and r["sentence"].strip() for r in rows)


def test_corpus_accuracy_is_at_least_95_percent():
    rows = _load_corpus()
    misses = [r["sentence"] for r in rows if not _corpus_hit(r)]
    accuracy = 1 - len(misses) / len(rows)
    assert accuracy >= 0.95, misses
