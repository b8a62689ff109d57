"""History lines in plain words: before → after for every field, dates as pages show them, no codes, and another
record named only when the reader may see it."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tracker import history
from tracker.access import EVERYTHING, Viewer
from tracker.commitments import operations as commitments
from tracker.demo.load import load_sample_record
from tracker.events import Event

Window = commitments.Window
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")          # in_progress, replies_to, due_latest …
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def sentences(session, viewer, subject_type, subject_id) -> list[str]:
    return [line.sentence for line in history.timeline(session, viewer, subject_type, subject_id)]


@pytest.fixture()
def sample(session):
    return load_sample_record(session)


def test_no_line_of_the_sample_record_shows_a_code_or_an_iso_date(session, sample):
    subjects = set(session.exec(select(Event.subject_type, Event.subject_id)).all())
    checked = 0
    for subject_type, subject_id in subjects:
        for sentence in sentences(session, EVERYTHING, subject_type, subject_id):
            assert not CODE.search(sentence), sentence
            assert not ISO_DAY.search(sentence), sentence
            checked += 1
    assert checked > 40


def test_delivery_of_the_workshop_findings_says_when_what_was_before_the_evidence_and_the_outcome(session, sample):
    lines = sentences(session, EVERYTHING, "commitment", sample.commitments["workshop_findings"].id)
    assert lines[0] == "recorded the promise: due “by end of April” (21 April 2010 – 30 April 2010)"
    assert lines[-1] == ("marked done on 24 May 2010 (was open); evidence: "
                         "http://www.icann.org/en/topics/ssr/dns-cert-collaboration-analysis-24may10-en.pdf; "
                         "outcome: “The workshop findings were posted on 24 May 2010, per the staff summary of "
                         "comments.”")


def test_progress_names_the_evidence_letter_and_says_status_and_percent_before_and_after(session, sample):
    lines = sentences(session, EVERYTHING, "commitment", sample.commitments["working_group"].id)
    assert lines[-1].startswith("status open → in progress, progress 0% → 10%; evidence: the letter "
                                "“Re: Comments on the establishment of a DNS-CERT”; outcome: “The CEO's reply")


def test_the_chairs_letter_says_its_month_and_the_reply_in_words(session, sample):
    lines = sentences(session, EVERYTHING, "letter", sample.letters["chairs"].id)
    assert lines[0] == "logged the incoming letter “Comments on the establishment of a “DNS-CERT””, dated March 2010"
    assert lines[-1] == "reply linked: Re: Comments on the establishment of a DNS-CERT, sent 21 April 2010"
    reply_lines = sentences(session, EVERYTHING, "letter", sample.letters["reply"].id)
    assert "linked: replies to “Comments on the establishment of a “DNS-CERT””" in reply_lines


def test_editing_the_details_says_every_field_before_and_after(session):
    ours, ccnso, gnso = (factories.party(session, short_name=name, is_internal=name == "CEO")
                         for name in ("CEO", "ccNSO", "GNSO"))
    greg = factories.person(session, name="Greg Rattray")
    rod = factories.person(session, name="Rod Beckstrom")
    promise = factories.commitment(session, title="Publish a paper", quote="We will publish a paper.",
                                   made_by=[ours], made_to=[ccnso], owner_id=greg.id)
    commitments.update_details(session, promise, title="Publish the Concept of Operations",
                               quote="We will publish it in early May.", owner_id=rod.id, made_by=[ours.id],
                               made_to=[ccnso.id, gnso.id])
    line = sentences(session, EVERYTHING, "commitment", promise.id)[-1]
    assert line == ("edited the details: title “Publish a paper” → “Publish the Concept of Operations”; "
                    "quoted sentence changed (was “We will publish a paper.”); owner Greg Rattray → Rod Beckstrom; "
                    "made to ccNSO → ccNSO, GNSO")


def test_a_party_the_reader_may_not_see_is_counted_not_named(session):
    ours, ccnso, gnso = (factories.party(session, short_name=name, is_internal=name == "CEO")
                         for name in ("CEO", "ccNSO", "GNSO"))
    promise = factories.commitment(session, made_by=[ours], made_to=[ccnso])
    commitments.update_details(session, promise, title=promise.title, quote="", owner_id=None, made_by=[ours.id],
                               made_to=[ccnso.id, gnso.id])
    ccnso_viewer = Viewer(role="viewer", party_ids=frozenset({ccnso.id}))
    line = sentences(session, ccnso_viewer, "commitment", promise.id)[-1]
    assert line == "edited the details: made to ccNSO → ccNSO, 1 other party"
    assert "GNSO" not in line


def test_an_evidence_letter_the_reader_may_not_see_is_not_named(session):
    ours, ccnso, gnso = (factories.party(session, short_name=name, is_internal=name == "CEO")
                         for name in ("CEO", "ccNSO", "GNSO"))
    secret = factories.letter(session, subject="Private note to the GNSO", authors=[ours], recipients=[gnso],
                              direction="outgoing")
    promise = factories.commitment(session, made_by=[ours], made_to=[ccnso])
    commitments.update_progress(session, promise, status="in_progress", progress=50, evidence_letter_id=secret.id)
    ccnso_viewer = Viewer(role="viewer", party_ids=frozenset({ccnso.id}))
    assert sentences(session, ccnso_viewer, "commitment", promise.id)[-1] == "status open → in progress, progress 0% → 50%"
    assert "Private note to the GNSO" in sentences(session, EVERYTHING, "commitment", promise.id)[-1]


def test_a_reschedule_says_both_windows_and_the_reason(session):
    promise = factories.commitment(session, window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10),
                                                          "window"))
    commitments.reschedule(session, promise, Window("by 20 May", None, date(2010, 5, 20), "day"),
                           reason="the workshop moved")
    commitments.reschedule(session, promise, Window("weeks not months"))
    lines = sentences(session, EVERYTHING, "commitment", promise.id)
    assert lines[-2] == ("rescheduled from “in early May” (1 May 2010 – 10 May 2010) to “by 20 May” (20 May 2010) "
                         "— reason: the workshop moved")
    assert lines[-1] == "rescheduled from “by 20 May” (20 May 2010) to “weeks not months” (no date yet) " \
                        "(no reason given)"


def test_editing_a_letter_says_what_changed(session):
    from tracker.letters import operations as letters

    ccnso = factories.party(session, short_name="ccNSO", name="ccNSO Council")
    letter = factories.letter(session, subject="Draft", sent_on=date(2010, 3, 1), authors=[ccnso])
    letters.update_letter(session, letter, sent_on=date(2010, 3, 25), subject="Comments on the DNS-CERT",
                          direction="incoming", participants=[letters.ParticipantInput("author", party_id=ccnso.id)],
                          body="Dear all,")
    assert sentences(session, EVERYTHING, "letter", letter.id)[-1] == (
        "edited the letter: date 1 March 2010 → 25 March 2010; subject “Draft” → “Comments on the DNS-CERT”")
