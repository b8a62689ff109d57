from __future__ import annotations

from datetime import date

from sqlmodel import func, or_, select

from tracker import access
from tracker.access import Viewer
from tracker.db import Ref
from tracker.parties.models import Party, Person, Role

# How lists name a party or a person beside another record: the columns they show and link by, nothing else.
PARTY_NAME = Ref("party", Party.id, Party.name, Party.short_name)
PERSON_NAME = Ref("person", Person.id, Person.name)


def all_parties(scope: Viewer | frozenset[int] | None = None):
    """Parties by name: those a Viewer may see, or those in a set of ids (None: every party, for staff forms)."""
    statement = select(Party).order_by(Party.name)
    if isinstance(scope, Viewer):
        return statement.where(access.parties(scope))
    if scope is not None:
        statement = statement.where(Party.id.in_(scope))
    return statement


def party_by_short_name(short_name: str):
    return select(Party).where(Party.short_name == short_name)


def party_named(name: str):
    """A party by its name or short name, case-insensitive: how people type it."""
    key = name.strip().lower()
    return select(Party).where((func.lower(Party.name) == key) | (func.lower(Party.short_name) == key))


def all_people(viewer: Viewer | None = None):
    """People by name; with a Viewer only those it may see."""
    statement = select(Person).order_by(Person.name)
    return statement if viewer is None else statement.where(access.people(viewer))


def parties_by_ids(ids):
    return select(Party).where(Party.id.in_(sorted({int(i) for i in ids})))


def people_by_ids(ids):
    return select(Person).where(Person.id.in_(sorted({int(i) for i in ids})))


def names_of_people(ids):
    """PERSON_NAME rows of these people (owners and speakers of a page of commitments): one query."""
    return select(PERSON_NAME).where(Person.id.in_(sorted(ids)))


def staff():
    return select(Person).where(Person.is_staff.is_(True)).order_by(Person.name)


def person_by_name(name: str):
    return select(Person).where(Person.name == name)


def person_by_email(email: str):
    return select(Person).where(Person.email == email)


def roles_of_party(party_id: int):
    return (select(Role, Person).join(Person, Person.id == Role.person_id)
            .where(Role.party_id == party_id).order_by(Role.starts_on.desc(), Person.name))


def roles_of_person(person_id: int, viewer: Viewer):
    """A person's roles in the parties the viewer may see (a title in a hidden party names that party's work)."""
    return (select(Role, Party).join(Party, Party.id == Role.party_id)
            .where(Role.person_id == person_id, access.roles(viewer)).order_by(Role.starts_on.desc()))


def roles_held_on(person_id: int, on: date):
    """The roles a person held on a day: a letter's signatory resolves to these."""
    return (select(Role, Party).join(Party, Party.id == Role.party_id)
            .where(Role.person_id == person_id,
                   or_(Role.starts_on.is_(None), Role.starts_on <= on),
                   or_(Role.ends_on.is_(None), Role.ends_on >= on)))


def roles_of_people_on(person_ids, on: date, viewer: Viewer):
    """(Role, Party) held on a day by any of these people, in parties the viewer may see: one query for a page."""
    return (select(Role, Party).join(Party, Party.id == Role.party_id)
            .where(Role.person_id.in_(list(person_ids)), access.roles(viewer),
                   or_(Role.starts_on.is_(None), Role.starts_on <= on),
                   or_(Role.ends_on.is_(None), Role.ends_on >= on))
            .order_by(Role.person_id, Party.name))
