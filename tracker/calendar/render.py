"""Calendar feeds as iCalendar (RFC 5545): pure functions from records to entries to bytes, no database.

Each record keeps one UID for its whole life, so a calendar that fetched the feed before updates the same
event when a commitment is rescheduled or a meeting moves; SEQUENCE counts the reschedules. Due windows are
all-day events spanning earliest–latest (DTEND is the day after, as the standard wants); meetings keep their
own timezone; a comment period shows its close in force (after extensions).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from typing import TYPE_CHECKING

from tracker.commitments.models import Commitment

if TYPE_CHECKING:
    from icalendar import Event
from tracker.consultations.models import CommentPeriod
from tracker.meetings.models import Meeting

PRODUCT_ID = "-//Commitment tracker//Calendar feed//EN"
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class AllDayEntry:
    uid: str
    first_day: date
    last_day: date  # inclusive
    summary: str
    description: str
    url: str
    modified: datetime
    sequence: int = 0
    category: str = ""


@dataclass(frozen=True)
class TimedEntry:
    uid: str
    starts_at: datetime  # aware
    ends_at: datetime
    timezone: str
    summary: str
    description: str
    url: str
    modified: datetime
    location: str = ""


def commitment_entry(commitment: Commitment, *, state: str, url: str, host: str, reschedules: int) -> AllDayEntry:
    """A dated commitment as an all-day event over its due window."""
    last = commitment.due_latest
    first = commitment.due_earliest if commitment.due_earliest and commitment.due_earliest <= last else last
    window = last.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
    label = {"promise": "Promise", "request": "Request"}.get(commitment.kind, commitment.kind.title())
    description = (f"{label}, due “{commitment.due_phrase}” ({window}).\n"
                   f"State: {state.replace('_', ' ')}; progress {commitment.progress}%.\n{url}")
    return AllDayEntry(uid=f"commitment-{commitment.id}@{host}", first_day=first, last_day=last,
                       summary=f"{label}: {commitment.title}", description=description, url=url,
                       modified=commitment.updated_at, sequence=reschedules, category=label)


def meeting_entry(meeting: Meeting, *, url: str, host: str) -> TimedEntry:
    where = "remote" if meeting.remote and not meeting.location else meeting.location
    return TimedEntry(uid=f"meeting-{meeting.id}@{host}", starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                      timezone=meeting.timezone or "UTC", summary=meeting.title,
                      description=f"{meeting.kind.replace('_', ' ').capitalize()}.\n{url}", url=url,
                      modified=meeting.updated_at, location=where)


def comment_period_entry(period: CommentPeriod, closes_on: date, *, url: str, host: str) -> AllDayEntry:
    extended = closes_on != period.closes_on
    description = (f"Public comment period, opened {period.opens_on.isoformat()}, closes {closes_on.isoformat()}"
                   f"{' (extended from ' + period.closes_on.isoformat() + ')' if extended else ''}.\n{url}")
    return AllDayEntry(uid=f"comment-period-{period.id}-close@{host}", first_day=closes_on, last_day=closes_on,
                       summary=f"Comment period closes: {period.title}", description=description, url=url,
                       modified=period.updated_at, category="Comment period")


def render_calendar(name: str, entries, now: datetime) -> bytes:
    """The feed as text/calendar bytes."""
    from icalendar import Calendar  # heavy (about 10 MB): loaded by the first feed request, not in every worker

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for entry in entries:
        calendar.add_component(_event(entry, now))
    timed = [entry for entry in entries if isinstance(entry, TimedEntry)]
    if timed:
        # A day's margin: a meeting's local date can be a day either side of its UTC date.
        first_year = (min(entry.starts_at for entry in timed) - timedelta(days=1)).year
        last_year = (max(entry.ends_at for entry in timed) + timedelta(days=1)).year
        for tzid in sorted(calendar.get_missing_tzids(), reverse=True):
            calendar.subcomponents.insert(0, _zone(tzid, first_year, last_year))  # zones first, as icalendar puts them
    return calendar.to_ical()


@lru_cache(maxsize=256)
def _zone(tzid: str, first_year: int, last_year: int):
    """The VTIMEZONE of a zone over whole years, made once per process and shared by every feed (never changed
    after it is made). Working one out took 30-40 ms: icalendar searches for each change of offset, and past the
    last one up to the year 9999; over its default 1970-2038 a zone also wrote hundreds of lines."""
    from icalendar import Timezone

    return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1))


def _event(entry, now: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("last-modified", entry.modified)
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("url", entry.url)
    if isinstance(entry, AllDayEntry):
        event.add("dtstart", entry.first_day)
        event.add("dtend", entry.last_day + timedelta(days=1))
        event.add("sequence", entry.sequence)
        event.add("transp", "TRANSPARENT")  # a due day does not make anyone busy
        if entry.category:
            event.add("categories", [entry.category])
    else:
        zone = ZoneInfo(entry.timezone)
        event.add("dtstart", entry.starts_at.astimezone(zone))
        event.add("dtend", entry.ends_at.astimezone(zone))
        if entry.location:
            event.add("location", entry.location)
    return event
