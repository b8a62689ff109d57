"""Phases: an admin-defined, ordered list of named stages per commitment kind (e.g. the five public phases of
ICANN's advice register: Receive & Acknowledge → Understand → Evaluate & Consider → Implement → Close).

A commitment may sit in one phase of its kind (commitment.phase_id). A phase is never deleted: a retired one
keeps its commitments readable but can no longer be chosen. With no phase defined the feature shows nowhere.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

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


def display_name(phase: Phase | None) -> str:
    """How a phase is named on pages, exports and the API: a retired one says so."""
    if phase is None:
        return ""
    return f"{phase.name} (retired)" if phase.is_retired else phase.name
