from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, delete, select

from tracker import access, clock, events, validation
from tracker.duedates import DueWindow, parse_due
from tracker.commitments.models import (DUE_PRECISIONS, KINDS, STATUSES, Commitment, CommitmentParty,
                                        DueWindowChange)
from tracker.meetings.operations import meetings_as_anchors
from tracker.parties.models import Party, Person
from tracker.validation import InvalidInput


@dataclass(frozen=True)
class Window:
    """A due window as entered or as parse_due found it (same shape as tracker.duedates.DueWindow)."""
    phrase: str = ""
    earliest: date | None = None
    latest: date | None = None
    precision: str = "vague"
    anchor_meeting_id: int | None = None

    @classmethod
    def of(cls, commitment: Commitment) -> "Window":
        return cls(commitment.due_phrase, commitment.due_earliest, commitment.due_latest,
                   commitment.due_precision, commitment.due_anchor_meeting_id)

    def check(self) -> "Window":
        validation.choice(self.precision, DUE_PRECISIONS, "due_precision")
        validation.window(self.earliest, self.latest)
        if self.precision in ("day", "window") and self.latest is None:
            raise InvalidInput("a dated window needs its latest (last on-time) day; "
                               "choose 'vague' when there is no date", "due_latest")
        if self.precision == "vague" and (self.earliest or self.latest):
            raise InvalidInput("a vague window has no dates; choose 'day' or 'window' to give dates", "due_precision")
        return self


def make_commitment(session: Session, *, kind: str, title: str, window: Window, made_by: list[int],
                    made_to: list[int], quote: str = "", source_letter_id: int | None = None,
                    source_meeting_id: int | None = None, speaker_id: int | None = None,
                    owner_id: int | None = None, status: str = "open",
                    actor: events.Actor = events.SYSTEM) -> Commitment:
    """Record a promise (made by us) or a request (asked of us); its first window is the baseline."""
    validation.choice(kind, KINDS, "kind")
    validation.choice(status, STATUSES, "status")
    title = title.strip()
    if not title:
        raise InvalidInput("a commitment needs a short title", "title")
    if not made_by or not made_to:
        raise InvalidInput("say who made the commitment and to whom (one party or more on each side)", "made_by")
    _check_parties(session, set(made_by) | set(made_to))
    _check_person(session, owner_id, "owner_id")
    _check_person(session, speaker_id, "speaker_id")
    window.check()
    now = clock.now()
    commitment = Commitment(kind=kind, title=title, quote=quote.strip(), source_letter_id=source_letter_id,
                            source_meeting_id=source_meeting_id, speaker_id=speaker_id, owner_id=owner_id,
                            due_phrase=window.phrase, due_earliest=window.earliest, due_latest=window.latest,
                            due_precision=window.precision, due_anchor_meeting_id=window.anchor_meeting_id,
                            baseline_phrase=window.phrase, baseline_earliest=window.earliest,
                            baseline_latest=window.latest, status=status, created_at=now, updated_at=now)
    session.add(commitment)
    session.flush()
    _set_parties(session, commitment, made_by, made_to)
    events.record(session, "commitment.made", "commitment", commitment.id, actor,
                  {"kind": kind, "title": title, "due_phrase": window.phrase, "due_earliest": window.earliest,
                   "due_latest": window.latest, "due_precision": window.precision, "status": status})
    return commitment


def _check_parties(session: Session, party_ids: set[int]) -> None:
    known = set(session.exec(select(Party.id).where(Party.id.in_(party_ids))))
    if party_ids - known:
        raise InvalidInput(f"unknown party id(s): {sorted(party_ids - known)}", "made_to")


def _check_person(session: Session, person_id: int | None, field: str) -> None:
    if person_id is not None and session.get(Person, person_id) is None:
        raise InvalidInput(f"there is no person {person_id} (choose a known person)", field)


def _set_parties(session: Session, commitment: Commitment, made_by: list[int], made_to: list[int]) -> None:
    session.exec(delete(CommitmentParty).where(CommitmentParty.commitment_id == commitment.id))
    for side, party_ids in (("by", made_by), ("to", made_to)):
        for party_id in dict.fromkeys(party_ids):
            session.add(CommitmentParty(commitment_id=commitment.id, party_id=party_id, side=side))
    session.flush()


def update_details(session: Session, commitment: Commitment, *, title: str, quote: str, owner_id: int | None,
                   made_by: list[int], made_to: list[int], actor: events.Actor = events.SYSTEM) -> None:
    """Edit what the commitment is and who it binds (not its window or status)."""
    if not title.strip():
        raise InvalidInput("a commitment needs a short title", "title")
    if not made_by or not made_to:
        raise InvalidInput("say who made the commitment and to whom", "made_by")
    _check_parties(session, set(made_by) | set(made_to))
    _check_person(session, owner_id, "owner_id")
    changes = {k: [getattr(commitment, k), v] for k, v in
               (("title", title.strip()), ("quote", quote.strip()), ("owner_id", owner_id))
               if getattr(commitment, k) != v}
    for key, (_old, new) in changes.items():
        setattr(commitment, key, new)
    commitment.updated_at = clock.now()
    session.add(commitment)
    before = _parties_of(session, commitment)
    _set_parties(session, commitment, made_by, made_to)
    # The sides before and after, so the history can say "made to ccNSO → ccNSO, GNSO".
    events.record(session, "commitment.updated", "commitment", commitment.id, actor,
                  {"changes": changes, "made_by": made_by, "made_to": made_to,
                   "made_by_before": before["by"], "made_to_before": before["to"]})


def _parties_of(session: Session, commitment: Commitment) -> dict[str, list[int]]:
    sides: dict[str, list[int]] = {"by": [], "to": []}
    for party_id, side in session.exec(select(CommitmentParty.party_id, CommitmentParty.side)
                                       .where(CommitmentParty.commitment_id == commitment.id)
                                       .order_by(CommitmentParty.party_id)):
        sides[side].append(party_id)
    return sides


def reschedule(session: Session, commitment: Commitment, window: Window, reason: str = "",
               actor: events.Actor = events.SYSTEM) -> DueWindowChange | None:
    """Move the due window; the baseline stays, the change is kept in the history."""
    window.check()
    old = Window.of(commitment)
    if old == window:
        return None
    change = DueWindowChange(commitment_id=commitment.id, old_phrase=old.phrase, old_earliest=old.earliest,
                             old_latest=old.latest, old_precision=old.precision, new_phrase=window.phrase,
                             new_earliest=window.earliest, new_latest=window.latest, new_precision=window.precision,
                             reason=reason.strip(), changed_at=clock.now(), changed_by=actor.name)
    session.add(change)
    commitment.due_phrase, commitment.due_earliest, commitment.due_latest = window.phrase, window.earliest, window.latest
    commitment.due_precision, commitment.due_anchor_meeting_id = window.precision, window.anchor_meeting_id
    if commitment.baseline_latest is None and old.latest is None and window.latest is not None:
        # A vague promise that gets its first date: that date becomes the baseline to measure slips against.
        commitment.baseline_phrase, commitment.baseline_earliest = window.phrase, window.earliest
        commitment.baseline_latest = window.latest
    commitment.updated_at = clock.now()
    session.add(commitment)
    session.flush()
    events.record(session, "commitment.rescheduled", "commitment", commitment.id, actor,
                  {"from": {"phrase": old.phrase, "earliest": old.earliest, "latest": old.latest,
                            "precision": old.precision, "anchor_meeting_id": old.anchor_meeting_id},
                   "to": {"phrase": window.phrase, "earliest": window.earliest, "latest": window.latest,
                          "precision": window.precision, "anchor_meeting_id": window.anchor_meeting_id},
                   "reason": reason})
    return change


def update_progress(session: Session, commitment: Commitment, *, status: str, progress: int | None = None,
                    fulfilled_on: date | None = None, evidence_url: str | None = None,
                    evidence_letter_id: int | None = None, evidence_meeting_id: int | None = None,
                    outcome: str | None = None, replaced_by_id: int | None = None,
                    actor: events.Actor = events.SYSTEM, viewer: access.Viewer = access.EVERYTHING) -> None:
    """Change status / progress; done and partly done need the day it happened; a superseded one may name the
    commitment that replaces it (kept in the event, so notices and the history can name it), one the writer
    (`viewer`) may see."""
    validation.choice(status, STATUSES, "status")
    if replaced_by_id is not None:
        if status != "superseded":
            raise InvalidInput("only a superseded commitment is replaced by another", "replaced_by_id")
        if replaced_by_id == commitment.id:
            raise InvalidInput("a commitment cannot replace itself", "replaced_by_id")
        if access.get_visible(session, viewer, Commitment, replaced_by_id) is None:
            # One the writer may not see is not named, not even as existing.
            raise InvalidInput(f"there is no commitment {replaced_by_id}", "replaced_by_id")
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput("progress is a percentage from 0 to 100", "progress")
    if status in ("done", "partly_done") and fulfilled_on is None:
        raise InvalidInput("say on which day it was done", "fulfilled_on")
    if fulfilled_on and fulfilled_on > clock.today_in():
        raise InvalidInput("the fulfilment day is in the future", "fulfilled_on")
    evidence_url = validation.url(evidence_url, "evidence_url") if evidence_url else commitment.evidence_url
    previous, previous_progress, previous_outcome = commitment.status, commitment.progress, commitment.outcome
    previous_evidence = (commitment.evidence_url, commitment.evidence_letter_id, commitment.evidence_meeting_id)
    previous_fulfilled_on = commitment.fulfilled_on
    commitment.status = status
    commitment.progress = 100 if status == "done" else (progress if progress is not None else commitment.progress)
    commitment.fulfilled_on = fulfilled_on if status in ("done", "partly_done") else None
    commitment.evidence_url = evidence_url
    commitment.evidence_letter_id = evidence_letter_id or commitment.evidence_letter_id
    commitment.evidence_meeting_id = evidence_meeting_id or commitment.evidence_meeting_id
    if outcome is not None:
        commitment.outcome = outcome.strip()
    commitment.updated_at = clock.now()
    session.add(commitment)
    kind = {"done": "commitment.done", "partly_done": "commitment.partly_done", "dropped": "commitment.dropped",
            "superseded": "commitment.superseded"}.get(status, "commitment.progressed")
    evidence = (commitment.evidence_url, commitment.evidence_letter_id, commitment.evidence_meeting_id)
    events.record(session, kind, "commitment", commitment.id, actor,
                  {"from_status": previous, "status": status, "from_progress": previous_progress,
                   "progress": commitment.progress, "fulfilled_on": commitment.fulfilled_on,
                   "evidence_url": commitment.evidence_url, "evidence_letter_id": commitment.evidence_letter_id,
                   "evidence_meeting_id": commitment.evidence_meeting_id,
                   "evidence_changed": evidence != previous_evidence,
                   # What it replaced, so the record as of an earlier day can be rebuilt (tracker/snapshots).
                   "from_fulfilled_on": previous_fulfilled_on, "from_evidence_url": previous_evidence[0],
                   "from_evidence_letter_id": previous_evidence[1], "from_evidence_meeting_id": previous_evidence[2],
                   "from_outcome": previous_outcome, "outcome": commitment.outcome,
                   **({"replaced_by_id": replaced_by_id} if replaced_by_id is not None else {})})


def compute_window(session: Session, phrase: str, written_on: date, date_order: str) -> DueWindow | None:
    """parse_due on the phrase, with every meeting it may name as a possible anchor; None when nothing is found."""
    if not (phrase or "").strip():
        return None
    return parse_due(phrase.strip(), written_on=written_on, events=meetings_as_anchors(session, named_in=phrase),
                     date_order=date_order)
