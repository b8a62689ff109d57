from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from tracker import clock, events, validation
from tracker.parties.models import PARTY_KINDS, Party, Person, Role
from tracker.validation import InvalidInput


def create_party(session: Session, *, name: str, short_name: str, kind: str = "other", is_internal: bool = False,
                 description: str = "", default_owner_id: int | None = None,
                 actor: events.Actor = events.SYSTEM) -> Party:
    """Record a party (group or organisation)."""
    name, short_name = name.strip(), short_name.strip()
    if not name or not short_name:
        raise InvalidInput("a party needs a name and a short name", "name")
    validation.choice(kind, PARTY_KINDS, "kind")
    _check_default_owner(session, default_owner_id)
    if session.exec(select(Party.id).where((Party.name == name) | (Party.short_name == short_name))).first():
        raise InvalidInput(f"a party named {name!r} or {short_name!r} already exists", "name")
    party = Party(name=name, short_name=short_name, kind=kind, is_internal=is_internal,
                  description=description, default_owner_id=default_owner_id, created_at=clock.now())
    session.add(party)
    session.flush()
    data = {"name": name, "kind": kind}
    if default_owner_id is not None:
        data["default_owner_id"] = default_owner_id
    events.record(session, "party.created", "party", party.id, actor, data)
    return party


def _check_default_owner(session: Session, person_id: int | None) -> None:
    if person_id is not None and session.get(Person, person_id) is None:
        raise InvalidInput(f"there is no person {person_id} (choose a known person)", "default_owner_id")


def create_person(session: Session, *, name: str, email: str | None = None, timezone: str = "UTC",
                  is_staff: bool = False, actor: events.Actor = events.SYSTEM) -> Person:
    """Record a person; the email is validated and normalised, the timezone must exist."""
    name = name.strip()
    if not name:
        raise InvalidInput("a person needs a name", "name")
    address = validation.email_address(email) if email and email.strip() else None
    validation.timezone_name(timezone)
    if address and session.exec(select(Person.id).where(Person.email == address)).first():
        raise InvalidInput(f"{address} already belongs to someone", "email")
    person = Person(name=name, email=address, timezone=timezone, is_staff=is_staff, created_at=clock.now())
    session.add(person)
    session.flush()
    events.record(session, "person.created", "person", person.id, actor, {"name": name, "email": address})
    return person


def update_person(session: Session, person: Person, *, name: str, email: str | None, timezone: str,
                  is_staff: bool, actor: events.Actor = events.SYSTEM) -> Person:
    """Change a person's details; the history keeps what changed."""
    address = validation.email_address(email) if email and email.strip() else None
    validation.timezone_name(timezone)
    if address and session.exec(select(Person.id).where(Person.email == address, Person.id != person.id)).first():
        raise InvalidInput(f"{address} already belongs to someone", "email")
    changes = {key: [getattr(person, key), value] for key, value in
               (("name", name.strip()), ("email", address), ("timezone", timezone), ("is_staff", is_staff))
               if getattr(person, key) != value}
    for key, (_old, new) in changes.items():
        setattr(person, key, new)
    session.add(person)
    if changes:
        events.record(session, "person.updated", "person", person.id, actor, {"changes": changes})
    return person


def add_role(session: Session, *, person: Person, party: Party, title: str, starts_on: date | None = None,
             ends_on: date | None = None, actor: events.Actor = events.SYSTEM) -> Role:
    """A person holds a title in a party from starts_on until ends_on (open-ended when empty)."""
    if not title.strip():
        raise InvalidInput("a role needs a title", "title")
    validation.window(starts_on, ends_on, "ends_on")
    role = Role(person_id=person.id, party_id=party.id, title=title.strip(), starts_on=starts_on, ends_on=ends_on)
    session.add(role)
    session.flush()
    data = {"title": role.title, "party": party.name, "person": person.name, "starts_on": starts_on, "ends_on": ends_on,
            "party_id": party.id, "person_id": person.id}
    events.record(session, "role.assigned", "person", person.id, actor, data)
    events.record(session, "role.assigned", "party", party.id, actor, data)
    return role


def update_party(session: Session, party: Party, *, name: str, short_name: str, kind: str, is_internal: bool,
                 description: str = "", default_owner_id: int | None = None,
                 actor: events.Actor = events.SYSTEM) -> Party:
    """Change a party's details, its default owner included; the history keeps what changed."""
    name, short_name = name.strip(), short_name.strip()
    if not name or not short_name:
        raise InvalidInput("a party needs a name and a short name", "name")
    validation.choice(kind, PARTY_KINDS, "kind")
    _check_default_owner(session, default_owner_id)
    taken = session.exec(select(Party.id).where(Party.id != party.id,
                                                (Party.name == name) | (Party.short_name == short_name))).first()
    if taken:
        raise InvalidInput(f"another party is already named {name!r} or {short_name!r}", "name")
    changes = {key: [getattr(party, key), value] for key, value in
               (("name", name), ("short_name", short_name), ("kind", kind), ("is_internal", is_internal),
                ("description", description.strip()), ("default_owner_id", default_owner_id))
               if getattr(party, key) != value}
    for key, (_old, new) in changes.items():
        setattr(party, key, new)
    session.add(party)
    if changes:
        events.record(session, "party.updated", "party", party.id, actor, {"changes": changes})
    return party
