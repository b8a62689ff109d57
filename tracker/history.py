"""Event timeline for record pages: one sentence per event, from the event log, in plain words.

Codes read as words ("in_progress" → "in progress"), dates as the pages show them ("21 April 2010"), and a change
says what it was before and after ("owner Greg Rattray → Rod Beckstrom"). A line that names another record (a
linked letter, a role's party, an evidence letter, a commitment's parties or owner) names it only when the viewer
may see that record too (tracker.access); otherwise it reads as a neutral sentence without its name or id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from tracker import access
from tracker.access import Viewer
from tracker.commitments.models import Commitment
from tracker.events import Event, history
from tracker.letters.models import Letter
from tracker.meetings.models import Meeting
from tracker.parties.models import Party, Person
from tracker.formatting import format_day, label

SENTENCES = {
    "letter.logged": "logged the letter",
    "letter.replied": "reply linked: {reply_subject}, sent {replied_on}",
    "letter.linked": "linked: {kind} “{to_subject}”",
    "letter.reply_reopened": "reopened: awaiting a reply again",
    "letter.file_attached": "attached {filename} ({size} bytes)",
    "commitment.due_soon": "became due soon (due {due_latest})",
    "commitment.overdue": "became overdue (was due {due_latest})",
    "meeting.held": "recorded the meeting",
    "meeting.scheduled": "scheduled the meeting",
    "meeting.transcript_updated": "updated the transcript ({characters} characters)",
    "comment_period.opened": "opened the comment period ({opens_on} – {closes_on})",
    "comment_period.extended": "extended the close from {from} to {to} — {reason}",
    "comment_period.submission_received": "received a submission from {author}",
    "comment_period.summarised": "recorded the staff summary",
    "party.created": "created the party",
    "phase.created": "added the phase “{name}” for {kind}s",
    "phase.retired": "retired the phase “{name}” of {kind}s (its commitments keep it)",
    "phase.reinstated": "offered the phase “{name}” of {kind}s again",

    "person.created": "added the person",
    "role.assigned": "{person}: {title}, {party}",
    "digest.sent": "digest sent",
    "digest.retry_scheduled": "delivery attempt {attempt} failed, will retry: {error}",
    "digest.failed": "delivery failed (attempt {attempt}): {error}",
    "digest.delivery_unknown": "delivery unknown: the sender ({claimed_by}) stopped mid-send",
    "digest.resent": "resent as a new delivery (#{new_digest_id})",
    "digest_recipient.saved": "changed the reminder digest: {frequency} at {send_time} {timezone}",
    "digest_recipient.unsubscribed": "unsubscribed from reminder digests",
    "digest_recipient.resubscribed": "started reminder digests again",
    "user.created": "created the account ({role})",
    "user.updated": "changed the account: {summary}",
    "user.deactivated": "deactivated the account ({tokens_revoked} API tokens revoked)",
    "user.reactivated": "reactivated the account",
    "user.invited": "emailed an invitation to {email}",
    "user.invite_accepted": "accepted the invitation and chose a password",
    "user.password_reset_sent": "emailed a password reset link to {email}",
    "user.password_reset": "set a new password through a reset link",
    "user.password_changed": "changed the password",
    "user.api_token_created": "made the API token “{name}” ({prefix}…)",
    "user.api_token_revoked": "revoked the API token “{name}” ({prefix}…)",
    "user.entra_linked": "linked the account to a Microsoft Entra ID sign-in ({email})",
}


@dataclass(frozen=True)
class Reference:
    """Another record an event's sentence names: its id under `key` in the event's data (or, in events
    recorded before the id was kept, its name under `name_key`)."""
    model: str
    key: str
    name_key: str | None = None


# Events whose sentence names another record, and what they say when that record is not visible.
REFERENCES: dict[str, tuple[Reference, str]] = {
    "letter.linked": (Reference("letter", "to_letter_id"), "linked this letter to another letter"),
    "letter.replied": (Reference("letter", "reply_letter_id"), "reply linked"),
    "role.assigned": (Reference("party", "party_id", name_key="party"), "recorded a role"),
    "comment_period.submission_received": (Reference("party", "party_id"), "received a submission"),
}


@dataclass(frozen=True)
class Line:
    """One line of a record's timeline as a given viewer may read it."""
    occurred_at: datetime
    actor_name: str
    kind: str
    sentence: str


def _model(name: str):
    return {"letter": Letter, "party": Party, "person": Person, "meeting": Meeting, "commitment": Commitment}[name]


# The column that names a record of each model in a sentence.
NAME_COLUMNS = {"letter": "subject", "party": "short_name", "person": "name", "meeting": "title",
                "commitment": "title"}


@dataclass(frozen=True)
class Names:
    """Names of the records sentences may mention, holding only those the viewer may see."""
    known: dict[str, dict[int, str]]

    def of(self, model: str, record_id) -> str | None:
        return self.known.get(model, {}).get(record_id) if isinstance(record_id, int) else None

    def list_of(self, model: str, ids, hidden: str) -> str:
        """"ccNSO, GNSO"; records the viewer may not see are counted, never named."""
        names = [name for name in (self.of(model, i) for i in ids or ()) if name]
        unseen = len(ids or ()) - len(names)
        if unseen:
            names.append(f"{unseen} {hidden}{'s' if unseen != 1 else ''}")
        return ", ".join(names) or "—"


NOBODY_NAMED = Names({})


def _mentioned(event) -> dict[str, set[int]]:
    """Ids of the records an event's detailed sentence may name, by model."""
    data = event.data or {}
    found: dict[str, set[int]] = {}

    def add(model, *values):
        for value in values:
            for item in (value if isinstance(value, list) else [value]):
                if isinstance(item, int) and not isinstance(item, bool):
                    found.setdefault(model, set()).add(item)

    if event.kind == "commitment.updated":
        add("party", *(data.get(key) or [] for key in ("made_by", "made_to", "made_by_before", "made_to_before")))
        add("person", *((data.get("changes") or {}).get("owner_id") or []))
    elif event.kind == "party.updated":
        add("person", *((data.get("changes") or {}).get("default_owner_id") or []))
    elif event.kind.startswith("commitment."):
        add("letter", data.get("evidence_letter_id"))
        add("meeting", data.get("evidence_meeting_id"))
        add("commitment", data.get("replaced_by_id"))
    elif event.kind == "meeting.participant_added":
        add("person", data.get("person_id"))
        add("party", data.get("party_id"))
    return found


def _names(session: Session, viewer: Viewer, recorded: list[Event]) -> Names:
    wanted: dict[str, set[int]] = {}
    for event in recorded:
        for model, ids in _mentioned(event).items():
            wanted.setdefault(model, set()).update(ids)
    known: dict[str, dict[int, str]] = {}
    for model, ids in wanted.items():
        visible = access.visible_ids(session, viewer, _model(model), ids)
        if visible:
            table = _model(model)
            rows = session.exec(select(table.id, getattr(table, NAME_COLUMNS[model])).where(table.id.in_(visible)))
            known[model] = dict(rows.all())
    return Names(known)


def timeline(session: Session, viewer: Viewer, subject_type: str, subject_id: int) -> list[Line]:
    """The record's history for this viewer, oldest first; the caller has checked the record is visible."""
    recorded = history(session, subject_type, subject_id)
    named = _named_records(session, recorded)
    visible = {model: access.visible_ids(session, viewer, _model(model), ids) for model, ids in named.items()}
    names = _names(session, viewer, recorded)
    lines = []
    for event in recorded:
        reference = REFERENCES.get(event.kind)
        sentence = describe(event, names)
        if reference is not None:
            ref, neutral = reference
            record_id = _referenced_id(session, event, ref)
            if record_id is None and not (viewer.sees_everything and viewer.is_signed_in):
                sentence = neutral
            elif record_id is not None and record_id not in visible.get(ref.model, ()):
                sentence = neutral
        lines.append(Line(event.occurred_at, event.actor_name, event.kind, sentence))
    return lines


def _named_records(session: Session, recorded: list[Event]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for event in recorded:
        if event.kind in REFERENCES:
            ref = REFERENCES[event.kind][0]
            record_id = _referenced_id(session, event, ref)
            if record_id is not None:
                found.setdefault(ref.model, set()).add(record_id)
    return found


def _referenced_id(session: Session, event: Event, ref: Reference) -> int | None:
    value = (event.data or {}).get(ref.key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    name = (event.data or {}).get(ref.name_key) if ref.name_key else None
    if isinstance(name, str) and name:
        # Party names are unique: older role events kept only the name.
        return session.exec(select(_model(ref.model).id).where(_model(ref.model).name == name)).first()
    return None


# Plain words for values ---------------------------------------------------------------------------------------

# Keys whose values are codes ("in_progress", "replies_to"): shown as words.
CODE_KEYS = frozenset({"kind", "status", "from_status", "precision", "due_precision", "direction", "role",
                       "date_precision", "frequency"})
# Field names as a reader says them, in change lists ("owner Greg Rattray → Rod Beckstrom").
FIELD_WORDS = {"title": "title", "quote": "quoted sentence", "owner_id": "owner", "sent_on": "date",
               "date_precision": "date precision", "subject": "subject", "direction": "direction", "body": "text",
               "source_url": "source address", "name": "name", "short_name": "short name", "kind": "kind",
               "is_internal": "our side", "description": "description", "email": "email", "timezone": "timezone",
               "is_staff": "staff", "titles": "titles", "default_owner_id": "default owner"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def plain(value, key: str | None = None) -> str:
    """A stored value as a reader reads it: dates as "21 April 2010", codes as words, yes/no, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_day(value)
    if isinstance(value, datetime):
        return format_day(value.date())
    if isinstance(value, str):
        if _ISO_DAY.match(value):
            return format_day(date.fromisoformat(value))
        if _ISO_MOMENT.match(value):
            try:
                return format_day(datetime.fromisoformat(value).date())
            except ValueError:
                return value
        if key in CODE_KEYS:
            return label(value)
    if isinstance(value, list):
        return ", ".join(plain(item, key) for item in value) or "—"
    return str(value)


def _plain_data(data):
    """The event's data with every value in plain words, for the simple sentence templates."""
    if isinstance(data, dict):
        return {key: (_plain_data(value) if isinstance(value, dict) else plain(value, key))
                for key, value in data.items()}
    return data


def window_words(window: dict | None) -> str:
    """“in early May” (1 May 2010 – 10 May 2010), or “weeks not months” (no date yet)."""
    window = window or {}
    phrase = window.get("phrase", window.get("due_phrase")) or ""
    earliest = window.get("earliest", window.get("due_earliest"))
    latest = window.get("latest", window.get("due_latest"))
    if latest and earliest and earliest != latest:
        dates = f"{plain(earliest)} – {plain(latest)}"
    elif latest:
        dates = plain(latest)
    else:
        dates = "no date yet"
    return f"“{phrase}” ({dates})" if phrase else dates


def _quoted(value) -> str:
    return "—" if value in (None, "") else f"“{value}”"


def _changes_words(changes: dict, names: Names) -> list[str]:
    """"title “A” → “B”", "owner Greg Rattray → Rod Beckstrom", … for a {field: [before, after]} change set."""
    words = []
    for key, change in (changes or {}).items():
        field_words = FIELD_WORDS.get(key, label(key))
        if key in ("participants_added", "participants_removed"):
            verb = "added" if key == "participants_added" else "removed"
            words.append(f"{verb} {'; '.join(change)}")
            continue
        if key == "titles":
            words.append("titles " + "; ".join(change))
            continue
        if not isinstance(change, list) or len(change) != 2:
            continue
        before, after = change
        if key in ("owner_id", "default_owner_id"):
            before, after = (names.of("person", before) or ("nobody" if before is None else "someone else"),
                             names.of("person", after) or ("nobody" if after is None else "someone else"))
            words.append(f"{field_words} {before} → {after}")
        elif key == "quote" or key == "description":
            words.append(f"{field_words} changed (was {_quoted(_shortened(before))})")
        elif key in ("title", "subject", "name", "short_name"):
            words.append(f"{field_words} {_quoted(before)} → {_quoted(after)}")
        else:
            words.append(f"{field_words} {plain(before, key)} → {plain(after, key)}")
    return words


def _shortened(text, limit: int = 80):
    text = str(text or "")
    return text if len(text) <= limit else text[:limit - 1] + "…"


# Sentences that say more than a template can -------------------------------------------------------------------

def _commitment_made(data: dict, names: Names) -> str:
    return f"recorded the {plain(data.get('kind'), 'kind')}: due {window_words(data)}"


def _commitment_updated(data: dict, names: Names) -> str:
    words = _changes_words(data.get("changes") or {}, names)
    for side, side_words in (("made_by", "made by"), ("made_to", "made to")):
        before, after = data.get(f"{side}_before"), data.get(side)
        if before is not None and after is not None and sorted(before) != sorted(after):
            words.append(f"{side_words} {names.list_of('party', before, 'other party')} → "
                         f"{names.list_of('party', after, 'other party')}")
    return "edited the details: " + "; ".join(words) if words else "edited the details (nothing changed)"


def _commitment_rescheduled(data: dict, names: Names) -> str:
    sentence = f"rescheduled from {window_words(data.get('from'))} to {window_words(data.get('to'))}"
    reason = (data.get("reason") or "").strip()
    return f"{sentence} — reason: {reason}" if reason else f"{sentence} (no reason given)"


def _commitment_status(data: dict, names: Names) -> str:
    status, before = data.get("status"), data.get("from_status")
    if status in ("done", "partly_done"):
        sentence = f"marked {label(status)} on {plain(data.get('fulfilled_on'))}"
        if before and before != status:
            sentence += f" (was {label(before)})"
    elif before and before != status:
        sentence = f"status {label(before)} → {label(status)}"
    else:
        sentence = f"status {label(status)}"
    progress, progress_before = data.get("progress"), data.get("from_progress")
    if progress is not None and status != "done":
        if progress_before is not None and progress_before != progress:
            sentence += f", progress {progress_before}% → {progress}%"
        elif progress_before is None:
            sentence += f", progress {progress}%"
    details = []
    replacement = names.of("commitment", data.get("replaced_by_id"))
    if replacement:
        details.append(f"replaced by “{replacement}”")
    evidence = [f"the letter “{names.of('letter', data.get('evidence_letter_id'))}”"
                if names.of("letter", data.get("evidence_letter_id")) else None,
                f"the meeting “{names.of('meeting', data.get('evidence_meeting_id'))}”"
                if names.of("meeting", data.get("evidence_meeting_id")) else None,
                data.get("evidence_url") or None]
    evidence = [item for item in evidence if item]
    if evidence and (data.get("evidence_changed", True)):
        details.append("evidence: " + ", ".join(evidence))
    outcome = (data.get("outcome") or "").strip()
    if outcome and outcome != (data.get("from_outcome") or "").strip():
        details.append(f"outcome: “{outcome}”")
    return sentence + ("; " + "; ".join(details) if details else "")


def _commitment_phase_changed(data: dict, names: Names) -> str:
    before = (data.get("before") or {}).get("name") or ""
    after = (data.get("after") or {}).get("name") or ""
    if not before:
        return f"placed in the phase “{after}”"
    if not after:
        return f"taken out of the phase “{before}”"
    return f"moved from the phase “{before}” to “{after}”"


def _phase_renamed(data: dict, names: Names) -> str:
    before = (data.get("before") or {}).get("name")
    after = (data.get("after") or {}).get("name")
    return f"renamed the phase of {plain(data.get('kind'), 'kind')}s “{before}” to “{after}”"


def _phase_reordered(data: dict, names: Names) -> str:
    order = " → ".join((data.get("after") or {}).get("order") or [])
    return f"moved the phase “{data.get('name')}” {data.get('direction')}: {order}"


def _letter_logged(data: dict, names: Names) -> str:
    sent_on = data.get("sent_on")
    day = (format_day(date.fromisoformat(sent_on), data.get("date_precision") or "day")
           if isinstance(sent_on, str) and _ISO_DAY.match(sent_on) else plain(sent_on))
    direction = plain(data.get("direction"), "direction")
    return f"logged the {direction} letter “{data.get('subject', '')}”, dated {day}"


def _edited(what: str):
    def sentence(data: dict, names: Names) -> str:
        words = _changes_words(data.get("changes") or {}, names)
        return f"edited the {what}: " + "; ".join(words) if words else f"edited the {what}"
    return sentence


def _no_reply_needed(data: dict, names: Names) -> str:
    reason = (data.get("reason") or "").strip()
    return f"marked “no reply needed”: {reason}" if reason else "marked “no reply needed”"


def _meeting_moved(data: dict, names: Names) -> str:
    before, after = data.get("from") or [None, None], data.get("to") or [None, None]

    def span(pair):
        first, last = plain(pair[0]), plain(pair[1])
        return first if first == last or last == "—" else f"{first} – {last}"

    days = data.get("days_moved")
    moved = f" ({days:+d} days)" if isinstance(days, int) else ""
    return f"moved the meeting from {span(before)} to {span(after)}{moved}"


def _record_imported(data: dict, names: Names) -> str:
    what = "the notes" if data.get("as") == "notes" else "the transcript"
    return f"imported {what} from {data.get('filename')}"


def _participant_added(data: dict, names: Names) -> str:
    who = names.of("person", data.get("person_id")) or names.of("party", data.get("party_id"))
    role = plain(data.get("role"), "role")
    return f"added {who} as {role}" if who else f"added a participant ({role})"


BUILDERS = {
    "commitment.made": _commitment_made,
    "commitment.updated": _commitment_updated,
    "commitment.rescheduled": _commitment_rescheduled,
    "commitment.done": _commitment_status,
    "commitment.partly_done": _commitment_status,
    "commitment.dropped": _commitment_status,
    "commitment.superseded": _commitment_status,
    "commitment.progressed": _commitment_status,
    "commitment.phase_changed": _commitment_phase_changed,
    "phase.renamed": _phase_renamed,
    "phase.reordered": _phase_reordered,
    "letter.logged": _letter_logged,
    "letter.updated": _edited("letter"),
    "letter.no_reply_needed": _no_reply_needed,
    "party.updated": _edited("party"),
    "person.updated": _edited("person"),
    "meeting.moved": _meeting_moved,
    "meeting.participant_added": _participant_added,
    "meeting.transcript_imported": _record_imported,
}


def describe(event, names: Names = NOBODY_NAMED) -> str:
    """A short sentence in plain words; falls back to the event kind. A timeline Line is already described.
    `names` holds the records the reader may see; without it a sentence names no other record."""
    if isinstance(event, Line):
        return event.sentence
    data = event.data or {}
    try:
        builder = BUILDERS.get(event.kind)
        if builder is not None:
            return builder(data, names)
        template = SENTENCES.get(event.kind)
        if template is None:
            return event.kind.replace(".", " ").replace("_", " ")
        return template.format(**_plain_data(data)).rstrip(" —").removesuffix(" — —")
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return event.kind.replace(".", " ").replace("_", " ")
