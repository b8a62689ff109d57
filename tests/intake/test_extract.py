from datetime import date

import pytest

from tests.intake.helpers import CCNSO, CHAIRS, NAIROBI, REPLY, chairs_letter, known, seed_text
from tracker.intake.extract import (Known, classify, extract, extract_letter, is_transcript, parse_date_text,
                                    sentences)


def people(participants):
    return [(p.name, p.title, p.party_name) for p in participants]


def test_reply_letter_date_signatory_recipients_and_reply_link():
    result = extract(seed_text(REPLY), known([chairs_letter(50)]))
    assert result.kind == "letter"
    assert (result.date, result.date_precision) == (date(2010, 4, 21), "day")
    assert people(result.authors) == [("Rod Beckstrom", "CEO and President", "CEO's office")]
    assert people(result.recipients) == [("Chris Disspain", "Chair", "ccNSO Council"),
                                         ("Chuck Gomes", "Chair", "GNSO Council"),
                                         ("Cheryl Langdon-Orr", "Chair", "At-Large Advisory Committee")]
    assert [p.person_id for p in result.recipients] == [3, 4, 5]
    assert result.direction == "outgoing"
    assert result.reply_to.phrase == "your letter of 25 March 2010"
    assert (result.reply_to.on, result.reply_to.letter_id) == (date(2010, 3, 25), 50)


def test_reply_letter_two_promises_with_their_windows():
    result = extract(seed_text(REPLY), known())
    assert [c.kind for c in result.candidates] == ["promise", "promise"]
    first, second = result.candidates
    assert first.sentence.startswith("The findings from the workshop will be published")
    assert (first.due.phrase, first.due.latest, first.due.precision) == ("by end of April", date(2010, 4, 30), "day")
    assert second.sentence.startswith("We further plan to publish a Concept of Operations")
    assert (second.due.phrase, second.due.earliest, second.due.latest, second.due.precision) == \
        ("in early May", date(2010, 5, 1), date(2010, 5, 10), "window")
    assert second.title.startswith("Publish a Concept of Operations and updated resource analysis")
    text = seed_text(REPLY)
    assert " ".join(text[first.start:first.end].split()) == first.sentence


def test_chairs_letter_month_precision_three_signatories_and_two_requests():
    result = extract(seed_text(CHAIRS), known())
    assert (result.date, result.date_precision) == (date(2010, 3, 1), "month")
    assert people(result.authors) == [("Chris Disspain", "Chair", "ccNSO Council"),
                                      ("Chuck Gomes", "Chair", "GNSO Council"),
                                      ("Cheryl Langdon-Orr", "Chair", "At-Large Advisory Committee")]
    assert [(p.name, p.party_name) for p in result.recipients] == [("Peter Dengate-Thrush", "ICANN Board"),
                                                                   ("Rod Beckstrom", "CEO's office")]
    assert result.subject == "Comments on the establishment of a “DNS-CERT”"
    assert result.direction == "incoming"
    assert [c.kind for c in result.candidates] == ["request", "request"]
    assert "extend the current public comment periods" in result.candidates[0].sentence
    assert result.candidates[0].sentence.endswith("by 15 days.")
    assert "establish a joint SO/AC Working Group" in result.candidates[1].sentence


def test_ccnso_letter_asks_for_the_underlying_facts():
    result = extract(seed_text(CCNSO), known())
    assert (result.date, result.date_precision) == (date(2010, 3, 11), "day")
    assert people(result.authors) == [("Chris Disspain", "Chair", "ccNSO Council")]
    assert [(p.name, p.party_name) for p in result.recipients] == [("Rod Beckstrom", "CEO's office")]
    facts = [c for c in result.candidates if "underlying facts or studies" in c.sentence]
    assert len(facts) == 1 and facts[0].kind == "request"
    assert all(c.kind == "request" for c in result.candidates)


def test_nairobi_transcript_speakers_and_their_commitments():
    result = extract(seed_text(NAIROBI), known(), reference_date=date(2010, 3, 12))
    assert result.kind == "transcript"
    speakers = {s.name: s for s in result.speakers}
    assert speakers["Greg Rattray"].person_id == 6 and speakers["Greg Rattray"].party_name == "ICANN staff"
    assert "Yurie Ito" in speakers and "Oscar Robles" in speakers
    promises = [c for c in result.candidates if c.kind == "promise"]
    assert len(promises) >= 4
    by_greg = [c for c in promises if c.speaker == "Greg Rattray"]
    cost = next(c for c in by_greg if "weeks not months" in c.sentence)
    assert cost.due.precision == "vague"
    brussels = [c for c in by_greg if c.due and c.due.anchor == "Brussels"]
    assert len(brussels) == 2
    assert all(c.due.latest == date(2010, 6, 19) for c in brussels)
    assert any("deliberations" in c.sentence for c in by_greg)


def test_no_date_gives_a_warning_and_no_date():
    result = extract_letter("Dear Rod,\n\nWe urge you to publish the report.\n\nYours sincerely,\n\nChris Disspain\n",
                            known())
    assert result.date is None
    assert result.warnings == ["No date found in the letter: enter the date it was sent."]
    assert [c.kind for c in result.candidates] == ["request"]


def test_salutation_names_recipients_when_there_is_no_address_block():
    text = "12 May 2010\n\nDear Chris, Chuck and Cheryl,\n\nThank you.\n\nRegards,\n\nRod Beckstrom\n"
    result = extract(text, known())
    assert [r.person_id for r in result.recipients] == [3, 4, 5]


def test_unknown_people_are_kept_as_written_without_ids():
    text = "2 June 2010\n\nJane Example\nChair – Example Council\n\nDear Jane,\n\nWe will reply by 30 June.\n\n" \
           "Sincerely,\n\nRod Beckstrom\n"
    result = extract(text, known())
    assert [(r.name, r.title, r.party_name, r.person_id, r.party_id) for r in result.recipients] == \
        [("Jane Example", "Chair", "Example Council", None, None)]
    assert result.candidates[0].due.latest == date(2010, 6, 30)


def test_email_headers_give_date_subject_and_people():
    text = ("From: Chris Disspain <chris@example.org>\nTo: Rod Beckstrom <rod@example.org>\n"
            "Date: Thu, 11 Mar 2010 09:30:00 +0000\nSubject: Security remarks\n\nRod,\n\n"
            "We ask that you share the studies by 31 March 2010.\n")
    result = extract(text, known())
    assert (result.date, result.subject) == (date(2010, 3, 11), "Security remarks")
    assert [a.person_id for a in result.authors] == [3]
    assert [r.person_id for r in result.recipients] == [1]
    assert result.candidates[0].due.latest == date(2010, 3, 31)


def test_reply_reference_to_an_unknown_letter_has_no_id():
    text = "21 April 2010\n\nDear Chris,\n\nThank you for your letter of 2 April 2010.\n\nWarmly,\n\nRod Beckstrom\n"
    result = extract(text, known([chairs_letter()]))
    assert result.reply_to.on == date(2010, 4, 2) and result.reply_to.letter_id is None


@pytest.mark.parametrize("sentence, kind", [
    ("We will publish the findings by end of April.", "promise"),
    ("We plan to publish a Concept of Operations in early May.", "promise"),
    ("We are committed to working with the community on this.", "promise"),
    ("The report will be published by 30 June.", "promise"),
    ("We recommend that ICANN extend the comment period.", "request"),
    ("We urge you to share the underlying facts.", "request"),
    ("Please send us the draft before the meeting.", "request"),
    ("I will say that the session was useful to everyone here.", None),
    ("I think it will change over the coming years, probably.", None),
    ("When will we be able to see the cost breakout for this?", None),
    ("Please find attached our comments on the paper.", None),
    ("The working group met twice in March and April.", None),
])
def test_classify(sentence, kind):
    assert classify(sentence) == kind


# Wordings the first grammar missed, on general grounds: commissive verbs with a first-person subject, the
# writer's organisation or a titled colleague with "will" and an action verb, directives addressed to the reader.
@pytest.mark.parametrize("sentence", [
    "We would agree to extend the comment period by two weeks.",
    "We, on our part, would agree to publish the analysis in June.",
    "We are prepared to convene a working group with the SO/AC chairs.",
    "We are quite ready to share the draft charter with the Council.",
    "ICANN will cooperate with the registries on the pilot.",
    "Dr. Smith will work with the working group on the charter.",
    "The Government will support the proposal at the next meeting.",
    "The United States Government will be prepared to discuss these questions at Geneva.",
    "I undertake to report back to the Council before Brussels.",
    "We intend to publish the final report in mid-June.",
    "We expect to circulate a revised draft by end of May.",
    "Our aim is to complete the review in Q3 2010.",
    "It is our intention to hold a public session in Brussels.",
    "We shall publish a summary of the comments received.",
    "I regret the delay and will see to it that the report is sent this week.",
    "I have asked staff to prepare a summary of the workshop.",
    "We would be happy to provide a briefing to the Council.",
])
def test_classify_broader_promises(sentence):
    assert classify(sentence) == "promise"


@pytest.mark.parametrize("sentence", [
    "The first thing that needs to be done is for the fee to be withdrawn.",
    "You may think it desirable to consult the ccTLD managers first.",
    "It would be best for you to write to the Board directly.",
    "We would be grateful if you could send us the draft budget.",
    "We look forward to receiving your response by 30 April.",
    "We would ask that the comment period be extended by 15 days.",
    "We invite ICANN to present the business case in Brussels.",
    "It is essential that ICANN consult the community before deciding.",
    "We request an extension of the comment period to 14 April.",
    "If you will send us the list, we can review it before the call.",
    "We hope that ICANN will publish the analysis before the meeting.",
    "The GAC advises the ICANN Board to defer the decision until Brussels.",
    "We believe that ICANN should consult the ccTLD managers before deciding.",
])
def test_classify_broader_requests(sentence):
    assert classify(sentence) == "request"


@pytest.mark.parametrize("sentence", [
    "This will cause great concern among governments in the region.",        # a prediction, not our act
    "The new fee will affect ccTLD managers in many countries.",
    "We published the findings in April after the workshop.",                 # past
    "We planned to publish the findings in April but could not.",
    "If we had known, we would have published the findings earlier.",         # counterfactual
    "We would have agreed to the extension had we been asked.",
    "I shall always remember the welcome we received in Nairobi.",           # a feeling, not an act
    "We will be glad to hear the views of the community at large.",
    "I shall see with satisfaction the progress of the working group.",
    "We urge governments to engage with their ccTLD managers.",              # not addressed to the reader
    "If you would like further information, the paper is on the website.",  # courtesy, no request
    "The Chairs requested an extension of the comment period.",              # reported, past
    "We look forward to seeing you all in Brussels in June.",
    "The ccNSO stated that ICANN must complete a survey of threats.",         # someone else's words, reported
    "He added that it would be better for ICANN to widen the discussion.",
    "ICANN should have consulted the community before the paper was posted.",
])
def test_classify_rejects_predictions_past_and_courtesies(sentence):
    assert classify(sentence) is None


def test_transcript_is_told_from_a_letter():
    assert is_transcript(seed_text(NAIROBI))
    assert not is_transcript(seed_text(CHAIRS))


def test_sentences_join_hard_wrapped_lines_and_keep_offsets():
    text = "We plan to publish the\n\nfindings by May. Next one here."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["We plan to publish the\n\nfindings by May.", "Next one here."]


@pytest.mark.parametrize("text, expected", [
    ("11 March 2010", (date(2010, 3, 11), "day")), ("April 21, 2010", (date(2010, 4, 21), "day")),
    ("March 2010", (date(2010, 3, 1), "month")), ("2010-04-21", (date(2010, 4, 21), "day")),
    ("31 April 2010", None), ("no date here", None)])
def test_parse_date_text(text, expected):
    assert parse_date_text(text) == expected


def test_extraction_needs_no_known_lists():
    result = extract(seed_text(CHAIRS), Known())
    assert [a.name for a in result.authors] == ["Chris Disspain", "Chuck Gomes", "Cheryl Langdon-Orr"]
    assert [a.party_name for a in result.authors] == ["ccNSO Council", "GNSO Council", "ALAC"]
    assert all(a.person_id is None for a in result.authors)


# --------------------------------------------------------------------------- dates read with the grammar's vocabulary

LETTER_WITH_A_NUMERIC_DUE = ("12 February 2031\n\nDear Ana,\n\nWe will publish the report by 03/04/2031.\n\n"
                             "Best regards,\nTom Kerr\n")


@pytest.mark.parametrize(("date_order", "latest"), [("MDY", date(2031, 3, 4)), ("DMY", date(2031, 4, 3))])
def test_numeric_due_dates_follow_the_configured_date_order(date_order, latest):
    result = extract(LETTER_WITH_A_NUMERIC_DUE, date_order=date_order)
    assert result.candidates[0].due.latest == latest


def test_a_quoted_header_in_another_language_dates_an_undated_reply():
    text = ("Agreed, thanks.\n\nVan: Ana Ruiz\nSent: woensdag 16 oktober 2031 10:12\nAan: Council\n\n"
            "Dear all,\n\nWe will circulate the statement by 20 October.\n")
    result = extract(text)
    assert result.date == date(2031, 10, 16)
    assert result.candidates[0].due.latest == date(2031, 10, 20)


def test_reply_reference_runs_from_its_lead_to_the_date():
    text = ("3 May 2031\n\nDear Ana,\n\nThank you for your e-mail of the 25th of March, 2031 about the charter. "
            "We will send our comments by 30 May 2031.\n\nBest regards,\nTom Kerr\n")
    result = extract(text)
    assert (result.reply_to.phrase, result.reply_to.on, result.reply_to.precision) == (
        "your e-mail of the 25th of March, 2031", date(2031, 3, 25), "day")


def test_a_date_in_a_meeting_s_name_dates_its_minutes():
    text = ("Action items of the 15 July 2031 Council meeting\n\nStaff to circulate the draft charter by "
            "end of week.\n")
    result = extract(text)
    assert result.date == date(2031, 7, 15)
    assert result.candidates[0].due.latest == date(2031, 7, 18)


def test_a_month_and_year_is_not_a_name():
    from tracker.intake.extract import _looks_like_name
    assert _looks_like_name("Ana Ruiz")
    assert not _looks_like_name("March 2031")
