"""What intake looks up for one document: only what the document can name, never whole tables. The letter a
document replies to is looked up once its recipients are known (operations.resolve_reply), among a bounded few
letters that give the answer every letter of that month would."""
from datetime import date

import pytest

from tests import factories
from tracker.access import EVERYTHING, Viewer
from tracker.db import RowCounter
from tracker.intake.extract import Extraction, Participant, ReplyReference, extract, match_reply
from tracker.intake.operations import known_from, resolve_reply

REPLY = "Dear Ana,\n\nThank you for your letter of 11 March 2031.\n\nWe will reply by 30 April 2031.\n"


def test_only_people_named_are_looked_up_and_no_letter(session):
    ccnso = factories.party(session, name="Country Names Council", short_name="CNC")
    ana = factories.person(session, name="Ana Ruiz")
    factories.person(session, name="Tom Kerr")
    factories.letter(session, sent_on=date(2031, 3, 11), authors=[ana])
    session.flush()
    known = known_from(session, REPLY)
    assert [p.name for p in known.people] == ["Ana Ruiz"]
    assert known.letters == ()
    assert ccnso.id in {p.id for p in known.parties}


def test_the_letter_replied_to_is_found_without_reading_the_month(session):
    ana, tom = factories.person(session, name="Ana Ruiz"), factories.person(session, name="Tom Kerr")
    answered = factories.letter(session, sent_on=date(2031, 3, 11), authors=[ana])
    factories.letter(session, sent_on=date(2031, 1, 5), authors=[ana])
    for day in range(1, 29):  # a busy month of other people's letters, that very day included
        factories.letter(session, sent_on=date(2031, 3, day), authors=[tom])
        factories.letter(session, sent_on=date(2031, 3, 11), authors=[tom])
    session.flush()
    extraction = extract(REPLY, known_from(session, REPLY), date(2031, 3, 20))
    assert [r.person_id for r in extraction.recipients] == [ana.id]
    with RowCounter() as rows:
        resolve_reply(session, extraction, EVERYTHING)
    assert extraction.reply_to.letter_id == answered.id
    # Ana's letter, two of each precision sent then, and their authors; not the 56 letters of March.
    assert rows.count <= 12, rows.count


def _reply(on: date, precision: str, people=(), parties=()) -> Extraction:
    recipients = [Participant("recipient", person_id=p.id) for p in people]
    recipients += [Participant("recipient", party_id=p.id) for p in parties]
    return Extraction(kind="letter", recipients=recipients, reply_to=ReplyReference("your letter", on, precision))


# (letters sent in March 2031, oldest first: (day, precision, author); the reply's day and precision; its recipients),
# authors named "ana", "tom" or "cnc" (a party). A recipient's letter comes after two others sent then, so it is not
# found among the two of each precision read in case no recipient is known.
CASES = {
    "a recipient's one letter that day": ([(11, "day", "tom"), (11, "day", "tom"), (11, "day", "ana")],
                                          (11, "day"), ["ana"]),
    "a recipient's two letters that day": ([(11, "day", "ana"), (11, "day", "ana")], (11, "day"), ["ana"]),
    "none by a recipient that day": ([(11, "day", "tom"), (12, "day", "ana")], (11, "day"), ["ana"]),
    "no recipient, one letter that day": ([(11, "day", "tom"), (1, "month", "tom"), (12, "day", "tom")],
                                          (11, "day"), []),
    "no recipient, two letters that day": ([(11, "day", "tom"), (11, "day", "ana")], (11, "day"), []),
    "no recipient, a letter dated to the month": ([(1, "month", "tom"), (12, "day", "tom")], (11, "day"), []),
    "no recipient, two dated to the month": ([(1, "month", "tom"), (1, "month", "ana")], (11, "day"), []),
    "a month's reply, a recipient's letter": ([(4, "day", "tom"), (9, "day", "tom"), (3, "day", "ana")],
                                              (1, "month"), ["ana"]),
    "a party recipient's letter": ([(11, "day", "tom"), (11, "day", "tom"), (11, "day", "cnc")], (11, "day"),
                                   ["cnc"]),
    "a recipient's letter dated to the month, others": ([(1, "month", "tom"), (1, "month", "tom"),
                                                         (1, "month", "ana"), (12, "day", "tom")], (11, "day"), ["ana"]),
}


@pytest.mark.parametrize("case", CASES)
def test_the_answer_is_the_one_every_letter_of_the_month_gives(session, case):
    sent, (day, precision), recipients = CASES[case]
    named = {"ana": factories.person(session, name="Ana Ruiz"), "tom": factories.person(session, name="Tom Kerr"),
             "cnc": factories.party(session, name="Country Names Council", short_name="CNC")}
    for sent_day, sent_precision, author in sent:
        factories.letter(session, sent_on=date(2031, 3, sent_day), date_precision=sent_precision,
                         authors=[named[author]])
    factories.letter(session, sent_on=date(2031, 4, day), authors=[named["ana"]])  # another month
    session.flush()
    extraction = _reply(date(2031, 3, day), precision,
                        people=[named[r] for r in recipients if r != "cnc"],
                        parties=[named[r] for r in recipients if r == "cnc"])
    expected = match_reply(extraction, known_from(session).letters)  # every letter recorded
    resolve_reply(session, extraction, EVERYTHING)
    assert extraction.reply_to.letter_id == expected
    if case in ("a recipient's one letter that day", "no recipient, one letter that day",
                "no recipient, a letter dated to the month", "a month's reply, a recipient's letter",
                "a party recipient's letter", "a recipient's letter dated to the month, others"):
        assert expected is not None, "the case was meant to find a letter"
    else:
        assert expected is None, "the case was meant to find none"


def test_a_reviewer_is_never_given_a_letter_they_may_not_see(session):
    """A reviewer limited to some parties: the letter answered, written by a party outside them, is not named; the
    only letter of that day they may see is not taken for it either while another one was sent that day."""
    mine, theirs = factories.party(session, name="Mine Council"), factories.party(session, name="Their Council")
    ana = factories.person(session, name="Ana Ruiz")
    hidden = factories.letter(session, sent_on=date(2031, 3, 11), authors=[theirs, ana])
    shown = factories.letter(session, sent_on=date(2031, 3, 11), authors=[mine])
    session.flush()
    limited = Viewer(role="editor", party_ids=frozenset({mine.id}))
    by_ana = _reply(date(2031, 3, 11), "day", people=[ana])
    resolve_reply(session, by_ana, limited)
    assert by_ana.reply_to.letter_id is None
    resolve_reply(session, by_ana_everything := _reply(date(2031, 3, 11), "day", people=[ana]), EVERYTHING)
    assert by_ana_everything.reply_to.letter_id == hidden.id
    unknown = _reply(date(2031, 3, 11), "day")
    resolve_reply(session, unknown, limited)
    assert unknown.reply_to.letter_id == shown.id  # the only letter of that day this reviewer may see


def test_without_text_everything_is_known(session):
    factories.person(session, name="Ana Ruiz")
    factories.person(session, name="Tom Kerr")
    session.flush()
    assert {p.name for p in known_from(session).people} >= {"Ana Ruiz", "Tom Kerr"}
