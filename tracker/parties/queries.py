from __future__ import annotations

from datetime import date

from sqlmodel import or_, select

from tracker.parties.models import Party, Person, Role


def all_parties(party_ids: frozenset[int] | None = None):
    statement = select(Party).order_by(Party.name)
    if party_ids is not None:
        statement = statement.where(Party.id.in_(party_ids))
    return statement


def party_by_short_name(short_name: str):
    return select(Party).where(Party.short_name == short_name)


def all_people():
    return select(Person).order_by(Person.name)


def staff():
    return select(Person).where(Person.is_staff.is_(True)).order_by(Person.name)


def person_by_name(name: str):
    return select(Person).where(Person.name == name)


def person_by_email(email: str):
    return select(Person).where(Person.email == email)


def roles_of_party(party_id: int):
    return (select(Role, Person).join(Person, Person.id == Role.person_id)
            .where(Role.party_id == party_id).order_by(Role.starts_on.desc(), Person.name))


def roles_of_person(person_id: int):
    return (select(Role, Party).join(Party, Party.id == Role.party_id)
            .where(Role.person_id == person_id).order_by(Role.starts_on.desc()))


def roles_held_on(person_id: int, on: date):
    """The roles a person held on a day: a letter's signatory resolves to these."""
    return (select(Role, Party).join(Party, Party.id == Role.party_id)
            .where(Role.person_id == person_id,
                   or_(Role.starts_on.is_(None), Role.starts_on <= on),
                   or_(Role.ends_on.is_(None), Role.ends_on >= on)))
