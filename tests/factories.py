"""Records for tests, with defaults that can be overridden; each goes through the real operation."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timezone

from sqlmodel import Session

from tracker.accounts import operations as account_operations
from tracker.commitments import operations as commitment_operations
from tracker.letters import operations as letter_operations
from tracker.meetings import operations as meeting_operations
from tracker.parties import operations as party_operations

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def user(session: Session, role: str = "viewer", party_ids=None, **overrides):
    n = next(_sequence)
    # Without party_ids a viewer sees every party; pass party_ids=[] for one that sees nothing.
    values = dict(email=f"user{n}@example.org", display_name=f"User {n}", password=PASSWORD, role=role,
                  party_ids=party_ids, all_parties=party_ids is None)
    values.update(overrides)
    created = account_operations.create_user(session, **values)
    session.commit()
    return created


def party(session: Session, **overrides):
    n = next(_sequence)
    values = dict(name=f"Party {n}", short_name=f"P{n}", kind="supporting_organisation")
    values.update(overrides)
    return party_operations.create_party(session, **values)


def person(session: Session, **overrides):
    n = next(_sequence)
    values = dict(name=f"Person {n}", email=f"person{n}@example.org", timezone="UTC")
    values.update(overrides)
    return party_operations.create_person(session, **values)


def letter(session: Session, *, authors=(), recipients=(), **overrides):
    """authors / recipients: parties or people (records), mixed."""
    participants = [_participant("author", r) for r in authors] + [_participant("recipient", r) for r in recipients]
    if not authors:
        participants.append(letter_operations.ParticipantInput("author", party_id=party(session).id))
    values = dict(sent_on=date(2010, 4, 1), subject=f"Letter {next(_sequence)}", direction="incoming",
                  body="Dear all,", participants=participants)
    values.update(overrides)
    return letter_operations.log_letter(session, **values)


def _participant(role, record):
    from tracker.parties.models import Party

    if isinstance(record, Party):
        return letter_operations.ParticipantInput(role, party_id=record.id)
    return letter_operations.ParticipantInput(role, person_id=record.id)


def commitment(session: Session, *, made_by=None, made_to=None, window=None, **overrides):
    made_by = made_by or [party(session, is_internal=True)]
    made_to = made_to or [party(session)]
    values = dict(kind="promise", title=f"Commitment {next(_sequence)}",
                  window=window or commitment_operations.Window("by 30 April", None, date(2010, 4, 30), "day"),
                  made_by=[p.id for p in made_by], made_to=[p.id for p in made_to])
    values.update(overrides)
    return commitment_operations.make_commitment(session, **values)


def meeting(session: Session, **overrides):
    values = dict(title=f"Meeting {next(_sequence)}", kind="icann_public_meeting",
                  starts_at=datetime(2010, 6, 20, 8, tzinfo=timezone.utc),
                  ends_at=datetime(2010, 6, 25, 18, tzinfo=timezone.utc))
    values.update(overrides)
    return meeting_operations.create_meeting(session, **values)
