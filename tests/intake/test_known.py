"""What intake looks up for one document: only what the document can name, never whole tables."""
from datetime import date

from tests import factories
from tracker.intake.operations import known_from


def test_only_people_named_and_letters_of_the_month_replied_to_are_looked_up(session):
    ccnso = factories.party(session, name="Country Names Council", short_name="CNC")
    ana = factories.person(session, name="Ana Ruiz")
    factories.person(session, name="Tom Kerr")
    answered = factories.letter(session, sent_on=date(2031, 3, 11), authors=[ana])
    factories.letter(session, sent_on=date(2031, 1, 5), authors=[ana])
    session.flush()
    text = "Dear Ana,\n\nThank you for your letter of 11 March 2031.\n\nWe will reply by 30 April 2031.\n"
    known = known_from(session, text)
    assert [p.name for p in known.people] == ["Ana Ruiz"]
    assert [letter.id for letter in known.letters] == [answered.id]
    assert ccnso.id in {p.id for p in known.parties}


def test_without_text_everything_is_known(session):
    factories.person(session, name="Ana Ruiz")
    factories.person(session, name="Tom Kerr")
    session.flush()
    assert {p.name for p in known_from(session).people} >= {"Ana Ruiz", "Tom Kerr"}
