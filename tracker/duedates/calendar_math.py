"""Calendar arithmetic for the grammar: month lengths, periods, parts of periods, the nearest year."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

Span = tuple[date, date]

# A date without a year may mean last year's when that one ended at most this many days ago.
RECENT_PAST_DAYS = 90


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (31 April, 29 February 2011)."""
    if not 1 <= month <= 12 or year < 1 or not 1 <= day <= last_day(year, month):
        return None
    return date(year, month, day)


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, last_day(year, month + 1)))


def add_business_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def add_amount(day: date, count: int, unit: str, business: bool = False, sign: int = 1) -> date:
    """``day`` moved by ``count`` units (day, week, fortnight, month, year) forwards or backwards."""
    if unit == "day":
        if business:
            step = timedelta(days=sign)
            while count > 0:
                day += step
                if day.weekday() < 5:
                    count -= 1
            return day
        return day + timedelta(days=sign * count)
    if unit == "week":
        return day + timedelta(days=sign * 7 * count)
    if unit == "fortnight":
        return day + timedelta(days=sign * 14 * count)
    if unit == "month":
        return add_months(day, sign * count)
    return add_months(day, sign * 12 * count)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_span(year: int, month: int) -> Span:
    return date(year, month, 1), date(year, month, last_day(year, month))


def months_span(first_month: int, last_month: int, year: int) -> Span:
    """From the first month to the last one of ``year`` (a first month after the last is last year's)."""
    first_year = year if first_month <= last_month else year - 1
    return date(first_year, first_month, 1), date(year, last_month, last_day(year, last_month))


def quarter_span(year: int, quarter: int) -> Span:
    return date(year, 3 * quarter - 2, 1), date(year, 3 * quarter, last_day(year, 3 * quarter))


def season_span(year: int, first_month: int) -> Span:
    end = add_months(date(year, first_month, 1), 2)
    return date(year, first_month, 1), date(end.year, end.month, last_day(end.year, end.month))


def nearest(build, ref: date, weekday: int | None = None) -> Span | None:
    """The span ``build(year)`` for the best of last year, this year and next year around ``ref``.

    The occurrence holding ``ref`` wins; else the next one, unless the previous one ended at most
    RECENT_PAST_DAYS before ``ref`` and is closer than the next one starts (letters mostly announce what is
    coming, but also report deadlines just passed).  ``weekday`` ("Tuesday, 9 March") prefers a year in which
    the span starts on that weekday.
    """
    options = [span for year in (ref.year - 1, ref.year, ref.year + 1) if (span := build(year)) is not None]
    if weekday is not None:
        options = [span for span in options if span[0].weekday() == weekday] or options
    past = [span for span in options if span[1] < ref]
    future = [span for span in options if span[0] > ref]
    for span in options:
        if span[0] <= ref <= span[1]:
            return span
    last_past = max(past, key=lambda span: span[1], default=None)
    next_future = min(future, key=lambda span: span[0], default=None)
    if last_past and (next_future is None or (
            (ref - last_past[1]).days <= RECENT_PAST_DAYS and (ref - last_past[1]).days < (next_future[0] - ref).days)):
        return last_past
    return next_future


def one_day(day: date | None) -> Span | None:
    return (day, day) if day is not None else None


# --------------------------------------------------------------------------- parts of a period

def _month_part(part: str, start: date, end: date) -> Span | None:
    """Parts of a calendar month, by day of the month ("early May" = 1-10 May)."""
    year, month, last = start.year, start.month, end.day
    days = {"early": (1, 10), "mid": (11, 20), "late": (21, last), "end": (last, last),
            "first half": (1, 15), "second half": (16, last), "week 1": (1, 7), "week 2": (8, 14),
            "week 3": (15, 21), "week 4": (22, 28), "last week": (last - 6, last), "first fortnight": (1, 14),
            "second fortnight": (15, last), "early to mid": (1, 20), "mid to late": (11, last),
            "last days": (last - 6, last), "first days": (1, 7)}.get(part)
    if days is None:
        return None
    return date(year, month, days[0]), date(year, month, days[1])


def _by_months(part: str, start: date, end: date) -> Span | None:
    """Parts of a period of whole months (a year, a quarter, a season), by its months."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1

    def months_from(first: int, count: int) -> Span:
        a = add_months(start, first)
        b = add_months(start, first + count - 1)
        return a, date(b.year, b.month, last_day(b.year, b.month))
    if months == 12:
        table = {"early": (0, 3), "mid": (4, 4), "late": (9, 3), "first half": (0, 6), "second half": (6, 6),
                 "early to mid": (0, 8), "mid to late": (4, 8)}
    else:  # a quarter or a season: early, mid and late are its months
        third = max(1, months // 3)
        table = {"early": (0, third), "mid": (third, third), "late": (months - third, third),
                 "early to mid": (0, 2 * third), "mid to late": (third, months - third)}
    if part in table:
        return months_from(*table[part])
    if part == "end":
        return end, end
    if part == "last days":
        return end - timedelta(days=6), end
    if part == "first days":
        return start, start + timedelta(days=6)
    if part.startswith("week ") or part == "last week":
        first = start if part == "last week" else start + timedelta(days=7 * (int(part[-1]) - 1))
        return (end - timedelta(days=6), end) if part == "last week" else (first, first + timedelta(days=6))
    return None


def _week_part(part: str, start: date, end: date) -> Span | None:
    """Parts of a Monday-Sunday week: its working days ("end of next week" = its Friday)."""
    days = {"early": (0, 1), "mid": (2, 3), "late": (3, 4), "end": (4, 4), "first days": (0, 1),
            "last days": (3, 4)}.get(part)
    if days is None:
        return None
    return start + timedelta(days=days[0]), start + timedelta(days=days[1])


def part_of(part: str, unit: str, span: Span) -> Span | None:
    """The part of a period (``unit`` month, year, quarter, season, half, week, or "span" for any stretch
    of days); None when the part has no meaning for that period ("the third week of 2011")."""
    start, end = span
    if unit == "month":
        return _month_part(part, start, end)
    if unit == "week":
        return _week_part(part, start, end)
    if unit == "span":
        return _span_part(part, start, end)
    return _by_months(part, start, end)


def _span_part(part: str, start: date, end: date) -> Span | None:
    """Parts of a stretch of days that is no calendar period ("the end of the first week of May")."""
    if part == "end":
        return end, end
    days = (end - start).days + 1
    third = max(1, days // 3)
    table = {"early": (0, third - 1), "mid": (third, days - third - 1), "late": (days - third, days - 1),
             "first days": (0, min(days, 7) - 1), "last days": (days - min(days, 7), days - 1)}
    if part not in table:
        return None
    return start + timedelta(days=table[part][0]), start + timedelta(days=table[part][1])
