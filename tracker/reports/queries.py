"""select() builders for the board reports: the party page's lists (tracker.dashboards.queries) uncapped up to the
report's own cap, and the counts of its summary, each counted in one statement whatever the size of the database."""
from __future__ import annotations

from datetime import date

from sqlmodel import and_, case, func, or_, select, union_all

from tracker import access, clock
from tracker.access import Viewer
from tracker.commitments.models import (ACTIVE_DUE_ORDER, ACTIVE_STATUSES, Commitment, CommitmentParty,
                                        active_written_out, counted_kinds_written_out, timing_condition)
from tracker.commitments.queries import visible
from tracker.dashboards.queries import of_party
from tracker.letters.models import Letter, LetterParticipant
from tracker.letters.queries import listing
from tracker.parties.models import Party

# What a report's sections hold for one party: promises made to it, requests made by it (as on the party page).
SECTIONS = (("promise", "to"), ("request", "by"))
# The columns a report writes of a commitment and of a letter: rows, not records (no quote, no letter body).
COMMITMENT_COLUMNS = (Commitment.id, Commitment.title, Commitment.status, Commitment.due_phrase,
                      Commitment.due_earliest, Commitment.due_latest, Commitment.due_precision,
                      Commitment.fulfilled_on, Commitment.progress, Commitment.owner_id, Commitment.phase_id)
LETTER_COLUMNS = (Letter.id, Letter.subject, Letter.sent_on, Letter.date_precision, Letter.reply_by)


def commitments(kind: str, viewer: Viewer, party_id: int | None = None) -> list:
    """The report's rows of one kind, as statements to read in turn until the report has its cap of rows: the party
    page's list for a party (dashboards.queries.of_party); for every party, every visible commitment of that kind in
    the same order (open ones soonest due first, undated last, then the latest closed), read in three parts so each
    follows an index: the open ones with a due day from the open commitments' due-order index, then the undated
    open ones, then the closed ones, instead of sorting every commitment of the kind to keep the first few hundred."""
    if party_id is not None:
        return [of_party(party_id, dict(SECTIONS)[kind], kind, viewer).with_only_columns(*COMMITMENT_COLUMNS)]
    of_kind = visible(select(*COMMITMENT_COLUMNS).where(Commitment.kind == kind), viewer)
    active = Commitment.status.in_(ACTIVE_STATUSES)
    open_dated = of_kind.where(active_written_out(), Commitment.due_latest.is_not(None))
    if viewer.sees_everything and clock.viewing_as_of() is None:
        # SQLite's sampled statistics rate the status index higher, then sort every open commitment of the kind.
        # Named for a reader of every party only (a reader of a few parties is read from their commitments), and
        # not for a past day (the table is then a view of the record as it was, which has no index of its own).
        open_dated = open_dated.with_hint(Commitment, f"INDEXED BY {ACTIVE_DUE_ORDER.name}", "sqlite")
    return [open_dated.order_by(Commitment.due_latest, Commitment.id.desc()),
            of_kind.where(active, Commitment.due_latest.is_(None)).order_by(Commitment.id.desc()),
            of_kind.where(Commitment.status.not_in(ACTIVE_STATUSES))
            .order_by(Commitment.due_latest.is_(None), Commitment.due_latest.desc(), Commitment.id.desc())]


def state_counts(today: date, within_days: int, viewer: Viewer, party_id: int | None = None):
    """(kind, state, count) rows over the report's commitments: one statement. Every commitment's are counted from
    ix_commitment_timing alone, under its own condition written out. A party's are read from its own links to
    commitments (a commitment has one link per party and side, so none counts twice): PostgreSQL read every
    commitment to test "promised to it, or asked by it" on each."""
    state = timing_condition(today, within_days).label("state")
    statement = select(Commitment.kind, state, func.count())
    if party_id is None:
        statement = statement.where(counted_kinds_written_out())  # the kinds of SECTIONS: every commitment
    else:
        statement = (statement.join(CommitmentParty, CommitmentParty.commitment_id == Commitment.id)
                     .where(CommitmentParty.party_id == party_id, _on_its_side()))
    return visible(statement, viewer).group_by(Commitment.kind, state)


def _on_its_side():
    return or_(*(and_(Commitment.kind == kind, CommitmentParty.side == side) for kind, side in SECTIONS))


def parties_in_summary(viewer: Viewer):
    """The visible parties by name, the order of the all-parties report's summary (read from the name index: a
    report lists its first parties without first counting every party's commitments)."""
    return select(Party.id, Party.short_name).where(access.parties(viewer)).order_by(Party.name, Party.id)


def count_of(statement):
    """How many rows a statement gives, counted by the database."""
    return select(func.count()).select_from(statement.order_by(None).subquery())


def state_counts_by_party(today: date, within_days: int, viewer: Viewer, party_ids):
    """(party_id, kind, state, count) rows: these parties' promises received and requests made that the viewer may
    see. A commitment made to several parties counts once for each of them. One statement, a part per section: the
    parties' links on that section's side (their index), joined to the commitments of that kind, which PostgreSQL
    then reads from ix_commitment_timing alone; with both sections in one condition ("promise and side to, or
    request and side by") it joined every link of these parties to every commitment and dropped most pairs after."""
    state = timing_condition(today, within_days).label("state")
    parties = sorted(party_ids)
    return union_all(*(
        visible(select(CommitmentParty.party_id, Commitment.kind, state, func.count())
                .join(Commitment, Commitment.id == CommitmentParty.commitment_id)
                .where(CommitmentParty.party_id.in_(parties), CommitmentParty.side == side, Commitment.kind == kind),
                viewer).group_by(CommitmentParty.party_id, Commitment.kind, state)
        for kind, side in SECTIONS))


def awaiting_reply(viewer: Viewer, party_id: int | None = None):
    """Letters still awaiting a reply (the letters list's filter), the earliest reply-by first, undated last."""
    statement = listing(viewer, party_id=party_id, reply_state="awaiting_reply").order_by(None)
    return statement.order_by(Letter.reply_by.is_(None), Letter.reply_by, Letter.id)


def awaiting_reply_rows(viewer: Viewer, party_id: int | None = None):
    """awaiting_reply() with only the columns a report writes."""
    return awaiting_reply(viewer, party_id).with_only_columns(*LETTER_COLUMNS)


def awaiting_reply_counts(today: date, viewer: Viewer, party_id: int | None = None):
    """One row: (letters awaiting a reply, of which past their reply-by date)."""
    letters = awaiting_reply(viewer, party_id).order_by(None).subquery()
    return select(func.count(), func.coalesce(func.sum(case((letters.c.reply_by < today, 1), else_=0)), 0)
                  ).select_from(letters)


def awaiting_reply_counts_by_party(today: date, viewer: Viewer, party_ids):
    """(party_id, awaiting, late) rows for these parties' letters awaiting a reply that the viewer may see; from the
    letters awaiting a reply (few, through their index) to their participants, each letter once per party."""
    # "+ 0": SQLite would otherwise probe the participants' party index once per letter and party.
    per_letter = (select(LetterParticipant.party_id, Letter.id.label("letter_id"), Letter.reply_by)
                  .join(Letter, Letter.id == LetterParticipant.letter_id)
                  .where(Letter.reply_state == "awaiting_reply", access.letters(viewer),
                         (LetterParticipant.party_id + 0).in_(sorted(party_ids))).distinct().subquery())
    late = func.coalesce(func.sum(case((per_letter.c.reply_by < today, 1), else_=0)), 0)
    return select(per_letter.c.party_id, func.count(), late).group_by(per_letter.c.party_id)
