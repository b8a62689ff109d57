"""select() builders for phases, and the per-phase counts of a party's page."""
from __future__ import annotations

from sqlmodel import func, select

from tracker import access
from tracker.access import Viewer
from tracker.commitments.models import Commitment
from tracker.commitments.queries import involving_parties
from tracker.events import Event
from tracker.phases.models import Phase

# Lines of phase history on the admin page.
HISTORY_CAP = 50


def all_phases():
    """Every phase, retired ones too, by kind then reading order (an admin defines a handful per kind)."""
    return select(Phase).order_by(Phase.kind, Phase.position, Phase.id)


def of_kind(kind: str):
    """A kind's phases in reading order, retired ones too."""
    return select(Phase).where(Phase.kind == kind).order_by(Phase.position, Phase.id)


def any_defined():
    """One phase id, or none: with no phase at all the feature shows nowhere."""
    return select(Phase.id).limit(1)


def named(kind: str, name: str, other_than: int | None = None):
    """A phase of this kind with this name, compared without regard to case."""
    statement = select(Phase.id).where(Phase.kind == kind, func.lower(Phase.name) == name.lower())
    if other_than is not None:
        statement = statement.where(Phase.id != other_than)
    return statement.limit(1)


def last_position(kind: str):
    return select(func.max(Phase.position)).where(Phase.kind == kind)


def counts_for_party(party_id: int, viewer: Viewer):
    """(phase_id, how many) over the party's commitments (either side) that sit in a phase and that the viewer
    may see; the same rows the commitments list shows for ?party=…&phase=…"""
    return (select(Commitment.phase_id, func.count())
            .where(involving_parties([party_id]), Commitment.phase_id.is_not(None), access.commitments(viewer))
            .group_by(Commitment.phase_id))


def history():
    """The latest changes to phases, newest first (capped)."""
    return (select(Event).where(Event.subject_type == "phase").order_by(Event.id.desc()).limit(HISTORY_CAP))
