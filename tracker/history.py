"""Event timeline for record pages: one sentence per event, from the event log.

A line that names another record (a linked letter, a role's party, a submitter) names it only when the viewer
may see that record too (tracker.access); otherwise it reads as a neutral sentence without its name or id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from tracker import access
from tracker.access import Viewer
from tracker.events import Event, history

SENTENCES = {
    "letter.logged": "logged the letter",
    "letter.replied": "reply linked: {reply_subject}",
    "letter.linked": "linked: {kind} “{to_subject}”",
    "letter.no_reply_needed": "marked “no reply needed” {reason}",
    "letter.reply_reopened": "reopened: awaiting a reply again",
    "letter.file_attached": "attached {filename} ({size} bytes)",
    "letter.updated": "edited the letter",
    "commitment.made": "recorded the {kind}: due “{due_phrase}”",
    "commitment.updated": "edited the details",
    "commitment.rescheduled": "rescheduled to {to[phrase]} ({to[latest]}) — {reason}",
    "commitment.done": "marked done on {fulfilled_on}",
    "commitment.partly_done": "marked partly done on {fulfilled_on}",
    "commitment.dropped": "dropped",
    "commitment.superseded": "superseded",
    "commitment.progressed": "status {status}, {progress}%",
    "commitment.due_soon": "became due soon (due {due_latest})",
    "commitment.overdue": "became overdue (was due {due_latest})",
    "meeting.held": "recorded the meeting",
    "meeting.scheduled": "scheduled the meeting",
    "meeting.moved": "moved the meeting ({days_moved:+d} days)",
    "meeting.participant_added": "added a participant ({role})",
    "meeting.transcript_updated": "updated the transcript ({characters} characters)",
    "meeting.transcript_imported": "imported the transcript from {filename}",
    "comment_period.opened": "opened the comment period ({opens_on} – {closes_on})",
    "comment_period.extended": "extended the close from {from} to {to}",
    "comment_period.submission_received": "received a submission from {author}",
    "comment_period.summarised": "recorded the staff summary",
    "party.created": "created the party",
    "party.updated": "edited the party",
    "person.created": "added the person",
    "person.updated": "edited the person",
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
    from tracker.letters.models import Letter
    from tracker.parties.models import Party

    return {"letter": Letter, "party": Party}[name]


def timeline(session: Session, viewer: Viewer, subject_type: str, subject_id: int) -> list[Line]:
    """The record's history for this viewer, oldest first; the caller has checked the record is visible."""
    recorded = history(session, subject_type, subject_id)
    named = _named_records(session, recorded)
    visible = {model: access.visible_ids(session, viewer, _model(model), ids) for model, ids in named.items()}
    lines = []
    for event in recorded:
        reference = REFERENCES.get(event.kind)
        sentence = describe(event)
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


def describe(event) -> str:
    """A short sentence for the timeline; falls back to the event kind. A timeline Line is already described."""
    if isinstance(event, Line):
        return event.sentence
    template = SENTENCES.get(event.kind)
    if template is None:
        return event.kind.replace(".", " ").replace("_", " ")
    try:
        return template.format(**event.data).replace(" — ", " — ").rstrip(" —")
    except (KeyError, IndexError, ValueError, TypeError):
        return event.kind.replace(".", " ").replace("_", " ")
