"""select() builders for imports and exports: only the records a file names or a list holds, never whole tables."""
from __future__ import annotations

from sqlmodel import func, or_, select

from tracker.commitments.models import Commitment, CommitmentParty
from tracker.letters.models import Letter, LetterParticipant
from tracker.parties.models import Party, Person

# Keep IN lists well under every database's parameter limit.
CHUNK = 500


def chunks(values) -> list[list]:
    values = list(values)
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def parties_named(lowered_names):
    """Parties whose name or short name is one of these (compared lower-cased)."""
    return select(Party.id, Party.name, Party.short_name).where(
        or_(func.lower(Party.name).in_(lowered_names), func.lower(Party.short_name).in_(lowered_names)))


def people_named(lowered_names_or_emails):
    return select(Person.id, Person.name, Person.email).where(
        or_(func.lower(Person.name).in_(lowered_names_or_emails),
            func.lower(Person.email).in_(lowered_names_or_emails)))


def commitments_with_ids(ids):
    return select(Commitment).where(Commitment.id.in_(ids))


def sides_of(ids):
    return select(CommitmentParty.commitment_id, CommitmentParty.side, CommitmentParty.party_id).where(
        CommitmentParty.commitment_id.in_(ids))


def letters_with_ids(ids):
    return select(Letter).where(Letter.id.in_(ids))


def participants_of_letters(ids):
    return select(LetterParticipant.letter_id, LetterParticipant.role, LetterParticipant.party_id,
                  LetterParticipant.person_id).where(LetterParticipant.letter_id.in_(ids))


def participant_names(letter_ids):
    """(letter_id, role, party name, person name) for a batch of letters, in the order they were recorded."""
    return (select(LetterParticipant.letter_id, LetterParticipant.role, Party.name, Person.name)
            .outerjoin(Party, Party.id == LetterParticipant.party_id)
            .outerjoin(Person, Person.id == LetterParticipant.person_id)
            .where(LetterParticipant.letter_id.in_(letter_ids))
            .order_by(LetterParticipant.letter_id, LetterParticipant.id))


def commitment_party_names(commitment_ids):
    """(commitment_id, side, party name) for a batch of commitments, by name."""
    return (select(CommitmentParty.commitment_id, CommitmentParty.side, Party.name)
            .join(Party, Party.id == CommitmentParty.party_id)
            .where(CommitmentParty.commitment_id.in_(commitment_ids))
            .order_by(Party.name))


def names_of_people(person_ids):
    return select(Person.id, Person.name).where(Person.id.in_(person_ids))
