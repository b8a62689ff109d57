"""The search index follows the records: every event that changes a record's words re-indexes it, inside the
transaction of the change (so a search never finds a record that was rolled back, nor misses a committed one)."""
from __future__ import annotations

from sqlmodel import Session

from tracker import events
from tracker.events import Event
from tracker.search.operations import index_record

# Event kinds after which the subject's words may have changed, by record type (= event subject_type).
REINDEXED_AFTER = {
    "letter": ("letter.logged", "letter.updated", "letter.file_attached"),
    "commitment": ("commitment.made", "commitment.updated", "commitment.rescheduled", "commitment.done",
                   "commitment.partly_done", "commitment.dropped", "commitment.superseded", "commitment.progressed"),
    "meeting": ("meeting.held", "meeting.scheduled", "meeting.moved", "meeting.transcript_updated",
                "meeting.transcript_imported"),
    "comment_period": ("comment_period.opened", "comment_period.summarised", "comment_period.extended"),
    "party": ("party.created", "party.updated"),
    "person": ("person.created", "person.updated"),
}


def _reindex_subject(session: Session, event: Event) -> None:
    index_record(session, event.subject_type, event.subject_id)


for _record_type, _kinds in REINDEXED_AFTER.items():
    for _kind in _kinds:
        events.subscribe(_kind)(_reindex_subject)
