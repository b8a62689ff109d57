"""Phases of the records a page shows, loaded once per page (phases are few: an admin defines a handful)."""
from __future__ import annotations

from sqlmodel import Session, select

from tracker.phases import queries
from tracker.phases.models import Phase


def phases_of(session: Session, commitments) -> dict[int, Phase]:
    """{phase_id: Phase} for the phases these commitments sit in, in one query (none when none does)."""
    ids = {c.phase_id for c in commitments if c.phase_id is not None}
    return {p.id: p for p in session.exec(select(Phase).where(Phase.id.in_(sorted(ids))))} if ids else {}


def in_use(session: Session) -> bool:
    """Whether any phase is defined: without one the feature shows nowhere."""
    return session.exec(queries.any_defined()).first() is not None


def counts_for_party(session: Session, party_id: int, viewer) -> list[tuple[str, list[tuple[Phase, int]]]]:
    """[(kind, [(phase, count)])] for a party's page, in reading order; a retired phase only when it still
    holds some of the party's commitments. Empty when no phase is defined."""
    phases = list(session.exec(queries.all_phases()))
    if not phases:
        return []
    counts = dict(session.exec(queries.counts_for_party(party_id, viewer)).all())
    by_kind: dict[str, list[tuple[Phase, int]]] = {}
    for phase in phases:
        count = counts.get(phase.id, 0)
        if not phase.is_retired or count:
            by_kind.setdefault(phase.kind, []).append((phase, count))
    # Requests first: the register counts advice and requests made of us.
    return sorted(by_kind.items(), key=lambda item: item[0] != "request")
