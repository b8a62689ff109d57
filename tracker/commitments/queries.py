"""select() builders for commitments. Filters are validated before they get here (CommitmentFilters.parse)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import and_, func, or_
from sqlmodel import select

from tracker import access, clock, validation
from tracker.access import Viewer
from tracker.commitments.models import (ACTIVE_DUE_ORDER, ACTIVE_LIST_ORDER, ACTIVE_STATUSES, DONE_DUE_ORDER, KINDS,
                                        STATUSES, UNDECIDED_LIST_ORDER, Commitment, CommitmentParty, DueWindowChange,
                                        active_written_out, done_written_out, state_condition, undecided_written_out)
from tracker.events import Event
from tracker.parties.models import Party
from tracker.parties.queries import PARTY_NAME
from tracker.search.queries import (AFTER_SORTING, AS_LISTED, FROM_MATCHES, SearchQuery, checked_after_sorting, read_query,
                                    text_check, text_condition)

# Derived states a list can be filtered by, besides the stored statuses.
DERIVED_STATES = ("overdue", "due_soon", "needs_decision", "done_on_time", "done_late", "active")


@dataclass(frozen=True)
class CommitmentFilters:
    party_id: int | None = None
    side: str | None = None          # with party_id: "to" (promised to them) / "by" (asked by them)
    kind: str | None = None
    status: str | None = None        # a stored status or a derived state
    owner_id: int | None = None
    due_before: date | None = None   # due_latest <= due_before
    due_after: date | None = None    # due_latest >= due_after
    phase_id: int | None = None      # sits in this phase (tracker.phases)
    text: SearchQuery = SearchQuery()  # words searched for in the full-text index (q=)
    viewer: Viewer = field(default=access.NOBODY, compare=False)
    # How `text` is checked (search.queries.text_check): from its matches, or row by row when the words are
    # common; set by planned(), never read from the query string.
    text_check: str = field(default=FROM_MATCHES, compare=False)

    @classmethod
    def parse(cls, args, viewer: Viewer) -> "CommitmentFilters":
        """From query-string arguments; InvalidInput names the bad one."""
        def integer(name):
            return validation.query_number(args, name, lowest=0)

        def day(name):
            raw = (args.get(name) or "").strip()
            return validation.iso_date(raw, name) if raw else None

        kind = (args.get("kind") or "").strip() or None
        if kind:
            validation.choice(kind, KINDS, "kind")
        status = (args.get("status") or "").strip() or None
        if status:
            validation.choice(status, STATUSES + DERIVED_STATES, "status")
        side = (args.get("side") or "").strip() or None
        if side:
            validation.choice(side, ("by", "to"), "side")
        filters = cls(party_id=integer("party"), side=side, kind=kind, status=status, owner_id=integer("owner"),
                      due_before=day("due_before"), due_after=day("due_after"), phase_id=integer("phase"),
                      text=read_query(args.get("q")), viewer=viewer)
        validation.window(filters.due_after, filters.due_before, "due_before")
        return filters

    def planned(self, session, rows_wanted: int) -> "CommitmentFilters":
        """The same filters, with how to check `q=` decided by a bounded probe of the index (no change without
        q=): a list of `rows_wanted` rows then costs about the same whatever the number of matches."""
        if not self.text:
            return self
        return replace(self, text_check=text_check(session, "commitment", self.text, Commitment, rows_wanted,
                                                   self.read_in_list_order()))

    def read_in_list_order(self) -> bool:
        """The list is read from an index in its own order, so checking each row stops at the end of the page:
        every commitment, one stored status (ix_commitment_due_order, ix_commitment_status_due_order) or a state
        with an index of its own (WALKED_INDEXES). Other filters gather their rows and sort them first, and are
        checked after sorting."""
        return (self.viewer.sees_everything and self.party_id is None and self.owner_id is None
                and self.phase_id is None and not self.due_before and not self.due_after
                and self.status in (None, *STATUSES, *WALKED_INDEXES))


def involving_parties(party_ids, side: str | None = None):
    """A condition: the commitment has one of these parties (on that side).

    An IN over the link table's party index, not a correlated EXISTS: the planner then reads the few
    matching links first instead of probing the links of every commitment in a long list.
    """
    linked = select(CommitmentParty.commitment_id).where(CommitmentParty.party_id.in_(list(party_ids)))
    if side:
        linked = linked.where(CommitmentParty.side == side)
    return Commitment.id.in_(linked)


def filtered(filters: CommitmentFilters, today: date, due_soon_days: int):
    """Commitments matching the filters, most urgent first (open ones by latest day, vague last)."""
    statement = select(Commitment).where(access.commitments(filters.viewer))
    if filters.party_id is not None:
        statement = statement.where(involving_parties([filters.party_id], filters.side))
    if filters.kind:
        statement = statement.where(Commitment.kind == filters.kind)
    walked = _walked_index(filters)
    if walked is not None:
        index, statuses = walked
        statement = statement.where(statuses()).with_hint(Commitment, f"INDEXED BY {index.name}", "sqlite")
    if filters.status:
        statement = statement.where(state_condition(filters.status, today, due_soon_days))
    if filters.owner_id is not None:
        statement = statement.where(Commitment.owner_id == filters.owner_id)
    if filters.due_before:
        statement = statement.where(Commitment.due_latest <= filters.due_before)
    if filters.due_after:
        statement = statement.where(Commitment.due_latest >= filters.due_after)
    if filters.phase_id is not None:
        statement = statement.where(Commitment.phase_id == filters.phase_id)
    statement = statement.order_by(*_most_urgent_first(filters))
    if filters.text and filters.text_check == AFTER_SORTING:
        return checked_after_sorting(statement, Commitment, "commitment", filters.text)
    if filters.text:
        statement = statement.where(text_condition("commitment", Commitment.id, filters.text,
                                                   filters.text_check == AS_LISTED))
    return statement


# Lists of one state read in the order of a partial index over that state's statuses, each row checked and the read
# cut at the page. SQLite's sampled statistics pick a status index and sort every row of the state instead (0.6 s
# for the active ones at 1M letters, 11 s for those done late), so the list names the index, with the statuses
# written out so that SQLite sees it applies. PostgreSQL finds these indexes by itself.
def _dated(statuses):
    """The statuses written out, with a latest day: an index in (due_latest, id) order holds the undated rows first,
    and the condition skips them as one range rather than checking each."""
    return lambda: and_(statuses(), Commitment.due_latest.is_not(None))


WALKED_INDEXES = {"active": (ACTIVE_LIST_ORDER, active_written_out),
                  "needs_decision": (UNDECIDED_LIST_ORDER, undecided_written_out),
                  "overdue": (ACTIVE_DUE_ORDER, _dated(active_written_out)),
                  "due_soon": (ACTIVE_DUE_ORDER, _dated(active_written_out)),
                  "done_on_time": (DONE_DUE_ORDER, _dated(done_written_out)),
                  "done_late": (DONE_DUE_ORDER, _dated(done_written_out))}


def _walked_index(filters: CommitmentFilters):
    """(index, its statuses written out) when the list is read in that index's order, else None: not when another
    filter gathers the rows, nor when a rare word's matches are the start (a walk would check every row of the
    state), nor for a past day, whose table is a view of the record as it was, with no index of its own."""
    if filters.status not in WALKED_INDEXES or not filters.read_in_list_order() or clock.viewing_as_of() is not None:
        return None
    if filters.text and filters.text_check != AS_LISTED:
        return None
    return WALKED_INDEXES[filters.status]


# States whose every commitment has a latest day (a comparison with NULL is never true).
_DATED_STATES = frozenset({"overdue", "due_soon", "done_on_time", "done_late"})


def _most_urgent_first(filters: CommitmentFilters) -> tuple:
    """Soonest latest day first, undated last, then by id.

    When the filters already exclude undated rows the "undated last" term is left out: the order is
    the same, and the (status, due_latest) index can then stop reading at the end of the page instead
    of sorting every overdue commitment.
    """
    dated = filters.status in _DATED_STATES or filters.due_before or filters.due_after
    undated_last = () if dated else (Commitment.due_latest.is_(None),)
    return (*undated_last, Commitment.due_latest, Commitment.id)


def parties_of(commitment_ids):
    """(commitment_id, side, PARTY_NAME) rows for a page of commitments, by party name: one query, not one per
    row."""
    return (select(CommitmentParty.commitment_id, CommitmentParty.side, PARTY_NAME)
            .join(Party, Party.id == CommitmentParty.party_id)
            .where(CommitmentParty.commitment_id.in_(list(commitment_ids)))
            .order_by(Party.name))


def reschedules_of(commitment_id: int):
    return select(DueWindowChange).where(DueWindowChange.commitment_id == commitment_id).order_by(DueWindowChange.id)


def last_supersession(commitment_id: int, until: datetime | None = None):
    """The commitment's latest commitment.superseded event (by `until`, on a page of a past day), which names the
    replacement if there is one.

    The latest one decides: superseding again without naming a replacement leaves none. Read through
    ix_event_subject backwards.
    """
    statement = select(Event).where(Event.subject_type == "commitment", Event.subject_id == commitment_id,
                                    Event.kind == "commitment.superseded")
    if until is not None:
        statement = statement.where(Event.occurred_at <= until)
    return statement.order_by(Event.id.desc()).limit(1)


def from_letter(letter_id: int, viewer: Viewer):
    return (select(Commitment).where(Commitment.source_letter_id == letter_id, access.commitments(viewer))
            .order_by(Commitment.id))


def from_meeting(meeting_id: int, viewer: Viewer):
    return (select(Commitment).where(Commitment.source_meeting_id == meeting_id, access.commitments(viewer))
            .order_by(Commitment.id))


def visible(statement, viewer: Viewer):
    """Restrict any commitment statement to what the viewer may see."""
    return statement.where(access.commitments(viewer))


def owned_by(person_id: int):
    return select(Commitment).where(Commitment.owner_id == person_id, Commitment.status.in_(ACTIVE_STATUSES))



def anchored_to(meeting_id: int, viewer: Viewer):
    """Commitments whose due window is relative to this meeting ("prior to the Brussels meeting")."""
    return (select(Commitment).where(Commitment.due_anchor_meeting_id == meeting_id, access.commitments(viewer))
            .order_by(Commitment.id))


def by_id(commitment_id: int, viewer: Viewer):
    """One commitment, or nothing when the viewer may not see it."""
    return visible(select(Commitment).where(Commitment.id == commitment_id), viewer)


def unresolved_naming(words: list[str]):
    """Open commitments due relative to a meeting that was not recorded when they were made ("before the
    Toronto meeting"), whose phrase holds one of ``words`` (lower case, letters and digits only).

    Read through ix_commitment_precision_status: only the unresolved, open ones are looked at, never the whole
    table; the phrase itself is checked again by the caller with the grammar.
    """
    if not words:
        return select(Commitment).where(Commitment.id.is_(None))
    return (select(Commitment)
            .where(Commitment.due_precision == "unresolved", Commitment.status.in_(ACTIVE_STATUSES),
                   Commitment.due_anchor_meeting_id.is_(None),
                   or_(*(func.lower(Commitment.due_phrase).like(f"%{word}%") for word in words)))
            .order_by(Commitment.id))
