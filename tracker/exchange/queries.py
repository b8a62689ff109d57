"""select() builders for imports: only the records a file names, never whole tables."""
from __future__ import annotations

from sqlmodel import func, or_, select

from tracker.commitments.models import Commitment, CommitmentParty
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
