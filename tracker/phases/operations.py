"""Writes for phases: define, rename, reorder, retire and reinstate them; place a commitment in one.
Each flushes and records an event with what was before and after; the caller commits."""
from __future__ import annotations

from sqlmodel import Session

from tracker import clock, events, validation
from tracker.commitments.models import KINDS, Commitment
from tracker.phases import queries
from tracker.phases.models import MAX_NAME, Phase, display_name, match_phase
from tracker.validation import InvalidInput

DIRECTIONS = ("up", "down")


def _checked_name(session: Session, kind: str, name: str, other_than: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("a phase needs a name", "name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"a phase name has at most {MAX_NAME} characters", "name")
    if session.exec(queries.named(kind, name, other_than)).first() is not None:
        raise InvalidInput(f"the {kind}s already have a phase named {name!r} (retired ones count too)", "name")
    return name


def create_phase(session: Session, *, kind: str, name: str, actor: events.Actor = events.SYSTEM) -> Phase:
    """Add a phase at the end of its kind's order."""
    validation.choice(kind, KINDS, "kind")
    name = _checked_name(session, kind, name)
    last = session.exec(queries.last_position(kind)).one()
    phase = Phase(kind=kind, name=name, position=(last or 0) + 1, created_at=clock.now())
    session.add(phase)
    session.flush()
    events.record(session, "phase.created", "phase", phase.id, actor,
                  {"kind": kind, "name": name, "before": {}, "after": {"kind": kind, "name": name,
                                                                       "position": phase.position}})
    return phase


def rename_phase(session: Session, phase: Phase, name: str, actor: events.Actor = events.SYSTEM) -> bool:
    """Give a phase a new name; its commitments stay in it. False when the name did not change."""
    name = _checked_name(session, phase.kind, name, other_than=phase.id)
    if name == phase.name:
        return False
    before = phase.name
    phase.name = name
    session.add(phase)
    session.flush()
    events.record(session, "phase.renamed", "phase", phase.id, actor,
                  {"kind": phase.kind, "name": name, "before": {"name": before}, "after": {"name": name}})
    return True


def move_phase(session: Session, phase: Phase, direction: str, actor: events.Actor = events.SYSTEM) -> bool:
    """Swap a phase with its neighbour in its kind's order. False when it is already first (or last)."""
    validation.choice(direction, DIRECTIONS, "direction")
    ordered = list(session.exec(queries.of_kind(phase.kind)))
    index = next(i for i, p in enumerate(ordered) if p.id == phase.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    before = [p.name for p in ordered]
    ordered[index], ordered[other] = ordered[other], ordered[index]
    # Renumbered from 1: positions stay distinct even if earlier ones were equal.
    for position, each in enumerate(ordered, start=1):
        each.position = position
        session.add(each)
    session.flush()
    events.record(session, "phase.reordered", "phase", phase.id, actor,
                  {"kind": phase.kind, "name": phase.name, "direction": direction,
                   "before": {"order": before}, "after": {"order": [p.name for p in ordered]}})
    return True


def retire_phase(session: Session, phase: Phase, actor: events.Actor = events.SYSTEM) -> bool:
    """Stop offering a phase; commitments in it keep it, shown as retired. False when already retired."""
    if phase.is_retired:
        return False
    phase.retired_at = clock.now()
    session.add(phase)
    session.flush()
    events.record(session, "phase.retired", "phase", phase.id, actor,
                  {"kind": phase.kind, "name": phase.name, "before": {"retired": False}, "after": {"retired": True}})
    return True


def reinstate_phase(session: Session, phase: Phase, actor: events.Actor = events.SYSTEM) -> bool:
    """Offer a retired phase again. False when it was not retired."""
    if not phase.is_retired:
        return False
    phase.retired_at = None
    session.add(phase)
    session.flush()
    events.record(session, "phase.reinstated", "phase", phase.id, actor,
                  {"kind": phase.kind, "name": phase.name, "before": {"retired": True}, "after": {"retired": False}})
    return True


def chosen_phase_id(session: Session, kind: str, wanted: int | str | None, current_id: int | None = None,
                    field: str = "phase") -> int | None:
    """The id of the phase of `kind` that a write names by id or by name (None: in no phase), checked as
    place_commitment checks it, so a refusal comes before anything is written."""
    if wanted is None:
        return None
    return match_phase(list(session.exec(queries.of_kind(kind))), kind, wanted, current_id, field).id


def place_commitment(session: Session, commitment: Commitment, phase_id: int | None,
                     actor: events.Actor = events.SYSTEM, field: str = "phase_id") -> bool:
    """Put a commitment in a phase of its kind (None: in no phase). False when it is already there.

    A retired phase cannot be chosen; a commitment already in one stays there until moved. A refusal names
    `field`, the form's or the request's own name for the phase.
    """
    if phase_id == commitment.phase_id:
        return False
    phase = (match_phase(list(session.exec(queries.of_kind(commitment.kind))), commitment.kind, phase_id,
                         commitment.phase_id, field) if phase_id is not None else None)
    current = session.get(Phase, commitment.phase_id) if commitment.phase_id is not None else None
    commitment.phase_id = phase_id
    commitment.updated_at = clock.now()
    session.add(commitment)
    session.flush()
    # Names as they read today: a later rename does not rewrite what the history said.
    events.record(session, "commitment.phase_changed", "commitment", commitment.id, actor,
                  {"before": {"phase_id": current.id if current else None, "name": display_name(current)},
                   "after": {"phase_id": phase_id, "name": display_name(phase)}})
    return True
