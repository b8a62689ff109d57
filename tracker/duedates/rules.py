"""The due-window grammar as data: every rule with its name, the vocabulary tables it needs (its triggers),
its pattern, what it produces and the phrases it must read (its examples are run as tests).

Two tables:
  * RULES read the text: each pattern is a regular expression built from ``vocabulary``; its production
    turns a match into a :class:`~tracker.duedates.tokens.Token` (or None to let the match go).
  * COMBINATIONS read two neighbouring tokens and the text between them ("two weeks" + " after " +
    "the Brussels meeting"): each one names what it accepts on the left and right, the words it allows in
    between (a pattern), and what the pair produces.  The engine applies them until nothing more combines,
    so "the first week of" + "next month" and then "by" + that window work with no extra rule.

An example is ``(phrase, expected)`` or ``(phrase, expected, written_on)``; ``expected`` is
"YYYY-MM-DD..YYYY-MM-DD precision" (or "YYYY-MM-DD precision" for one day), "vague", "unresolved" or
"none".  Examples are read on ``EXAMPLE_WRITTEN_ON`` (a Wednesday) with ``EXAMPLE_EVENTS`` as the known
meetings, unless they say otherwise.  See docs/due-windows.md for how to add a rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from tracker.duedates import vocabulary as v
from tracker.duedates.calendar_math import (add_amount, add_months, last_day, monday, month_span, months_span,
                                            nearest, one_day, part_of, quarter_span, safe_date, season_span)
from tracker.duedates.tokens import Context, Token

EXAMPLE_WRITTEN_ON = date(2010, 4, 21)
EXAMPLE_EVENTS = {"Brussels meeting": (date(2010, 6, 20), date(2010, 6, 25)),
                  "ICANN 39 Cartagena": (date(2010, 12, 5), date(2010, 12, 10))}


@dataclass(frozen=True)
class Rule:
    """Text → token: ``pattern`` (a regex) and ``produce(match, context)``.

    ``triggers`` names the tables of ``vocabulary.TRIGGERS`` the pattern cannot match without: the rule
    runs only on sentences holding a word of one of them (none: it always runs).  Its examples fail when
    a needed table is missing, and a test checks every match against the declaration.
    """

    name: str
    triggers: tuple[str, ...]
    pattern: str
    produce: Callable[[re.Match, Context], Token | None]
    examples: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class Combination:
    """Token + words + token → token.

    ``left`` and ``right`` accept a token; ``between`` must match the whole text between the two tokens
    (its named groups are passed on); ``produce(left, between_match, right, context)``.
    """

    name: str
    left: Callable[[Token], bool]
    between: str
    right: Callable[[Token], bool]
    produce: Callable[[Token, re.Match, Token, Context], Token | None]
    examples: tuple[tuple, ...] = ()


# --------------------------------------------------------------------------- reading one date

def _year_of(text: str | None) -> int | None:
    return int(text) if text else None


def _day_of(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def calendar_day(ctx: Context, month: int, day: int, year: int | None, weekday: int | None = None,
                 default_year: int | None = None) -> date | None:
    """A written day: the year as written, else the nearest occurrence around the writing date."""
    if year is not None:
        return safe_date(year, month, day)
    if default_year is not None:
        return safe_date(default_year, month, day)
    found = nearest(lambda y: one_day(safe_date(y, month, day)), ctx.written_on, weekday)
    return found[0] if found else None


def _impossible(m: re.Match, rule: str, written: str) -> Token:
    return Token("impossible", m.start(), m.end(), rule, impossible=written)


def _exists_in_some_year(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else last_day(2001, month))


def _named_day(m: re.Match, ctx: Context, rule: str) -> Token | None:
    month, day, year = v.month_number(m["month"]), _day_of(m["day"]), _year_of(m["year"])
    weekday = v.weekday_number(m["weekday"]) if m.groupdict().get("weekday") else None
    found = calendar_day(ctx, month, day, year, weekday)
    if found is None:
        if year is not None or not _exists_in_some_year(month, day):
            return _impossible(m, rule, f"{day} {v.MONTH_NAMES[month]}" + (f" {year}" if year else ""))
        return None
    return Token("date", m.start(), m.end(), rule, span=(found, found), precision="day",
                 written_day=(month, day, year))


def _day_month(m, ctx):
    return _named_day(m, ctx, "day month")


def _month_day(m, ctx):
    return _named_day(m, ctx, "month day")


def _day_month_in_other_languages(m, ctx):
    return _named_day(m, ctx, "day month in other languages")


def _dashed_date(m, ctx):
    return _named_day(m, ctx, "dashed date")


def _iso_date(m, ctx):
    found = safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    if found is None:
        return _impossible(m, "ISO date", m.group())
    return Token("date", m.start(), m.end(), "ISO date", span=(found, found), precision="day",
                 written_day=(found.month, found.day, found.year))


def numeric_order(first: int, second: int, order: str) -> tuple[int, int] | None:
    """(month, day) of "first/second": the only reading when one number cannot be a month, else the
    configured order ("DMY" reads 03/04 as 3 April, "MDY" as 4 March); None when neither reading works."""
    if first > 12 and second > 12:
        return None
    if first > 12:
        return second, first
    if second > 12:
        return first, second
    return (second, first) if order.upper().startswith("D") else (first, second)


def _slash_date(m, ctx):
    reading = numeric_order(int(m["first"]), int(m["second"]), ctx.date_order)
    written_year = m["year"]
    year = None if not written_year else int(written_year) + (2000 if len(written_year) == 2 else 0)
    if reading is None:
        return _impossible(m, "numeric date", m.group())
    month, day = reading
    found = calendar_day(ctx, month, day, year)
    if found is None:
        return _impossible(m, "numeric date", m.group()) if year or not _exists_in_some_year(month, day) else None
    # Without a year, "10/25" could be a score or a fraction: only "on 10/25", "by 10/25" … count.
    return Token("date", m.start(), m.end(), "numeric date", span=(found, found), precision="day",
                 needs_preposition=year is None, written_day=(month, day, year))


def _dotted_date(m, ctx):
    found = safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    if found is None:
        return _impossible(m, "dotted date", m.group())
    return Token("date", m.start(), m.end(), "dotted date", span=(found, found), precision="day",
                 written_day=(found.month, found.day, found.year))


_DAY_MONTH = (rf"(?:(?P<weekday>{v.WEEKDAY}),?\s+)?(?:{v.THE}\s+)?(?P<day>{v.DAY})(?:\s+(?i:of))?\s+"
              rf"(?P<month>{v.MONTH})(?:,?\s+(?P<year>{v.YEAR}))?")
# "May 4th., 2031": a full stop after the day's ordinal, before its year.
_MONTH_DAY = (rf"(?:(?P<weekday>{v.WEEKDAY}),?\s+)?(?P<month>{v.MONTH})\s+(?:{v.THE}\s+)?"
              rf"(?P<day>{v.DAY_AFTER_DASH})(?:(?:(?<=[A-Za-z])\.)?,?\s+(?P<year>{v.YEAR}))?")
# "16 oktober 2013", "16 de octubre de 2013", "3. März 2010": a full date as mail clients write it in the
# sender's language (an English month written so, "3. March 2010", reads too).
_DAY_MONTH_IN_OTHER_LANGUAGES = (rf"(?<![\w.,/-])(?P<day>{v.DAY_NUMBER})(?i:st|nd|rd|th)?(?:\.|\s+(?i:de))?\s+"
                                 rf"(?P<month>{v.FOREIGN_MONTH}|{v.MONTH})(?:\s+(?i:de))?,?\s+(?P<year>{v.YEAR})")
# "6-Mar-2031", as spreadsheets and trackers write a day.
_DASHED = rf"(?<![\w-])(?P<day>{v.DAY_NUMBER})-(?P<month>{v.MONTH})-(?P<year>{v.YEAR})(?![\w-])"
_ISO = r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\d-])"
_SLASH = r"(?<![\d/.])(?P<first>\d{1,2})/(?P<second>\d{1,2})(?:/(?P<year>(?:19|20)\d\d|\d\d))?(?![\d/])"
_DOTTED = r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?!\d|\.\d)"
# Any one written date (the parts of a range); read again with read_date.
# Any one written date, its groups unnamed so that it can appear twice in a pattern; read with read_date.
ONE_DATE = re.sub(r"\(\?P<\w+>", "(?:", f"(?:{_ISO}|{_DAY_MONTH}|{_MONTH_DAY}|{_SLASH})")

_SINGLE_DATE_FORMS = tuple(re.compile(form) for form in (_ISO, _DAY_MONTH, _MONTH_DAY, _SLASH))


def read_date(text: str, ctx: Context, default_year: int | None = None) -> tuple[date | None, bool]:
    """One written date (a part of a range): (the day or None, whether its year was written)."""
    for regex in _SINGLE_DATE_FORMS:
        m = regex.fullmatch(text)
        if m is None:
            continue
        groups = m.groupdict()
        if "first" in groups:
            reading = numeric_order(int(m["first"]), int(m["second"]), ctx.date_order)
            if reading is None:
                return None, False
            month, day = reading
        else:
            month = int(m["month"]) if m["month"].isdigit() else v.month_number(m["month"])
            day = _day_of(m["day"])
        year = groups.get("year")
        if year:
            return safe_date(int(year) + (2000 if len(year) == 2 else 0), month, day), True
        weekday = v.weekday_number(m["weekday"]) if groups.get("weekday") else None
        return calendar_day(ctx, month, day, None, weekday, default_year), False
    return None, False


# --------------------------------------------------------------------------- ranges

def _connector_fits(m) -> bool:
    """"between A and B", "from A to B", "A-B"; not "A and B" alone (two dates) or "between A to B"."""
    connector = m["connector"].lower()
    lead = (m["lead"] or "").lower()
    return (connector == "and") == (lead == "between")


def _day_range(ctx, first_month, first_day, last_month, last_day_, year):
    def build(y):
        b = safe_date(y, last_month, last_day_)
        a = safe_date(y, first_month, first_day)
        if a is not None and b is not None and a > b:
            a = safe_date(y - 1, first_month, first_day)
        return (a, b) if a is not None and b is not None and a <= b else None
    return build(year) if year else nearest(build, ctx.written_on)


def _days_of_month(m, ctx):
    month = v.month_number(m["month"])
    span = _day_range(ctx, month, _day_of(m["d1"]), month, _day_of(m["d2"]), _year_of(m["year"]))
    return Token("date", m.start(), m.end(), "days of a month", span=span) if span else None


_RANGE_LEAD = re.compile(r"(?i:(?<![\w-])(?P<lead>from|between)\s+(?:the\s+)?)$")


def _date_to_date(left: Token, between: re.Match, right: Token, ctx: Context) -> Token | None:
    """"from 12 February to 29 March 2010": the year written at the end applies to the start too."""
    lead = _RANGE_LEAD.search(ctx.text, max(0, left.start - 16), left.start)
    connector = between["connector"].lower()
    if (connector == "and") != (lead is not None and lead["lead"].lower() == "between"):
        return None
    if connector == "to" and lead is None:
        return None
    (first_month, first_day, first_year), (last_month, last_day_, last_year) = left.written_day, right.written_day
    if first_year is None and last_year is None:
        span = _day_range(ctx, first_month, first_day, last_month, last_day_, None)
    else:
        last = right.span[0]
        first = left.span[0] if first_year is not None else safe_date(last.year, first_month, first_day)
        if first is not None and first_year is None and first > last:
            first = safe_date(last.year - 1, first_month, first_day)
        span = (first, last) if first is not None and first <= last else None
    if span is None:
        return None
    return Token("date", lead.start() if lead else left.start, right.end, "from date to date", span=span)


def _month_range(m, ctx):
    connector = m["connector"].lower()
    if not _connector_fits(m) or (not m["lead"] and not m["year"] and connector not in ("-", "/", "or")):
        return None
    first, last = v.month_number(m["month"]), v.month_number(m["month2"])
    year = _year_of(m["year"])
    span = months_span(first, last, year) if year else nearest(lambda y: months_span(first, last, y), ctx.written_on)
    return Token("date", m.start(), m.end(), "months", span=span)


_LEAD = r"(?:(?P<lead>(?i:from|between))\s+)?"
_CONNECTOR = r"(?P<connector>-|(?i:to|and|or|through|until|till))"
_MONTH_CONNECTOR = r"(?P<connector>[-/]|(?i:to|and|or|through|until|till))"


def _week_of(m, ctx):
    day, _ = read_date(m["date"], ctx)
    if day is None:
        return None
    start = monday(day)
    span = (start, start + timedelta(days=6))
    return Token("date", m.start(), m.end(), "week of a date", span=span, unit="week", whole=span)


# --------------------------------------------------------------------------- months, quarters, years

def _period(m, ctx, rule, unit, build, year_text=None, **extra) -> Token:
    year = _year_of(year_text)
    span = build(year) if year else nearest(build, ctx.written_on)
    return Token("date", m.start(), m.end(), rule, span=span, unit=unit, whole=span, **extra)


def _month(m, ctx):
    """A month: with its year it stands alone ("June 2010"); without, only after a preposition ("in June",
    not "May we …")."""
    month = v.month_number(m["month"])
    return _period(m, ctx, "month", "month", lambda y: month_span(y, month), m["year"],
                   needs_preposition=not m["year"])


def _month_timeframe(m, ctx):
    first = v.month_number(m["month"])
    last = v.month_number(m["month2"]) if m["month2"] else first
    year = _year_of(m["year"])
    span = months_span(first, last, year) if year else nearest(lambda y: months_span(first, last, y),
                                                               ctx.written_on)
    return Token("date", m.start(), m.end(), "month timeframe", span=span)


def _year_reference(text: str | None, ctx: Context) -> int | None:
    if not text:
        return None
    found = re.search(v.YEAR, text)
    if found:
        return int(found.group())
    return ctx.written_on.year + (1 if text.lower().startswith("next") else 0)


def _quarter(m, ctx):
    number = int(m["q"]) if m["q"] else v.ORDINALS.get(m["ordinal"].lower(), 4)
    year = _year_reference(m["year"], ctx)
    span = quarter_span(year, number) if year else nearest(lambda y: quarter_span(y, number), ctx.written_on)
    return Token("date", m.start(), m.end(), "quarter", span=span, unit="quarter", whole=span,
                 needs_preposition=bool(m["q"]) and year is None)


def _half_written_short(m, ctx):
    year = int(m["year"])
    span = (date(year, 1, 1), date(year, 6, 30)) if m["h"] == "1" else (date(year, 7, 1), date(year, 12, 31))
    return Token("date", m.start(), m.end(), "half year", span=span, unit="half", whole=span)


def _year_alone(m, ctx):
    year = int(m["year"])
    span = (date(year, 1, 1), date(year, 12, 31))
    return Token("date", m.start(), m.end(), "year", span=span, unit="year", whole=span, needs_preposition=True)


def _year_end(m, ctx):
    year = int(m["year"]) if m["year"] else ctx.written_on.year
    day = date(year, 12, 31)
    return Token("date", m.start(), m.end(), "year end", span=(day, day), precision="day", end_of=True)


def _mid_year(m, ctx):
    year = int(m["year"]) if m["year"] else ctx.written_on.year
    span = part_of("mid", "year", (date(year, 1, 1), date(year, 12, 31)))
    return Token("date", m.start(), m.end(), "mid-year", span=span)


def _season(m, ctx):
    which = " ".join((m["which"] or "").lower().split())
    first_month = v.SEASONS[m["season"].lower()]
    ref = ctx.written_on
    if m["year"]:
        span = season_span(int(m["year"]), first_month)
    elif which == "this":
        span = season_span(ref.year - 1 if first_month == 12 and ref.month <= 2 else ref.year, first_month)
    elif which in ("next", "this coming", "the coming"):
        year = ref.year
        while date(year, first_month, 1) <= ref:
            year += 1
        span = season_span(year, first_month)
    else:
        span = nearest(lambda y: season_span(y, first_month), ref)
    return Token("date", m.start(), m.end(), "season", span=span, unit="season", whole=span,
                 needs_preposition=not m["year"] and which in ("", "the"))


def _holiday(m, ctx):
    month, day = v.HOLIDAYS[" ".join(m["holiday"].replace("’", "'").split())]
    span = nearest(lambda y: one_day(date(y, month, day)), ctx.written_on)
    return Token("date", m.start(), m.end(), "holiday", span=span, precision="day")


# --------------------------------------------------------------------------- relative to the writing date

def _today(m, ctx):
    word = m["word"].lower()
    if "day after" in word:
        day = ctx.written_on + timedelta(days=2)
    elif word.startswith("tomorrow"):
        day = ctx.written_on + timedelta(days=1)
    else:
        day = ctx.written_on
    return Token("date", m.start(), m.end(), "today", span=(day, day), precision="day")


_NEXT_WORDS = ("next", "the following", "the coming", "the next", "this coming")


def _relative_period(m, ctx):
    """this/next week, month, quarter, year: alone "this ..." runs from the writing date."""
    which = " ".join((m["which"] or "the").lower().split())
    unit = m["unit"].lower()
    ref = ctx.written_on
    step = 1 if which in _NEXT_WORDS else 0
    if unit == "week":
        start = monday(ref) + timedelta(days=7 * step)
        whole = (start, start + timedelta(days=6))
    elif unit == "month":
        first = add_months(date(ref.year, ref.month, 1), step)
        whole = month_span(first.year, first.month)
    elif unit == "quarter":
        number = (ref.month - 1) // 3 + 1 + step
        whole = quarter_span(ref.year + (number - 1) // 4, (number - 1) % 4 + 1)
    else:
        whole = (date(ref.year + step, 1, 1), date(ref.year + step, 12, 31))
    span = whole if step else (ref, whole[1])
    return Token("date", m.start(), m.end(), "this or next period", span=span, unit=unit, whole=whole,
                 needs_part=which == "the")


def _weekday(m, ctx):
    weekday = v.weekday_number(m["weekday"])
    which = " ".join((m["which"] or "").lower().split())
    week = (m["week"] or "").lower()
    ref = ctx.written_on
    if week or which in ("this", "next"):
        step = 7 if (week == "next" or (not week and which == "next")) else 0
        day = monday(ref) + timedelta(days=weekday + step)
        return Token("date", m.start(), m.end(), "weekday", span=(day, day), precision="day")
    day = ref + timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
    return Token("date", m.start(), m.end(), "weekday", span=(day, day), precision="day",
                 needs_preposition=not which)


def _amount_of(m) -> tuple[int, str, bool] | None:
    count = v.number_value(m["n"])
    if count is None or count > 400:
        return None
    business = bool(m["biz"]) and m["biz"].lower() in ("business", "working")
    return count, m["unit"].lower().rstrip("s"), business


def _within(m, ctx):
    amount = _amount_of(m)
    if amount is None:
        return None
    lead = " ".join(m["lead"].lower().split())
    count, unit, business = amount
    if lead == "in" and unit == "year":
        return None  # "in three years" is nearly always hypothetical
    day = add_amount(ctx.written_on, count, unit, business)
    if lead == "in":
        return Token("date", m.start(), m.end(), "in an amount", span=(day, day), precision="day", amount=amount)
    return Token("date", m.start(), m.end(), "within an amount", span=(ctx.written_on, day), precision="day",
                 inherent_deadline=True, amount=amount)


# "… of the date of this letter", "… after receipt": counted from the day the letter was written.
_FROM_NOW = (r"\s+(?i:(?:from|after|of|following)\s+(?:now|today|"
             r"the\s+date\s+(?:of\s+this\s+letter|hereof|of\s+receipt)|(?:its\s+|their\s+)?receipt(?:\s+of\s+(?:this|the|your)\s+(?:letter|request|notice))?))(?!\w)")


def _amount_from_now(m, ctx):
    amount = _amount_of(m)
    if amount is None:
        return None
    day = add_amount(ctx.written_on, *amount)
    return Token("date", m.start(), m.end(), "amount from now", span=(day, day), precision="day")


def _amount_in_brackets(m, ctx):
    """"Ana and Tom (2 weeks)": an item's duration in brackets is its deadline, counted from the writing date."""
    amount = _amount_of(m)
    if amount is None or amount[1] == "year":
        return None
    day = add_amount(ctx.written_on, *amount)
    return Token("date", m.start(), m.end(), "amount in brackets", span=(ctx.written_on, day), precision="day",
                 inherent_deadline=True, amount=amount)


def _amount(m, ctx):
    amount = _amount_of(m)
    return Token("amount", m.start(), m.end(), "amount", amount=amount) if amount else None


def _part(m, ctx):
    return Token("part", m.start(), m.end(), "part", part=v.part_name(m.group()))


def _vague(m, ctx):
    return Token("vague", m.start(), m.end(), "vague", precision="vague")


# --------------------------------------------------------------------------- meetings

EVENT_PREPOSITIONS = (r"(?i:before|prior\s+to|ahead\s+of|in\s+advance\s+of|in\s+time\s+for|no\s+later\s+than|"
                       r"not\s+later\s+than|by|at|during|until|till|after|following|of|for)")
EVENT_NAME_WORD = (r"(?:(?=[\w.&/'-]*[A-Z0-9])[\w.&/'-]+|" + v.words_pattern(v.EVENT_QUALIFIERS, "i") + ")")
_PLACE = rf"(?!{v.MONTH}|{v.WEEKDAY})[A-Z][\w'-]+"
_EVENT_NOUN = (rf"(?:{v.EVENT_NOUN}(?![\w-])|{v.EVENT_SERIES_NUMBERED}|IGF(?![\w-]))")
DETERMINERS = r"(?i:the|its|their|our|your)"
EVENT_PATTERN = (rf"(?<![\w-])(?P<prep>{EVENT_PREPOSITIONS})\s+(?P<event>(?:(?P<det>{DETERMINERS})\s+)?"
                 rf"(?:{EVENT_NAME_WORD}\s+){{0,4}}?{_EVENT_NOUN}(?:\s+(?i:in|at)\s+{_PLACE}(?:,?\s+{_PLACE}){{0,2}})?)")
_DATE_AHEAD = re.compile(rf",?\s+(?i:on|in|of|from|between)\s+(?:{v.THE}\s+)?(?:\d|{v.MONTH}|{v.WEEKDAY})")


def relation_of(preposition: str) -> str:
    """How a window relates to the meeting a preposition introduces."""
    words = " ".join(preposition.lower().split())
    if words in ("at", "during", "on", "to"):
        return "at"
    if words == "for":
        return "for"  # "the slides for IETF 103": by its first day, but no deadline that outweighs a written date
    if words in ("after", "following"):
        return "after"
    if words == "of":
        return "of"
    return "before" if words in v.BEFORE_WORDS else "by"


def event_name(raw: str) -> str:
    words = raw.split()
    while words and words[0].lower() in ("the", "its", "their", "our", "your"):
        words = words[1:]
    while len(words) > 1 and words[0].lower() in ("upcoming", "forthcoming") and re.search(r"[A-Z0-9]",
                                                                                            " ".join(words[1:])):
        words = words[1:]
    return " ".join(words).rstrip(",")


# "during the Board meetings", "at Council calls": a practice kept at every meeting of a series, not a due.
_RECURRING = re.compile(r"(?i:meetings|calls|sessions|teleconferences|webinars|workshops)$")


def meeting_token(m, ctx):
    raw = m["event"]
    if _RECURRING.search(raw) and relation_of(m["prep"]) == "at":
        return None
    determiner = (m["det"] or "").lower()
    body = raw[len(determiner):] if determiner else raw
    # "at the meeting" names no meeting ("at its meeting in Cartagena" does); "at the meeting on 5 August"
    # is dated by what follows.
    named = re.search(r"[A-Z0-9]", body) is not None
    unnamed = not named and not _DATE_AHEAD.match(ctx.text, m.end())
    # "the Council's July meeting": the month stands in for the meeting's days until the meeting is known.
    month = re.search(v.MONTH, body)
    span = None
    if month is not None:
        number = v.month_number(month.group())
        span = nearest(lambda y: month_span(y, number), ctx.written_on)
    return Token("event", m.start(), m.end(), "meeting", precision="unresolved", event=event_name(raw),
                 relation=relation_of(m["prep"]), unnamed_event=unnamed, span=span)


# "the next call", "for the next Council meeting": which meeting is meant is not written, so it stays unresolved
# (anchored to the words as written) even when a meeting of a similar name is known.
_NEXT_MEETING = (rf"(?<![\w-])(?P<prep>{EVENT_PREPOSITIONS}|(?i:on))\s+(?P<event>(?:(?P<det>{DETERMINERS})\s+)?"
                 rf"{v.words_pattern(v.NEXT_IN_SERIES, 'i')}\s+(?:{EVENT_NAME_WORD}\s+){{0,2}}?{v.EVENT_NOUN}(?![\w-]))")


def _next_meeting(m, ctx):
    return Token("event", m.start(), m.end(), "next meeting in a series", precision="unresolved",
                 event=event_name(m["event"]), relation=relation_of(m["prep"]), next_in_series=True)


# "during the 'reply period'", "within the comment phase": a stretch of time the text names but does not date.
# It stays unresolved, anchored to its name, until staff say when it is.
_NAMED_PHASE = (r"(?<![\w-])(?P<prep>(?i:during|within|in\s+the\s+course\s+of))\s+(?P<event>(?i:the)\s+[‘'\"“]?"
                r"(?:[\w-]+\s+){1,3}?(?i:period|phase|window)[’'\"”]?)(?![\w-])")


def _named_phase(m, ctx):
    return Token("event", m.start(), m.end(), "a named period", precision="unresolved",
                 event=re.sub(r"^(?i:the)\s+|[‘'\"“’”]", "", m["event"]), relation="at")


# "on the September teleconference", "deferred to the October Council call": a month's recurring meeting after
# the prepositions the meeting rule does not take.
_MONTHS_MEETING = (rf"(?<![\w-])(?P<prep>(?i:on|to))\s+(?P<event>(?:(?P<det>{DETERMINERS})\s+)?"
                   rf"(?:{EVENT_NAME_WORD}\s+){{0,2}}?{v.MONTH}\s+(?:{EVENT_NAME_WORD}\s+){{0,2}}?{v.EVENT_NOUN}(?![\w-]))")


# --------------------------------------------------------------------------- the rule table

RULES: tuple[Rule, ...] = (
    Rule("days of a month", ("MONTHS",),
         rf"(?<!\w){_LEAD}(?:{v.THE}\s+)?(?P<d1>{v.DAY})\s*{_CONNECTOR}\s*(?:{v.THE}\s+)?(?P<d2>{v.DAY_AFTER_DASH})"
         rf"(?:\s+(?i:of))?\s+(?P<month>{v.MONTH})(?:,?\s+(?P<year>{v.YEAR}))?", _days_of_month,
         (("held on 6-7 April", "2010-04-06..2010-04-07 window"),
          ("between 2 and 7 November", "2010-11-02..2010-11-07 window"),
          ("20 and 21 May, 2010", "2010-05-20..2010-05-21 window"))),
    Rule("month days", ("MONTHS",),
         rf"(?<!\w){_LEAD}(?P<month>{v.MONTH})\s+(?P<d1>{v.DAY_AFTER_DASH})\s*{_CONNECTOR}\s*"
         rf"(?P<d2>{v.DAY_AFTER_DASH})(?:,?\s+(?P<year>{v.YEAR}))?", _days_of_month,
         (("April 6-7, 2010", "2010-04-06..2010-04-07 window"),)),
    Rule("months", ("MONTHS",),
         rf"(?<!\w){_LEAD}(?P<month>{v.MONTH})(?:,?\s+{v.YEAR})?\s*{_MONTH_CONNECTOR}\s*(?P<month2>{v.MONTH})"
         rf"(?:,?\s+(?P<year>{v.YEAR}))?", _month_range,
         (("from June to August 2010", "2010-06-01..2010-08-31 window"),
          ("between June and August", "2010-06-01..2010-08-31 window"),
          ("November-February", "2010-11-01..2011-02-28 window", date(2010, 10, 1)))),
    Rule("week of a date", ("DIGITS",),
         rf"(?<!\w)(?:{v.THE}\s+)?(?i:week\s+(?:of|commencing|beginning|starting)|w/c)\s+"
         rf"(?:(?:{v.THE}|Monday)\s*,?\s*)?(?P<date>{ONE_DATE})", _week_of,
         (("the week of 13 September", "2010-09-13..2010-09-19 window"),
          ("the week of 15 September", "2010-09-13..2010-09-19 window"),
          ("week commencing 13 September 2010", "2010-09-13..2010-09-19 window"),
          ("the week of 4 October", "2010-10-04..2010-10-10 window"))),
    Rule("ISO date", ("DIGITS",), _ISO, _iso_date, (("on 2010-04-14", "2010-04-14 day"),)),
    Rule("dashed date", ("DIGITS",), _DASHED, _dashed_date,
         (("on 6-Mar-2010", "2010-03-06 day"), ("by 3-Jun-2010", "2010-04-21..2010-06-03 day"),
          ("on 31-Apr-2010", "none"))),
    Rule("dotted date", ("DIGITS",), _DOTTED, _dotted_date, (("on 15.06.2010", "2010-06-15 day"),)),
    Rule("numeric date", ("DIGITS",), _SLASH, _slash_date,
         (("on 12/01/2010", "2010-12-01 day"), ("by 15/06/2010", "2010-04-21..2010-06-15 day"),
          ("on 10/25", "2010-10-25 day", date(2010, 10, 1)), ("by 6/30/2010", "2010-04-21..2010-06-30 day"))),
    Rule("day month", ("MONTHS",), rf"(?<!\w){_DAY_MONTH}", _day_month,
         (("on 25 March 2010", "2010-03-25 day"), ("on the 3rd of May", "2010-05-03 day"),
          ("on Tuesday, 9 March 2010", "2010-03-09 day"), ("on 14 April", "2010-04-14 day"),
          ("on Wed 5 May", "2010-05-05 day"), ("on 31 April", "none"))),
    # Listed after "day month": where both read a date the same way, the English rule names it.
    Rule("day month in other languages", ("FOREIGN_MONTHS", "MONTHS"), _DAY_MONTH_IN_OTHER_LANGUAGES, _day_month_in_other_languages,
         (("on 16 oktober 2010", "2010-10-16 day"), ("el 16 de octubre de 2010", "2010-10-16 day"),
          ("am 3. März 2011", "2011-03-03 day"), ("on 3. March 2011", "2011-03-03 day"),
          ("le 31 avril 2010", "none"))),
    Rule("month day", ("MONTHS",), rf"(?<!\w){_MONTH_DAY}", _month_day,
         (("on March 25, 2010", "2010-03-25 day"), ("on Sept. 14", "2010-09-14 day"),
          ("on July 28, 2010", "2010-07-28 day"), ("on May 4th., 2010", "2010-05-04 day"))),
    Rule("month timeframe", ("MONTHS",),
         rf"(?<!\w)(?:{v.THE}\s+)?(?P<month>{v.MONTH})(?:\s*(?:[-/]|(?i:to|and|or))\s*(?P<month2>{v.MONTH}))?"
         rf"(?:,?\s+(?P<year>{v.YEAR}))?\s+(?i:time\s*-?\s*frame|time\s*-?\s*scale|window)(?!\w)", _month_timeframe,
         (("in the April timeframe", "2010-04-01..2010-04-30 window"),
          ("in the April-May timeframe", "2010-04-01..2010-05-31 window"))),
    Rule("month", ("MONTHS",), rf"(?P<month>{v.MONTH})(?:,?\s+(?P<year>{v.YEAR}))?", _month,
         (("in June", "2010-06-01..2010-06-30 window"), ("during September", "2010-09-01..2010-09-30 window"),
          ("by June", "2010-04-21..2010-06-30 day"), ("May we thank you", "none"),
          ("in June 2010", "2010-06-01..2010-06-30 window"), ("September 2011", "2011-09-01..2011-09-30 window"))),
    Rule("quarter", ("QUARTERS",),
         rf"(?<!\w)(?:{v.THE}\s+)?(?:(?<![\w-])Q(?P<q>[1-4])(?!\w)|(?P<ordinal>(?i:first|second|third|fourth|last|"
         rf"1st|2nd|3rd|4th))\s+(?i:quarter))(?:(?:,?\s+|\s*[/-]\s*|\s+(?i:of)\s+)(?:(?i:calendar\s+year\s+|CY\s*)?)"
         rf"(?P<year>{v.YEAR}|(?i:this|next|the|the\s+current|the\s+coming|the\s+next)\s+(?i:year)))?", _quarter,
         (("in Q3 2010", "2010-07-01..2010-09-30 window"), ("in Q3", "2010-07-01..2010-09-30 window"),
          ("in the third quarter of 2010", "2010-07-01..2010-09-30 window"),
          ("in the fourth quarter", "2010-10-01..2010-12-31 window"),
          ("by Q2", "2010-12-20..2011-06-30 day", date(2010, 12, 20)))),
    Rule("half year", ("DIGITS",), rf"(?<![\w-])H(?P<h>[12])\s*[/-]?\s*(?P<year>{v.YEAR})", _half_written_short,
         (("in H2 2010", "2010-07-01..2010-12-31 window"), ("in H1 2011", "2011-01-01..2011-06-30 window"))),
    Rule("year end", ("PERIOD_UNITS",),
         rf"(?<!\w)(?:{v.THE}\s+)?(?i:year\s*-?\s*end|end\s*-\s*of\s*-\s*year|calendar\s+year\s+end)"
         rf"(?:\s+(?P<year>{v.YEAR}))?", _year_end,
         (("by year-end", "2010-04-21..2010-12-31 day"),)),
    Rule("mid-year", ("PERIOD_UNITS",),
         rf"(?<![\w-])(?i:mid\s*-?\s*year)(?:\s+(?P<year>{v.YEAR}))?(?![\w-])", _mid_year,
         (("by mid-year", "2010-04-21..2010-08-31 day"), ("in midyear 2011", "2011-05-01..2011-08-31 window"))),
    # Not "2010-2013 Strategic Plan", "2010's", "2010 Annual Report".
    Rule("year", ("DIGITS",),
         rf"(?:(?i:calendar\s+year|CY)\s*)?(?P<year>{v.YEAR})(?!\s*[-/]\s*\d|\s*['’]|\s+[A-Z])", _year_alone,
         (("in 2011", "2011-01-01..2011-12-31 window"), ("by 2012", "2010-04-21..2012-12-31 day"),
          ("the 2010-2013 Strategic Plan", "none"))),
    Rule("season", ("SEASONS",),
         rf"(?:(?P<which>(?i:this|next|this\s+coming|the\s+coming|the))\s+)?(?<![\w-])(?P<season>{v.SEASON})(?![\w-])"
         rf"(?:\s+(?:(?i:of)\s+)?(?P<year>{v.YEAR}))?", _season,
         (("in summer 2010", "2010-06-01..2010-08-31 window"), ("this autumn", "2010-09-01..2010-11-30 window"),
          ("in the spring", "2010-03-01..2010-05-31 window"), ("in winter 2010", "2010-12-01..2011-02-28 window"),
          ("The fall of the old model", "none"))),
    Rule("holiday", ("HOLIDAYS",), rf"(?<!\w)(?P<holiday>{v.HOLIDAY})(?!\w)", _holiday,
         (("before Christmas", "2010-04-21..2010-12-24 day"), ("by New Year's Day", "2010-04-21..2011-01-01 day"),
          ("by Christmas", "2010-12-20..2010-12-25 day", date(2010, 12, 20)))),
    Rule("today", ("TODAY_WORDS",),
         r"(?<![\w-])(?P<word>(?i:the\s+day\s+after\s+tomorrow|today|tonight|tomorrow|"
         r"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:business\s+)?day(?:\s+today)?|"
         r"close\s+of\s+business(?:\s+today)?)|(?:COB|EOD)(?:\s+(?i:today))?)(?![\w-])"
         r"(?!\s+(?i:on|of)\b|,?\s+(?:\d|[A-Z][a-z]+day\b))", _today,
         (("today", "2010-04-21 day"), ("tomorrow", "2010-04-22 day"), ("by tomorrow", "2010-04-21..2010-04-22 day"),
          ("by close of business today", "2010-04-21 day"))),
    Rule("this or next period", ("PERIOD_UNITS",),
         # "end of week" is written without its article: after "of" a bare unit is "the" unit.
         r"(?<!\w)(?:(?P<which>(?i:this\s+coming|this|next|the\s+following|the\s+coming|the\s+next|the\s+current|"
         r"the))\s+|(?<=(?i:of)\s))(?P<unit>(?i:week|month|quarter|year))(?![\w-])", _relative_period,
         (("this week", "2010-04-21..2010-04-25 window"), ("next week", "2010-04-26..2010-05-02 window"),
          ("the following week", "2010-04-26..2010-05-02 window"), ("next month", "2010-05-01..2010-05-31 window"),
          ("this month", "2010-04-21..2010-04-30 window"), ("next quarter", "2010-07-01..2010-09-30 window"),
          ("next year", "2011-01-01..2011-12-31 window"))),
    Rule("weekday", ("WEEKDAYS",),
         rf"(?:(?P<which>(?i:this\s+coming|the\s+coming|coming|this|next))\s+)?(?P<weekday>{v.WEEKDAY_FULL})"
         r"(?:,?\s+(?P<week>(?i:this|next))\s+(?i:week))?", _weekday,
         (("Thursday this week", "2010-04-22 day"), ("next Wednesday", "2010-04-28 day"),
          ("this Friday", "2010-04-23 day"), ("by Friday", "2010-04-21..2010-04-23 day"),
          ("on Monday", "2010-04-26 day"))),
    Rule("within an amount", ("UNITS",),
         r"(?<![\w-])(?P<lead>(?i:within(?:\s+the\s+next)?|in(?:\s+the\s+next)?|over\s+the\s+next|during\s+the\s+next|"
         rf"inside(?:\s+of)?))\s+{v.AMOUNT}(?:['’]s?\s+(?i:time)|\s+(?i:time)(?!\w))?(?:{_FROM_NOW})?", _within,
         (("within thirty days", "2010-04-21..2010-05-21 day"),
          ("within 10 business days", "2010-04-21..2010-05-05 day"),
          ("within twenty-one days", "2010-04-21..2010-05-12 day"), ("in 2 days", "2010-04-23 day"),
          ("in a week's time", "2010-04-28 day"), ("in the next two weeks", "2010-04-21..2010-05-05 day"),
          ("within a fortnight", "2010-04-21..2010-05-05 day"), ("in three years", "none"),
          ("within 30 days of receipt", "2010-04-21..2010-05-21 day"))),
    # Counted from the writing of the letter or the arrival of what it answers.
    Rule("amount from now", ("UNITS",),
         rf"(?<![\w-]){v.AMOUNT}{_FROM_NOW}",
         _amount_from_now, (("30 days from now", "2010-05-21 day"),
                            ("no later than six months after receipt", "2010-04-21..2010-10-21 day"))),
    Rule("amount in brackets", ("UNITS",), rf"\(\s*{v.AMOUNT}\s*\)", _amount_in_brackets,
         (("Ana and Tom (2 weeks).", "2010-04-21..2010-05-05 day"),
          ("Review the charter (three days)", "2010-04-21..2010-04-24 day"), ("a plan (5 years)", "none"))),
    Rule("amount", ("UNITS",), rf"(?<![\w-]){v.AMOUNT}", _amount,
         (("we waited two weeks", "none"),)),
    Rule("part", ("PART_NAMES",), rf"(?<![\w-])(?:{v.THE}\s+)?(?:(?i:very)\s+)?{v.PART}(?!\w)", _part,
         (("the closing days", "none"),)),
    Rule("vague", (), rf"(?<![\w-]){v.VAGUE}(?![\w-])", _vague,
         (("as soon as possible", "vague"), ("in due course", "vague"), ("weeks not months", "vague"),
          ("ASAP", "vague"), ("in the coming weeks", "vague"), ("at your earliest convenience", "vague"))),
    Rule("next meeting in a series", ("EVENT_NOUNS",), _NEXT_MEETING, _next_meeting,
         (("by the next call", "unresolved"), ("before the next call", "unresolved"),
          ("for the next Council meeting", "unresolved"), ("at the next Brussels meeting", "unresolved"),
          ("on the next call", "unresolved"), ("the next call", "none"))),
    Rule("a named period", ("PHASE_NOUNS",), _NAMED_PHASE, _named_phase,
         (("during the reply period", "unresolved"), ("during the ‘reply period’", "unresolved"),
          ("within the public comment period", "unresolved"), ("in this period", "none"),
          ("during the period", "none"))),
    Rule("a month's meeting", ("EVENT_NOUNS",), _MONTHS_MEETING, meeting_token,
         (("on the September teleconference", "2010-09-01..2010-09-30 window"),
          ("deferred to the October Council call", "2010-10-01..2010-10-31 window"),
          ("on the Council call", "none"))),
    Rule("meeting", ("EVENT_NOUNS", "EVENT_SERIES"), EVENT_PATTERN, meeting_token,
         (("prior to the Brussels meeting", "2010-04-21..2010-06-19 day"),
          ("at the Brussels meeting", "2010-06-20..2010-06-25 window"),
          ("by the Brussels meeting", "2010-04-21..2010-06-20 day"),
          ("at ICANN 39", "2010-12-05..2010-12-10 window"),
          ("before the Nairobi meeting", "unresolved"), ("at the meeting", "none"),
          ("at the Council's July meeting", "2010-07-01..2010-07-31 window"),
          ("at the October Council call", "2010-10-01..2010-10-31 window"),
          ("before the September teleconference", "2010-04-21..2010-08-31 day"),
          ("for IETF 103", "unresolved"), ("by ICANN 68", "unresolved"), ("for ICANN 39", "2010-04-21..2010-12-05 day"),
          ("the slides for the Brussels meeting", "2010-04-21..2010-06-20 day"),
          ("after the Brussels meeting", "none"), ("during the Board meetings", "none"),
          ("at the Council calls", "none"))),
)


# --------------------------------------------------------------------------- combinations

def is_part(t: Token) -> bool:
    return t.kind == "part"


def is_period(t: Token) -> bool:
    return t.kind == "date" and t.unit is not None and t.whole is not None


def is_amount(t: Token) -> bool:
    return t.kind == "amount"


def is_within(t: Token) -> bool:
    return t.rule == "within an amount"


def is_dated(t: Token) -> bool:
    return t.kind == "date" and t.span is not None and t.deadline is None


def is_event(t: Token) -> bool:
    return t.kind == "event" and t.offset is None


def is_written_day(t: Token) -> bool:
    return t.kind == "date" and t.written_day is not None


def is_event_or_date(t: Token) -> bool:
    return (is_event(t) and not t.unnamed_event) or is_dated(t)


def is_any_event_or_date(t: Token) -> bool:
    """Also "the meeting" unnamed: "one week before the meeting" is relative to a meeting still to be named."""
    return is_event(t) or is_dated(t)


def _part_of_period(left: Token, between: re.Match, right: Token, ctx: Context) -> Token | None:
    part, unit, whole = left.part, right.unit, right.whole
    if between["in"] and ctx.text[left.start:left.end].lower() not in ("early", "late", "later", "mid"):
        return None  # "early in May", but "start in May" is a verb
    if part == "later":
        span = (max(ctx.written_on + timedelta(days=1), whole[0]), whole[1])
    elif part == "end" and unit in ("quarter", "season", "half"):
        # "the end of Q3" is a stretch of weeks, not one day: the period's last month.
        span = month_span(whole[1].year, whole[1].month)
    else:
        span = part_of(part, unit, whole)
    if span is None:
        return None
    end_of = part == "end"
    return Token("date", left.start, right.end, "part of a period", span=span,
                 precision="day" if span[0] == span[1] else "window", end_of=end_of,
                 unit=None if end_of else "span", whole=None if end_of else span)


def _counted_from(left: Token, between: re.Match, right: Token, ctx: Context) -> Token | None:
    """"two weeks before/after X": a day counted from a meeting or a date."""
    word = " ".join((between["relation"] or "").lower().split())
    relation = ("after" if word == "from" else relation_of(word)) if word else right.relation
    if relation not in ("before", "after"):
        return None
    count, unit, business = left.amount
    sign = -1 if relation == "before" else 1
    if right.kind == "event":
        return right.moved(start=left.start, rule="amount from a meeting", offset=(count, unit, business, sign))
    anchor_day = right.span[0] if sign < 0 else right.span[1]
    day = add_amount(anchor_day, count, unit, business, sign)
    if sign < 0:
        return Token("date", left.start, right.end, "amount from a date", span=(min(ctx.written_on, day), day),
                     precision="day", inherent_deadline=True)
    return Token("date", left.start, right.end, "amount from a date", span=(day, day), precision="day")


def _within_of(left: Token, between: re.Match, right: Token, ctx: Context) -> Token | None:
    """"within two weeks of X": a deadline counted from the end of a meeting or a date."""
    count, unit, business = left.amount
    if right.kind == "event":
        if not between["relation"] and right.relation not in ("of", "after"):
            return None  # "within two weeks before the meeting" is not counted from it
        return right.moved(start=left.start, rule="within an amount of a meeting", relation="within",
                           offset=(count, unit, business, 1))
    day = add_amount(right.span[1], count, unit, business)
    return Token("date", left.start, right.end, "within an amount of a date", span=(min(ctx.written_on, day), day),
                 precision="day", inherent_deadline=True)


def _part_of_meeting(left: Token, between: re.Match, right: Token, ctx: Context) -> Token | None:
    """"the end of the Brussels meeting", "the first days of the Brussels meeting": part of its days."""
    if left.part not in ("early", "mid", "late", "end", "first days", "last days"):
        return None
    return right.moved(start=left.start, rule="part of a meeting", relation="at", event_part=left.part)


def _meeting_with_its_date(left: Token, between: re.Match, right: Token, ctx: Context) -> Token | None:
    """"at the ICANN meeting in Brussels in June": the written date stands in for an unknown meeting."""
    return left.moved(end=right.end, span=right.span, rule="meeting with its date")


COMBINATIONS: tuple[Combination, ...] = (
    Combination("from date to date", is_written_day, rf"\s*{_CONNECTOR}\s*", is_written_day, _date_to_date,
                (("from 12 February to 29 March 2010", "2010-02-12..2010-03-29 window"),
                 ("between 3 May and 4 June", "2010-05-03..2010-06-04 window"),
                 ("1 May - 15 June 2010", "2010-05-01..2010-06-15 window"),
                 ("from 15 December to 15 January 2011", "2010-12-15..2011-01-15 window", date(2010, 12, 1)),
                 ("from 2010-06-01 to 2010-06-15", "2010-06-01..2010-06-15 window"),
                 ("3 May and 4 June", "2010-05-03 day"))),
    Combination("part of a period", is_part, r"(?:\s*-\s*|\s+)(?:(?i:of|(?P<in>in))\s+)?", is_period,
                _part_of_period,
                (("in early May", "2010-05-01..2010-05-10 window"), ("in mid-June", "2010-06-11..2010-06-20 window"),
                 ("in late May", "2010-05-21..2010-05-31 window"), ("at the end of April", "2010-04-30 day"),
                 ("in the first half of July", "2010-07-01..2010-07-15 window"),
                 ("in the second week of July", "2010-07-08..2010-07-14 window"),
                 ("in the last week of July", "2010-07-25..2010-07-31 window"),
                 ("in the closing days of June", "2010-06-24..2010-06-30 window"),
                 ("in the first week of next month", "2010-05-01..2010-05-07 window"),
                 ("in the first half of 2011", "2011-01-01..2011-06-30 window"),
                 ("in the second half of next year", "2011-07-01..2011-12-31 window"),
                 ("in early 2011", "2011-01-01..2011-03-31 window"), ("in mid-2011", "2011-05-01..2011-08-31 window"),
                 ("at the end of 2010", "2010-12-31 day"), ("early next week", "2010-04-26..2010-04-27 window"),
                 ("by the end of next week", "2010-04-21..2010-04-30 day"),
                 ("at the end of the week", "2010-04-23 day"), ("later this week", "2010-04-22..2010-04-25 window"),
                 ("later this year", "2010-04-22..2010-12-31 window"),
                 ("at the end of Q3", "2010-09-01..2010-09-30 window"),
                 ("by the end of Q3", "2010-04-21..2010-09-30 day"),
                 ("before the end of April", "2010-04-21..2010-04-30 day"))),
    Combination("amount before or after", is_amount,
                r"\s+(?:(?P<relation>(?i:before|prior\s+to|ahead\s+of|in\s+advance\s+of|after|following|from))\s+)?",
                is_any_event_or_date, _counted_from,
                (("two weeks before the Brussels meeting", "2010-04-21..2010-06-06 day"),
                 ("two weeks after the Brussels meeting", "2010-07-09 day"),
                 ("10 days after 1 June", "2010-06-11 day"),
                 ("three days before 14 May", "2010-04-21..2010-05-11 day"),
                 ("two weeks prior to the Cartagena meeting", "2010-04-21..2010-11-21 day"),
                 ("one week before the Toronto meeting", "unresolved"),
                 ("one week before the meeting", "unresolved"))),
    Combination("within an amount of", is_within,
                r"\s+(?:(?P<relation>(?i:of|after|following|from))\s+)?", is_event_or_date, _within_of,
                (("within two weeks of the Brussels meeting", "2010-04-21..2010-07-09 day"),
                 ("within 30 days of 1 June", "2010-04-21..2010-07-01 day"),
                 ("within a month after the Brussels meeting", "2010-04-21..2010-07-25 day"))),
    Combination("part of a meeting", is_part, r"\s+",
                lambda t: is_event(t) and t.relation == "of" and not t.unnamed_event, _part_of_meeting,
                (("at the end of the Brussels meeting", "2010-06-25 day"),
                 ("by the end of the Brussels meeting", "2010-04-21..2010-06-25 day"),
                 ("within 30 days after the close of the Brussels meeting", "2010-04-21..2010-07-25 day"),
                 ("two weeks after the end of the Cartagena meeting", "2010-12-24 day"),
                 ("in the first days of the Brussels meeting", "2010-06-20..2010-06-25 window"))),
    Combination("meeting with its date",
                lambda t: (t.kind == "event" and t.span is None and t.offset is None
                           and t.relation in ("at", "by", "before", "for")),
                r"[\s,]*(?:(?i:of|on|in|from|between|during)\s+)?", lambda t: is_dated(t) and not t.needs_part,
                _meeting_with_its_date,
                (("at the IGF in Vilnius in September", "2010-09-01..2010-09-30 window"),)),
)
