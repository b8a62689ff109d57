"""Pure decisions for reminders: what a digest says, and when a recipient's digest is due. No I/O."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from tracker.commitments.models import ACTIVE_STATUSES, slip_days

UTC = timezone.utc
ACTIVE = frozenset(ACTIVE_STATUSES)
DONE_STATUSES = frozenset(("done", "partly_done"))
UNDECIDED = frozenset(("vague", "unresolved"))
# Written out because a digest is built without a request to resolve endpoints in; tests/core/test_links.py
# checks each equals url_for of its list page and that the list reads its parameter.
MORE_PATHS = {"overdue": "/commitments/?status=overdue", "due_soon": "/commitments/?status=due_soon",
              "needs_decision": "/commitments/?status=needs_decision",
              "letters": "/letters/?reply_state=late", "done": "/commitments/?status=done"}


@dataclass(frozen=True)
class RecipientView:
    """What building a digest needs to know about its recipient."""
    id: int
    name: str
    email: str
    timezone: str = "UTC"
    due_soon_days: int = 7
    # Items done after this moment are listed as "done since the last digest".
    since: datetime | None = None
    send_when_empty: bool = False
    max_per_section: int = 10
    # The subscription's state, signed into the unsubscribe link (render.subscription_state).
    unsubscribe_state: int = 0


# Items and lines are NamedTuples: a pass builds hundreds of thousands of them.
class CommitmentItem(NamedTuple):
    """A commitment as the digest sees it (attribute names match Commitment, so the derived checks apply)."""
    id: int
    title: str
    status: str
    party: str
    due_phrase: str = ""
    due_latest: date | None = None
    due_precision: str = "vague"
    baseline_phrase: str = ""
    baseline_latest: date | None = None
    done_at: datetime | None = None
    kind: str = "promise"


class LetterItem(NamedTuple):
    """An incoming letter still awaiting a reply."""
    id: int
    subject: str
    party: str
    sent_on: date
    reply_by: date | None


class Line(NamedTuple):
    kind: str  # commitment | letter
    id: int
    title: str
    party: str
    path: str
    due_phrase: str = ""
    due_latest: date | None = None
    days_late: int | None = None
    days_left: int | None = None
    slip_days: int | None = None
    baseline_phrase: str = ""
    reply_by: date | None = None
    done_on: date | None = None
    status: str = ""
    # Wording computed once here, so the two templates stay simple (and fast over thousands of emails).
    badge: str = ""       # "2 days late", "in 3 days", "today"
    note: str = ""        # "due “in early May”, 10 May 2010"
    slip_note: str = ""   # "rescheduled: +15 days from the first promise (“by end of April”)"


@dataclass(frozen=True)
class Group:
    party: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    groups: tuple[Group, ...]
    # Items not listed (beyond the per-section limit) and the page that lists them all.
    more: int = 0
    more_path: str = ""

    @property
    def shown(self) -> int:
        return sum(len(group.lines) for group in self.groups)

    @property
    def count(self) -> int:
        return self.shown + self.more


@dataclass(frozen=True)
class DigestContent:
    recipient: RecipientView
    today: date
    sections: tuple[Section, ...]
    subject: str
    counts: dict = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0

    @property
    def should_send(self) -> bool:
        return not self.is_empty or self.recipient.send_when_empty


def commitment_path(commitment_id: int) -> str:
    return f"/commitments/{commitment_id}"


def letter_path(letter_id: int) -> str:
    return f"/letters/{letter_id}"


def build_digest(recipient: RecipientView, items, now: datetime) -> DigestContent:
    """Sort the recipient's items into sections (overdue, due soon, needs a date, late replies, done),
    each grouped by party, using "today" in the recipient's timezone.

    A section lists at most `recipient.max_per_section` items, the most urgent; the rest are counted and
    linked to the full list (an email of 180 overdue items is read by nobody).
    """
    zone = ZoneInfo(recipient.timezone)
    today = now.astimezone(zone).date()
    ranked = _split(_prepare(items), today, recipient.due_soon_days, recipient.since, now)
    sections, counts, subject = _sections(ranked, today, recipient.due_soon_days, zone, recipient.max_per_section)
    return DigestContent(recipient, today, sections, subject, counts)


def build_digests(recipients, items_of: dict, now: datetime) -> list[DigestContent]:
    """build_digest for many recipients, each with `items_of.get(recipient.id, ())`; the same results.

    Recipients handed the very same items list (followers of the same parties) share the work: the list is
    deduplicated and sorted once, split into sections once per (local today, due-soon days, since), and its
    sections built once per split and section limit. Only the timezone of "done on" days can tell such
    recipients apart, so it joins the key when something is done. Shared digests hold the same `sections`
    object, which lets rendering share too.
    """
    zones, prepared, splits, built = {}, {}, {}, {}
    contents = []
    for recipient in recipients:
        zone = zones.get(recipient.timezone)
        if zone is None:
            zone = zones[recipient.timezone] = ZoneInfo(recipient.timezone)
        today = now.astimezone(zone).date()
        items = items_of.get(recipient.id, ())
        # id() is a safe key: items_of keeps every list alive for the whole call.
        ready = prepared.get(id(items))
        if ready is None:
            ready = prepared[id(items)] = _prepare(items)
        split_key = (id(items), today, recipient.due_soon_days, recipient.since)
        ranked = splits.get(split_key)
        if ranked is None:
            ranked = splits[split_key] = _split(ready, today, recipient.due_soon_days, recipient.since, now)
        build_key = (split_key, recipient.max_per_section, recipient.timezone if ranked.done else None)
        shared = built.get(build_key)
        if shared is None:
            shared = built[build_key] = _sections(ranked, today, recipient.due_soon_days, zone,
                                                  recipient.max_per_section)
        sections, counts, subject = shared
        contents.append(DigestContent(recipient, today, sections, subject, dict(counts)))
    return contents


class _Prepared(NamedTuple):
    """Items deduplicated and sorted, before anything depends on the day (each entry is (sort key, item))."""
    dated: list            # open with a last day, by (last day, title, id): the overdue, then the due soon
    dated_latest: list     # their last days, in the same order (to bisect)
    undecided: list        # open with a vague or unresolved due window, by (title, id)
    letters: list          # with a reply-by date, by (reply-by, id)
    letters_reply_by: list
    done: list             # done or partly done with a time, most recent first


def _prepare(items) -> _Prepared:
    # This loop runs over every item of every distinct list, hence positional access: CommitmentItem is (id,
    # title, status, party, due_phrase, due_latest, due_precision, ...). The first listing of an item wins.
    dated, undecided, letters, done = [], [], [], []
    seen_commitments, seen_letters = set(), set()
    for item in items:
        if item.__class__ is LetterItem:
            if item.id not in seen_letters:
                seen_letters.add(item.id)
                if item.reply_by is not None:
                    letters.append(((item.reply_by, item.id), item))
            continue
        commitment_id = item[0]
        if commitment_id in seen_commitments:
            continue
        seen_commitments.add(commitment_id)
        status, latest = item[2], item[5]
        if status in ACTIVE:
            if latest is not None:
                dated.append(((latest, item[1], commitment_id), item))
            # Listed as undecided only when not overdue or due soon: decided per day in _split.
            if item[6] in UNDECIDED:
                undecided.append(((item[1], commitment_id), item))
        elif status in DONE_STATUSES and item.done_at is not None:
            done.append(((item.done_at, item[1], commitment_id), item))
    dated.sort(key=_first)  # earliest last day = most days late
    undecided.sort(key=_first)
    letters.sort(key=_first)
    done.sort(key=_first, reverse=True)
    return _Prepared(dated, [key[0] for key, _item in dated], undecided, letters,
                     [key[0] for key, _item in letters], done)


class _Ranked(NamedTuple):
    """Items by section for one day, most urgent first (each entry is (sort key, item))."""
    overdue: list
    due_soon: list
    undecided: list
    letters: list
    done: list


def _split(prepared: _Prepared, today: date, within: int, since: datetime | None, now: datetime) -> _Ranked:
    soon_end = today + timedelta(days=within)
    # Overdue: today is after the last day; due soon: the last day is within `within` days from today.
    first_not_late = bisect_left(prepared.dated_latest, today)
    after_soon = bisect_right(prepared.dated_latest, soon_end, lo=first_not_late)
    undecided = [entry for entry in prepared.undecided
                 if entry[1][5] is None or entry[1][5] > soon_end]
    letters = prepared.letters[:bisect_left(prepared.letters_reply_by, today)]
    done = [entry for entry in prepared.done
            if entry[0][0] <= now and (since is None or entry[0][0] > since)]
    return _Ranked(prepared.dated[:first_not_late], prepared.dated[first_not_late:after_soon], undecided, letters,
                   done)


def _sections(ranked: _Ranked, today: date, within: int, zone: ZoneInfo, limit: int):
    """(sections, counts, subject) for ranked items: Line objects for the `limit` most urgent of each section."""
    overdue, due_soon, undecided, letters, done = ranked

    def commitment_line(item, badge: str, note: str, **extra) -> Line:
        slip = slip_days(item) or None
        slip_note = (f"rescheduled: {slip:+d} days from the first promise (“{item.baseline_phrase}”)"
                     if slip else "")
        return Line("commitment", item.id, item.title, item.party, commitment_path(item.id), item.due_phrase,
                    item.due_latest, slip_days=slip, baseline_phrase=item.baseline_phrase, status=item.status,
                    badge=badge, note=note, slip_note=slip_note, **extra)

    def due(item) -> str:
        return f"due “{item.due_phrase}”, {format_day(item.due_latest)}"

    def undecided_note(item) -> str:
        return f"due “{item.due_phrase}”: needs a date" if item.due_phrase else "no due date: needs a decision"

    shown = {
        "overdue": [commitment_line(i, days(n) + " late", due(i), days_late=n)
                    for _k, i in overdue[:limit] for n in ((today - i.due_latest).days,)],
        "due_soon": [commitment_line(i, "today" if n == 0 else "in " + days(n), due(i), days_left=n)
                     for _k, i in due_soon[:limit] for n in ((i.due_latest - today).days,)],
        "needs_decision": [commitment_line(i, "", undecided_note(i)) for _k, i in undecided[:limit]],
        "letters": [Line("letter", i.id, i.subject, i.party, letter_path(i.id), reply_by=i.reply_by, days_late=n,
                         badge=days(n) + " late", note=f"reply was due {format_day(i.reply_by)}")
                    for _k, i in letters[:limit] for n in ((today - i.reply_by).days,)],
        "done": [commitment_line(i, "", f"{i.status.replace('_', ' ')} on {format_day(done_on)}", done_on=done_on)
                 for _k, i in done[:limit] for done_on in (i.done_at.astimezone(zone).date(),)],
    }
    counts = {"overdue": len(overdue), "due_soon": len(due_soon), "needs_decision": len(undecided),
              "letters": len(letters), "done": len(done)}
    headings = (("overdue", "Overdue"), ("due_soon", f"Due in the next {within} days"),
                ("needs_decision", "Needs a due date"),
                ("letters", "Letters awaiting a reply past their reply-by date"),
                ("done", "Done since the last digest"))
    sections = tuple(Section(key, heading, _grouped(shown[key]), counts[key] - len(shown[key]), MORE_PATHS[key])
                     for key, heading in headings if counts[key])
    return sections, counts, _subject(today, counts, within)


def _first(pair):
    return pair[0]


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@lru_cache(maxsize=4096)
def format_day(value: date) -> str:
    """12 May 2010 (as the pages show days)."""
    return f"{value.day} {value.strftime('%B %Y')}"


def _grouped(lines: list[Line]) -> tuple[Group, ...]:
    """Groups by party in the order their first (most urgent) line appears."""
    groups: dict[str, list[Line]] = {}
    for line in lines:
        groups.setdefault(line.party, []).append(line)
    return tuple(Group(party, tuple(members)) for party, members in groups.items())


def _subject(today: date, counts: dict, within: int) -> str:
    day = f"{today.day} {today.strftime('%B %Y')}"
    parts = []
    if counts.get("moved"):
        parts.append(f"{counts['moved']} update{'s' if counts['moved'] != 1 else ''}")
    if counts["overdue"]:
        parts.append(f"{counts['overdue']} overdue")
    if counts["due_soon"]:
        parts.append(f"{counts['due_soon']} due within {within} days")
    if counts["needs_decision"]:
        parts.append(f"{counts['needs_decision']} without a date")
    if counts["letters"]:
        parts.append(f"{counts['letters']} letter{'s' if counts['letters'] != 1 else ''} awaiting a reply")
    if counts["done"]:
        parts.append(f"{counts['done']} done")
    return f"Reminders for {day}: " + (", ".join(parts) if parts else "nothing due")


# When a digest is due ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Schedule:
    frequency: str = "daily"   # daily | weekly
    weekday: int = 0           # Monday = 0 (weekly)
    send_time: str = "08:00"   # local HH:MM
    timezone: str = "UTC"


def parse_send_time(value: str) -> time:
    """'08:00' → time(8, 0); ValueError for anything else (25:00, 8am, 08:60)."""
    value = (value or "").strip()
    hours, sep, minutes = value.partition(":")
    # isascii(): isdigit() alone accepts "²" and other scripts' digits.
    if (not sep or not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit())
            or len(minutes) != 2 or len(hours) > 2):
        raise ValueError(f"{value!r} is not a time of day like 08:00")
    if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
        raise ValueError(f"{value!r} is not a time of day (00:00 to 23:59)")
    return time(int(hours), int(minutes))


def period_of(schedule: Schedule, local_day: date) -> str:
    if schedule.frequency == "weekly":
        year, week, _ = local_day.isocalendar()
        return f"{year}-W{week:02d}"
    return local_day.isoformat()


def latest_occurrence(schedule: Schedule, now: datetime) -> tuple[str, datetime]:
    """The most recent local send time at or before now: (period, that moment in UTC).

    Built from the local calendar day and wall-clock time, so 08:00 stays 08:00 on the days clocks change;
    a send time that does not exist that day (inside a spring-forward gap) moves to just after the gap.
    """
    zone = ZoneInfo(schedule.timezone)
    at_time = parse_send_time(schedule.send_time)
    local_today = now.astimezone(zone).date()
    for back in range(0, 9):
        day = local_today - timedelta(days=back)
        if schedule.frequency == "weekly" and day.weekday() != schedule.weekday:
            continue
        moment = datetime.combine(day, at_time, tzinfo=zone).astimezone(UTC)
        if moment <= now:
            return period_of(schedule, day), moment
    raise AssertionError("unreachable: a day within the last week always matches")


def due_occurrence(schedule: Schedule, now: datetime, grace: timedelta) -> tuple[str, datetime] | None:
    """The period whose digest should go out now, if its send time passed less than `grace` ago.

    A scheduler that was down at 08:00 still sends that morning's digest when it comes back within the
    grace; one down for longer skips it rather than sending stale news.
    """
    period, moment = latest_occurrence(schedule, now)
    return (period, moment) if now - moment <= grace else None
