"""How a record stood at a past moment, worked out from its row as it is now and the events recorded since.

Pure: no database, no clock. Each record is rolled back by undoing, newest first, the events recorded at or after
the cutoff: an update puts back its "before" values, a creating event means the record did not exist yet.
Where an older event did not keep a value it changed (e.g. the fulfilment day a status change replaced), the
value is taken from the newest earlier event of the same record that set it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# The event that brings each kind of record into existence.
CREATING_KINDS = {
    "letter": ("letter.logged",),
    "commitment": ("commitment.made",),
    "meeting": ("meeting.held", "meeting.scheduled"),
    "comment_period": ("comment_period.opened",),
}
STATUS_KINDS = ("commitment.done", "commitment.partly_done", "commitment.dropped", "commitment.superseded",
                "commitment.progressed")
DONE_STATUSES = ("done", "partly_done")

# Every event kind that changes what a snapshot shows (the time-driven ones change nothing but the history).
STATE_KINDS = (
    *(kind for kinds in CREATING_KINDS.values() for kind in kinds),
    "commitment.updated", "commitment.rescheduled", "commitment.phase_changed", *STATUS_KINDS,
    "letter.updated", "letter.replied", "letter.no_reply_needed", "letter.reply_reopened", "letter.linked",
    "meeting.moved", "meeting.participant_added",
    "comment_period.extended", "comment_period.submission_received", "comment_period.summarised",
)
# The same by the type of record they change: each kind is named after its subject's type ("letter.linked").
STATE_KINDS_OF = {subject_type: tuple(kind for kind in STATE_KINDS if kind.split(".")[0] == subject_type)
                  for subject_type in CREATING_KINDS}

# Columns each record's snapshot may change, with the type event data is read back into (stored as ISO text).
COLUMNS: dict[str, dict[str, type]] = {
    "commitment": {"title": str, "quote": str, "owner_id": int, "due_phrase": str, "due_earliest": date,
                   "due_latest": date, "due_precision": str, "due_anchor_meeting_id": int, "baseline_phrase": str,
                   "baseline_earliest": date, "baseline_latest": date, "status": str, "progress": int,
                   "fulfilled_on": date, "evidence_url": str, "evidence_letter_id": int,
                   "evidence_meeting_id": int, "outcome": str, "phase_id": int},
    "letter": {"sent_on": date, "date_precision": str, "subject": str, "direction": str, "body": str,
               "source_url": str, "reply_state": str, "reply_by": date},
    "meeting": {"starts_at": datetime, "ends_at": datetime},
    # An extension is a row of its own (comment_period_extension), removed by its date: closes_on stays the first.
    "comment_period": {"summary": str, "summary_url": str},
}


@dataclass(frozen=True)
class LoggedEvent:
    """What the replay needs of an Event row."""
    id: int
    kind: str
    occurred_at: datetime
    data: dict


@dataclass(slots=True)
class Rollback:
    """What differs between a record now and as it stood at the cutoff."""
    existed: bool = True
    values: dict[str, Any] = field(default_factory=dict)        # column → value then (changed columns only)
    sides: dict[str, list[int]] | None = None                    # commitments: parties by side then
    links_added: list[tuple[int, int, str]] = field(default_factory=list)      # letters: (from, to, kind)
    participants_added: list[dict] = field(default_factory=list)               # meetings
    submissions_added: list[int] = field(default_factory=list)                 # comment periods

    @property
    def undoes_anything(self) -> bool:
        return bool(not self.existed or self.values or self.sides is not None or self.links_added
                    or self.participants_added or self.submissions_added)


def typed(kind_of_value: type, value):
    """An event-data value (ISO text for dates) as the column holds it."""
    if value is None or value == "":
        return None if kind_of_value in (date, datetime, int) else value
    if kind_of_value is date and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if kind_of_value is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def roll_back(subject_type: str, current: dict[str, Any], recorded: list[LoggedEvent],
              cutoff: datetime) -> Rollback:
    """The record as it stood just before `cutoff`; `current` holds its columns now, `recorded` its whole history
    (oldest first). A record without a creating event is taken to exist (the caller decides by its own date)."""
    columns = COLUMNS[subject_type]
    state = dict(current)
    result = Rollback()
    recorded = sorted(recorded, key=lambda event: event.id)
    later = [event for event in recorded if event.occurred_at >= cutoff]
    earlier = [event for event in recorded if event.occurred_at < cutoff]
    if any(event.kind in CREATING_KINDS[subject_type] for event in later):
        result.existed = False
        return result
    for position, event in enumerate(reversed(later)):
        before = earlier + later[:len(later) - 1 - position]
        _undo(subject_type, event, state, result, before)
    # A column no event touched still holds the very value it holds now: only the others are compared, as typed.
    result.values = {column: typed(kind, state[column]) for column, kind in columns.items()
                     if column in state and state[column] is not current.get(column)
                     and typed(kind, state[column]) != typed(kind, current.get(column))}
    return result


def _newest_set(before: list[LoggedEvent], kinds, key: str):
    """The value `key` was given by the newest of the earlier events of these kinds (None when none did)."""
    for event in reversed(before):
        if event.kind in kinds and key in (event.data or {}):
            return event.data[key]
    return None


def _undo(subject_type: str, event: LoggedEvent, state: dict, result: Rollback, before: list[LoggedEvent]) -> None:
    data = event.data or {}
    kind = event.kind
    if kind in ("commitment.updated", "letter.updated"):
        for column, change in (data.get("changes") or {}).items():
            # A body change keeps only the lengths ("1200 characters"): the text stays as it is now.
            if (column in COLUMNS[subject_type] and column != "body" and isinstance(change, list)
                    and len(change) == 2):
                state[column] = change[0]
        if kind == "commitment.updated" and "made_by_before" in data:
            result.sides = {"by": list(data.get("made_by_before") or []), "to": list(data.get("made_to_before") or [])}
        if kind == "letter.updated":
            _undo_letter_update(data, state)
    elif kind == "commitment.rescheduled":
        _undo_reschedule(data, state, before)
    elif kind == "commitment.phase_changed":
        state["phase_id"] = typed(int, (data.get("before") or {}).get("phase_id"))
    elif kind in STATUS_KINDS:
        _undo_status(data, state, before)
    elif kind == "letter.replied":
        state["reply_state"] = "awaiting_reply"
    elif kind == "letter.no_reply_needed":
        state["reply_state"] = data.get("from_reply_state", "awaiting_reply")
    elif kind == "letter.reply_reopened":
        state["reply_state"] = "no_reply_needed"
    elif kind == "letter.linked":
        result.links_added.append((data.get("from_letter_id"), data.get("to_letter_id"), data.get("kind")))
    elif kind == "meeting.moved":
        start, end = (data.get("from") or [None, None])[:2]
        state["starts_at"], state["ends_at"] = typed(datetime, start), typed(datetime, end)
    elif kind == "meeting.participant_added":
        result.participants_added.append(data)
    elif kind == "comment_period.submission_received":
        if isinstance(data.get("submission_id"), int):
            result.submissions_added.append(data["submission_id"])
    elif kind == "comment_period.summarised":
        # Older events did not keep the summary they replaced: the first summary replaced none.
        if "from_summary" in data:
            state["summary"], state["summary_url"] = data["from_summary"], data.get("from_summary_url")
        elif not any(earlier.kind == kind for earlier in before):
            state["summary"], state["summary_url"] = "", None


def _undo_letter_update(data: dict, state: dict) -> None:
    if "reply_before" in data:
        state["reply_state"] = data["reply_before"].get("reply_state")
        state["reply_by"] = data["reply_before"].get("reply_by")
        return
    # Older events did not keep the reply tracking they changed: it followed the direction and the date.
    changes = data.get("changes") or {}
    if "direction" in changes and isinstance(changes["direction"], list):
        was, became = changes["direction"]
        if was != "incoming":
            state["reply_state"], state["reply_by"] = None, None
        elif became != "incoming":
            state["reply_state"] = "awaiting_reply"
    elif "sent_on" in changes and state.get("reply_by") is not None:
        was, became = (typed(date, value) for value in changes["sent_on"])
        if was and became:
            state["reply_by"] = typed(date, state["reply_by"]) - (became - was)


def _undo_reschedule(data: dict, state: dict, before: list[LoggedEvent]) -> None:
    old, new = data.get("from") or {}, data.get("to") or {}
    state["due_phrase"], state["due_precision"] = old.get("phrase", ""), old.get("precision", "vague")
    state["due_earliest"], state["due_latest"] = old.get("earliest"), old.get("latest")
    if "anchor_meeting_id" in old:
        state["due_anchor_meeting_id"] = old["anchor_meeting_id"]
    # A vague promise's first date became its baseline (commitments.operations.reschedule): undo that too.
    if (old.get("latest") is None and new.get("latest") is not None
            and typed(date, state.get("baseline_latest")) == typed(date, new.get("latest"))):
        made = _newest_set(before, ("commitment.made",), "due_phrase")
        state["baseline_phrase"] = made if made is not None else old.get("phrase", "")
        state["baseline_earliest"], state["baseline_latest"] = None, None


def _undo_status(data: dict, state: dict, before: list[LoggedEvent]) -> None:
    status_events = ("commitment.made", *STATUS_KINDS)
    previous_status = data.get("from_status") or _newest_set(before, status_events, "status") or "open"
    state["status"] = previous_status
    if "from_progress" in data:
        state["progress"] = data["from_progress"] if data["from_progress"] is not None else 0
    if "from_outcome" in data:
        state["outcome"] = data["from_outcome"] or ""
    if "from_fulfilled_on" in data:
        state["fulfilled_on"] = data["from_fulfilled_on"]
    else:
        state["fulfilled_on"] = (_newest_set(before, STATUS_KINDS, "fulfilled_on")
                                 if previous_status in DONE_STATUSES else None)
    for column in ("evidence_url", "evidence_letter_id", "evidence_meeting_id"):
        if f"from_{column}" in data:
            state[column] = data[f"from_{column}"]
        elif data.get("evidence_changed", True):
            state[column] = _newest_set(before, STATUS_KINDS, column)
