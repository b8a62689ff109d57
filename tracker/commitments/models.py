from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Index, and_, bindparam, case
from sqlmodel import Field, SQLModel

from tracker.db import UTCDateTime

KINDS = ("promise", "request")
STATUSES = ("open", "in_progress", "done", "partly_done", "dropped", "superseded")
ACTIVE_STATUSES = ("open", "in_progress")
DONE_STATUSES = ("done", "partly_done")
CLOSED_STATUSES = ("done", "partly_done", "dropped", "superseded")
UNDECIDED_PRECISIONS = ("vague", "unresolved")
DUE_PRECISIONS = ("day", "window", "vague", "unresolved")
SIDES = ("by", "to")


class Commitment(SQLModel, table=True):
    """A promise we made, or a request made of us, with its due window and its baseline."""

    __tablename__ = "commitment"
    __table_args__ = (
        Index("ix_commitment_status_latest", "status", "due_latest"),
        Index("ix_commitment_owner_status", "owner_id", "status"),
        # Dashboards: "done in the last 30 days" and "needs a decision" (vague/unresolved and open).
        Index("ix_commitment_status_fulfilled", "status", "fulfilled_on"),
        Index("ix_commitment_precision_status", "due_precision", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    title: str = Field(max_length=300)
    quote: str = ""
    source_letter_id: int | None = Field(default=None, foreign_key="letter.id", ondelete="SET NULL", index=True)
    source_meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True)
    speaker_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    # The due window, shaped as tracker.duedates.DueWindow so parse_due can fill it.
    due_phrase: str = Field(default="", max_length=300)
    due_earliest: date | None = None
    due_latest: date | None = None
    due_precision: str = Field(default="vague", max_length=12)
    due_anchor_meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True)
    # The first due window, kept when the commitment is rescheduled.
    baseline_phrase: str = Field(default="", max_length=300)
    baseline_earliest: date | None = None
    baseline_latest: date | None = None
    status: str = Field(default="open", max_length=16)
    progress: int = 0
    fulfilled_on: date | None = None
    evidence_url: str | None = Field(default=None, max_length=2000)
    # Indexed so deleting a letter or meeting finds the commitments citing it (migration 0013).
    evidence_letter_id: int | None = Field(default=None, foreign_key="letter.id", ondelete="SET NULL", index=True)
    evidence_meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True)
    # How a request was answered, or what fulfilment looked like.
    outcome: str = ""
    # Where it stands in the admin-defined phases of its kind (tracker.phases); none when phases are not used.
    phase_id: int | None = Field(default=None, foreign_key="phase.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


# The commitments list reads "most urgent first, undated last" (ORDER BY due_latest IS NULL, due_latest,
# id) from these, in index order, instead of sorting every matching row (migration 0003).
Index("ix_commitment_due_order", Commitment.due_latest.is_(None), Commitment.due_latest, Commitment.id)
Index("ix_commitment_status_due_order", Commitment.status, Commitment.due_latest.is_(None), Commitment.due_latest,
      Commitment.id)
# The overdue and due-soon lists (status open or in progress, soonest latest day first): PostgreSQL cannot
# read an IN over two statuses from the status index in due order, so without this it sorts every active
# commitment (~15,000 rows at 100k letters) to show one page (migration 0009).
ACTIVE_DUE_ORDER = Index("ix_commitment_active_due_order", Commitment.due_latest, Commitment.id,
                         postgresql_where=Commitment.status.in_(ACTIVE_STATUSES),
                         sqlite_where=Commitment.status.in_(ACTIVE_STATUSES))
# The list of active commitments (open or in progress), most urgent first and undated last: read in this order and
# cut at the page, where SQLite sorted every active commitment (about 344,000 at 1M letters, 0.6 s). SQLite's
# sampled statistics do not see that it gives the order, so the list names it (commitments.queries.filtered;
# migration 0019).
ACTIVE_LIST_ORDER = Index("ix_commitment_active_list_order", Commitment.due_latest.is_(None), Commitment.due_latest,
                          Commitment.id, postgresql_where=Commitment.status.in_(ACTIVE_STATUSES),
                          sqlite_where=Commitment.status.in_(ACTIVE_STATUSES))
# The list of commitments that need a decision (active, with a vague or unresolved window), in the same order: they
# sit mostly at the undated end of the one above, so the active order would be walked almost whole to reach them
# (migration 0019).
UNDECIDED_LIST_ORDER = Index("ix_commitment_undecided_list_order", Commitment.due_latest.is_(None),
                             Commitment.due_latest, Commitment.id,
                             postgresql_where=and_(Commitment.status.in_(ACTIVE_STATUSES),
                                                   Commitment.due_precision.in_(UNDECIDED_PRECISIONS)),
                             sqlite_where=and_(Commitment.status.in_(ACTIVE_STATUSES),
                                               Commitment.due_precision.in_(UNDECIDED_PRECISIONS)))
# The lists of commitments done on time and done late (done or partly done, soonest latest day first): read in this
# order, each row checked, and cut at the page, where SQLite sorted every done commitment late or on time (916,000
# late at 1M letters: 11 s). Named for SQLite as the one above (migration 0019).
DONE_DUE_ORDER = Index("ix_commitment_done_due_order", Commitment.due_latest, Commitment.id,
                       postgresql_where=Commitment.status.in_(DONE_STATUSES),
                       sqlite_where=Commitment.status.in_(DONE_STATUSES))
# The board reports count every commitment by its timing() word (timing_condition, grouped by kind): this holds the
# kind and every column that word is judged from, so both databases count every commitment from it alone instead
# of reading every whole row (title, quote, outcome...); the id last, so a reader limited to some parties
# (commitment.id IN ...) is counted from it too on PostgreSQL (SQLite still looks each of those rows up; migration
# 0020). Partial on SQLite, over the two kinds, which every commitment
# has, so that SQLite uses it only for a statement that says so in those words (counted_kinds_written_out): its
# sampled statistics rate "kind = ?" as selective, and the list of one kind then read every commitment of that kind
# through it and sorted them, instead of walking the list's order index and stopping at the page. Whole on
# PostgreSQL, whose planner weighs the kinds by their real shares: partial, the count's kind condition would no
# longer be an index condition there, and it estimated the whole table's scan as cheaper (1.7 times slower).
TIMING_COUNTS = Index("ix_commitment_timing", Commitment.kind, Commitment.status, Commitment.due_precision,
                      Commitment.due_latest, Commitment.fulfilled_on, Commitment.id,
                      sqlite_where=Commitment.kind.in_(KINDS))
# The overview's "recently done" list (done or partly done, newest fulfilment first), for the same reason
# (migration 0017).
DONE_ORDER = Index("ix_commitment_done_order", Commitment.fulfilled_on, Commitment.id,
                   postgresql_where=Commitment.status.in_(DONE_STATUSES),
                   sqlite_where=Commitment.status.in_(DONE_STATUSES))


class CommitmentParty(SQLModel, table=True):
    """Parties on each side: a promise is made by us (side 'by') to them (side 'to'); a request the reverse."""

    __tablename__ = "commitment_party"
    __table_args__ = (Index("ix_commitment_party_party", "party_id", "side", "commitment_id"),)

    commitment_id: int = Field(foreign_key="commitment.id", primary_key=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", primary_key=True, ondelete="RESTRICT")
    side: str = Field(max_length=4, primary_key=True)


class DueWindowChange(SQLModel, table=True):
    """One reschedule: the window before and after, why, and who moved it."""

    __tablename__ = "due_window_change"

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitment.id", ondelete="CASCADE", index=True)
    old_phrase: str = Field(default="", max_length=300)
    old_earliest: date | None = None
    old_latest: date | None = None
    old_precision: str = Field(max_length=12)
    new_phrase: str = Field(default="", max_length=300)
    new_earliest: date | None = None
    new_latest: date | None = None
    new_precision: str = Field(max_length=12)
    reason: str = ""
    changed_at: datetime = Field(sa_type=UTCDateTime)
    changed_by: str = Field(default="system", max_length=200)


# Derived states: computed from the row and a date, never stored by hand. Each is defined here twice over,
# once for a loaded row and once as an SQL condition, side by side so they change together;
# tests/commitments/test_derived_states.py checks on every combination of status and dates that they agree.
def is_active(commitment: Commitment) -> bool:
    return commitment.status in ACTIVE_STATUSES


def is_overdue(commitment: Commitment, today: date) -> bool:
    """Overdue: today (in the relevant timezone) is after the last on-time day and it is not closed."""
    return is_active(commitment) and commitment.due_latest is not None and today > commitment.due_latest


def is_due_soon(commitment: Commitment, today: date, within_days: int) -> bool:
    return (is_active(commitment) and commitment.due_latest is not None
            and today <= commitment.due_latest <= today + timedelta(days=within_days))


def is_done_late(commitment: Commitment) -> bool:
    return (commitment.status in DONE_STATUSES and commitment.fulfilled_on is not None
            and commitment.due_latest is not None and commitment.fulfilled_on > commitment.due_latest)


def is_done_on_time(commitment: Commitment) -> bool:
    """Done or partly done by the last on-time day of a dated window."""
    return (commitment.status in DONE_STATUSES and commitment.fulfilled_on is not None
            and commitment.due_latest is not None and commitment.fulfilled_on <= commitment.due_latest)


def needs_decision(commitment: Commitment) -> bool:
    """A vague or unresolved window: someone has to decide when it is due."""
    return is_active(commitment) and commitment.due_precision in UNDECIDED_PRECISIONS


def _written_out(column, values):
    """column IN (values) with the values written into the statement rather than bound: SQLite uses a partial
    index only for a condition it can see implies the index's own, and a bound value hides that."""
    return column.in_(bindparam(f"{column.key}_written_out", list(values), expanding=True, literal_execute=True))


def active_written_out():
    """state_condition("active"), written out (see _written_out)."""
    return _written_out(Commitment.status, ACTIVE_STATUSES)


def undecided_written_out():
    """state_condition("needs_decision"), written out."""
    return and_(active_written_out(), _written_out(Commitment.due_precision, UNDECIDED_PRECISIONS))


def counted_kinds_written_out():
    """Commitment.kind IN KINDS (every commitment), written out: the condition of ix_commitment_timing."""
    return _written_out(Commitment.kind, KINDS)


def done_written_out():
    """Done or partly done, written out."""
    return _written_out(Commitment.status, DONE_STATUSES)


def state_condition(state: str, today: date, due_soon_days: int, commitment=Commitment):
    """The SQL condition for a derived state (as the is_* functions above) or a stored status, over `commitment`: the
    table, or the columns of a subquery of it (`subquery.c`, as the party page reads a CTE of some of them)."""
    c = commitment
    active = c.status.in_(ACTIVE_STATUSES)
    if state == "overdue":
        return and_(active, c.due_latest < today)
    if state == "due_soon":
        return and_(active, c.due_latest >= today, c.due_latest <= today + timedelta(days=due_soon_days))
    if state == "needs_decision":
        return and_(active, c.due_precision.in_(UNDECIDED_PRECISIONS))
    if state == "done_on_time":
        return and_(c.status.in_(DONE_STATUSES), c.fulfilled_on <= c.due_latest)
    if state == "done_late":
        return and_(c.status.in_(DONE_STATUSES), c.fulfilled_on > c.due_latest)
    if state == "active":
        return active
    return c.status == state


def timing(commitment: Commitment, today: date, within_days: int) -> str:
    """One word for lists and badges: overdue, due_soon, needs_decision, done_late, on_time, open, closed."""
    if is_overdue(commitment, today):
        return "overdue"
    if is_due_soon(commitment, today, within_days):
        return "due_soon"
    if needs_decision(commitment):
        return "needs_decision"
    if is_done_late(commitment):
        return "done_late"
    if commitment.status in DONE_STATUSES:
        return "on_time"
    return "open" if is_active(commitment) else "closed"


def timing_condition(today: date, within_days: int):
    """The SQL twin of timing(): the same words from the same state conditions, checked in the same order, so a
    count grouped by it (the board reports' summaries) agrees with the word each row shows."""
    return case(
        *((state_condition(state, today, within_days), state)
          for state in ("overdue", "due_soon", "needs_decision", "done_late")),
        (Commitment.status.in_(DONE_STATUSES), "on_time"),
        (state_condition("active", today, within_days), "open"),
        else_="closed")


def replacement_named(kind: str, data: dict | None) -> int | None:
    """The id of the commitment an event names as the replacement: only a commitment.superseded event names one."""
    replaced_by = (data or {}).get("replaced_by_id") if kind == "commitment.superseded" else None
    return replaced_by if isinstance(replaced_by, int) and not isinstance(replaced_by, bool) else None


def slip_days(commitment: Commitment) -> int | None:
    """How far the current window's end moved from the baseline's."""
    if commitment.due_latest is None or commitment.baseline_latest is None:
        return None
    return (commitment.due_latest - commitment.baseline_latest).days


@dataclass(frozen=True)
class RowState:
    """The one state a list row shows: `timing` plus what a reader needs to judge it at a glance."""
    key: str                  # a timing() word, or the closed status (dropped, superseded)
    days_late: int | None     # overdue: days past the last on-time day; done: days after it (0 or more)
    done_on: date | None      # the fulfilment day of a done or partly done commitment
    status: str               # the stored status, for "partly done"


def row_state(commitment: Commitment, today: date, within_days: int) -> RowState:
    """What a list row says about a commitment, with how late it is (or was) in days."""
    key = timing(commitment, today, within_days)
    if key == "closed":
        key = commitment.status
    days_late = None
    if key == "overdue":
        days_late = (today - commitment.due_latest).days
    elif commitment.status in DONE_STATUSES and commitment.fulfilled_on and commitment.due_latest:
        days_late = max((commitment.fulfilled_on - commitment.due_latest).days, 0)
    done_on = commitment.fulfilled_on if commitment.status in DONE_STATUSES else None
    return RowState(key, days_late, done_on, commitment.status)
