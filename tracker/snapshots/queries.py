"""select() builders for rebuilding the record as of a past day."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, exists, func
from sqlmodel import select

from tracker.commitments.models import Commitment, DueWindowChange
from tracker.consultations.models import CommentPeriod, CommentPeriodExtension
from tracker.events import Event
from tracker.letters.models import Letter, LetterFile
from tracker.meetings.models import Meeting
from tracker.search.models import SearchDocument
from tracker.snapshots.replay import COLUMNS, CREATING_KINDS, STATE_KINDS, STATE_KINDS_OF

MODELS = {"letter": Letter, "commitment": Commitment, "meeting": Meeting, "comment_period": CommentPeriod}


def changes_since(cutoff: datetime):
    """One row: how many records changed at or after the cutoff, how many state-changing events changed them, and
    the newest of those events' ids. Reads the (kind, occurred_at) index once, so its cost follows the number of
    changes since then, not the size of the log. The first says whether the day may be rebuilt at all
    (AS_OF_MAX_CHANGES); the other two whether a replay kept from an earlier request still holds: a day's replay
    depends on nothing else (each change appends an event, recorded at the moment it is made). The count of events
    also moves when a transaction that took an older id commits late (PostgreSQL hands out ids before commit)."""
    per_record = (select(func.count().label("events"), func.max(Event.id).label("newest"))
                  .where(Event.kind.in_(STATE_KINDS), Event.occurred_at >= cutoff)
                  .group_by(Event.subject_type, Event.subject_id).subquery())
    return select(func.count(), func.coalesce(func.sum(per_record.c.events), 0), func.max(per_record.c.newest))


def made_since(subject_type: str, cutoff: datetime):
    """Ids of the records of this kind made at or after the cutoff: they did not exist yet. (The kinds of event
    name their subject's type, so the subject type is not asked for: SQLite would then scan every event of that
    type through ix_event_subject instead of the few since the cutoff.)"""
    return (select(Event.subject_id)
            .where(Event.kind.in_(CREATING_KINDS[subject_type]), Event.occurred_at >= cutoff).distinct())


def changed_since(subject_type: str, cutoff: datetime, hidden_ids):
    """Ids of the records of this kind that existed at the cutoff (not among `hidden_ids`, a table of the ids of
    those made since) and changed after it."""
    return (select(Event.subject_id)
            .where(Event.kind.in_(STATE_KINDS_OF[subject_type]), Event.occurred_at >= cutoff,
                   ~exists().where(hidden_ids.c.id == Event.subject_id)).distinct())


def histories(subject_type: str, subject_ids):
    """The state-changing events of these records (ids: a list or a SELECT of them), oldest first."""
    return (select(Event.id, Event.kind, Event.subject_id, Event.occurred_at, Event.data)
            .where(Event.subject_type == subject_type, Event.subject_id.in_(subject_ids),
                   Event.kind.in_(STATE_KINDS))
            .order_by(Event.id))


def current_rows(subject_type: str, subject_ids):
    """The id and the columns a snapshot may change (not whole rows: bodies and transcripts stay unread)."""
    model = MODELS[subject_type]
    return (select(model.id, *(getattr(model, column) for column in COLUMNS[subject_type]))
            .where(model.id.in_(subject_ids)))


def _without_creating_event(subject_type: str):
    model = MODELS[subject_type]
    return ~exists().where(and_(Event.subject_type == subject_type, Event.subject_id == model.id,
                                Event.kind.in_(CREATING_KINDS[subject_type])))


def unlogged_records_after(subject_type: str, as_of: date, cutoff: datetime):
    """Records that came without a creating event (older imports) exist from their own date: a letter from the
    day it was sent, a meeting from its start, a comment period from its opening. Commitments without one are
    taken to have existed all along: finding them would read the whole table on every page of a past day."""
    own_date_after = {"letter": Letter.sent_on > as_of, "meeting": Meeting.starts_at >= cutoff,
                      "comment_period": CommentPeriod.opens_on > as_of}.get(subject_type)
    if own_date_after is None:
        return None
    return select(MODELS[subject_type].id).where(own_date_after, _without_creating_event(subject_type))


# Tables that name a record by a (type, id) pair of columns rather than by a foreign key: the rows of a hidden record
# are hidden with it, as a delete of the record takes them (search_document by its event handlers). The event log
# is not among them: its rows are left out by their time.
TYPED_REFERENCES = {SearchDocument.__tablename__: (SearchDocument.record_type, SearchDocument.record_id)}

# Rows that only ever get added, each stamped with when: those stamped at or after the cutoff were not there yet.
STAMPED_ROWS = ((DueWindowChange, DueWindowChange.changed_at), (LetterFile, LetterFile.uploaded_at),
                (CommentPeriodExtension, CommentPeriodExtension.created_at))
