"""Event timeline for record pages: one sentence per event, from the event log."""
from __future__ import annotations

from tracker.events import Event

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


def describe(event: Event) -> str:
    """A short sentence for the timeline; falls back to the event kind."""
    template = SENTENCES.get(event.kind)
    if template is None:
        return event.kind.replace(".", " ").replace("_", " ")
    try:
        return template.format(**event.data).replace(" — ", " — ").rstrip(" —")
    except (KeyError, IndexError, ValueError, TypeError):
        return event.kind.replace(".", " ").replace("_", " ")
