from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from tracker import clock, events, validation
from tracker.letters.models import (DATE_PRECISIONS, DIRECTIONS, LINK_KINDS, PARTICIPANT_ROLES, Letter,
                                    LetterFile, LetterLink, LetterParticipant)
from tracker.parties.models import Party, Person
from tracker.parties.queries import roles_held_on
from tracker.validation import InvalidInput
from tracker.formatting import sanitise_html


@dataclass(frozen=True)
class ParticipantInput:
    role: str  # author / recipient / cc
    party_id: int | None = None
    person_id: int | None = None
    title: str | None = None


def log_letter(session: Session, *, sent_on: date, subject: str, direction: str, date_precision: str = "day",
               body: str = "", participants: list[ParticipantInput] = (), source_url: str | None = None,
               content_hash: str | None = None, actor: events.Actor = events.SYSTEM) -> Letter:
    """Record a letter with its authors, recipients and cc; an incoming one starts awaiting a reply."""
    subject, sent_on = _checked_header(session, subject, direction, date_precision, sent_on, participants)
    if content_hash and session.exec(select(Letter.id).where(Letter.content_hash == content_hash)).first():
        raise InvalidInput("this document was imported before (same content)", "file")
    now = clock.now()
    letter = Letter(sent_on=sent_on, date_precision=date_precision, subject=subject, direction=direction,
                    body=sanitise_html(body), source_url=validation.url(source_url), content_hash=content_hash,
                    created_at=now, updated_at=now)
    session.add(letter)
    session.flush()
    for participant in participants:
        session.add(LetterParticipant(letter_id=letter.id, role=participant.role, party_id=participant.party_id,
                                      person_id=participant.person_id, title=participant.title))
    session.flush()
    events.record(session, "letter.logged", "letter", letter.id, actor,
                  {"subject": subject, "direction": direction, "sent_on": sent_on, "date_precision": date_precision})
    return letter


def _checked_header(session: Session, subject: str, direction: str, date_precision: str, sent_on: date,
                    participants) -> tuple[str, date]:
    """Validate what every letter needs; returns the trimmed subject and the date (the 1st for month precision)."""
    subject = subject.strip()
    if not subject:
        raise InvalidInput("a letter needs a subject", "subject")
    validation.choice(direction, DIRECTIONS, "direction")
    validation.choice(date_precision, DATE_PRECISIONS, "date_precision")
    _check_participants(session, participants)
    return subject, sent_on.replace(day=1) if date_precision == "month" else sent_on


def _check_participants(session: Session, participants) -> None:
    if not any(p.role == "author" for p in participants):
        raise InvalidInput("a letter needs at least one author (a party or a person)", "authors")
    party_ids = {p.party_id for p in participants if p.party_id}
    person_ids = {p.person_id for p in participants if p.person_id}
    for participant in participants:
        validation.choice(participant.role, PARTICIPANT_ROLES, "participant role")
        if not participant.party_id and not participant.person_id:
            raise InvalidInput("each author, recipient or cc must be a party or a person", "authors")
    known_parties = set(session.exec(select(Party.id).where(Party.id.in_(party_ids)))) if party_ids else set()
    known_people = set(session.exec(select(Person.id).where(Person.id.in_(person_ids)))) if person_ids else set()
    if party_ids - known_parties:
        raise InvalidInput(f"unknown party id(s): {sorted(party_ids - known_parties)}", "authors")
    if person_ids - known_people:
        raise InvalidInput(f"unknown person id(s): {sorted(person_ids - known_people)}", "authors")


def start_reply_tracking(session: Session, letter: Letter, reply_by_days: int) -> None:
    """An incoming letter awaits a reply until one is linked or staff decide none is needed."""

    letter.reply_state = "awaiting_reply"
    letter.reply_by = letter.sent_on + timedelta(days=reply_by_days)
    session.add(letter)


def attach_file(session: Session, letter: Letter, *, filename: str, content_type: str, data: bytes,
                max_bytes: int, actor: events.Actor = events.SYSTEM) -> LetterFile:
    """Keep the original document with the letter."""
    if not data:
        raise InvalidInput("the file is empty", "file")
    if len(data) > max_bytes:
        raise InvalidInput(f"the file is {len(data) // 1024} KB; the limit is {max_bytes // 1024} KB", "file")
    stored = LetterFile(letter_id=letter.id, filename=filename[:300] or "original", data=data, size=len(data),
                        content_type=(content_type or "application/octet-stream")[:200],
                        sha256=hashlib.sha256(data).hexdigest(), uploaded_at=clock.now())
    session.add(stored)
    session.flush()
    events.record(session, "letter.file_attached", "letter", letter.id, actor,
                  {"filename": stored.filename, "size": stored.size})
    return stored


def link_letters(session: Session, source: Letter, target: Letter, kind: str,
                 actor: events.Actor = events.SYSTEM) -> LetterLink:
    """source <kind> target; a reply to an incoming letter marks it replied (handler on letter.linked)."""
    validation.choice(kind, LINK_KINDS, "link kind")
    if source.id == target.id:
        raise InvalidInput("a letter cannot be linked to itself", "target")
    exists = session.exec(select(LetterLink.id).where(LetterLink.from_letter_id == source.id,
                                                      LetterLink.to_letter_id == target.id,
                                                      LetterLink.kind == kind)).first()
    if exists:
        raise InvalidInput("these letters are already linked that way", "target")
    link = LetterLink(from_letter_id=source.id, to_letter_id=target.id, kind=kind)
    session.add(link)
    session.flush()
    data = {"kind": kind, "from_letter_id": source.id, "to_letter_id": target.id,
            "from_subject": source.subject, "to_subject": target.subject}
    events.record(session, "letter.linked", "letter", source.id, actor, data)
    if kind == "replies_to" and target.reply_state == "awaiting_reply":
        target.reply_state = "replied"
        session.add(target)
        events.record(session, "letter.replied", "letter", target.id, actor,
                      {"reply_letter_id": source.id, "reply_subject": source.subject, "replied_on": source.sent_on})
    return link


def mark_no_reply_needed(session: Session, letter: Letter, reason: str = "",
                         actor: events.Actor = events.SYSTEM) -> None:
    """Staff decide an incoming letter needs no reply."""
    if letter.direction != "incoming":
        raise InvalidInput("only incoming letters await replies", "reply_state")
    previous = letter.reply_state
    letter.reply_state = "no_reply_needed"
    letter.updated_at = clock.now()
    session.add(letter)
    events.record(session, "letter.no_reply_needed", "letter", letter.id, actor, {"reason": reason, "from_reply_state": previous})


def reopen_reply(session: Session, letter: Letter, actor: events.Actor = events.SYSTEM) -> None:
    """Undo "no reply needed": the letter awaits a reply again."""
    if letter.reply_state != "no_reply_needed":
        raise InvalidInput("only a letter marked 'no reply needed' can be reopened", "reply_state")
    letter.reply_state = "awaiting_reply"
    letter.updated_at = clock.now()
    session.add(letter)
    events.record(session, "letter.reply_reopened", "letter", letter.id, actor)


def resolve_titles(session: Session, participants: list[ParticipantInput], on: date) -> list[ParticipantInput]:
    """People without a typed title get the title (and party) of the role they held on the letter's date."""

    parties_by_role = {}
    for participant in participants:
        if participant.party_id and not participant.person_id:
            parties_by_role.setdefault(participant.role, set()).add(participant.party_id)
    resolved = []
    for participant in participants:
        if not participant.person_id or (participant.title and participant.party_id):
            resolved.append(participant)
            continue
        held = list(session.exec(roles_held_on(participant.person_id, on)))
        # A chair signing for a council that is also named as author: prefer that council's role.
        held.sort(key=lambda row: (row[1].id not in parties_by_role.get(participant.role, ()), row[0].id))
        if not held:
            resolved.append(participant)
            continue
        role, party = held[0]
        resolved.append(ParticipantInput(participant.role, party_id=participant.party_id or party.id,
                                         person_id=participant.person_id, title=participant.title or role.title))
    return resolved


def _participant_key(role: str, party_id: int | None, person_id: int | None) -> tuple:
    # A person is the participant; the party on their row only says whom they signed for.
    return (role, "person", person_id) if person_id else (role, "party", party_id)


def _participant_labels(session: Session, rows) -> dict[tuple, str]:
    party_ids = {row.party_id for row in rows if row.party_id}
    person_ids = {row.person_id for row in rows if row.person_id}
    parties = dict(session.exec(select(Party.id, Party.name).where(Party.id.in_(party_ids))).all()) if party_ids else {}
    people = dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(person_ids))).all()) if person_ids else {}
    return {_participant_key(row.role, row.party_id, row.person_id):
            f"{row.role}: {people.get(row.person_id) if row.person_id else parties.get(row.party_id)}"
            for row in rows}


def update_letter(session: Session, letter: Letter, *, sent_on: date, subject: str, direction: str,
                  date_precision: str = "day", body: str = "", participants: list[ParticipantInput] = (),
                  source_url: str | None = None, reply_by_days: int = 30,
                  actor: events.Actor = events.SYSTEM) -> Letter:
    """Change a letter's details and participants; records letter.updated with what changed."""
    subject, sent_on = _checked_header(session, subject, direction, date_precision, sent_on, participants)
    new_values = {"sent_on": sent_on, "date_precision": date_precision, "subject": subject, "direction": direction,
                  "body": sanitise_html(body), "source_url": validation.url(source_url)}
    changes = {key: [getattr(letter, key), value] for key, value in new_values.items() if getattr(letter, key) != value}
    reply_before = {"reply_state": letter.reply_state, "reply_by": letter.reply_by}
    if "body" in changes:
        # Bodies can be long: the history says that the text changed, not the whole text twice.
        changes["body"] = [f"{len(letter.body)} characters", f"{len(new_values['body'])} characters"]
    for key, value in new_values.items():
        setattr(letter, key, value)

    existing = list(session.exec(select(LetterParticipant).where(LetterParticipant.letter_id == letter.id)))
    existing_by_key = {_participant_key(row.role, row.party_id, row.person_id): row for row in existing}
    wanted_by_key = {_participant_key(p.role, p.party_id, p.person_id): p for p in participants}
    labels = _participant_labels(session, existing + list(participants))
    for key, row in existing_by_key.items():
        if key not in wanted_by_key:
            session.delete(row)
            continue
        wanted = wanted_by_key[key]
        # Keep what the row knew (e.g. a title from the import) unless the form says otherwise.
        if wanted.title and wanted.title != row.title:
            changes.setdefault("titles", []).append(f"{labels[key]}: {row.title or '—'} → {wanted.title}")
            row.title = wanted.title
        if wanted.party_id and not row.party_id:
            row.party_id = wanted.party_id
        session.add(row)
    for key, wanted in wanted_by_key.items():
        if key not in existing_by_key:
            session.add(LetterParticipant(letter_id=letter.id, role=wanted.role, party_id=wanted.party_id,
                                          person_id=wanted.person_id, title=wanted.title))
    added = sorted(labels[key] for key in wanted_by_key.keys() - existing_by_key.keys())
    removed = sorted(labels[key] for key in existing_by_key.keys() - wanted_by_key.keys())
    if added:
        changes["participants_added"] = added
    if removed:
        changes["participants_removed"] = removed

    if direction != "incoming":
        letter.reply_state, letter.reply_by = None, None
    elif letter.reply_state is None:
        start_reply_tracking(session, letter, reply_by_days)
    elif "sent_on" in changes and letter.reply_by is not None:
        # The reply-by date follows the letter's date.
    
        letter.reply_by = letter.sent_on + timedelta(days=reply_by_days)
    if not changes:
        return letter
    letter.updated_at = clock.now()
    session.add(letter)
    session.flush()
    # The reply tracking it replaced, so the record as of an earlier day can be rebuilt (tracker/snapshots).
    events.record(session, "letter.updated", "letter", letter.id, actor,
                  {"changes": changes, "reply_before": reply_before})
    return letter
