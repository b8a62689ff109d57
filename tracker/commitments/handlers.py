"""Reactions to events that concern commitments, run inside the writer's transaction.

Meetings as anchors ("prior to the Brussels meeting"):
  * A commitment due relative to a meeting that was not yet recorded is saved unresolved, its phrase as
    written. When a meeting is recorded (meeting.scheduled, meeting.held) or moved, every open unresolved
    commitment whose phrase names it gets its window from the meeting's own days, anchored to the meeting,
    as a commitment.rescheduled event whose reason quotes the phrase (never the meeting's title: a reader who
    may see the commitment may not see the meeting).
  * "the next Council call" is the first meeting whose title holds those words starting after the commitment
    was made: resolved only when no other such meeting is recorded between the two.
  * When an anchor meeting moves, the windows anchored to it move with it, unless a person set the window by
    hand afterwards: a window whose dates are no longer the ones its phrase gives against the meeting's
    previous days stays where the person put it. A window tied to a meeting by hand (a phrase that names no
    meeting) moves whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from tracker import events
from tracker.commitments import operations
from tracker.commitments import queries as commitment_queries
from tracker.commitments.models import ACTIVE_STATUSES, Commitment
from tracker.duedates import DueWindow, anchored_bounds, parse_due, vocabulary
from tracker.letters.models import Letter
from tracker.meetings import queries as meeting_queries
from tracker.meetings.models import Meeting


def _shift(day: date | None, delta: timedelta) -> date | None:
    return day + delta if day is not None else None


def moved_window(window: operations.Window, delta: timedelta) -> operations.Window:
    """The window after its anchor meeting moved by ``delta``: only the bounds the phrase ties to the meeting
    move ("prior to the Brussels meeting" keeps its earliest, the day the promise was made)."""
    moving = anchored_bounds(window.phrase)
    earliest = _shift(window.earliest, delta) if "earliest" in moving else window.earliest
    latest = _shift(window.latest, delta) if "latest" in moving else window.latest
    if earliest is not None and latest is not None and earliest > latest:
        earliest = latest  # the deadline now falls before the promise was made: as parse_due clamps it
    return operations.Window(window.phrase, earliest, latest, window.precision, window.anchor_meeting_id)


@events.subscribe("meeting.moved")
def move_anchored_windows(session: Session, event: events.Event) -> None:
    """A commitment due relative to a meeting ("prior to the Brussels meeting") moves with the meeting."""
    delta = timedelta(days=event.data["days_moved"])
    if not delta:
        return
    meeting = session.get(Meeting, event.subject_id)
    names = meeting_names(meeting.title, meeting.aliases)
    local = ZoneInfo(meeting.timezone)
    old_start, old_end = (datetime.fromisoformat(moment).astimezone(local).date() for moment in event.data["from"])
    anchored = session.exec(select(Commitment).where(Commitment.due_anchor_meeting_id == event.subject_id,
                                                     Commitment.status.in_(ACTIVE_STATUSES)))
    for commitment in anchored:
        window = operations.Window.of(commitment)
        if set_by_hand(window, written_on(session, commitment), names, (old_start, old_end)):
            continue
        moved = moved_window(window, delta)
        operations.reschedule(session, commitment, moved, reason=f"the meeting it depends on moved "
                              f"{event.data['days_moved']:+d} days", actor=events.Actor(event.actor_user_id,
                                                                                         event.actor_name))


# --------------------------------------------------------------------------- anchors recorded later


@dataclass(frozen=True)
class Resolution:
    window: DueWindow
    anchor_as_written: str  # "Toronto meeting", "next Council call": what the reason quotes
    series: tuple[str, ...] = ()  # "the next Council call": ("call", "council"); only if no such meeting comes first

    @property
    def next_in_series(self) -> bool:
        return bool(self.series)


_NEXT = re.compile(r"\b(?:" + "|".join(vocabulary.NEXT_IN_SERIES) + r")\b", re.I)


def meeting_names(title: str, aliases: str = "") -> tuple[str, ...]:
    """The names a meeting goes by in text: its title and each alias."""
    return (title, *(a.strip() for a in (aliases or "").split(",") if a.strip()))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def identifying_words(names: tuple[str, ...]) -> list[str]:
    """The words of a meeting's names that a phrase naming it must hold ("toronto", "38"; not "meeting")."""
    return sorted(set().union(*(_words(name) for name in names)) - vocabulary.GENERIC_EVENT_WORDS)


def resolved_window(phrase: str, written_on: date, names: tuple[str, ...], span: tuple[date, date]) -> Resolution | None:
    """The window ``phrase`` gives once the meeting called ``names`` is known to run over ``span`` (its own first
    and last day), or None when the phrase does not name that meeting. Pure: the grammar decides."""
    if span[1] < written_on:
        return None  # over before the commitment was made: the phrase means another meeting of that name
    known = {name: span for name in names}
    due = parse_due(phrase, written_on, known)
    if due is None:
        return None
    if due.precision != "unresolved" and due.anchor in known:
        unknown = parse_due(phrase, written_on)
        return Resolution(due, unknown.anchor if unknown is not None and unknown.anchor else due.anchor)
    if due.precision == "unresolved" and due.anchor and _NEXT.search(due.anchor) and span[0] > written_on:
        # "by the next Council call" names a series: the meeting is in it when its name holds every other word.
        wanted = _words(_NEXT.sub(" ", due.anchor)) - {"the"}
        for name in names:
            if wanted and wanted <= _words(name) and due.anchor in phrase:
                named = parse_due(phrase.replace(due.anchor, name, 1), written_on, known)
                if named is not None and named.precision != "unresolved" and named.anchor in known:
                    return Resolution(DueWindow(phrase, named.earliest, named.latest, named.precision, named.anchor,
                                                named.anchored_bounds), due.anchor, tuple(sorted(wanted)))
    return None


def set_by_hand(window: operations.Window, written: date, names: tuple[str, ...], span: tuple[date, date]) -> bool:
    """True when a window's phrase names its meeting but its dates are not the ones the phrase gives against the
    meeting's days ``span``: a person moved it by hand, and a move of the meeting leaves it alone."""
    computed = resolved_window(window.phrase, written, names, span)
    if computed is None:
        return False
    moving = anchored_bounds(window.phrase)
    return any(getattr(computed.window, bound) != getattr(window, bound) for bound in moving)


def written_on(session: Session, commitment: Commitment) -> date:
    """The day the commitment was made: its letter's date, its meeting's first day, else the day it was recorded."""
    if commitment.source_letter_id:
        letter = session.get(Letter, commitment.source_letter_id)
        if letter is not None:
            return letter.sent_on
    if commitment.source_meeting_id:
        meeting = session.get(Meeting, commitment.source_meeting_id)
        if meeting is not None:
            return meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).date()
    return commitment.created_at.date()


@events.subscribe("meeting.scheduled")
@events.subscribe("meeting.held")
@events.subscribe("meeting.moved")
def resolve_waiting_anchors(session: Session, event: events.Event) -> None:
    """Commitments due relative to this meeting, saved before it was recorded, get their window from it."""
    meeting = session.get(Meeting, event.subject_id)
    names = meeting_names(meeting.title, meeting.aliases)
    local = ZoneInfo(meeting.timezone)
    span = (meeting.starts_at.astimezone(local).date(), meeting.ends_at.astimezone(local).date())
    actor = events.Actor(event.actor_user_id, event.actor_name)
    for commitment in session.exec(commitment_queries.unresolved_naming(identifying_words(names))).all():
        made_on = written_on(session, commitment)
        resolution = resolved_window(commitment.due_phrase, made_on, names, span)
        if resolution is None:
            continue
        if resolution.next_in_series and _an_earlier_one_is_recorded(session, meeting, resolution, made_on):
            continue
        due = resolution.window
        operations.reschedule(
            session, commitment, operations.Window(commitment.due_phrase, due.earliest, due.latest, due.precision,
                                                   meeting.id),
            reason=f"the meeting it depends on (“{resolution.anchor_as_written}”) is now recorded, starting "
                   f"{span[0]:%d %B %Y}", actor=actor)


def _an_earlier_one_is_recorded(session: Session, meeting: Meeting, resolution: Resolution, made_on: date) -> bool:
    """Another meeting of the series between the promise and this one: that one was "the next call"."""
    after = datetime.combine(made_on, datetime.min.time(), meeting.starts_at.tzinfo)
    statement = meeting_queries.named_between(list(resolution.series), after, meeting.starts_at, meeting.id)
    return session.exec(statement).first() is not None
