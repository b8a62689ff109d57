"""select() builders for the overview and party pages. Every list is capped by the caller (.limit) so a page
costs the same number of statements, each bounded by an index, whatever the size of the database."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from sqlmodel import and_, bindparam, case, func, literal, select, true, union_all

from tracker.access import Viewer
from tracker.commitments.models import ACTIVE_STATUSES, DONE_STATUSES, SIDES, Commitment, CommitmentParty
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
def _in_party_list_order(commitment=Commitment):
    """Open ones first (soonest due first, undated last), then the latest closed ones; over the table or the columns
    of a subquery of it."""
    active = commitment.status.in_(ACTIVE_STATUSES)
    return (case((active, 0), else_=1), commitment.due_latest.is_(None),
            case((active, commitment.due_latest), else_=None), commitment.due_latest.desc(), commitment.id.desc())


def _in_timeline_order(commitment=Commitment):
    """The latest due first."""
    return commitment.due_latest.desc(), commitment.id.desc()


def of_party(party_id: int, side: str, kind: str, viewer: Viewer):
    """A party's commitments on one side: open ones first (soonest due first, undated last), then the latest
    closed ones."""
    statement = select(Commitment).where(of_parties([party_id], side), Commitment.kind == kind)
    return visible(statement, viewer).order_by(*_in_party_list_order())


# The party page's summary line, in reading order: each is a derived state of the commitments list's filter,
# so a count and the list its link opens are the same rows.
SUMMARY_STATES = ("overdue", "due_soon", "needs_decision", "done_on_time", "done_late")
# The party page's lists of commitments: its promises, its requests, and the dated ones drawn on its timeline.
PARTY_LISTS = ("promised", "asked", "timeline")


def _party_commitments(viewer: Viewer):
    """The commitments of the party given as the `party_id` parameter that the viewer may see, as a CTE of the columns
    the page's counts and list orders read, with the sides the party is on (on_by, on_to: 1 or 0), one row per
    commitment however many sides it is on.

    Grouped after the join rather than joined to the grouped links: a subquery's column with a foreign key is copied
    with it, and each copy registers an event listener with SQLAlchemy (about 3 ms per statement built)."""
    def on(side):
        return func.max(case((CommitmentParty.side == side, 1), else_=0)).label(f"on_{side}")

    statement = (select(Commitment.id, Commitment.kind, Commitment.status, Commitment.due_latest,
                        Commitment.due_precision, Commitment.fulfilled_on, *(on(side) for side in SIDES))
                 .join(CommitmentParty, CommitmentParty.commitment_id == Commitment.id)
                 .where(CommitmentParty.party_id == bindparam("party_id"))
                 .group_by(Commitment.id, Commitment.kind, Commitment.status, Commitment.due_latest,
                           Commitment.due_precision, Commitment.fulfilled_on))
    return visible(statement, viewer).cte("party_commitments")


@lru_cache(maxsize=64)
def party_page(promises_side: str, requests_side: str, today: date, within_days: int, viewer: Viewer, list_cap: int,
               timeline_cap: int):
    """The party page's summary line and its lists in one statement, for the party given as the `party_id` parameter
    when it is executed: one row of counts (SUMMARY_STATES and its open requests), joined with each listed
    commitment, tagged with its list (PARTY_LISTS) and place, or with none when nothing is listed.

    The party's commitments are read once, a few columns of each, into a CTE that the counts and every list read
    (PostgreSQL and SQLite compute a CTE named more than once only once); only the listed ones are then read whole.
    Four statements each read them (783 at 100k letters, by id, for each), which was most of PostgreSQL's work for
    the page. Built once per sides, day, reader and caps, and kept: building it costs 3-4 ms, more than SQLite takes
    to run it."""
    mine = _party_commitments(viewer)
    c = mine.c

    def counted(condition):
        return func.count().filter(condition)

    summary = select(*(counted(state_condition(state, today, within_days, c)).label(state) for state in SUMMARY_STATES),
                     counted(and_(c.kind == "request", state_condition("active", today, within_days, c)))
                     .label("open_requests")).subquery("summary")

    def listed(name: str, condition, in_order, cap: int):
        # The first `cap` in order (a bounded sort), then numbered in the same order: a subquery of its own, as SQLite
        # takes no ORDER BY or LIMIT in a part of a UNION.
        first = select(c.id, c.status, c.due_latest).where(condition).order_by(*in_order(c)).limit(cap).subquery()
        return select(first.c.id, literal(name).label("list"),
                      func.row_number().over(order_by=in_order(first.c)).label("place"))

    lists = union_all(
        listed("promised", and_(c[f"on_{promises_side}"] == 1, c.kind == "promise"), _in_party_list_order, list_cap),
        listed("asked", and_(c[f"on_{requests_side}"] == 1, c.kind == "request"), _in_party_list_order, list_cap),
        listed("timeline", c.due_latest.is_not(None), _in_timeline_order, timeline_cap)).subquery("listed")
    return (select(summary, lists.c.list, Commitment).select_from(summary)
            .outerjoin(lists.join(Commitment, Commitment.id == lists.c.id), true())
            .order_by(lists.c.list, lists.c.place))


def letters_between(statement, sent_after: date | None = None, sent_before: date | None = None):
    """Narrow a letters statement to a sending-date range (both ends included)."""
    if sent_after:
        statement = statement.where(Letter.sent_on >= sent_after)
    if sent_before:
        statement = statement.where(Letter.sent_on <= sent_before)
    return statement
