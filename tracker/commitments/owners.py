"""Who a new commitment's owner is prefilled to be, so nothing saved is orphaned from reminders.

The decision (prefilled_owner) is pure; suggested_owner gathers what it needs from the database for the forms.
Intake, the letter page's "New commitment from this letter" link and the new-commitment form all use this one rule.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from tracker.letters.queries import participants_of
from tracker.parties import queries as party_queries


@dataclass(frozen=True)
class Signatory:
    """A known person who wrote, received or said the commitment, and the party they did it for (if known)."""
    person_id: int
    party_id: int | None = None


def acting_side(kind: str) -> str:
    """The side that has to do something: who made a promise ("by"), or to whom a request was made ("to")."""
    return "by" if kind == "promise" else "to"


def prefilled_owner(kind: str, *, named: int | None = None, by_people: Sequence[Signatory] = (),
                    to_people: Sequence[Signatory] = (), made_by: Sequence[int] = (), made_to: Sequence[int] = (),
                    internal: Collection[int] = (), default_owners: Mapping[int, int] = {}) -> int | None:
    """The person to prefill as owner, or None when nothing points at anyone. In this order:

    1. `named`: the person the text gives the item to ("Greg Rattray to circulate …"), already matched to a known
       person — the document's own word beats any default;
    2. a known signatory or speaker on the acting side (who made a promise, or to whom a request was made) who
       signs for one of our own (internal) parties: the member of staff who wrote or received it answers for it;
       an outside chair is never made the owner of our work;
    3. the default owner of the other side's party (the group a promise is made to, or a request made by): the
       member of staff who looks after that group's commitments;
    4. the default owner of a party on the acting side (our own office's default owner).
    Parties are tried in the order given; a side's first party with a default owner wins.
    """
    if named:
        return named
    for person in (by_people if acting_side(kind) == "by" else to_people):
        if person.party_id is not None and person.party_id in internal:
            return person.person_id
    acting, other = (made_by, made_to) if acting_side(kind) == "by" else (made_to, made_by)
    for party_id in (*other, *acting):
        if default_owners.get(party_id):
            return default_owners[party_id]
    return None


def suggested_owner(session: Session, kind: str, *, made_by: Sequence[int] = (), made_to: Sequence[int] = (),
                    by_people: Sequence[Signatory] = (), to_people: Sequence[Signatory] = ()) -> int | None:
    """prefilled_owner with the parties' internal flags and default owners read from the database."""
    party_ids = {*made_by, *made_to, *(p.party_id for p in (*by_people, *to_people) if p.party_id)}
    parties = list(session.exec(party_queries.parties_by_ids(party_ids))) if party_ids else []
    return prefilled_owner(kind, by_people=by_people, to_people=to_people, made_by=made_by, made_to=made_to,
                           internal={p.id for p in parties if p.is_internal},
                           default_owners={p.id: p.default_owner_id for p in parties if p.default_owner_id})


@dataclass(frozen=True)
class LetterSides:
    """Who wrote a letter and to whom: the parties (in order, once each) and the known people with their party."""
    made_by: list[int]
    made_to: list[int]
    by_people: list[Signatory]
    to_people: list[Signatory]


def letter_sides(session: Session, letter_id: int) -> LetterSides:
    """The authors' side as made by, the recipients' side as made to — as intake reads a letter's commitments."""
    sides = LetterSides([], [], [], [])
    for participant, _party, _person in session.exec(participants_of([letter_id])):
        if participant.role not in ("author", "recipient"):
            continue
        parties, people = ((sides.made_by, sides.by_people) if participant.role == "author"
                           else (sides.made_to, sides.to_people))
        if participant.party_id and participant.party_id not in parties:
            parties.append(participant.party_id)
        if participant.person_id:
            people.append(Signatory(participant.person_id, participant.party_id))
    return sides
