"""Phases: an admin-defined, ordered list of named stages per commitment kind (e.g. the five public phases of
ICANN's advice register: Receive & Acknowledge → Understand → Evaluate & Consider → Implement → Close).

A commitment may sit in one phase of its kind (commitment.phase_id). A phase is never deleted: a retired one
keeps its commitments readable but can no longer be chosen. With no phase defined the feature shows nowhere.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime
from tracker.validation import InvalidInput

MAX_NAME = 100


class Phase(SQLModel, table=True):
    __tablename__ = "phase"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_phase_kind_name"),
                      Index("ix_phase_kind_position", "kind", "position"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # a commitment kind: promise or request
    name: str = Field(max_length=MAX_NAME)
    # Reading order within the kind, smallest first; positions need not be consecutive.
    position: int = 0
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


RETIRED_MARK = " (retired)"


def display_name(phase: Phase | None) -> str:
    """How a phase is named on pages, exports and the API: a retired one says so."""
    if phase is None:
        return ""
    return f"{phase.name}{RETIRED_MARK}" if phase.is_retired else phase.name


def match_phase(phases: Sequence[Phase], kind: str, wanted: int | str, current_id: int | None,
                field: str) -> Phase:
    """The phase of `kind` a write names: by id (an int) or by name (a str, compared without regard to case or
    repeated spaces; a trailing " (retired)", as exports write it, may be left on). A retired phase can only be
    kept by the commitment already in it. Raises InvalidInput on `field` saying why none fits.

    `phases` are the kind's phases (an admin defines a handful), so the choice is made without a database.
    """
    own = [phase for phase in phases if phase.kind == kind]
    if isinstance(wanted, int):
        found = next((phase for phase in own if phase.id == wanted), None)
        if found is None:
            raise InvalidInput(f"there is no phase {wanted} for {kind}s: choose one of the list", field)
    else:
        name = " ".join(wanted.split()).casefold()
        found = next((phase for phase in own if phase.name.casefold() == name), None)
        if found is None and name.endswith(RETIRED_MARK):
            name = name.removesuffix(RETIRED_MARK)
            found = next((phase for phase in own if phase.name.casefold() == name and phase.is_retired), None)
        if found is None:
            offered = [phase.name for phase in own if not phase.is_retired]
            choices = f"choose one of: {', '.join(offered)}" if offered else f"no phase is defined for {kind}s"
            raise InvalidInput(f"the {kind}s have no phase named {wanted[:MAX_NAME]!r}: {choices}", field)
    if found.is_retired and found.id != current_id:
        raise InvalidInput(f"the phase {found.name!r} is retired: choose another", field)
    return found
