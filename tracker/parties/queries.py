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


def party_ids_of_people(person_ids):
    """(person_id, party_id) for every role the people ever held: who a limited viewer may see."""
    return select(Role.person_id, Role.party_id).where(Role.person_id.in_(list(person_ids))).distinct()


def people_in_parties(party_ids):
    """People who hold or held a role in one of these parties."""
    return (select(Person).where(Person.id.in_(select(Role.person_id).where(Role.party_id.in_(list(party_ids)))))
            .order_by(Person.name))


def roles_of_people_on(person_ids, on: date):
    """(Role, Party) held on a day by any of these people: one query for a page of people."""
    return (select(Role, Party).join(Party, Party.id == Role.party_id)
            .where(Role.person_id.in_(list(person_ids)),
                   or_(Role.starts_on.is_(None), Role.starts_on <= on),
                   or_(Role.ends_on.is_(None), Role.ends_on >= on))
            .order_by(Role.person_id, Party.name))
