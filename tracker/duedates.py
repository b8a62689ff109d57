"""The due-window grammar: find the due expression in a sentence and turn it into dates.

Pure functions, standard library only, no I/O.  ``parse_due(text, written_on, events)``
returns a :class:`DueWindow` (``phrase``, ``earliest``, ``latest`` = last on-time day,
``precision``, ``anchor``) or ``None`` when the text holds no due expression.
``find_all_due`` returns every expression found, in text order.

Interpretation choices (the grammar's contract; tests pin every one of them)
---------------------------------------------------------------------------
Precision
  * ``day``: one explicit day ("on 25 March 2010", "end of April", "in 2 days") or a
    deadline ("by 12 April", "prior to the Brussels meeting", "within 30 days").
  * ``window``: a range ("early May", "Q3 2010", "the week of 13 September", "6-7 April").
  * ``vague``: a commitment without dates ("as soon as possible", "weeks not months").
  * ``unresolved``: relative to a meeting that is not in ``events`` (dates are None,
    ``anchor`` holds the meeting name as written, e.g. "Nairobi meeting").

Deadline words
  * by / until / till / through / no later than / not later than / on or before / due /
    deadline (of) / cutoff (date) / closing (date) / ending at / extended (by N days) to /
    "X at the latest": latest = the last day of X.
  * before / prior to / in advance of / ahead of / in time for: latest = the day before
    X starts.  Exception: "before the end of April" is read colloquially as "by 30 April".
  * A deadline window runs from ``written_on`` to ``latest``; when the deadline is already
    in the past (a letter reporting "the deadline was extended until 14 April") earliest is
    clamped to ``latest`` so that earliest <= latest always holds.
  * "by 15 days" / "extended by 15 days" is an amount, never a deadline.
  * "after X", "since X", "from X" (without "to Y"), "starting/effective X", "letter of X",
    "dated X" are not due expressions: the date they govern is ignored.

Missing years
  * A date or period without a year is looked up in year-1, year and year+1 of
    ``written_on``: the occurrence that holds ``written_on`` wins; else the next one, unless
    the previous one ended at most 90 days before ``written_on`` and is closer than the
    next one starts (nearest, with a bias to the future: letters mostly announce what is
    coming).  So written on 21 April 2010 "extended until 14 April" is 14 April 2010,
    "in the fourth quarter" and "in December" are in 2010; written on 20 December 2010
    "by 10 January" is 10 January 2011.  A weekday written next to the date
    ("Tuesday, 9 March") picks the year in which it fits, when one does.
  * In a range "from 12 February to 29 March 2010" the year of the end applies to the start
    (a start after the end belongs to the previous year).
  * Invalid dates ("31 April", "29 February 2011") are not dates: they yield nothing.

Periods
  * early / beginning / start of a month = 1-10; mid / middle of = 11-20; late = 21-last;
    end of = the last day (precision day); first/second half = 1-15 / 16-last;
    first..fourth week = 1-7, 8-14, 15-21, 22-28; last week of = last 7 days;
    early-to-mid = 1-20; mid-to-late = 11-last.
  * A month alone ("in June", "the April timeframe", "June 2010") is the whole month.
  * Q1-Q4 and "third quarter (of 2010)" are calendar quarters; H1/H2 and "first/second half
    of 2010" are calendar halves.
  * Years: "in 2011" = the whole year; early/beginning/start of 2011 = Q1 (1 Jan-31 Mar);
    mid-2011 = 1 May-31 Aug; late 2011 = Q4; end of 2010 / year-end = 31 Dec (day).
  * Seasons are northern-hemisphere meteorological: spring Mar-May, summer Jun-Aug,
    autumn/fall Sep-Nov, winter Dec-Feb ("winter 2010" starts in December 2010).
  * "the week of 13 September" = the seven days from the Monday of the ISO week that holds
    13 September.

Relative expressions (relative to ``written_on``)
  * today / end of (the) day / close of business = written_on; tomorrow = +1 day.
  * "this week" = written_on .. Sunday of its ISO week; "next week" / "the following week"
    = Monday..Sunday of the next ISO week; "early next week" = Mon-Tue; "mid next week" =
    Wed-Thu; "late next week" = Thu-Fri; "end of (this|next) week" = that week's Friday
    (working week, precision day); "later this week" = the day after written_on .. Sunday.
  * "Thursday this week" / "this Thursday" = that day in the current ISO week;
    "next Wednesday" = Wednesday of the next ISO week; a bare weekday after on/by/before
    ("by Friday") = its next occurrence strictly after written_on.
  * "in 2 days" / "in one week" / "in three months" = exactly that day (precision day);
    "within thirty days" / "in the next two weeks" / "over the next 30 days" = deadline from
    written_on to that day; business/working days skip Saturdays and Sundays.  "in N years"
    is not read (it is nearly always hypothetical); "within N years" is.
  * "this month" = written_on .. last day; "next month" = the whole next month; "end of
    the month" = its last day; "this year" = written_on .. 31 Dec; "next year" = whole year;
    "this/next quarter" likewise.

Events
  * A meeting phrase needs an event noun (meeting, conference, summit, workshop, session,
    forum, ...), "ICANN <n>"-style numbering, or a word of a key of ``events``; it also needs
    a capitalised word or a number ("at the meeting" alone is too vague to track).
  * Names match loosely: the non-generic words of the key ("Brussels" in "Brussels meeting")
    must appear in the phrase; the key with most shared words wins, first key on a tie.
  * at / during <event> = the event's window; before / prior to / ahead of / in advance of
    <event> = deadline the day before it starts; by / until / no later than <event> =
    deadline on its first day.  ``anchor`` = the matched ``events`` key.
  * Unknown event: precision "unresolved", anchor = the name as written.  When the phrase
    itself says when the event is ("at the ICANN meeting in Brussels in June"), that date
    stands in for the event (June 2010 window) and anchor keeps the name as written.
  * "after <event>" is not a due expression.

Choosing among several expressions in one text
  1. the LAST deadline-marked expression (by/before/until/within/prior to/deadline ...);
  2. else the FIRST dated expression (explicit date, period, range, relative, resolved event);
  3. else the first unresolved event expression;
  4. else the first vague expression;
  5. else None.
  Overlapping matches keep the longest one ("Tuesday, 9 March 2010" beats "9 March 2010").

Phrases
  ``phrase`` is the matched span of the original text (deadline word or leading
  preposition included, e.g. "in early May", "by end of April") with runs of whitespace
  collapsed to one space.

Recognition guards
  Month names count only when capitalised ("may" the verb never is a month) and a month
  alone needs a preposition before it ("in May", "by June"), so "May we ..." is no month;
  weekdays are full names except in explicit dates ("Tue, 9 March"), so "We" is no
  Wednesday; month/day slash dates without a year ("10/25") need a preceding on/by/until...;
  bare numbers, money, years in "2010-2013 Strategic Plan" and counts are never dates.
"""

from __future__ import annotations

import calendar
import functools
import operator
import re
from dataclasses import dataclass
from datetime import date, timedelta

PRECISIONS = ("day", "window", "vague", "unresolved")

__all__ = ["PRECISIONS", "DueWindow", "parse_due", "find_all_due"]


@dataclass(frozen=True)
class DueWindow:
    """A due date as data: the phrase as written and the on-time window it denotes."""

    phrase: str
    earliest: date | None
    latest: date | None
    precision: str
    anchor: str | None = None


# --------------------------------------------------------------------------- vocabulary

_MONTH_NUMBERS = {
    name.lower(): number for number, name in enumerate(calendar.month_name) if name
}
_MONTH_NUMBERS.update({k[:3]: v for k, v in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9

_WEEKDAY_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY_NUMBERS.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3,
                         "thurs": 3, "fri": 4, "sat": 5, "sun": 6})

_SMALL_NUMBERS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split())
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}

# Case-sensitive building blocks: month and weekday names must be capitalised.
# The abbreviations are spelled out one by one ("Jan\.?|Feb\.?|..." rather than
# "(?:Jan|Feb|...)\.?", which tries the same alternatives in the same order) so that every
# alternative starts with a literal letter: the regex engine can then skip ahead to the
# letters J F M A S O N D instead of trying a match at every position.
_MON = (r"(?<![A-Za-z])(?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|"
        r"Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![A-Za-z])")
# Same without the leading look-behind, so that the regex engine can skip ahead to the
# first letters J F M A S O N D; handlers check the preceding character instead.
_MON_LEAD = _MON[len("(?<![A-Za-z])"):]
_WD = (r"(?<![A-Za-z])(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
       r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?)(?![A-Za-z])")
_WD_FULL = r"(?<![A-Za-z])(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![A-Za-z])"
_DAY = r"(?<![\w.,$£€/-])(?:3[01]|[12]\d|0?[1-9])(?i:st|nd|rd|th)?(?!\d)"
_DAY_IN = r"(?:3[01]|[12]\d|0?[1-9])(?i:st|nd|rd|th)?(?!\d)"  # after a dash: no guard
_YEAR = r"(?<!\d)(?:19|20)\d\d(?!\d)"
_THE = r"(?i:the)"
_NUM = (r"(?i:\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|one\s+hundred|a\s+hundred|"
        r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
        r"one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+of|a|an)")
_UNIT = r"(?i:days?|weeks?|months?|fortnights?|years?)"

_F_DMY = (rf"(?:{_WD},?\s+)?(?:{_THE}\s+)?{_DAY}(?:\s+(?i:of))?\s+{_MON}"
          rf"(?:,?\s+{_YEAR})?")
_F_MDY = rf"(?:{_WD},?\s+)?{_MON}\s+(?:{_THE}\s+)?{_DAY_IN}(?:,?\s+{_YEAR})?"
_F_ISO = r"(?<![\d-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])"
_F_SLASH = (r"(?<![\d/.])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])"
            r"(?:/(?:(?:19|20)\d\d|\d\d))?(?![\d/])")
_DATE = f"(?:{_F_ISO}|{_F_DMY}|{_F_MDY}|{_F_SLASH})"
_YREF = rf"(?:{_YEAR}|(?i:this|next|the|the\s+current|the\s+coming|the\s+next)\s+(?i:year))"

_EV_PREP = (r"(?i:before|prior\s+to|ahead\s+of|in\s+advance\s+of|in\s+time\s+for|"
            r"no\s+later\s+than|not\s+later\s+than|by|at|during|until|till)")
_EV_NOUN_WORDS = (r"meetings?|conference|summit|workshop|session|forum|retreat|teleconference|"
                  r"conference\s+call|webinar|symposium|congress|plenary|consultation|hearing|"
                  r"assembly|colloquium|convention|roundtable|round\s+table")
_EV_NOUN = (rf"(?:(?i:{_EV_NOUN_WORDS})(?![\w-])|(?:ICANN|IETF|RIPE|APNIC|ARIN|LACNIC|AFRINIC|"
            r"NANOG|IGF|GAC)\s*-?\s*\d{1,3}(?!\d)|IGF(?![\w-]))")
_EV_FILL = (r"(?:(?=[\w.&/'’-]*[A-Z0-9])[\w.&/'’-]+|(?i:next|upcoming|forthcoming|public|international|annual|"
            r"general|joint|board|council|plenary|regional|open|closing|opening|final|first|second|"
            r"third|fourth|fifth|full|special|extraordinary|ministerial|high-level|face-to-face|"
            r"in-person|intersessional|policy|community|working\s+group|constituency|stakeholder))")
_PLACE = rf"(?!{_MON}|{_WD})[A-Z][\w'’-]+"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# _DATE with its parts captured, for _h_date (the groups change nothing in what matches):
# ISO (iy im id), day-month (w1 d1 m1 y1), month-day (w2 m2 d2 y2), slash (sm sd sy).
_DAY_G = _DAY.replace(r"(?:3[01]|[12]\d|0?[1-9])", r"(?P<d1>3[01]|[12]\d|0?[1-9])", 1)
_DAY_IN_G = _DAY_IN.replace(r"(?:3[01]|[12]\d|0?[1-9])", r"(?P<d2>3[01]|[12]\d|0?[1-9])", 1)
_DATE_G = (
    r"(?:(?<![\d-])(?P<iy>(?:19|20)\d\d)-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
    r"(?![\d-])"
    rf"|(?:(?P<w1>{_WD}),?\s+)?(?:{_THE}\s+)?{_DAY_G}(?:\s+(?i:of))?\s+(?P<m1>{_MON})"
    rf"(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?:(?P<w2>{_WD}),?\s+)?(?P<m2>{_MON})\s+(?:{_THE}\s+)?{_DAY_IN_G}"
    rf"(?:,?\s+(?P<y2>{_YEAR}))?"
    r"|(?<![\d/.])(?P<sm>0?[1-9]|1[0-2])/(?P<sd>0?[1-9]|[12]\d|3[01])"
    r"(?:/(?P<sy>(?:19|20)\d\d|\d\d))?(?![\d/]))")
_RE_DATE = _c(rf"(?<![\w])(?=[\dA-Zt]){_DATE_G}")
_RE_DATE_ISO = _c(rf"^{_F_ISO}$")
_RE_DATE_SLASH = _c(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?$")
_RE_FIND_MON = _c(_MON)
_RE_FIND_WD = _c(_WD)
_RE_FIND_DAY = _c(r"(?<![\d])(3[01]|[12]\d|0?[1-9])(?i:st|nd|rd|th)?(?!\d)")
_RE_FIND_YEAR = _c(_YEAR)

_RE_RANGE_DDM = _c(
    rf"(?<![\w])(?=[\dfbtFBT])(?:(?P<fb>(?i:from|between))\s+)?(?:{_THE}\s+)?(?P<d1>{_DAY})\s*"
    rf"(?P<conn>-|(?i:to|and|through|until|till))\s*(?:{_THE}\s+)?(?P<d2>{_DAY_IN})"
    rf"(?:\s+(?i:of))?\s+(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?")
_RE_RANGE_MDD = _c(
    rf"(?<![\w])(?=[A-Zfb])(?:(?P<fb>(?i:from|between))\s+)?(?P<mon>{_MON})\s+(?P<d1>{_DAY_IN})\s*"
    rf"(?P<conn>-|(?i:to|and|through|until|till))\s*(?P<d2>{_DAY_IN})(?:,?\s+(?P<year>{_YEAR}))?")
_RE_RANGE_DATES = _c(
    rf"(?<![\w])(?=[\dA-Zfbt])(?:(?P<fb>(?i:from|between))\s+)?(?P<a>{_DATE})\s*"
    rf"(?P<conn>-|(?i:to|and|through|until|till))\s*(?P<b>{_DATE})")
_RE_RANGE_MONTHS = _c(
    rf"(?<![\w])(?=[A-Zfb])(?:(?P<fb>(?i:from|between))\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y1>{_YEAR}))?\s*"
    rf"(?P<conn>-|(?i:to|and|through|until|till))\s*(?P<mon2>{_MON})(?:,?\s+(?P<year>{_YEAR}))?")
_RE_MODMONTH = _c(
    rf"(?<![\w])(?=[temlbsfTEMLBSF])(?:{_THE}\s+)?(?<![\w-])(?P<mod>(?i:early\s*-?\s*to\s*-?\s*mid|mid\s*-?\s*to\s*-?\s*late|"
    r"early|mid|middle|late|end|beginning|start|first\s+half|second\s+half|"
    r"(?:first|second|third|fourth|last)\s+week|first\s+fortnight|second\s+fortnight))"
    rf"(?:\s*-\s*|\s+)(?:(?i:of)\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?")
_RE_TIMEFRAME = _c(
    rf"(?<![\w])(?=[A-Zt])(?:{_THE}\s+)?(?P<mon>{_MON})(?:\s*(?:[-/]|(?i:to|and|or))\s*(?P<mon2>{_MON}))?"
    rf"(?:,?\s+(?P<year>{_YEAR}))?\s+(?i:time\s*-?\s*frame|time\s*-?\s*scale|window)(?![\w])")
_RE_MONYEAR = _c(rf"(?P<mon>{_MON_LEAD}),?\s+(?P<year>{_YEAR})")
_RE_MONTH_BARE = _c(rf"(?P<mon>{_MON_LEAD})")
_RE_MONTH_PREP_BACK = _c(
    r"(?<![\w-])(?i:in|during|by|before|until|till|through|throughout|around|than|to|of|after|"
    r"since|from|for|over|within|end)\s+$")
_RE_WEEKOF = _c(
    rf"(?<![\w])(?=[tTwW])(?:{_THE}\s+)?(?i:week\s+(?:of|commencing|beginning|starting)|w/c)\s+"
    rf"(?:(?:{_THE}|Monday)\s*,?\s*)?(?P<d>{_DATE})")
_RE_QUARTER = _c(
    rf"(?<![\w])(?=[tTeEsSbBcCmMQfFlL1234])(?:{_THE}\s+)?(?:(?P<qm>(?i:end|start|beginning|close|middle))\s+(?i:of)\s+(?:{_THE}\s+)?)?"
    rf"(?:(?<![\w-])Q(?P<q>[1-4])(?![\w])|(?P<qw>(?i:first|second|third|fourth|last|1st|2nd|3rd|4th))"
    rf"\s+(?i:quarter))(?:(?:,?\s+|\s*[/-]\s*|\s+(?i:of)\s+)(?:(?i:calendar\s+year\s+|CY\s*)?)"
    rf"(?P<yref>{_YREF}))?")
_RE_HALF = _c(
    rf"(?<![\w])(?=[HtTfFsSlL12])(?:(?<![\w-])H(?P<h>[12])(?:\s*[/-]?\s*)(?P<yref>{_YEAR})|(?:{_THE}\s+)?"
    rf"(?P<hw>(?i:first|second|1st|2nd|latter))\s+(?i:half)\s+(?i:of)\s+(?P<yref2>{_YREF}))")
_RE_YEARMOD = _c(
    rf"(?<![\w])(?=[tTeEmMlLbBsScC])(?:{_THE}\s+)?(?<![\w-])(?P<ym>(?i:early|mid|middle|late|end|beginning|start|close))"
    rf"(?:\s*-\s*|\s+)(?:(?i:of)\s+)?(?P<yref>{_YEAR}|(?i:the\s+year|the\s+calendar\s+year))")
_RE_YEAREND = _c(
    rf"(?<![\w])(?=[tTyYeEcC])(?:{_THE}\s+)?(?i:year\s*-?\s*end|end\s*-\s*of\s*-\s*year|calendar\s+year\s+end)"
    rf"(?:\s+(?P<year>{_YEAR}))?")
_RE_YEARPREP = _c(rf"(?=[12])(?P<year>{_YEAR})(?!\s*[-/]\s*\d|\s*[’']|\s+[A-Z])")
_RE_YEAR_PREP_BACK = _c(
    r"(?<![\w-])(?i:in|during|by|before|until|till|throughout|within|through|over)\s+$")
_RE_SEASON = _c(
    rf"(?:(?P<sq>(?i:this|next|this\s+coming|the\s+coming|the))\s+)?"
    rf"(?:(?P<sm>(?i:early|mid|late|end\s+of|beginning\s+of|start\s+of|the\s+end\s+of))\s*-?\s*)?"
    rf"(?<![\w-])(?P<season>(?i:spring|summer|autumn|fall|winter))(?![\w-])"
    rf"(?:\s+(?:(?i:of)\s+)?(?P<year>{_YEAR}))?")
_RE_TODAY = _c(
    r"(?<![\w])(?=[tTeEcC])(?<![\w-])(?P<w>(?i:the\s+day\s+after\s+tomorrow|today|tonight|tomorrow|"
    r"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:business\s+)?day(?:\s+today)?|"
    r"close\s+of\s+business(?:\s+today)?)|(?:COB|EOD)(?:\s+(?i:today))?)(?![\w-])"
    r"(?!\s+(?i:on|of)\b|,?\s+(?:\d|[A-Z][a-z]+day\b))")
_RE_RELPERIOD = _c(
    rf"(?<![\w])(?=[tTeElLbBsSmMcCnN])(?:{_THE}\s+)?(?:(?P<wm>(?i:early|late|later|end|beginning|start|middle|mid|close))"
    rf"(?:\s+(?i:of))?(?:\s*-\s*|\s+)(?:{_THE}\s+)?)?(?<![\w-])(?P<wq>(?i:this\s+coming|this|next|"
    r"the\s+following|the\s+coming|the\s+next|the\s+current|the))\s+"
    r"(?P<unit>(?i:week|month|quarter|year))(?![\w-])")
_RE_WEEKDAY = _c(
    rf"(?<![\w])(?=[tTcCnNMTWFS])(?:(?P<wdq>(?i:this\s+coming|the\s+coming|coming|this|next))\s+)?(?P<wd>{_WD_FULL})"
    r"(?:,?\s+(?P<wk>(?i:this|next))\s+(?i:week))?")
_RE_DURATION = _c(
    r"(?<![\w])(?=[wWiIoOdD])(?<![\w-])(?P<dp>(?i:within(?:\s+the\s+next)?|in(?:\s+the\s+next)?|over\s+the\s+next|"
    r"during\s+the\s+next|inside(?:\s+of)?))\s+"
    rf"(?P<n>{_NUM})(?:\s*\(\d{{1,3}}\))?\s+(?:(?P<biz>(?i:business|working|calendar))\s+)?"
    rf"(?P<unit>{_UNIT})(?![\w])(?:[’']s?\s+(?i:time)|\s+(?i:time)(?![\w]))?")
_RE_DURATION_FROM = _c(
    rf"(?<![\w-])(?P<n>{_NUM})(?:\s*\(\d{{1,3}}\))?\s+(?:(?P<biz>(?i:business|working|calendar))\s+)?"
    rf"(?P<unit>{_UNIT})\s+(?i:from\s+(?:now|today|the\s+date\s+(?:of\s+this\s+letter|hereof)))")
_RE_VAGUE = _c(
    r"(?<![\w])(?=[aAsSvViIwWoOdDpPfFeEbB])(?i:(?<![\w-])(?:as\s+soon\s+as\s+(?:possible|practicable|feasible|reasonably\s+"
    r"(?:possible|practicable)|practically\s+possible|we\s+(?:can|are\s+able)|i\s+can)|"
    r"as\s+(?:quickly|early|promptly)\s+as\s+(?:possible|practicable|we\s+can)|asap|a\.s\.a\.p\.?|"
    r"(?:very\s+)?shortly|in\s+due\s+course|in\s+a\s+timely\s+(?:manner|fashion|way)|"
    r"(?:in\s+)?(?:a\s+matter\s+of\s+)?weeks,?\s+(?:not|rather\s+than)\s+months|"
    r"(?:in|over|during|within)\s+the\s+(?:coming|next\s+few|next\s+couple\s+of|upcoming|"
    r"following)\s+(?:days|weeks|months)|in\s+the\s+(?:days|weeks|months)\s+(?:and\s+"
    r"(?:weeks|months)\s+)?ahead|(?:in|within)\s+(?:a\s+few|a\s+couple\s+of|several|a\s+number\s+of)"
    r"\s+(?:days|weeks|months)|(?<!\bas\s)(?:very\s+)?soon|at\s+a\s+(?:later|future)\s+"
    r"(?:date|stage|time|point)|in\s+the\s+(?:near|not\s+too\s+distant|foreseeable|very\s+near)"
    r"\s+future|at\s+(?:the|your)\s+earliest\s+(?:opportunity|convenience|possible\s+date)|"
    r"without\s+(?:further\s+|undue\s+)?delay|promptly|forthwith|imminently|expeditiously|"
    r"by\s+return(?:\s+of\s+post)?)"
    r"(?![\w-]))")
_RE_EVENT = _c(
    rf"(?<![\w])(?=[bpaindutBPAINDUT])(?P<prep>{_EV_PREP})\s+(?P<ev>(?:(?P<det>(?i:the|its|their|"
    rf"our|your))\s+)?(?:{_EV_FILL}\s+){{0,4}}?{_EV_NOUN}"
    rf"(?:\s+(?i:in|at)\s+{_PLACE}(?:,?\s+{_PLACE}){{0,2}})?)")
_RE_EVENT_DATE_AHEAD = _c(
    rf",?\s+(?i:on|in|of|from|between)\s+(?:{_THE}\s+)?(?:\d|{_MON}|{_WD})")

_RE_DEADLINE_BACK = _c(
    r"(?i:(?<![\w-])(?P<dl>on\s+or\s+before|by\s+no\s+later\s+than|no\s+later\s+than|"
    r"not\s+later\s+than|by|before|until|till|til|'til|through|prior\s+to|in\s+advance\s+of|"
    r"ahead\s+of|in\s+time\s+for|up\s+to\s+and\s+including|"
    r"due(?:\s+(?:on|by|at|in|during|date\s+(?:of|is|was)))?|"
    r"(?:the\s+)?(?:new\s+|final\s+|extended\s+)?deadline(?:\s+for\s+[\w-]+(?:\s+[\w-]+)?)?"
    r"(?:\s+(?:of|is|was|will\s+be|has\s+been\s+(?:set|extended|moved)\s+(?:at|for|to|until)|"
    r"for|on|at))?\s*:?|cut\s*-?\s*off(?:\s+date)?(?:\s+(?:of|is|was|will\s+be))?\s*:?|"
    r"(?:closes|closing|closed|close|will\s+close)(?:\s+date(?:\s+(?:of|is|was))?)?(?:\s+on)?|"
    r"ending\s+(?:at|on)|ends\s+on|end\s+on|will\s+end\s+on|"
    r"(?:extended|extension|postponed|deferred|moved|rescheduled|pushed\s+back|put\s+back|"
    r"delayed|changed)(?:\s+(?:by|for)\s+" + _NUM + r"(?:\s*\(\d{1,3}\))?\s+(?:business\s+|"
    r"working\s+|calendar\s+)?(?:days?|weeks?|months?))?\s+(?:to|until|till|through)))"
    r"(?:\s+(?:at\s+)?(?:\d{1,2}(?:[:.]\d\d\s*(?i:a\.?m\.?|p\.?m\.?)?|\s*(?i:a\.?m\.?|p\.?m\.?))|"
    r"(?i:midnight|noon|close\s+of\s+business|COB|EOD|(?:the\s+)?end\s+of\s+(?:the\s+)?"
    r"(?:business\s+|working\s+)?day))(?:\s*\(?(?:UTC|GMT|[A-Z]{2,4}T)\)?)?,?)?"
    r"(?:\s+(?i:on|of))?\s*$")
_RE_SUPPRESS_BACK = _c(
    r"(?i:(?<![\w-])(?:after|since|following|from|as\s+of|as\s+from|with\s+effect\s+from|"
    r"starting|commencing|effective|dated|(?:letters?|e-?mails?|messages?|notes?|memo|"
    r"correspondence|submissions?|comments?|statements?|communications?|requests?|replies|reply|"
    r"responses?|minutes|decision|resolution|announcement)\s+(?:dated\s+|of\s+)|"
    r"of\s+your\s+(?:letter|e-?mail)\s+(?:of\s+)?)\s*$)")
_RE_SOFT_BACK = _c(
    r"(?i:(?<![\w-])(?:sometime\s+in|some\s+time\s+in|in|on|during|at|around|over|throughout|"
    r"for|between|within)\s+$)")
_RE_NEEDS_PREP_BACK = _c(
    r"(?i:(?<![\w-])(?:on|by|before|until|till|than|through|to|of|in|for|during|at)\s+$)")
_RE_AT_LATEST = _c(r"^,?\s+(?i:at\s+the\s+(?:very\s+)?latest)(?![\w])")
_RE_EVENT_GAP = _c(r"^[\s,]*(?:(?i:of)\s+)?$")


# --------------------------------------------------------------------------- lowered scans
#
# Case-insensitive alternations are slow in the regex engine: a "(?i:...)" letter is compared
# through a case-folding call, and an alternative cannot be skipped on its first character.
# On ASCII text the same search runs much faster as a case-sensitive search of the
# lower-cased text.  _lowered_variant(P) is P with every letter lower-cased and "(?i:" made
# "(?:".  On an ASCII text ``t`` and ``low = t.lower()`` (same length, same positions):
#   * a "(?i:...)" part of P matches in ``t`` exactly where its lower-cased copy matches in
#     ``low``;
#   * a case-sensitive letter or positive class of P ("UTC", "[A-Z0-9]") that matches in
#     ``t`` has its lower-cased copy match in ``low`` (it may match more: "utc" too);
#   * \w \d \s and classes without letters are the same on both.
# So wherever P matches in ``t`` its variant V matches in ``low`` (only patterns whose
# negative assertions hold no case-sensitive letters on a path every match takes are used
# here: see each use).  V only *finds* positions: at each position where V matches, P itself
# is tried there on ``t``.  As P cannot match where V does not, the first position where P
# matches is the one a search of P would return, and P.match there returns the same match.


def _lowered_variant(regex: re.Pattern[str]) -> re.Pattern[str]:
    pattern = regex.pattern
    # Upper-case escapes (\S, \W, \D, \B, \A, \Z) would change meaning when lower-cased.
    assert not re.search(r"\\[A-Z]", pattern), pattern
    return re.compile(pattern.lower().replace("(?p<", "(?P<").replace("(?i:", "(?:"))


def _search_lowered(regex: re.Pattern[str], low_regex: re.Pattern[str], t: str, low: str,
                    pos: int = 0) -> re.Match[str] | None:
    """``regex.search(t, pos)`` for ASCII ``t`` (``low`` = t.lower()), found with the quicker
    lowered variant ``low_regex`` (see above)."""
    while True:
        found = low_regex.search(low, pos)
        if found is None:
            return None
        m = regex.match(t, found.start())
        if m is not None:
            return m
        pos = found.start() + 1


# The deadline and suppressing look-backs are wholly case-insensitive except the time zone
# "(UTC|GMT|[A-Z]{2,4}T)", a positive part: their variants match wherever they do.
_LOW_DEADLINE_BACK = _lowered_variant(_RE_DEADLINE_BACK)
_LOW_SUPPRESS_BACK = _lowered_variant(_RE_SUPPRESS_BACK)
# _RE_EVENT: its case-sensitive parts are positive ("(?=...[A-Z0-9])", "ICANN", "[A-Z]" of a
# place name) except the "not a month or weekday" look-ahead of a place name, which sits in
# the optional trailing "in <Place>" group: a match without that group still matches.
_LOW_EVENT = _lowered_variant(_RE_EVENT)
# These are case-insensitive throughout but for positive parts (a first-letter look-ahead,
# "Q" of "Q3", "H" of "H2"); their negative assertions hold no letters or are
# case-insensitive ("(?<!\bas\s)" of _RE_VAGUE).
_LOWERED = {_RE_EVENT: _LOW_EVENT}
for _regex in (_RE_VAGUE, _RE_DURATION, _RE_RELPERIOD, _RE_YEARMOD, _RE_QUARTER, _RE_HALF,
               _RE_SEASON, _RE_YEAREND, _RE_DURATION_FROM):
    _LOWERED[_regex] = _lowered_variant(_regex)


def _charset_led(low_regex: re.Pattern[str]) -> re.Pattern[str]:
    r"""``(?<![\w])(?=[set])REST`` rewritten as ``[set](?<=(?<![\w])(?=REST).)``.

    Both match at a position p exactly when low[p] is in the set and REST matches at p after
    a non-word character (the look-behind steps back over the one character that ``[set]``
    took, which is never a line break, and tests the original conditions at p), and the match
    starts at p in both.  So a search finds the same first position, but the regex engine can
    now skip in C to the characters of the set instead of trying every position; only the
    positions are used (see _search_lowered).
    """
    lead = re.match(r"\(\?<!\[\\w\]\)\(\?=\[([^\]]*)\]\)", low_regex.pattern)
    chars = "".join(sorted(set(lead.group(1))))
    return re.compile(f"[{chars}](?<=(?<![\\w])(?={low_regex.pattern[lead.end():]}).)")


# Where it measured faster (the others start with letters of most words).
for _regex in (_RE_EVENT, _RE_YEARMOD, _RE_HALF, _RE_YEAREND):
    _LOWERED[_regex] = _charset_led(_LOWERED[_regex])

_GENERIC_EVENT_WORDS = frozenset(
    "the a an next upcoming forthcoming meeting meetings conference summit workshop session "
    "forum public icann in at of on s international annual general open".split())

_BEFORE_WORDS = ("before", "prior", "in advance", "ahead", "in time")


# --------------------------------------------------------------------------- date helpers

_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    if 1 <= month <= 12:
        return _MONTH_DAYS[month]
    return calendar.monthrange(year, month)[1]  # raises the usual error


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= _last_day(year, month) or year < 1:
        return None
    return date(year, month, day)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return date(y, m + 1, min(d.day, _last_day(y, m + 1)))


def _add_business_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


_RECENT_PAST_DAYS = 90


def _nearest(build, ref: date, prefer_weekday: int | None = None):
    """Window from ``build(year)`` for the best of year-1, year, year+1 around ``ref``.

    The occurrence holding ``ref`` wins; else the next one, unless the previous one ended
    at most 90 days before ``ref`` and is closer than the next one starts.
    """
    options = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        window = build(year)
        if window is not None:
            options.append(window)
    if prefer_weekday is not None:
        fitting = [o for o in options if o[0].weekday() == prefer_weekday]
        options = fitting or options
    if not options:
        return None
    # One pass: a window holding ref is returned as soon as it is met (the first one, as
    # before); otherwise the latest-ending past window and the earliest-starting future
    # one, the first of equals in both cases (as max() and min() with a key pick them).
    last_past = next_future = None
    for window in options:
        if window[0] <= ref <= window[1]:
            return window
        if window[1] < ref and (last_past is None or window[1] > last_past[1]):
            last_past = window
        if window[0] > ref and (next_future is None or window[0] < next_future[0]):
            next_future = window
    if last_past and (next_future is None or (
            (ref - last_past[1]).days <= _RECENT_PAST_DAYS
            and (ref - last_past[1]).days < (next_future[0] - ref).days)):
        return last_past
    return next_future


def _nearest_day(month: int, day: int, ref: date, prefer_weekday: int | None = None):
    """The day of ``_nearest(lambda y: _pair(_safe_date(y, month, day)), ref,
    prefer_weekday)`` (None when that is None), without the windows and calls: the same
    options in the same (ascending) order, so the one holding ``ref`` is the one equal to it,
    the latest-ending past one is the last one before ``ref`` and the earliest-starting
    future one the first one after it."""
    options = []
    if 1 <= month <= 12:
        for year in (ref.year - 1, ref.year, ref.year + 1):
            # _safe_date's test, in its order (_last_day raises nothing for a valid month)
            if 1 <= day <= _last_day(year, month) and year >= 1:
                options.append(date(year, month, day))
    if prefer_weekday is not None:
        fitting = [o for o in options if o.weekday() == prefer_weekday]
        options = fitting or options
    last_past = next_future = None
    for d in options:
        if d == ref:
            return d
        if d < ref:
            last_past = d
        elif next_future is None:
            next_future = d
    if last_past and (next_future is None or (
            (ref - last_past).days <= _RECENT_PAST_DAYS
            and (ref - last_past).days < (next_future - ref).days)):
        return last_past
    return next_future


def _month_number(token: str) -> int:
    return _MONTH_NUMBERS[token.rstrip(".").lower()[:4] if token.lower().startswith("sept")
                          else token.rstrip(".").lower()[:3]]


def _number(token: str) -> int | None:
    t = " ".join(token.lower().replace("-", " ").split())
    if t.isdigit():
        return int(t)
    if t in ("a", "an"):
        return 1
    if t == "a couple of":
        return 2
    if t in ("one hundred", "a hundred"):
        return 100
    if t in _SMALL_NUMBERS:
        return _SMALL_NUMBERS[t]
    parts = t.split()
    if parts and parts[0] in _TENS:
        return _TENS[parts[0]] + (_SMALL_NUMBERS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


def _year_ref(text: str | None, ref: date) -> int | None:
    if not text:
        return None
    m = _RE_FIND_YEAR.search(text)
    if m:
        return int(m.group())
    return ref.year + 1 if text.lower().startswith("next") else ref.year


def _parse_date(text: str, ref: date, default_year: int | None = None) -> tuple[date | None, bool]:
    """Parse one explicit date; returns (date or None, year_was_written)."""
    # Each of the two numeric forms needs its separator: skip the regex when it is absent.
    if "-" in text and _RE_DATE_ISO.match(text):
        y, m, d = (int(p) for p in text.split("-"))
        return _safe_date(y, m, d), True
    slash = _RE_DATE_SLASH.match(text) if "/" in text else None
    if slash:
        month, day, yr = int(slash.group(1)), int(slash.group(2)), slash.group(3)
        if yr:
            year = int(yr) + (2000 if len(yr) == 2 else 0)
            return _safe_date(year, month, day), True
        if default_year is not None:
            return _safe_date(default_year, month, day), False
        return _nearest_day(month, day, ref), False
    mon = _RE_FIND_MON.search(text)
    if not mon:
        return None, False
    month = _month_number(mon.group())
    rest = text[:mon.start()] + " " + text[mon.end():]
    year_m = _RE_FIND_YEAR.search(rest)
    if year_m:
        rest = rest[:year_m.start()] + rest[year_m.end():]
    day_m = _RE_FIND_DAY.search(rest)
    if not day_m:
        return None, False
    day = int(day_m.group(1))
    if year_m:
        return _safe_date(int(year_m.group()), month, day), True
    if default_year is not None:
        return _safe_date(default_year, month, day), False
    wd = _RE_FIND_WD.search(text)
    weekday = _WEEKDAY_NUMBERS[wd.group().rstrip(".").lower()] if wd else None
    return _nearest_day(month, day, ref, weekday), False


def _pair(d: date | None):
    return (d, d) if d is not None else None


_MONTH_MODS = {
    "early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20),
    "middle": (11, 20), "late": (21, 31), "end": (31, 31), "first half": (1, 15),
    "second half": (16, 31), "first week": (1, 7), "second week": (8, 14),
    "third week": (15, 21), "fourth week": (22, 28), "last week": (-7, 31),
    "first fortnight": (1, 14), "second fortnight": (15, 31), "early to mid": (1, 20),
    "mid to late": (11, 31),
}


def _month_mod_window(mod: str, year: int, month: int):
    lo, hi = _MONTH_MODS[mod]
    last = _last_day(year, month)
    lo = last + 1 + lo if lo < 0 else min(lo, last)
    return date(year, month, lo), date(year, month, min(hi, last))


def _norm_mod(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _quarter(year: int, q: int):
    return date(year, 3 * q - 2, 1), date(year, 3 * q, _last_day(year, 3 * q))


_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(year: int, start_month: int):
    a = date(year, start_month, 1)
    end = _add_months(a, 2)
    return a, date(end.year, end.month, _last_day(end.year, end.month))


def _year_mod(mod: str, year: int):
    if mod in ("early", "beginning", "start"):
        return date(year, 1, 1), date(year, 3, 31), False
    if mod in ("mid", "middle"):
        return date(year, 5, 1), date(year, 8, 31), False
    if mod == "late":
        return date(year, 10, 1), date(year, 12, 31), False
    return date(year, 12, 31), date(year, 12, 31), True  # end / close


# --------------------------------------------------------------------------- candidates

class _Cand:
    __slots__ = ("start", "end", "ustart", "a", "b", "prec", "endof", "inherent", "needs",
                 "ignore", "event", "prep", "deadline", "vague", "order")

    def __init__(self, start, end, a=None, b=None, prec="window", *, endof=False,
                 inherent=False, needs=False, ignore=False, event=None, prep=None, vague=False):
        self.start = self.ustart = start
        self.end = end
        self.a, self.b, self.prec = a, b, prec
        self.endof, self.inherent, self.needs, self.ignore = endof, inherent, needs, ignore
        self.event, self.prep, self.vague = event, prep, vague
        self.deadline = None  # "by" or "before" once a deadline word is attached
        self.order = 0


def _window(m, a_b, prec="window", **kw):
    if a_b is None:
        return _Cand(m.start(), m.end(), ignore=True)
    return _Cand(m.start(), m.end(), a_b[0], a_b[1], prec, **kw)


def _h_date(m, t, ref):
    # What _parse_date(m.group(), ref) computes, read from the groups of _RE_DATE instead
    # of re-parsing the text: the matched text is exactly one of the four forms, so in
    # _parse_date the ISO test holds for an ISO match only, the slash test for a slash
    # match only, and for the two worded forms the first month name, year, day number and
    # weekday found in the text are the groups m1/m2, y1/y2, d1/d2, w1/w2 (a weekday name is
    # never a month name; "the" and "of" hold none of them; the day is the only other
    # number).  The day groups hold the digits only, as group 1 of _RE_FIND_DAY does.
    (iy, im, id_, w1, d1, m1, y1, w2, m2, d2, y2, sm, sd, sy) = m.groups()
    needs = False
    if iy is not None:
        d = _safe_date(int(iy), int(im), int(id_))
    elif sm is not None:
        month, day = int(sm), int(sd)
        if sy:
            d = _safe_date(int(sy) + (2000 if len(sy) == 2 else 0), month, day)
        else:
            needs = True  # a slash date without a year
            d = _nearest_day(month, day, ref)
    else:
        if m1 is not None:
            wd, day, mon, year = w1, d1, m1, y1
        else:
            wd, day, mon, year = w2, d2, m2, y2
        month, day = _month_number(mon), int(day)
        if year is not None:
            d = _safe_date(int(year), month, day)
        else:
            weekday = _WEEKDAY_NUMBERS[wd.rstrip(".").lower()] if wd else None
            d = _nearest_day(month, day, ref, weekday)
    return _window(m, _pair(d), "day", needs=needs)


def _h_range_ddm(m, t, ref):
    month = _month_number(m.group("mon"))
    d1, d2 = int(_RE_FIND_DAY.search(m.group("d1")).group(1)), int(_RE_FIND_DAY.search(m.group("d2")).group(1))
    return _window(m, _day_range(month, d1, month, d2, m.group("year"), ref))


def _h_range_mdd(m, t, ref):
    month = _month_number(m.group("mon"))
    d1, d2 = int(_RE_FIND_DAY.search(m.group("d1")).group(1)), int(_RE_FIND_DAY.search(m.group("d2")).group(1))
    return _window(m, _day_range(month, d1, month, d2, m.group("year"), ref))


def _day_range(m1, d1, m2, d2, year, ref):
    def build(y):
        b = _safe_date(y, m2, d2)
        a = _safe_date(y, m1, d1)
        if a is not None and b is not None and a > b:
            a = _safe_date(y - 1, m1, d1)
        if a is None or b is None or a > b:
            return None
        return a, b
    return build(int(year)) if year else _nearest(build, ref)


def _h_range_dates(m, t, ref):
    conn = m.group("conn").lower()
    fb = (m.group("fb") or "").lower()
    if (conn == "and") != (fb == "between") or (conn == "to" and not fb):
        return None
    b, b_year = _parse_date(m.group("b"), ref)
    if b is None:
        return _window(m, None)
    a, a_year = _parse_date(m.group("a"), ref, None if not b_year else b.year)
    if a is None:
        return _window(m, None)
    if not a_year and a > b:
        a = _safe_date(a.year - 1, a.month, a.day)
    if not b_year and not a_year:
        return None if a is None else _h_range_nearest(m, a, b, ref)
    if a is None or a > b:
        return _window(m, None)
    return _window(m, (a, b))


def _h_range_nearest(m, a, b, ref):
    def build(y):
        bb = _safe_date(y, b.month, b.day)
        aa = _safe_date(y, a.month, a.day)
        if aa and bb and aa > bb:
            aa = _safe_date(y - 1, a.month, a.day)
        return (aa, bb) if aa and bb else None
    return _window(m, _nearest(build, ref))


def _h_range_months(m, t, ref):
    conn = m.group("conn").lower()
    fb = (m.group("fb") or "").lower()
    if (conn == "and") != (fb == "between"):
        return None
    if not fb and not m.group("year") and conn != "-":
        return None
    m1, m2 = _month_number(m.group("mon")), _month_number(m.group("mon2"))
    return _window(m, _month_range(m1, m2, m.group("year"), ref))


def _month_range(m1, m2, year, ref):
    def build(y):
        y1 = y if m1 <= m2 else y - 1
        return date(y1, m1, 1), date(y, m2, _last_day(y, m2))
    return build(int(year)) if year else _nearest(build, ref)


def _h_modmonth(m, t, ref):
    mod = _norm_mod(m.group("mod"))
    month = _month_number(m.group("mon"))
    year = m.group("year")
    def build(y):
        return _month_mod_window(mod, y, month)
    w = build(int(year)) if year else _nearest(build, ref)
    is_end = mod == "end"
    return _window(m, w, "day" if is_end else "window", endof=is_end)


def _h_timeframe(m, t, ref):
    m1 = _month_number(m.group("mon"))
    m2 = _month_number(m.group("mon2")) if m.group("mon2") else m1
    return _window(m, _month_range(m1, m2, m.group("year"), ref))


def _h_monyear(m, t, ref):
    if m.start() and t[m.start() - 1].isalpha():
        return None
    return _window(m, _month_range(*(2 * (_month_number(m.group("mon")),)), m.group("year"), ref))


def _h_month_bare(m, t, ref):
    if m.start() and t[m.start() - 1].isalpha():
        return None
    if not _RE_MONTH_PREP_BACK.search(t, max(0, m.start() - 12), m.start()):
        return None
    month = _month_number(m.group("mon"))
    return _window(m, _month_range(month, month, None, ref))


def _h_weekof(m, t, ref):
    d, _ = _parse_date(m.group("d"), ref)
    if d is None:
        return _window(m, None)
    mon = _monday(d)
    return _window(m, (mon, mon + timedelta(days=6)))


_ORDINAL_Q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
              "fourth": 4, "4th": 4, "last": 4}


def _h_quarter(m, t, ref):
    q = int(m.group("q")) if m.group("q") else _ORDINAL_Q[m.group("qw").lower()]
    year = _year_ref(m.group("yref"), ref)
    needs = bool(m.group("q")) and year is None and not m.group("qm")
    w = _quarter(year, q) if year else _nearest(lambda y: _quarter(y, q), ref)
    qm = (m.group("qm") or "").lower()
    if qm in ("end", "close"):
        return _window(m, (w[1], w[1]), "day", endof=True, needs=needs)
    if qm in ("start", "beginning"):
        w = (w[0], date(w[0].year, w[0].month, _last_day(w[0].year, w[0].month)))
    elif qm == "middle":
        mid = _add_months(w[0], 1)
        w = (mid, date(mid.year, mid.month, _last_day(mid.year, mid.month)))
    return _window(m, w, needs=needs)


def _h_half(m, t, ref):
    if m.group("h"):
        half, year = int(m.group("h")), int(m.group("yref"))
    else:
        half = 1 if m.group("hw").lower() in ("first", "1st") else 2
        year = _year_ref(m.group("yref2"), ref)
    return _window(m, (date(year, 1, 1), date(year, 6, 30)) if half == 1
                   else (date(year, 7, 1), date(year, 12, 31)))


def _h_yearmod(m, t, ref):
    mod = m.group("ym").lower()
    year = _year_ref(m.group("yref"), ref)
    a, b, end = _year_mod(mod, year)
    return _window(m, (a, b), "day" if end else "window", endof=end)


def _h_yearend(m, t, ref):
    year = int(m.group("year")) if m.group("year") else ref.year
    d = date(year, 12, 31)
    return _window(m, (d, d), "day", endof=True)


def _h_yearprep(m, t, ref):
    if not _RE_YEAR_PREP_BACK.search(t, max(0, m.start() - 12), m.start()):
        return None
    y = int(m.group("year"))
    return _window(m, (date(y, 1, 1), date(y, 12, 31)))


def _h_season(m, t, ref):
    sq = " ".join((m.group("sq") or "").lower().split())
    year = m.group("year")
    if not year and sq in ("", "the"):
        before = t[max(0, m.start() - 30):m.start()]
        if not re.search(r"(?i:\b(?:in|during|over|by|before|until|through|throughout)\s+$)", before):
            return None
    start_month = _SEASONS[m.group("season").lower()]
    if year:
        w = _season(int(year), start_month)
    elif sq == "this":
        w = _season(ref.year if not (start_month == 12 and ref.month <= 2) else ref.year - 1,
                    start_month)
    elif sq in ("next", "this coming", "the coming"):
        y = ref.year
        while date(y, start_month, 1) <= ref:
            y += 1
        w = _season(y, start_month)
    else:
        w = _nearest(lambda y: _season(y, start_month), ref)
    sm = " ".join((m.group("sm") or "").lower().split()).replace("the ", "")
    if sm:
        months = [_add_months(w[0], i) for i in range(3)]
        if sm in ("early", "beginning of", "start of"):
            pick = months[0]
        elif sm == "mid":
            pick = months[1]
        elif sm == "late":
            pick = months[2]
        else:
            return _window(m, (w[1], w[1]), "day", endof=True)
        w = (pick, date(pick.year, pick.month, _last_day(pick.year, pick.month)))
    return _window(m, w)


def _h_today(m, t, ref):
    word = m.group("w").lower()
    if "day after" in word:
        d = ref + timedelta(days=2)
    elif word.startswith("tomorrow"):
        d = ref + timedelta(days=1)
    else:
        d = ref
    return _window(m, (d, d), "day")


def _h_relperiod(m, t, ref):
    wm = (m.group("wm") or "").lower()
    wq = " ".join(m.group("wq").lower().split())
    unit = m.group("unit").lower()
    if wq == "the" and not wm:
        return None
    nxt = wq in ("next", "the following", "the coming", "the next", "this coming")
    if unit == "week":
        mon = _monday(ref) + timedelta(days=7 if nxt else 0)
        whole = (mon, mon + timedelta(days=6))
        spans = {"early": (0, 1), "beginning": (0, 1), "start": (0, 1), "mid": (2, 3),
                 "middle": (2, 3), "late": (3, 4)}
        if wm in ("end", "close"):
            fri = mon + timedelta(days=4)
            return _window(m, (fri, fri), "day", endof=True)
        if wm in spans:
            lo, hi = spans[wm]
            return _window(m, (mon + timedelta(days=lo), mon + timedelta(days=hi)))
        if wm == "later":
            return _window(m, (max(ref + timedelta(days=1), mon), whole[1]))
        if not nxt:
            return _window(m, (ref, whole[1]))
        return _window(m, whole)
    if unit == "month":
        first = _add_months(date(ref.year, ref.month, 1), 1 if nxt else 0)
        y, mo = first.year, first.month
        last = date(y, mo, _last_day(y, mo))
        if wm in ("end", "close"):
            return _window(m, (last, last), "day", endof=True)
        if wm in ("early", "beginning", "start", "mid", "middle", "late"):
            return _window(m, _month_mod_window(wm, y, mo))
        if wm == "later":
            return _window(m, (max(ref + timedelta(days=1), first), last))
        return _window(m, (first, last) if nxt else (ref, last))
    if unit == "quarter":
        q = (ref.month - 1) // 3 + 1
        y = ref.year
        if nxt:
            q, y = (1, y + 1) if q == 4 else (q + 1, y)
        a, b = _quarter(y, q)
        if wm in ("end", "close"):
            return _window(m, (b, b), "day", endof=True)
        if wm in ("early", "beginning", "start", "mid", "middle", "late"):
            pick = _add_months(a, {"mid": 1, "middle": 1, "late": 2}.get(wm, 0))
            return _window(m, (pick, date(pick.year, pick.month, _last_day(pick.year, pick.month))))
        if wm == "later":
            return _window(m, (max(ref + timedelta(days=1), a), b))
        return _window(m, (a, b) if nxt else (ref, b))
    y = ref.year + (1 if nxt else 0)
    if wm == "later":
        return _window(m, (max(ref + timedelta(days=1), date(y, 1, 1)), date(y, 12, 31)))
    if wm:
        a, b, end = _year_mod(wm, y)
        return _window(m, (a, b), "day" if end else "window", endof=end)
    return _window(m, (date(y, 1, 1), date(y, 12, 31)) if nxt else (ref, date(y, 12, 31)))


def _h_weekday(m, t, ref):
    wd = _WEEKDAY_NUMBERS[m.group("wd").lower()]
    wdq = " ".join((m.group("wdq") or "").lower().split())
    wk = (m.group("wk") or "").lower()
    if wk or wdq in ("this", "next"):
        week = "next" if (wk == "next" or (not wk and wdq == "next")) else "this"
        d = _monday(ref) + timedelta(days=wd + (7 if week == "next" else 0))
        return _window(m, (d, d), "day")
    d = ref + timedelta(days=(wd - ref.weekday() - 1) % 7 + 1)
    return _window(m, (d, d), "day", needs=not wdq)


def _duration(n: int, unit: str, biz: str | None, ref: date) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        if biz and biz.lower() in ("business", "working"):
            return _add_business_days(ref, n)
        return ref + timedelta(days=n)
    if unit == "week":
        return ref + timedelta(days=7 * n)
    if unit == "fortnight":
        return ref + timedelta(days=14 * n)
    if unit == "month":
        return _add_months(ref, n)
    return _add_months(ref, 12 * n)


def _h_duration(m, t, ref):
    n = _number(m.group("n"))
    if n is None or n > 400:
        return None
    dp = " ".join(m.group("dp").lower().split())
    unit = m.group("unit").lower()
    if dp == "in" and unit.startswith("year"):
        return None
    d = _duration(n, unit, m.group("biz"), ref)
    if dp == "in":
        return _window(m, (d, d), "day")
    return _window(m, (ref, d), "day", inherent=True)


def _h_duration_from(m, t, ref):
    n = _number(m.group("n"))
    if n is None:
        return None
    d = _duration(n, m.group("unit"), m.group("biz"), ref)
    return _window(m, (d, d), "day")


def _h_vague(m, t, ref):
    return _Cand(m.start(), m.end(), prec="vague", vague=True)


def _event_name(raw: str) -> str:
    words = raw.split()
    while words and words[0].lower() in ("the", "its", "their", "our", "your"):
        words = words[1:]
    while (len(words) > 1 and words[0].lower() in ("upcoming", "forthcoming")
           and re.search(r"[A-Z0-9]", " ".join(words[1:]))):
        words = words[1:]
    return " ".join(words).rstrip(",")


def _prep_kind(prep: str) -> str:
    p = " ".join(prep.lower().split())
    if p in ("at", "during"):
        return "at"
    if p.startswith(_BEFORE_WORDS):
        return "before"
    return "by"


def _h_event(m, t, ref):
    ev = m.group("ev")
    det = (m.groupdict().get("det") or "").lower()
    body = ev[len(det):] if det else ev
    named = re.search(r"[A-Z0-9]", body) is not None and det in ("", "the")
    if not named and not _RE_EVENT_DATE_AHEAD.match(t, m.end()):
        return None
    c = _Cand(m.start(), m.end(), prec="unresolved", event=_event_name(ev),
              prep=_prep_kind(m.group("prep")))
    return c


# Patterns that need a month name (or a numeric date) run only in a window around one.
# Gates: "2" = needs two month/numeric-date tokens, "Y" = needs a four-digit year, "R" = needs
# a range connector, () = always; else one of the words must occur in the lower-cased text.
_RANGE_WORDS = ("-", " and ", " to ", "through", "until", "till")
_MONTH_FAMILY = (
    (_RE_RANGE_DATES, _h_range_dates, "2"),
    (_RE_RANGE_DDM, _h_range_ddm, "R"),
    (_RE_RANGE_MDD, _h_range_mdd, "R"),
    (_RE_RANGE_MONTHS, _h_range_months, "2"),
    (_RE_WEEKOF, _h_weekof, ("week", "w/c")),
    (_RE_DATE, _h_date, ()),
    (_RE_MODMONTH, _h_modmonth, ("early", "mid", "late", "end", "beginning", "start", "half",
                                 "week", "fortnight")),
    (_RE_TIMEFRAME, _h_timeframe, ("time", "window")),
    (_RE_MONYEAR, _h_monyear, "Y"),
    (_RE_MONTH_BARE, _h_month_bare, ()),
)
_YEAR_GATE = "<year>"
_EVENT_GATE = ("meeting", "conference", "summit", "workshop", "session", "forum", "retreat",
               "teleconference", "webinar", "symposium", "congress", "plenary", "consultation",
               "hearing", "assembly", "colloquium", "convention", "round", "icann", "ietf", "ripe",
               "apnic", "arin", "lacnic", "afrinic", "nanog", "igf", "gac")
# Other patterns run only when one of their words occurs in the lower-cased text.
_GATED = (
    (_RE_QUARTER, _h_quarter, ("quarter", "q1", "q2", "q3", "q4")),
    (_RE_HALF, _h_half, ("half", "h1", "h2")),
    (_RE_YEARMOD, _h_yearmod, ("early", "mid", "late", "end", "beginning", "start", "close")),
    (_RE_YEAREND, _h_yearend, ("year",)),
    (_RE_YEARPREP, _h_yearprep, (_YEAR_GATE,)),
    (_RE_SEASON, _h_season, ("spring", "summer", "autumn", "fall", "winter")),
    (_RE_TODAY, _h_today, ("today", "tonight", "tomorrow", "business", "day", "cob", "eod")),
    (_RE_RELPERIOD, _h_relperiod, ("week", "month", "quarter", "year")),
    (_RE_WEEKDAY, _h_weekday, ("monday", "tuesday", "wednesday", "thursday", "friday",
                               "saturday", "sunday")),
    (_RE_DURATION, _h_duration, ("day", "week", "month", "fortnight", "year")),
    (_RE_DURATION_FROM, _h_duration_from, ("from now", "from today", "from the date")),
    (_RE_VAGUE, _h_vague, ("soon", "shortly", "course", "timely", "months", "week", "days",
                           "later", "future", "earliest", "delay", "promptly", "forthwith",
                           "imminent", "expeditious", "asap", "a.s.a.p", "return", "possible",
                           "practicable", "quickly", "feasible", "early")),
    (_RE_EVENT, _h_event, _EVENT_GATE),
)
# Same matches as "(?:Jan|Feb|...|Dec)|\d[-/]\d", written with a leading character class so
# that the scan only stops at J F M A S O N D and digits.
_MONTH_TOKEN = _c(r"[JFMASOND\d](?:(?<=J)(?:an|un|ul)|(?<=F)eb|(?<=M)a[ry]|(?<=A)(?:pr|ug)|"
                  r"(?<=S)ep|(?<=O)ct|(?<=N)ov|(?<=D)ec|(?<=\d)[-/]\d)")
# Either one matches where _MONTH_TOKEN does; quicker to scan for one kind at a time.
_MONTH_NAME_ANY = _c(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_NUMERIC_DATE_ANY = _c(r"\d[-/]\d")
_YEAR_TOKEN = _c(r"(?:19|20)\d\d")
_WINDOW_BEFORE, _WINDOW_AFTER = 44, 26


def _word_alternation(words) -> str:
    """A regex matching any of ``words`` (literal strings), written as a prefix tree so that
    each alternative starts with a distinct literal character (fast to scan for)."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body
    return emit(tree)


def _minimal_words(words) -> list[str]:
    """The words that hold no other of the words: any of ``words`` occurs in a text exactly
    when one of these does."""
    words = set(words)
    return sorted(w for w in words if not any(o != w and o in w for o in words))


# Necessary conditions for a pattern to match anywhere in an ASCII text ``t`` (``low`` is
# t.lower(), ``has_year`` tells whether it holds a four-digit 19xx/20xx number).  They are
# checked only after the pattern's gate, and only skip work: each one holds whenever the
# pattern has a match.
# Every event noun of _EV_NOUN_WORDS holds one of these.
_EV_NOUN_PARTS = _minimal_words(
    "meeting conference summit workshop session forum retreat teleconference webinar symposium "
    "congress plenary consultation hearing assembly colloquium convention round".split())
_EV_NOUN_PRE = _c(_word_alternation(_EV_NOUN_PARTS))
_EV_ORG_PRE = _c("|".join(rf"{org}\s*-?\s*\d" for org in
                           "ICANN IETF RIPE APNIC ARIN LACNIC AFRINIC NANOG GAC".split()) + "|IGF")
_TODAY_PRE = _c(r"(?:today|tonight|tomorrow|day(?<=\sday)|business|cob|eod)(?![\w-])")
_RANGE_DAY_PRE = _c(r"\d(?:st|nd|rd|th)?\s*(?:-|to|and|through|until|till)\s*(?:the\s+)?\d")
_PRECHECKS: dict = {
    # a year, or "the (calendar) year"
    _RE_YEARMOD: lambda t, low, has_year: has_year or "year" in low,
    # an event noun, "IGF", or a numbered meeting ("ICANN 37")
    _RE_EVENT: lambda t, low, has_year: (_EV_NOUN_PRE.search(low) is not None
                                         or _EV_ORG_PRE.search(t) is not None),
    # every alternative ends with one of these words, as a whole word
    _RE_TODAY: lambda t, low, has_year: _TODAY_PRE.search(low) is not None,
}

# ---- gates as bits, read word by word
#
# A gate of words lets its pattern run when one of the words occurs in the lower-cased text
# (as a substring: "day" occurs in "today").  Instead of testing every word of every gate
# with ``in``, the text is split at whitespace and each chunk looked up in _CHUNK_BITS, which
# remembers the gates a chunk opens (those with a word occurring in it).  A gate word
# without a space occurs in the text exactly when it occurs in one of its chunks, so ORing
# the chunks' bits gives the open gates; the few words with a space ("from now") are tested
# on the whole text.  Sentences repeat the same few thousand chunks, so nearly every lookup
# is a hit.
_GATE_BIT: dict = {}  # gate words tuple -> its bit (patterns with the same words share it)
for _regex, _handler, _gate in _MONTH_FAMILY + _GATED:
    if isinstance(_gate, tuple) and _gate and _gate not in _GATE_BIT:
        _GATE_BIT[_gate] = 1 << len(_GATE_BIT)
# "Gate" of _RE_YEARPREP: a four-digit year; set in the bits when the text holds one.
_YEAR_BIT = _GATE_BIT.pop((_YEAR_GATE,))
_WORD_BITS = {}  # gate word -> the bits of the gates that hold it
for _gate, _bit in _GATE_BIT.items():
    for _word in _gate:
        _WORD_BITS[_word] = _WORD_BITS.get(_word, 0) | _bit
_SPACED_WORD_BITS = tuple((w, b) for w, b in _WORD_BITS.items() if w.split() != [w])
_CHUNK_WORD_BITS = tuple((w, b) for w, b in _WORD_BITS.items() if w.split() == [w])
_CHUNK_CACHE_SIZE = 50_000


class _ChunkBits(dict):
    """chunk -> the bits of the gates it opens, computed on first sight."""

    def __missing__(self, chunk: str) -> int:
        bits = 0
        for word, bit in _CHUNK_WORD_BITS:
            if word in chunk:
                bits |= bit
        if len(self) >= _CHUNK_CACHE_SIZE:  # bounded: a long-running process reads much text
            self.clear()
        self[chunk] = bits
        return bits


_CHUNK_BITS = _ChunkBits()


def _gate_bits(low: str) -> int:
    """The bits of the gates open for the lower-cased text ``low``."""
    bits = functools.reduce(operator.or_, map(_CHUNK_BITS.__getitem__, low.split()), 0)
    for word, bit in _SPACED_WORD_BITS:
        if word in low:
            bits |= bit
    return bits


# _GATED with the bit of its gate, the precheck of each pattern (or None) and the lowered
# variant (or None); looked up once here, as hashing a compiled pattern is not cheap.
_GATED_PLAN = tuple((regex, handler, _YEAR_BIT if gate == (_YEAR_GATE,) else _GATE_BIT[gate],
                     _PRECHECKS.get(regex), _LOWERED.get(regex))
                    for regex, handler, gate in _GATED)

# The month family, as (regex, handler, kind) with kind one of the window-dependent gates
# "Y" / "R" or None, for every combination of the gates that do not depend on the window:
# bit 0 = two month/numeric-date tokens, bit 1 = a year in the text, bit 2 = the range
# precheck holds, bits 3.. = the word gates of the family (in _MONTH_WORD_GATES order).
_MONTH_WORD_GATES = tuple(dict.fromkeys(g for _, _, g in _MONTH_FAMILY if isinstance(g, tuple) and g))


def _month_plan(key: int) -> tuple:
    plan = []
    for regex, handler, gate in _MONTH_FAMILY:
        if gate == "2":
            ok, kind = key & 1, None
        elif gate == "Y":
            ok, kind = key & 2, "Y"
        elif gate == "R":
            ok, kind = key & 4, "R"
        elif gate:
            ok, kind = key & (8 << _MONTH_WORD_GATES.index(gate)), None
        else:
            ok, kind = True, None
        if ok:
            plan.append((regex, handler, kind))
    return tuple(plan)


_MONTH_PLANS = tuple(_month_plan(key) for key in range(8 << len(_MONTH_WORD_GATES)))
_MONTH_WORD_BITS = tuple(_GATE_BIT[g] for g in _MONTH_WORD_GATES)


def _month_windows(t: str) -> tuple[list[tuple[int, int]], int]:
    """Stretches of text around month names and numeric dates (merged when close), and
    how many such tokens there are."""
    if _MONTH_NAME_ANY.search(t) is None and _NUMERIC_DATE_ANY.search(t) is None:
        return [], 0  # no token at all (the common case)
    n = len(t)
    windows: list[list[int]] = []
    tokens = 0
    for m in _MONTH_TOKEN.finditer(t):
        p = m.start()
        if p and t[p - 1].isalpha():
            continue
        tokens += 1
        a, b = max(0, p - _WINDOW_BEFORE), min(n, m.end() + _WINDOW_AFTER)
        while a > 0 and not t[a - 1].isspace():
            a -= 1
        while b < n and not t[b].isspace():
            b += 1
        if windows and a <= windows[-1][1] + 8:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    return [(a, b) for a, b in windows], tokens


# Last words that can end a deadline / suppressing / soft prefix: the lookback regexes only
# run when the word before a match is one of them (or looks like a time of day).
_BACK_TAILS = frozenset(
    "by before until till til 'til through to than of for on due in at during deadline is was "
    "be date cutoff cut-off off closes closing closed close ending ends end including after "
    "since following from dated effective starting commencing between within around over "
    "throughout sometime noon midnight business day cob eod utc gmt will been set "
    "extended postponed deferred moved rescheduled delayed changed".split())
_RE_TIMEISH = _c(r"(?:\d|[ap]\.?m\.?|[a-z]{1,3}t)$")
# A quoted phrase ('due "by end of April"') keeps its deadline word: the look-back regexes
# start after any character that is not a letter, digit or hyphen.
_QUOTES_AND_BRACKETS = "\"'`([{<\u201c\u201d\u2018\u2019\u00ab\u00bb*_/"


def _event_key_tokens(key: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", key.lower())) - _GENERIC_EVENT_WORDS


@functools.lru_cache(maxsize=256)
def _events_precheck(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Matches when a lower-cased ASCII text holds one of the words _events_regex needs."""
    tokens = {tok for key in keys for tok in _event_key_tokens(key)}
    return re.compile(_word_alternation(_minimal_words(tokens)) if tokens else "(?!)")


@functools.lru_cache(maxsize=256)
def _events_regex(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    tokens = sorted({tok for key in keys for tok in _event_key_tokens(key)}, key=len, reverse=True)
    if not tokens:
        return None
    alt = "|".join(re.escape(tok) for tok in tokens)
    return re.compile(
        rf"(?<![\w-])(?P<prep>{_EV_PREP})\s+(?P<ev>(?:{_THE}\s+)?(?:{_EV_FILL}\s+){{0,3}}?"
        rf"(?i:{alt})(?![\w-])(?:\s+(?:{_EV_FILL}\s+)?(?i:{_EV_NOUN_WORDS})(?![\w-]))?)")


def _match_event(name: str, events: dict[str, tuple[date, date]]):
    words = set(re.findall(r"[a-z0-9]+", name.lower()))
    best, best_score = None, 0
    for key in events:
        sig = _event_key_tokens(key)
        if sig:
            score = len(sig & words)
        else:
            score = 1 if set(re.findall(r"[a-z0-9]+", key.lower())) <= words else 0
        if score > best_score:
            best, best_score = key, score
    return best


# --------------------------------------------------------------------------- main entry

def _last_chunks(text: str, k: int) -> int:
    """Where the last ``k`` whitespace-separated chunks of ``text`` start (or a little before).

    _RE_SUPPRESS_BACK, _RE_SOFT_BACK and _RE_NEEDS_PREP_BACK end at the end of the text and
    span at most 4, 3 and 1 such chunks: searching from here finds what a search of the
    whole text finds (look-behinds still see the text before), without trying every position.
    """
    parts = text.rsplit(None, k)
    return len(parts[0]) if len(parts) > k else 0


def _minus_length(c: _Cand) -> int:
    return c.start - c.end


def _start(c: _Cand) -> int:
    return c.start


def _collect(text: str, written_on: date, events) -> list[_Cand]:
    # The translation only maps non-ASCII characters: ASCII text is left as it is.
    t = text if text.isascii() else _translate(text)
    low = t.lower()
    # On ASCII text "(?i:word)" matches exactly where ``low`` holds "word", so the cheap
    # necessary conditions below (see _PRECHECKS) may skip patterns that cannot match.
    # Other text takes every pattern its gate allows, as before.
    ascii_text = t.isascii()
    has_year = _YEAR_TOKEN.search(t) is not None
    raw: list[_Cand] = []
    gate_bits = _gate_bits(low) | (_YEAR_BIT if has_year else 0)
    windows, tokens = _month_windows(t)
    if windows:
        range_ok = not ascii_text or _RANGE_DAY_PRE.search(low) is not None
        key = (tokens >= 2) | (2 if has_year else 0) | (4 if range_ok else 0)
        for i, bit in enumerate(_MONTH_WORD_BITS):
            if gate_bits & bit:
                key |= 8 << i
        plan = _MONTH_PLANS[key]
        for a, b in windows:
            range_here = None
            for regex, handler, kind in plan:
                if kind is not None:
                    if kind == "Y":
                        if _YEAR_TOKEN.search(t, a, b) is None:
                            continue
                    else:  # "R"
                        if range_here is None:
                            chunk = low[a:b]
                            range_here = any(word in chunk for word in _RANGE_WORDS)
                        if not range_here:
                            continue
                for m in regex.finditer(t, a, b):
                    cand = handler(m, t, written_on)
                    if cand is not None:
                        raw.append(cand)
    # Without a year or an open gate no pattern of _GATED can run.
    if gate_bits:
        for regex, handler, bit, pre, low_regex in _GATED_PLAN:
            if not gate_bits & bit:
                continue
            if ascii_text and pre is not None and not pre(t, low, has_year):
                continue
            if ascii_text and low_regex is not None:
                # finditer over the lowered variant, each hit confirmed with the real pattern (see
                # _search_lowered); written out because this loop is the hot path.
                pos = 0
                while True:
                    found = low_regex.search(low, pos)
                    if found is None:
                        break
                    m = regex.match(t, found.start())
                    if m is None:
                        pos = found.start() + 1
                        continue
                    cand = handler(m, t, written_on)
                    if cand is not None:
                        raw.append(cand)
                    pos = m.end()
            else:
                for m in regex.finditer(t):
                    cand = handler(m, t, written_on)
                    if cand is not None:
                        raw.append(cand)
    if events:
        key_re = _events_regex(tuple(events))
        if key_re is not None and (not ascii_text or _events_precheck(tuple(events)).search(low)):
            for m in key_re.finditer(t):
                cand = _h_event(m, t, written_on)
                if cand is not None:
                    raw.append(cand)
    if not raw:
        return []
    if len(raw) == 1:
        taken = raw
    else:
        # Longest match wins; ties go to the earlier handler (list order: the sort is
        # stable).
        raw.sort(key=_minus_length)
        taken = []
        for c in raw:
            for o in taken:
                if not (c.end <= o.start or c.start >= o.end):
                    break
            else:
                taken.append(c)
        taken.sort(key=_start)

    kept: list[_Cand] = []
    for c in taken:
        if c.ignore:
            continue
        if c.event is None and not c.vague:
            back_start = max(0, c.start - 80)
            back = t[back_start:c.start]
            # (back.strip() is non-empty exactly when back holds a non-space character)
            tail = (back.rsplit(None, 1)[-1].lower().strip(":,()")
                    if back and not back.isspace() else "")
            if (tail not in _BACK_TAILS and not _RE_TIMEISH.search(tail)
                    and tail.strip(_QUOTES_AND_BRACKETS) not in _BACK_TAILS):
                back = ""
            if not back:
                dl = None
            elif ascii_text:
                low_back = low[back_start:c.start]
                dl = _search_lowered(_RE_DEADLINE_BACK, _LOW_DEADLINE_BACK, back, low_back)
            else:
                dl = _RE_DEADLINE_BACK.search(back)
            if dl and not c.inherent:
                c.deadline = "before" if dl.group("dl").lower().startswith(_BEFORE_WORDS) else "by"
                c.start -= len(back) - dl.start()
            elif back and (
                    _search_lowered(_RE_SUPPRESS_BACK, _LOW_SUPPRESS_BACK, back, low_back,
                                    _last_chunks(back, 6)) if ascii_text
                    else _RE_SUPPRESS_BACK.search(back, _last_chunks(back, 6))):
                continue
            else:
                # _RE_SOFT_BACK ends with "\s+$": its match ends with a space character.
                soft = (_RE_SOFT_BACK.search(back, _last_chunks(back, 4))
                        if back and back[-1].isspace() else None)
                if c.needs and not (soft and soft.group().strip().lower() == "on"):
                    if not (c.a and back and _RE_NEEDS_PREP_BACK.search(back, _last_chunks(back, 2))
                            and not _RE_DATE_SLASH.match(t[c.ustart:c.end])):
                        continue
                if soft:
                    c.start -= len(back) - soft.start()
            # _RE_AT_LATEST starts with ",?\s+" (\s is what str.isspace() accepts), and
            # is of no use once a deadline word is attached.
            if c.deadline is None and c.end < len(t) and (t[c.end] == "," or t[c.end].isspace()):
                latest_word = _RE_AT_LATEST.match(t[c.end:c.end + 24])
                if latest_word:
                    c.deadline = "by"
                    c.end += latest_word.end()
        kept.append(c)

    if len(kept) < 2:
        return kept  # nothing to merge
    # An event followed directly by its date ("at the ICANN meeting in Brussels in June").
    merged: list[_Cand] = []
    i = 0
    while i < len(kept):
        c = kept[i]
        if (c.event is not None and i + 1 < len(kept) and kept[i + 1].event is None
                and not kept[i + 1].vague and kept[i + 1].deadline is None
                and _RE_EVENT_GAP.match(t[c.end:kept[i + 1].start])):
            nxt = kept[i + 1]
            c.a, c.b, c.end = nxt.a, nxt.b, nxt.end
            i += 1
        merged.append(c)
        i += 1
    return merged


_TRANSLATE = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                            "\u2014": "-", "\u2212": "-", "\u2019": "'", "\u00a0": " "})
_TRANSLATE_PAIRS = tuple((chr(k), v) for k, v in _TRANSLATE.items())


def _translate(text: str) -> str:
    """text.translate(_TRANSLATE), faster: one character for another, each a C-level replace."""
    for old, new in _TRANSLATE_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def _finish(c: _Cand, text: str, written_on: date, events) -> DueWindow:
    phrase = " ".join(text[c.start:c.end].split())
    if c.vague:
        return DueWindow(phrase, None, None, "vague")
    if c.event is not None:
        key = _match_event(c.event, events) if events else None
        if key is not None:
            s, e = events[key]
            anchor = key
        elif c.a is not None:
            s, e = c.a, c.b
            anchor = c.event
        else:
            return DueWindow(phrase, None, None, "unresolved", anchor=c.event)
        if c.prep == "at":
            return DueWindow(phrase, s, e, "day" if s == e else "window", anchor=anchor)
        latest = s - timedelta(days=1) if c.prep == "before" else s
        return DueWindow(phrase, min(written_on, latest), latest, "day", anchor=anchor)
    if c.deadline == "by":
        return DueWindow(phrase, min(written_on, c.b), c.b, "day")
    if c.deadline == "before":
        latest = c.b if c.endof else c.a - timedelta(days=1)
        return DueWindow(phrase, min(written_on, latest), latest, "day")
    if c.inherent:
        return DueWindow(phrase, c.a, c.b, "day")
    prec = "day" if c.a == c.b else c.prec
    return DueWindow(phrase, c.a, c.b, prec)


def _is_deadline(c: _Cand) -> bool:
    return c.deadline is not None or c.inherent or (c.event is not None and c.prep != "at")


def find_all_due(text: str, written_on: date,
                 events: dict[str, tuple[date, date]] | None = None) -> list[DueWindow]:
    """Every due expression in ``text``, in text order."""
    if not text:
        return []
    return [_finish(c, text, written_on, events) for c in _collect(text, written_on, events)]


def parse_due(text: str, written_on: date,
              events: dict[str, tuple[date, date]] | None = None) -> DueWindow | None:
    """The due window a sentence commits to (see the module docstring for the rules)."""
    if not text:
        return None
    cands = _collect(text, written_on, events)
    if not cands:
        return None
    for c in reversed(cands):  # the last deadline, if any
        if _is_deadline(c):
            return _finish(c, text, written_on, events)
    finished = [_finish(c, text, written_on, events) for c in cands]
    for tier in (("day", "window"), ("unresolved",), ("vague",)):
        for w in finished:
            if w.precision in tier:
                return w
    return None
