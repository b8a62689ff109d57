"""The words the due-window grammar knows, as data, and the regex fragments built from them.

One vocabulary for the whole product: the grammar's rules (``rules.py``) and intake's date finding use
these names, so a month spelling or a deadline word is added here once.  Every fragment is built from
the tables above it; nothing below the tables lists a word again.
"""
from __future__ import annotations

import calendar
import re

# --------------------------------------------------------------------------- calendar words

# Month names count only when capitalised ("may" the verb is never a month).
MONTH_NAMES: tuple[str, ...] = tuple(calendar.month_name)  # MONTH_NAMES[3] == "March"
MONTHS: dict[str, int] = {name: number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items()) if len(name) > 3})
MONTHS.update({"Sept": 9})
# Mail clients write the date of a quoted message in the sender's language ("Sent: woensdag 16 oktober 2013"):
# the month names of the languages correspondents here write in, as written in a full date (day, month, year).
# Only a full written date reads them; a due phrase in another language is not read.
FOREIGN_MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "juni": 6, "juli": 7, "augustus": 8, "oktober": 10,  # nl
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,  # fr
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,  # es
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "januar": 1, "februar": 2, "märz": 3, "marz": 3, "dezember": 12,  # de
}

WEEKDAYS: dict[str, int] = {name: number for number, name in enumerate(calendar.day_name)}
WEEKDAY_ABBREVIATIONS: dict[str, int] = {"Mon": 0, "Tue": 1, "Tues": 1, "Wed": 2, "Thu": 3, "Thur": 3,
                                         "Thurs": 3, "Fri": 4, "Sat": 5, "Sun": 6}

# Northern-hemisphere meteorological seasons: the month each one starts.
SEASONS: dict[str, int] = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

# Holidays on a fixed day: (month, day).
HOLIDAYS: dict[str, tuple[int, int]] = {"Christmas Eve": (12, 24), "Christmas Day": (12, 25), "Christmas": (12, 25),
                                        "New Year's Eve": (12, 31), "New Year's Day": (1, 1)}

# --------------------------------------------------------------------------- numbers and units

NUMBER_WORDS: dict[str, int] = {
    word: value for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split())}
TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                        "eighty": 80, "ninety": 90}
# Words that stand for a count in "a week", "a couple of days", "a hundred days".
COUNT_WORDS: dict[str, int] = {"a": 1, "an": 1, "a couple of": 2, "a hundred": 100, "one hundred": 100}
ORDINALS: dict[str, int] = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
                            "4th": 4}

# Units of a duration, singular; plurals take an "s".
UNITS: tuple[str, ...] = ("day", "week", "fortnight", "month", "year")
# "10 business days" skips weekends; "calendar days" are plain days.
DAY_KINDS: tuple[str, ...] = ("business", "working", "calendar")

# --------------------------------------------------------------------------- events

# A meeting phrase needs one of these nouns, a numbered series ("ICANN 39") or a known meeting's name.
EVENT_NOUNS: tuple[str, ...] = (
    "meeting", "meetings", "conference", "summit", "workshop", "session", "forum", "retreat",
    "teleconference", "conference call", "webinar", "symposium", "congress", "plenary", "consultation",
    "hearing", "assembly", "colloquium", "convention", "roundtable", "round table", "call", "telecon")
EVENT_SERIES: tuple[str, ...] = ("ICANN", "IETF", "RIPE", "APNIC", "ARIN", "LACNIC", "AFRINIC", "NANOG",
                                 "IGF", "GAC")
# "the next call", "the next Council meeting": a meeting named only by its place in a series.
NEXT_IN_SERIES: tuple[str, ...] = ("next", "following")
# Words that may stand between the article and the name of a meeting ("the next public ICANN meeting").
EVENT_QUALIFIERS: tuple[str, ...] = (
    "next", "upcoming", "forthcoming", "public", "international", "annual", "general", "joint", "board",
    "council", "plenary", "regional", "open", "closing", "opening", "final", "first", "second", "third",
    "fourth", "fifth", "full", "special", "extraordinary", "ministerial", "high-level", "face-to-face",
    "in-person", "intersessional", "policy", "community", "working group", "constituency", "stakeholder")
# Words of a meeting's name that do not identify it ("the next public meeting").
GENERIC_EVENT_WORDS: frozenset[str] = frozenset(
    "the a an next upcoming forthcoming meeting meetings conference summit workshop session forum public "
    "icann in at of on s international annual general open".split())

# --------------------------------------------------------------------------- deadline words

# Before X: the last on-time day is the day before X starts.
BEFORE_WORDS: tuple[str, ...] = ("before", "prior to", "in advance of", "ahead of", "in time for")
# By X: the last on-time day is the last day of X.
BY_WORDS: tuple[str, ...] = (
    "on or before", "by no later than", "no later than", "not later than", "by", "until", "till", "til",
    "'til", "through", "up to and including")
# Words after which a date is not a due date ("after 29 March", "your letter of 25 March").
NOT_DUE_WORDS: tuple[str, ...] = (
    "after", "since", "following", "from", "as of", "as from", "with effect from", "starting", "commencing",
    "effective", "dated")
# Words before a date that are part of its phrase without making it a deadline ("in early May").
LEADING_WORDS: tuple[str, ...] = ("sometime in", "some time in", "in", "on", "during", "at", "around", "over",
                                  "throughout", "for", "between", "within")
# A bare month ("May") or a bare "Q3" is a date only after one of these ("in May", "by Q3").
MONTH_PREPOSITIONS: tuple[str, ...] = (
    "in", "during", "by", "before", "until", "till", "through", "throughout", "around", "than", "to", "of",
    "after", "since", "from", "for", "over", "within", "end", "on")

# --------------------------------------------------------------------------- parts of a period

# "<part> <period>" and "<part> of <period>": the names a part goes by, and its canonical name.
PART_NAMES: dict[str, str] = {
    "early": "early", "beginning": "early", "start": "early",
    "mid": "mid", "middle": "mid",
    "late": "late", "later": "later",
    "end": "end", "close": "end",
    "early to mid": "early to mid", "mid to late": "mid to late",
    "first half": "first half", "second half": "second half",
    "latter half": "second half",
    "first week": "week 1", "second week": "week 2", "third week": "week 3", "fourth week": "week 4",
    "last week": "last week", "final week": "last week",
    "first fortnight": "first fortnight", "second fortnight": "second fortnight",
    "closing days": "last days", "final days": "last days", "last days": "last days", "last few days": "last days",
    "dying days": "last days", "first days": "first days", "opening days": "first days",
    "first few days": "first days",
}

# --------------------------------------------------------------------------- vague commitments

VAGUE_PHRASES: tuple[str, ...] = (
    r"as soon as (?:possible|practicable|feasible|reasonably (?:possible|practicable)|practically possible"
    r"|we (?:can|are able)|i can)",
    r"as (?:quickly|early|promptly) as (?:possible|practicable|we can)", r"asap", r"a\.s\.a\.p\.?",
    r"(?:very )?shortly", r"in due course", r"in a timely (?:manner|fashion|way)",
    r"(?:in )?(?:a matter of )?weeks,? (?:not|rather than) months",
    r"(?:in|over|during|within) the (?:coming|next few|next couple of|upcoming|following) (?:days|weeks|months)",
    r"in the (?:days|weeks|months) (?:and (?:weeks|months) )?ahead",
    r"in the (?:days|weeks|months) (?:following|after)(?= (?:the|this|our|its|your))",
    r"(?:in|within) (?:a few|a couple of|several|a number of) (?:days|weeks|months)",
    r"(?<!as\s)(?:very )?soon", r"at a (?:later|future) (?:date|stage|time|point)",
    r"in the (?:near|not too distant|foreseeable|very near) future",
    r"at (?:the|your) earliest (?:opportunity|convenience|possible date)",
    r"without (?:further |undue )?delay", r"promptly", r"forthwith", r"imminently", r"expeditiously",
    r"by return(?: of post)?")


# --------------------------------------------------------------------------- what lets a rule run

# A rule names the tables below that its pattern needs (rules.Rule.triggers); the engine runs it only on a
# sentence that holds one of their words (compared in lower case, word by word; a plural counts as its
# singular; a phrase of several words counts by its last word).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "DIGITS": tuple("0123456789"),
    "MONTHS": tuple(MONTHS),
    "FOREIGN_MONTHS": tuple(FOREIGN_MONTHS),
    "WEEKDAYS": tuple(WEEKDAYS),
    "SEASONS": tuple(SEASONS),
    "HOLIDAYS": ("christmas", "new year"),
    "UNITS": UNITS,
    "PERIOD_UNITS": ("week", "month", "quarter", "year", "midyear"),
    "QUARTERS": ("quarter", "q"),  # "Q3" is the word "q" and a digit
    "TODAY_WORDS": ("today", "tonight", "tomorrow", "day", "business", "cob", "eod"),
    "PART_NAMES": tuple(PART_NAMES),
    "EVENT_NOUNS": EVENT_NOUNS,
    "EVENT_SERIES": EVENT_SERIES,
    "PHASE_NOUNS": ("period", "phase", "window"),
}


# --------------------------------------------------------------------------- regex fragments

def words_pattern(words, flags: str = "") -> str:
    """A regex alternation of ``words`` (longest first, spaces as any whitespace), case-insensitive
    when ``flags`` is "i"."""
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(" ", r"\s+") for w in ordered)
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def _dotted(words) -> str:
    """Abbreviations may carry a full stop: "Sept." as well as "Sept"."""
    full = [w for w in words if len(w) > 4 or w == "May" or w == "June" or w == "July"]
    short = [w for w in words if w not in full]
    return f"(?:{words_pattern(full)}|{words_pattern(short)}\\.?)"


NOT_LETTER_BEFORE, NOT_LETTER_AFTER = r"(?<![A-Za-z])", r"(?![A-Za-z])"
MONTH = f"{NOT_LETTER_BEFORE}{_dotted(MONTHS)}{NOT_LETTER_AFTER}"
FOREIGN_MONTH = f"{NOT_LETTER_BEFORE}{words_pattern(FOREIGN_MONTHS, 'i')}{NOT_LETTER_AFTER}"
WEEKDAY = (f"{NOT_LETTER_BEFORE}(?:{words_pattern(WEEKDAYS)}|{words_pattern(WEEKDAY_ABBREVIATIONS)}\\.?)"
           f"{NOT_LETTER_AFTER}")
WEEKDAY_FULL = f"{NOT_LETTER_BEFORE}{words_pattern(WEEKDAYS)}{NOT_LETTER_AFTER}"
DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])"
DAY = rf"(?<![\w.,$£€/-]){DAY_NUMBER}(?i:st|nd|rd|th)?(?!\d)"
DAY_AFTER_DASH = rf"{DAY_NUMBER}(?i:st|nd|rd|th)?(?!\d)"
YEAR = r"(?<!\d)(?:19|20)\d\d(?!\d)"
THE = r"(?i:the)"
NUMBER = (rf"(?i:\d{{1,3}}|{words_pattern(TENS)}(?:[\s-]{words_pattern(list(NUMBER_WORDS)[1:10])})?|"
          rf"{words_pattern(COUNT_WORDS)}|{words_pattern(list(NUMBER_WORDS)[1:])})")
UNIT = rf"(?i:{words_pattern(UNITS)}s?)"
DAY_KIND = words_pattern(DAY_KINDS, "i")
# "30 days", "thirty (30) calendar days", "a fortnight"
AMOUNT = rf"(?P<n>{NUMBER})(?:\s*\(\d{{1,3}}\))?\s+(?:(?P<biz>{DAY_KIND})\s+)?(?P<unit>{UNIT})(?![\w-])"
EVENT_NOUN = words_pattern(EVENT_NOUNS, "i")
EVENT_SERIES_NUMBERED = rf"(?:{words_pattern(EVENT_SERIES)})\s*-?\s*\d{{1,3}}(?!\d)"
SEASON = words_pattern(SEASONS, "i")
HOLIDAY = words_pattern(HOLIDAYS)
PART = words_pattern(PART_NAMES, "i").replace(r"\s+", r"[\s-]+")
VAGUE = "(?i:" + "|".join(p.replace(" ", r"\s+") for p in VAGUE_PHRASES) + ")"
BEFORE = words_pattern(BEFORE_WORDS, "i")
BY = words_pattern(BY_WORDS, "i")


def number_value(token: str) -> int | None:
    """'30' → 30, 'twenty-one' → 21, 'a couple of' → 2; None for anything else."""
    text = " ".join(token.lower().replace("-", " ").split())
    if text.isdigit():
        return int(text)
    if text in COUNT_WORDS:
        return COUNT_WORDS[text]
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = text.split()
    if parts and parts[0] in TENS and len(parts) <= 2:
        return TENS[parts[0]] + (NUMBER_WORDS.get(parts[1], 0) if len(parts) == 2 else 0)
    return None


def month_number(token: str) -> int:
    """'Sept.' → 9, 'March' → 3, 'march' → 3, 'oktober' → 10."""
    name = token.rstrip(".")
    found = MONTHS.get(name) or MONTHS.get(name.capitalize()) or FOREIGN_MONTHS.get(name.lower())
    return found or MONTHS[name[:3].capitalize()]


def weekday_number(token: str) -> int:
    name = token.rstrip(".")
    return WEEKDAYS.get(name, WEEKDAY_ABBREVIATIONS.get(name, 0))


def part_name(token: str) -> str:
    """The canonical name of a part: 'the beginning' → 'early', 'closing days' → 'last days'."""
    words = token.lower().replace("-", " ").split()
    while words and words[0] in ("the", "very"):
        words = words[1:]
    return PART_NAMES[" ".join(words)]
