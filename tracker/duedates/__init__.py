"""The due-window grammar: find the due expression in a sentence and turn it into dates.

Pure functions, standard library only, no I/O.  ``parse_due(text, written_on, events)`` returns a
:class:`DueWindow` (``phrase``, ``earliest``, ``latest`` = last on-time day, ``precision``, ``anchor``) or
None when the text holds no due expression; ``find_all_due`` returns every expression, in text order.

Where things are
  * ``vocabulary.py``: the words (months, weekdays, numbers, units, meeting nouns, deadline words, parts of
    a period, vague phrases) as data, and the regex fragments built from them.  Intake uses it too.
  * ``rules.py``: the rules (name, vocabulary, pattern, production, examples) and the combinations of two
    tokens ("two weeks" + "after" + "the Brussels meeting").  Adding a phrase means adding one rule there
    with its examples; docs/due-windows.md walks through one.
  * ``engine.py``: runs the rules, settles overlaps, combines, reads deadline words, picks the window.
  * ``calendar_math.py``: month lengths, quarters, parts of periods, the nearest year.

Interpretation choices (each rule's examples and tests/duedates/ pin them)
  Precision: ``day`` for one day or a deadline ("by 12 April", "prior to the Brussels meeting", "within
  30 days"); ``window`` for a range ("early May", "Q3 2010", "the end of Q3"); ``vague`` without dates
  ("as soon as possible"); ``unresolved`` relative to a meeting not in ``events`` (``anchor`` holds its name).

  Deadlines: by / until / through / no later than / due / deadline / closes / extended to … X: latest = the
  last day of X.  before / prior to / ahead of / in advance of / in time for X: latest = the day before X
  starts, except "before the end of April" = by 30 April.  A deadline runs from ``written_on`` to latest
  (earliest is clamped to latest when the deadline has passed).  "after X", "since X", "from X", "letter of
  X", "dated X" are not due.  "by 15 days" is an amount.

  Missing years: the occurrence holding ``written_on`` wins; else the next one, unless the previous one
  ended at most 90 days ago and is closer.  A weekday next to the date picks the year it fits.

  Written dates for intake (``find_dates``, ``written_date``): the same rules, and a full date as other
  languages write it ("16 oktober 2013", "16 de octubre de 2013", "3. März 2010"; the month names are
  ``vocabulary.FOREIGN_MONTHS``); a date inside a meeting's name ("the 15 July 2031 Council meeting") counts.

  Numeric dates: "15/06/2010" can only be day-first and is read so; "03/04/2010" is read in ``date_order``
  ("MDY" by default, "DMY" for day-first locales; config key DATE_ORDER).  Without a year ("10/25") only after
  "on" or a deadline word.  Dates that do not exist ("31 April") are no due dates; ``impossible_dates``
  names them so a form can say so.

  Periods: early = 1-10, mid = 11-20, late = 21-end of a month; end of a month = its last day; first/second
  half, first..fourth/last week, first/second fortnight, the closing (final, last) days = the last 7 days,
  the first (opening) days = the first 7.  Of a year: early = Q1, mid = May-Aug, late = Q4, end = 31 Dec.
  Of a quarter or season: early/mid/late = its months, end = its last month.  Of a week: early = Mon-Tue,
  mid = Wed-Thu, late = Thu-Fri, end = Friday.  Parts combine with any period: "the first week of next
  month", "the second half of next year", "late Q3".

  Relative to ``written_on``: today, tomorrow, this/next week (ISO weeks), this/next month/quarter/year
  ("this ..." runs from written_on), "in 2 days" = that day, "within 30 days" = deadline, business days skip
  weekends, a bare weekday after a preposition = its next occurrence.

  Meetings: a meeting phrase needs a meeting noun, a numbered series ("ICANN 39") or a word of a known
  meeting's name, and a capitalised word or a number.  at/during = the meeting's days; before/prior to =
  the day before it starts; by/until = its first day.  "two weeks before X" = deadline 14 days before it
  starts; "two weeks after X" = the day 14 days after it ends; "within two weeks of X" = deadline 14 days
  after it ends; "by the end of X" = its last day.  ``anchored_bounds`` tells which bounds follow the
  meeting when it moves: only ``latest`` for deadlines (their earliest is the day the promise was made),
  both for "at X" and "two weeks after X".  "for X" ("the slides for IETF 103") = by its first day, but it
  does not outweigh a written date in the same sentence.  A meeting not in ``events`` is ``unresolved``,
  unless the phrase says when it is ("at the ICANN meeting in Brussels in June", "at the Council's July
  meeting", "on the September teleconference"): that month stands in, anchor = the name as written.  A
  numbered meeting ("IETF 103") is only the known meeting with that number.  "the next call", "the next
  Council meeting" stay ``unresolved`` (anchor "next call"), even when a meeting of that name is known:
  which one is next is not written.

  Notes and action items: "by end of week" = "by the end of the week"; an item's duration in brackets
  ("Ana and Tom (2 weeks)") is a deadline counted from the writing date; "6-Mar-2031" is a day.

  Choosing: the last deadline; else the first dated expression; else the first unknown meeting; else the
  first vague one.  ``phrase`` is the matched text with its deadline word or leading preposition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.duedates import vocabulary
from tracker.duedates.tokens import Context, DueWindow

PRECISIONS = ("day", "window", "vague", "unresolved")
DATE_ORDERS = ("MDY", "DMY")

__all__ = ["PRECISIONS", "DATE_ORDERS", "DueWindow", "DateMention", "parse_due", "find_all_due", "find_dates",
           "written_date", "LETTER_DATE_RULES", "impossible_dates", "anchored_bounds", "RULES", "COMBINATIONS", "Rule",
           "Combination", "vocabulary"]


def _engine():
    # The rules and the engine's compiled patterns (about 1.5 MB) are loaded by the first text read, not at start:
    # a web worker serving lists, pages and exports may never read one. Their names stay importable from here.
    from tracker.duedates import engine
    return engine


def __getattr__(name: str):
    if name in ("RULES", "COMBINATIONS", "Rule", "Combination"):
        from tracker.duedates import rules  # see _engine()
        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class DateMention:
    """A written calendar date found in a text: where it is and the days it names."""

    start: int
    end: int
    text: str
    earliest: date
    latest: date
    precision: str        # "day" for a day, "month" for a month and year, "window" for a range
    year_written: bool
    rule: str             # the rule that read it: "day month", "month day", "ISO date", "month", "numeric date" …


def _context(text: str, written_on: date, date_order: str) -> Context:
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)}, got {date_order!r}")
    return Context(text, written_on, date_order)


def find_all_due(text: str, written_on: date, events: dict[str, tuple[date, date]] | None = None, *,
                 date_order: str = "MDY") -> list[DueWindow]:
    """Every due expression in ``text``, in text order."""
    if not text:
        return []
    engine = _engine()
    plain = engine.plain(text)
    found = engine.read_context(engine.tokens(plain, _context(plain, written_on, date_order), events), plain)
    return [engine.finish(t, text, written_on, events) for t in found]


def parse_due(text: str, written_on: date, events: dict[str, tuple[date, date]] | None = None, *,
              date_order: str = "MDY") -> DueWindow | None:
    """The due window a sentence commits to (see the module docstring for the rules)."""
    if not text:
        return None
    engine = _engine()
    plain = engine.plain(text)
    found = engine.read_context(engine.tokens(plain, _context(plain, written_on, date_order), events), plain)
    chosen = engine.choose(found, text, written_on, events) if found else None
    return chosen[1] if chosen else None


def impossible_dates(text: str, written_on: date | None = None, *, date_order: str = "MDY") -> list[str]:
    """The written dates in ``text`` that do not exist, as written ("31 April", "29 February 2011")."""
    if not text:
        return []
    engine = _engine()
    plain = engine.plain(text)
    ctx = _context(plain, written_on or date(2000, 1, 1), date_order)
    return [t.impossible for t in engine.tokens(plain, ctx) if t.kind == "impossible"]


_YEAR_WRITTEN = re.compile(vocabulary.YEAR)
_DATE_KINDS = frozenset({"date", "impossible"})  # "31 April 2010" is no date, nor is "April 2010" in it
_CALENDAR_RULES = frozenset({"ISO date", "dotted date", "dashed date", "numeric date", "day month", "month day",
                             "day month in other languages", "month", "days of a month", "month days",
                             "from date to date"})


def find_dates(text: str, written_on: date | None = None, *, date_order: str = "MDY") -> list[DateMention]:
    """Every written calendar date in ``text`` (days, months with a year, ranges), in text order.

    Words around a date do not matter here ("after 29 March" is found): this is for reading a letter's own
    date or the date of the letter it answers, not for due dates.  Without ``written_on`` only dates whose
    year is written are returned.
    """
    if not text:
        return []
    engine = _engine()
    plain = engine.plain(text)
    ctx = _context(plain, written_on or date(2000, 1, 1), date_order)
    found = []
    for t in engine.tokens(plain, ctx, kinds=_DATE_KINDS):
        if t.kind != "date" or t.rule not in _CALENDAR_RULES or t.span is None or t.needs_preposition:
            continue  # "May we …", "10/25": not dates without a preposition
        year_written = t.written_day[2] is not None if t.written_day else _YEAR_WRITTEN.search(plain, t.start, t.end)
        if written_on is None and not year_written:
            continue
        precision = "month" if t.rule == "month" else ("day" if t.span[0] == t.span[1] else "window")
        found.append(DateMention(t.start, t.end, text[t.start:t.end], t.span[0], t.span[1], precision,
                                 bool(year_written), t.rule))
    return found


# The forms a letter's own date is written in ("11 March 2010", "April 21, 2010", "2010-04-21", "March 2010",
# "16 oktober 2013"); minutes of a meeting of several days ("27-28 September 2031") are dated by its first day.
LETTER_DATE_RULES = frozenset({"day month", "month day", "ISO date", "month", "day month in other languages",
                               "days of a month", "month days"})


def written_date(text: str) -> tuple[date, str] | None:
    """The first full date written in ``text`` with its year, as a letter dates itself:
    "11 March 2010" → (2010-03-11, "day"); "March 2010" → (2010-03-01, "month"); "27-28 September 2031" →
    (2031-09-27, "day"); "31 April 2010" → None."""
    for mention in find_dates(text):
        if mention.rule in LETTER_DATE_RULES and mention.year_written:
            return mention.earliest, "month" if mention.rule == "month" else "day"
    return None


def anchored_bounds(phrase: str) -> frozenset[str]:
    """Which bounds of a window written as ``phrase`` follow its meeting when the meeting moves.

    Read from the phrase alone: "prior to the Brussels meeting" → {"latest"}; "at the Brussels meeting",
    "two weeks after the Brussels meeting" → {"earliest", "latest"}; a phrase naming no meeting → both
    (the window was tied to the meeting by hand, so it moves whole).
    """
    engine = _engine()
    plain = engine.plain(phrase or "")
    probe_day = date(2000, 1, 1)
    found = engine.read_context(engine.tokens(plain, Context(plain, probe_day)), plain)
    chosen = engine.choose(found, plain, probe_day, None) if found else None
    if chosen is None or chosen[0].kind != "event":
        return frozenset({"earliest", "latest"})
    return engine.bounds_following_the_meeting(chosen[0])
