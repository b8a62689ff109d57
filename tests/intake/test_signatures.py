"""Signers, addressees and mail senders, read from text written for these tests."""
import pytest

from tracker.intake import signatures
from tracker.intake.extract import extract


def test_several_signatories_with_titles_under_one_sign_off():
    text = ("Dear Chair,\n\nWe will send our comments by Friday, 4 June 2031.\n\nBest regards,\n\n"
            "Ana Ruiz, Council Chair\n\nTom Kerr, Council Vice Chair\n")
    assert signatories(text) == [("Ana Ruiz", "Council Chair"), ("Tom Kerr", "Council Vice Chair")]


def test_a_first_name_alone_under_the_sign_off_signs():
    assert signatories("Hello all,\n\nNotes are below.\n\nThanks,\n\nPriya\n\nNotes of the call\n") == [("Priya", "")]


def test_names_joined_by_and_on_one_line_are_two_signatories():
    assert signatories("Kind regards,\nAna Ruiz and Tom Kerr\n") == [("Ana Ruiz", ""), ("Tom Kerr", "")]


def test_name_on_the_sign_off_line():
    assert signatories("See you then.\n\nBest regards, Ana Ruiz\n") == [("Ana Ruiz", "")]


def test_closing_block_of_names_without_a_sign_off_word():
    text = "We count on your support in this matter,\n\nAna Ruiz\n\nTom Kerr\n\nLi Wei\n"
    assert [n for n, _ in signatories(text)] == ["Ana Ruiz", "Tom Kerr", "Li Wei"]


def test_a_short_reply_signed_above_a_quoted_message():
    text = ("Agreed, and glad to help with the drafting,\n\nJordi\n\nFrom: Ana Ruiz\nSent: Monday, 3 May 2031\n\n"
            "Dear all,\n\nThe draft is attached for your review and comments by Friday of this week please.\n")
    assert ("Jordi", "") in signatories(text)


@pytest.mark.parametrize("heading", ["Proposed Agenda", "Status Updates", "Membership Criteria", "Nomination Details"])
def test_headings_are_not_people(heading):
    assert not signatures.looks_like_person(heading)
    assert signatories(f"Best regards,\n\n{heading}\n\n1. Welcome\n") == []


def test_first_name_over_full_name_is_one_person():
    assert signatories("Best regards,\n\nJulia\n\nJulia Hart, Policy Director\n") == [("Julia Hart", "Policy Director")]


@pytest.mark.parametrize(("value", "expected"), [
    ("Ana Ruiz via Council-list <council-list@example.org>", "Ana Ruiz"),
    ('"Tom Kerr" <tom@example.org>', "Tom Kerr"),
    ("tom@example.org", ""),
])
def test_sender_of_a_from_header(value, expected):
    assert signatures.sender_name(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dear members of the Steering Council,\n\nText.", ["Steering Council"]),
    ("Dear steering council members,\n\nText.", ["Steering council"]),
    ("Hi Ana and Tom,\n\nText.", ["Ana", "Tom"]),
    ("Dear all,\n\nText.", []),
])
def test_salutations_name_people_or_bodies(text, expected):
    assert signatures.salutation_names(text) == expected


def test_list_address_and_subject_tag_name_the_list():
    assert signatures.addressee_names("steering-council@example.org") == ["steering council"]
    assert signatures.list_of_subject("Re: [steering] Motion for review") == "steering"


def test_email_with_only_a_list_tag_is_addressed_to_the_list():
    text = ("From: Ana Ruiz <ana@example.org>\nDate: Mon, 3 May 2031 10:00:00 +0000\nSubject: [steering] Draft\n\n"
            "Dear Tom,\n\nPlease review the draft by Friday.\n\nThanks,\nAna\n")
    result = extract(text)
    assert [r.name for r in result.recipients] == ["Tom"]  # the list counts only when no one is named
    assert [a.name for a in result.authors] == ["Ana"]
    unnamed = extract(text.replace("Dear Tom,", "Dear all,"))
    assert [r.name for r in unnamed.recipients] == ["steering"]


def test_a_reply_opening_with_thanks_is_addressed_to_the_one_thanked():
    assert signatures.thanked_names("Thanks Tom, agreed with the plan and happy to help,\n\nAna\n") == ["Tom"]
    assert signatures.thanked_names("Thanks for the notes.\n") == []


def signatories(text):
    return signatures.signatories(text)


def test_greeting_above_a_quoted_letter_names_the_recipient():
    text = ("Hi Tom,\n\nHere is the draft, comments welcome before Friday please.\n\nAna\n\n"
            "-----Original Message-----\nFrom: Li Wei\n\nDear colleagues,\n\nThe draft follows.\n")
    assert [r.name for r in extract(text).recipients] == ["Tom"]


def test_greeting_run_into_the_first_sentence():
    assert signatures.salutation_names("Dear council colleagues,after the meeting we agreed to wait.") == \
        ["Council"]


def test_forward_without_a_greeting_of_its_own_goes_to_the_list():
    text = ("From: Ana Ruiz <ana@example.org>\nDate: Mon, 3 May 2031 10:00:00 +0000\nSubject: [steering] Fwd: letter\n\n"
            "FYI, the letter I sent today.\n\nAna\n\n-------- Original Message --------\n\nDear Tom,\n\nText.\n")
    assert [r.name for r in extract(text).recipients] == ["Tom", "steering"]


def test_a_title_naming_the_addressee():
    assert signatures.titled_addressee("Council letter to Tom Kerr (Board)\n\nText of the letter.") == ["Tom Kerr"]
