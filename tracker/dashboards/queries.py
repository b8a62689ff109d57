"""select() builders for the overview and party pages. Every list is capped by the caller (.limit) so a page
costs the same number of statements, each bounded by an index, whatever the size of the database."""
from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import and_, case, func, select

from tracker.access import Viewer
from tracker.commitments.models import ACTIVE_STATUSES, DONE_STATUSES, Commitment
from tracker.commitments.queries import involving_parties as of_parties
from tracker.commitments.queries import state_condition, visible
from tracker.letters.models import Letter
from tracker.letters.queries import awaiting_reply_late

RECENT_DAYS = 30


def _commitments(condition, viewer):
    return visible(select(Commitment).where(condition), viewer)


def overdue(today: date, viewer: Viewer):
    """Open commitments past their last on-time day, most overdue first."""
    return (_commitments(state_condition("overdue", today, 0), viewer)
            .order_by(Commitment.due_latest, Commitment.id))


def due_soon(today: date, within_days: int, viewer: Viewer):
    """Open commitments due between today and today + within_days, soonest first."""
    return (_commitments(state_condition("due_soon", today, within_days), viewer)
            .order_by(Commitment.due_latest, Commitment.id))


def needs_decision(viewer: Viewer):
    """Open commitments with a vague or unresolved window, the longest waiting first."""
    return (_commitments(state_condition("needs_decision", date.min, 0), viewer)
            .order_by(Commitment.id))


def recently_done(today: date, viewer: Viewer, days: int = RECENT_DAYS):
    """Commitments done or partly done in the last `days` days, newest first."""
    condition = and_(Commitment.fulfilled_on >= today - timedelta(days=days), Commitment.fulfilled_on <= today,
                     Commitment.status.in_(DONE_STATUSES))
    return _commitments(condition, viewer).order_by(Commitment.fulfilled_on.desc(), Commitment.id.desc())


def late_letters(today: date, viewer: Viewer):
    return awaiting_reply_late(today, viewer)


def overview_counts(today: date, within_days: int, viewer: Viewer):
    """One row with the size of each overview list, as scalar subqueries: one statement for all cards."""
    def count_of(statement):
        return (statement.with_only_columns(func.count()).order_by(None)).scalar_subquery()

    return select(count_of(overdue(today, viewer)).label("overdue"),
                  count_of(due_soon(today, within_days, viewer)).label("due_soon"),
                  count_of(late_letters(today, viewer)).label("letters_late"),
                  count_of(needs_decision(viewer)).label("needs_decision"),
                  count_of(recently_done(today, viewer)).label("recently_done"))


# Party page
def _active_first():
    return case((Commitment.status.in_(ACTIVE_STATUSES), 0), else_=1)


def of_party(party_id: int, side: str, kind: str, viewer: Viewer):
    """A party's commitments on one side: open ones first (soonest due first, undated last), then the latest
    closed ones."""
    statement = select(Commitment).where(of_parties([party_id], side), Commitment.kind == kind)
    return visible(statement, viewer).order_by(
        _active_first(), Commitment.due_latest.is_(None),
        case((Commitment.status.in_(ACTIVE_STATUSES), Commitment.due_latest), else_=None),
        Commitment.due_latest.desc(), Commitment.id.desc())


# The party page's summary line, in reading order: each is a derived state of the commitments list's filter,
# so a count and the list its link opens are the same rows.
SUMMARY_STATES = ("overdue", "due_soon", "needs_decision", "done_on_time", "done_late")


def party_summary(party_id: int, today: date, within_days: int, viewer: Viewer):
    """One row: how many of the party's commitments (either side) are in each summary state, and how many of its
    requests are still open; one pass over the party's commitments, each state counted by its own condition
    (a scalar subquery per state read the party's rows once per state, and made PostgreSQL join every active
    commitment for the overdue count)."""
    def counted(condition):
        return func.count().filter(condition)

    columns = [counted(state_condition(state, today, within_days)).label(state) for state in SUMMARY_STATES]
    columns.append(counted(and_(Commitment.kind == "request", state_condition("active", today, within_days)))
                   .label("open_requests"))
    return visible(select(*columns).select_from(Commitment).where(of_parties([party_id])), viewer)


def timeline_of_party(party_id: int, viewer: Viewer):
    """The party's dated commitments for the timeline picture: the latest due first (the caller caps it)."""
    statement = select(Commitment).where(of_parties([party_id]), Commitment.due_latest.is_not(None))
    return visible(statement, viewer).order_by(Commitment.due_latest.desc(), Commitment.id.desc())


def letters_between(statement, sent_after: date | None = None, sent_before: date | None = None):
    """Narrow a letters statement to a sending-date range (both ends included)."""
    if sent_after:
        statement = statement.where(Letter.sent_on >= sent_after)
    if sent_before:
        statement = statement.where(Letter.sent_on <= sent_before)
    return statement
