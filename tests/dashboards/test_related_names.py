"""The names listed beside each row of a page: parties by side, owners and speakers, letter participants."""
from tests import factories
from tracker.dashboards import related


def test_parties_are_grouped_by_commitment_and_side_in_name_order(session):
    ceo = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    alac = factories.party(session, name="At-Large Advisory Committee", short_name="ALAC")
    first = factories.commitment(session, made_by=[ceo], made_to=[gnso, alac])
    second = factories.commitment(session, made_by=[ceo], made_to=[gnso])
    untouched = factories.commitment(session)
    session.commit()

    found = related.commitment_parties(session, [first, second])

    assert set(found) == {first.id, second.id}
    assert [(p.id, p.short_name) for p in found[first.id]["by"]] == [(ceo.id, "CEO")]
    assert [p.name for p in found[first.id]["to"]] == ["At-Large Advisory Committee", "GNSO Council"]
    assert [p.short_name for p in found[second.id]["to"]] == ["GNSO"]
    assert untouched.id not in found
    assert related.commitment_parties(session, []) == {}


def test_owners_and_speakers_are_named_by_id(session):
    owner = factories.person(session, name="Rod Beckstrom")
    speaker = factories.person(session, name="Chris Disspain")
    commitment = factories.commitment(session, owner_id=owner.id, speaker_id=speaker.id)
    session.commit()

    people = related.commitment_people(session, [commitment])

    assert {pid: person.name for pid, person in people.items()} == {owner.id: "Rod Beckstrom",
                                                                     speaker.id: "Chris Disspain"}


def test_a_participant_without_a_party_or_a_person_has_none_there(session):
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    chair = factories.person(session, name="Chuck Gomes")
    letter = factories.letter(session, authors=[chair], recipients=[gnso])
    session.commit()

    (author, author_party, author_person), (recipient, recipient_party, recipient_person) = \
        related.letter_participants(session, [letter])[letter.id]

    assert (author.role, author.letter_id, author_party, author_person.name) == ("author", letter.id, None,
                                                                                  "Chuck Gomes")
    assert (recipient.role, recipient_party.short_name, recipient_person) == ("recipient", "GNSO", None)
