"""What a notice says, in plain words, and the emails that carry notices: one of their own (immediately) or a
section of the recipient's digest. The wording and the folding are pure; composing reads templates/emails/."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from flask import current_app

from tracker.mail import Email
from tracker.reminders.digest import DigestContent, Group, Line, Section, _subject, format_day

MOVED_HEADING = "What moved since your last digest"


@dataclass(frozen=True)
class NoticeLine:
    """One notice as an email shows it."""
    notice_id: int
    commitment_id: int
    kind: str            # the event kind, or "assigned" / "unassigned"
    sentence: str        # The promise “…” to the ccNSO was rescheduled from … to … (reason: …).
    note: str            # rescheduled from … to …; reason: …   (a digest line: the title is shown apart)
    title: str
    parties: str         # "the ccNSO" or "the ccNSO and the GNSO"
    path: str


def _day(value) -> str:
    return format_day(date.fromisoformat(value)) if isinstance(value, str) else format_day(value)


def _when(window: dict) -> str:
    """A due window as a notice names it: its last day, else its phrase, else that it has no date."""
    if window.get("latest"):
        return _day(window["latest"])
    if window.get("phrase"):
        return f"“{window['phrase']}” (no date yet)"
    return "no date"


def change_words(kind: str, data: dict) -> tuple[str, str]:
    """(what happened, as the rest of a sentence; the reason, or "") for an event kind and its data."""
    if kind == "commitment.rescheduled":
        return (f"was rescheduled from {_when(data.get('from') or {})} to {_when(data.get('to') or {})}",
                (data.get("reason") or "").strip())
    if kind == "commitment.done":
        return f"was delivered on {_day(data['fulfilled_on'])}" if data.get("fulfilled_on") else "was delivered", ""
    if kind == "commitment.partly_done":
        return (f"was partly delivered on {_day(data['fulfilled_on'])}" if data.get("fulfilled_on")
                else "was partly delivered"), ""
    if kind == "commitment.dropped":
        return "was dropped", (data.get("outcome") or "").strip()
    if kind == "commitment.superseded":
        # "replaced_by": the replacing commitment's title, put in only when the reader may see it.
        return (f"was superseded by “{data['replaced_by']}”" if data.get("replaced_by") else "was superseded",
                (data.get("outcome") or "").strip())
    if kind == "commitment.overdue":
        return (f"is overdue: it was due by {_day(data['due_latest'])}" if data.get("due_latest")
                else "is overdue"), ""
    if kind == "assigned":
        return "was assigned to you", ""
    if kind == "unassigned":
        # "handed_to": the new owner's name, put in only when the reader may see that person.
        if data.get("handed_to"):
            return f"was handed from you to {data['handed_to']}", ""
        new_owner = ((data.get("changes") or {}).get("owner_id") or [None, None])[1]
        return ("was handed from you to someone else" if new_owner is not None
                else "is no longer assigned to you: it has no owner now"), ""
    raise ValueError(f"no notice wording for {kind}")


def party_names(short_names) -> str:
    names = [f"the {name}" for name in short_names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def notice_line(*, notice_id: int, kind: str, data: dict, commitment_id: int, commitment_kind: str, title: str,
                counterparties, path: str) -> NoticeLine:
    """The words of one notice: 'The promise “…” to the ccNSO was rescheduled from … to … (reason: …).'"""
    happened, reason = change_words(kind, data)
    parties = party_names(counterparties)
    if commitment_kind == "promise":
        subject = f"The promise “{title}”" + (f" to {parties}" if parties else "")
    else:
        subject = f"The request “{title}”" + (f" from {parties}" if parties else "")
    sentence = f"{subject} {happened}" + (f" (reason: {reason})" if reason else "") + "."
    note = happened.removeprefix("was ").removeprefix("is ") + (f"; reason: {reason}" if reason else "")
    return NoticeLine(notice_id, commitment_id, kind, sentence, note, title, parties or "No party", path)


# Subjects of notices whose words name another record or person: the words before that name.
SHORT_SUBJECTS = {"commitment.superseded": "superseded", "unassigned": "no longer yours"}


def subject_of(lines: list[NoticeLine]) -> str:
    if len(lines) == 1:
        line = lines[0]
        short = SHORT_SUBJECTS.get(line.kind) or (
            line.note.split(";")[0].split(":")[0].split(" from ")[0].split(" on ")[0])
        return f"“{line.title}”: {short}"[:300]
    return f"{len(lines)} updates on promises you follow or own"


# A notice of this kind says nothing the digest's own section of that key does not already say.
SAID_BY_SECTION = {"commitment.overdue": "overdue", "commitment.done": "done", "commitment.partly_done": "done"}


def fold_into_digest(content: DigestContent, lines: list[NoticeLine]) -> DigestContent:
    """The digest with its recipient's notices as a first section, "What moved since your last digest".

    A notice that an item became overdue, or was delivered, is not repeated when the digest lists that item in
    its Overdue or Done section: it says so already. Every notice handed in counts as delivered with this digest.
    """
    listed = {(section.key, line.id) for section in content.sections
              for group in section.groups for line in group.lines}
    shown = [line for line in lines if (SAID_BY_SECTION.get(line.kind), line.commitment_id) not in listed]
    if not shown:
        return content
    groups: dict[str, list[Line]] = {}
    for line in shown:
        groups.setdefault(line.parties, []).append(
            Line("notice", line.commitment_id, line.title, line.parties, line.path, note=line.note))
    section = Section("moved", MOVED_HEADING, tuple(Group(party, tuple(members)) for party, members in groups.items()))
    counts = {**content.counts, "moved": len(shown)}
    return replace(content, sections=(section, *content.sections), counts=counts,
                   subject=_subject(content.today, counts, content.recipient.due_soon_days))


def compose_notice_email(lines: list[NoticeLine], *, name: str, to: str, unsubscribe_url: str,
                         preferences_url: str, message_id: str, now: datetime, config) -> Email:
    """Notices told at once: one email with every line, links on BASE_URL, List-Unsubscribe as digests have."""
    context = dict(lines=lines, name=name, base_url=config["BASE_URL"].rstrip("/"), unsubscribe_url=unsubscribe_url,
                   preferences_url=preferences_url)
    environment = current_app.jinja_env
    text = environment.get_template("emails/notice.txt").render(context)
    html = environment.get_template("emails/notice.html").render(context)
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "Auto-Submitted": "auto-generated"}
    return Email(sender=config["MAIL_FROM"], to=(to,), subject=subject_of(lines), text=text, html=html,
                 headers=headers, message_id=message_id, date=now)

