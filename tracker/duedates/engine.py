"""The engine that runs the grammar's tables over a sentence.

1. Every rule of ``rules.RULES`` (and one rule for the names of the known meetings) is matched over the
   text; each match's production gives a token.
2. Overlaps are settled: the longest token wins, a tie goes to the rule listed first.
3. ``rules.COMBINATIONS`` join neighbouring tokens until nothing more joins ("the first week of" +
   "next month"; "two weeks" + "after" + "the Brussels meeting").
4. The words before each token decide what it is: a deadline ("by", "before", "no later than" …), a date
   that is not due ("after 29 March", "your letter of 25 March"), or a date needing its preposition
   ("in May" but not "May we …").
5. ``finish`` turns a token into a DueWindow; ``choose`` picks the one a sentence commits to.
"""
from __future__ import annotations

import functools
import re
from datetime import date, timedelta

from tracker.duedates import rules as r
from tracker.duedates import vocabulary as v
from tracker.duedates.calendar_math import add_amount, part_of
from tracker.duedates.tokens import BOTH_BOUNDS, LATEST_ONLY, Context, DueWindow, Token

Events = dict[str, tuple[date, date]]

_COMPILED_RULES = tuple((rule, re.compile(rule.pattern)) for rule in r.RULES)


def _trigger_index() -> dict[str, frozenset[str]]:
    """Word → the trigger tables it shows present.  A phrase of several words ("conference call") is
    indexed by its last word, which any text holding the phrase holds too."""
    tables_of: dict[str, set[str]] = {}
    for table, entries in v.TRIGGERS.items():
        for entry in entries:
            word = re.findall(r"[a-z]+|\d", entry.lower())[-1]
            tables_of.setdefault(word, set()).add(table)
    return {word: frozenset(tables) for word, tables in tables_of.items()}


_TABLES_OF_WORD = _trigger_index()
_NONE: frozenset[str] = frozenset()
_WORD_OR_DIGIT = re.compile(r"[a-z]+|\d")


def tables_present(text: str) -> frozenset[str]:
    """The trigger tables of which ``text`` holds a word (a plural counts as its singular: "days")."""
    found: set[str] = set()
    for word in set(_WORD_OR_DIGIT.findall(text.lower())):
        found |= _TABLES_OF_WORD.get(word, _NONE)
        if word.endswith("s"):
            found |= _TABLES_OF_WORD.get(word[:-1], _NONE)
    return frozenset(found)


_COMPILED_COMBINATIONS = tuple((c, re.compile(c.between)) for c in r.COMBINATIONS)

# Typographic dashes, apostrophes and spaces read as their plain forms (same length: offsets hold).
_PLAIN = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                        "\u2019": "'", "\u00a0": " "})

_TIME_OF_DAY = (r"(?:\s+(?:at\s+)?(?:\d{1,2}(?:[:.]\d\d\s*(?i:a\.?m\.?|p\.?m\.?)?|\s*(?i:a\.?m\.?|p\.?m\.?))|"
                r"(?i:midnight|noon|close\s+of\s+business|COB|EOD|(?:the\s+)?end\s+of\s+(?:the\s+)?"
                r"(?:business\s+|working\s+)?day))(?:\s*\(?(?:UTC|GMT|[A-Z]{2,4}T|(?:[A-Z][a-z]+\s+){1,3}Time)\)?)?,?)?")
# Deadline words as written before a date, ending where the date starts.
_DEADLINE_BEFORE_TOKEN = re.compile(
    r"(?i:(?<![\w-])(?P<word>" + v.words_pattern(v.BY_WORDS + v.BEFORE_WORDS) + r"|"
    r"due(?:\s+(?:on|by|at|in|during|date\s+(?:of|is|was)))?|"
    r"(?:the\s+)?(?:new\s+|final\s+|extended\s+)?deadline(?:\s+for\s+[\w-]+(?:\s+[\w-]+){0,2})?"
    r"(?:\s+(?:of|is|was|will\s+be|has\s+been\s+(?:set|extended|moved)\s+(?:at|for|to|until)|for|on|at))?\s*:?|"
    r"cut\s*-?\s*off(?:\s+date)?(?:\s+(?:of|is|was|will\s+be))?\s*:?|"
    r"(?:closes|closing|closed|close|will\s+close)(?:\s+date(?:\s+(?:of|is|was))?)?(?:\s+on)?|"
    r"ending\s+(?:at|on)|ends\s+on|end\s+on|will\s+end\s+on|"
    r"(?:extended|extension|postponed|deferred|moved|rescheduled|pushed\s+back|put\s+back|delayed|changed)"
    r"(?:\s+(?:by|for)\s+" + v.NUMBER + r"(?:\s*\(\d{1,3}\))?\s+(?:business\s+|working\s+|calendar\s+)?"
    r"(?:days?|weeks?|months?))?\s+(?:to|until|till|through)))" + _TIME_OF_DAY + r"(?:\s+(?i:on|of))?\s*$")
# Words after which a date is not due: "after 29 March", "your letter of 25 March", "dated 3 May".
_NOT_DUE_BEFORE_TOKEN = re.compile(
    r"(?i:(?<![\w-])(?:" + v.words_pattern(v.NOT_DUE_WORDS) + r"|"
    r"(?:letters?|e-?mails?|messages?|notes?|memo|correspondence|submissions?|comments?|statements?|"
    r"communications?|requests?|replies|reply|responses?|minutes|decision|resolution|announcement)\s+"
    r"(?:dated\s+|of\s+)|of\s+your\s+(?:letter|e-?mail)\s+(?:of\s+)?)\s*$)")
_LEADING_BEFORE_TOKEN = re.compile(r"(?i:(?<![\w-])" + v.words_pattern(v.LEADING_WORDS) + r"\s+$)")
_PREPOSITION_BEFORE_TOKEN = re.compile(r"(?i:(?<![\w-])" + v.words_pattern(v.MONTH_PREPOSITIONS) + r"\s+$)")
_AT_THE_LATEST = re.compile(r",?\s+(?i:at\s+the\s+(?:very\s+)?latest)(?!\w)")
_LOOK_BACK = 80


@functools.lru_cache(maxsize=64)
def _known_meetings_rule(names: tuple[str, ...]) -> re.Pattern | None:
    """A rule for the meetings the caller knows, by the words of their names ("ahead of Brussels")."""
    words = sorted({w for name in names for w in _name_words(name)}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(
        rf"(?<![\w-])(?P<prep>{r.EVENT_PREPOSITIONS})\s+(?P<event>(?:(?P<det>{r.DETERMINERS})\s+)?"
        rf"(?:{r.EVENT_NAME_WORD}\s+){{0,3}}?"
        rf"(?i:{'|'.join(map(re.escape, words))})(?![\w-])(?:\s+(?:{r.EVENT_NAME_WORD}\s+)?{v.EVENT_NOUN}(?![\w-]))?)")


def _name_words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", name.lower())) - v.GENERIC_EVENT_WORDS


_NUMBERED = re.compile(v.EVENT_SERIES_NUMBERED)


def _series_numbers(name: str) -> set[str]:
    """"IETF 103" → {"ietf 103"}: a numbered meeting is that meeting, never another of its series."""
    return {" ".join(re.findall(r"[a-z]+|\d+", m.group().lower())) for m in _NUMBERED.finditer(name)}


def match_meeting(name: str, events: Events) -> str | None:
    """The known meeting a name as written refers to: the key sharing most identifying words (and the
    same number, for a numbered meeting of a series)."""
    words = set(re.findall(r"[a-z0-9]+", name.lower()))
    numbered = _series_numbers(name)
    best, best_score = None, 0
    for key in events:
        if numbered and not numbered <= _series_numbers(key):
            continue
        identifying = _name_words(key)
        score = len(identifying & words) if identifying else int(set(re.findall(r"[a-z0-9]+", key.lower())) <= words)
        if score > best_score:
            best, best_score = key, score
    return best


def declared_next(name: str, events: Events | None) -> str | None:
    """The meeting the caller declared as the next one of its kind: "the next call" is the key "next call" when
    the document itself dates it ("Next call: 11 January 2016"); a known meeting of a similar name is never
    assumed to be the next one."""
    noun = name.lower().split()[-1] if name else ""
    for key in events or ():
        words = key.lower().split()
        if len(words) >= 2 and words[0] == "next" and words[-1] == noun:
            return key
    return None


# --------------------------------------------------------------------------- 1-3: tokens

def tokens(text: str, ctx: Context, events: Events | None = None, kinds: frozenset[str] | None = None) -> list[Token]:
    """Every token of ``text`` after overlaps are settled and combinations applied, in text order.

    With ``kinds``, only tokens of those kinds take part: a date inside a meeting's name ("the 15 July 2009
    ExCom meeting") is then found as a date."""
    found: list[tuple[int, Token]] = []
    present = tables_present(text)
    for order, (rule, regex) in enumerate(_COMPILED_RULES):
        if rule.triggers and present.isdisjoint(rule.triggers):
            continue
        for m in regex.finditer(text):
            token = rule.produce(m, ctx)
            if token is not None and (kinds is None or token.kind in kinds):
                found.append((order, token))
    if events and (kinds is None or "event" in kinds):
        known = _known_meetings_rule(tuple(events))
        if known is not None:
            for m in known.finditer(text):
                token = r.meeting_token(m, ctx)
                if token is not None:
                    found.append((len(_COMPILED_RULES), token))
    found.sort(key=lambda item: (item[1].start - item[1].end, item[0]))
    kept: list[Token] = []
    for _, token in found:
        if not any(token.overlaps(other) for other in kept):
            kept.append(token)
    kept.sort(key=lambda t: t.start)
    return combine(kept, text, ctx)


def combine(kept: list[Token], text: str, ctx: Context) -> list[Token]:
    """Apply the combinations to neighbouring tokens until none applies."""
    changed = True
    while changed:
        changed = False
        for i in range(len(kept) - 1):
            left, right = kept[i], kept[i + 1]
            between = text[left.end:right.start]
            for combination, regex in _COMPILED_COMBINATIONS:
                if not (combination.left(left) and combination.right(right)):
                    continue
                m = regex.fullmatch(between)
                if m is None:
                    continue
                joined = combination.produce(left, m, right, ctx)
                if joined is not None:
                    kept[i:i + 2] = [joined]
                    changed = True
                    break
            if changed:
                break
    return kept


# --------------------------------------------------------------------------- 4: the words before

def read_context(found: list[Token], text: str) -> list[Token]:
    """Attach deadline and leading words; drop tokens that are not due dates where they stand."""
    kept: list[Token] = []
    for token in found:
        if token.kind in ("amount", "part", "impossible") or token.needs_part:
            continue
        if token.kind == "event" and token.offset is None and (token.relation in ("after", "of") or
                                                               token.unnamed_event):
            continue  # "after the Brussels meeting", "at the meeting" alone are no due dates
        if token.kind == "date" or (token.kind == "event" and (token.offset is not None or token.event_part)):
            # A meeting phrase brings its own preposition; one counted from the meeting ("two weeks
            # after the Brussels meeting") may still have a deadline word before it.
            token = _with_words_before(token, text)
            if token is None:
                continue
        if token.deadline is None and token.kind in ("date", "event"):
            latest = _AT_THE_LATEST.match(text, token.end)
            if latest and token.kind == "date":
                token = token.moved(deadline="by", end=latest.end())
        kept.append(token)
    return kept


def _with_words_before(token: Token, text: str) -> Token | None:
    back_start = max(0, token.start - _LOOK_BACK)
    back = text[back_start:token.start]
    deadline = _DEADLINE_BEFORE_TOKEN.search(back)
    if deadline and not token.inherent_deadline:
        word = " ".join(deadline["word"].lower().split())
        kind = "before" if word.startswith(tuple(v.BEFORE_WORDS)) else "by"
        return token.moved(deadline=kind, start=back_start + deadline.start())
    if _NOT_DUE_BEFORE_TOKEN.search(back):
        return None
    leading = _LEADING_BEFORE_TOKEN.search(back)
    if token.needs_preposition and not (leading and leading.group().strip().lower() == "on"):
        # "10/25" without a year is a date only "on 10/25" (or after a deadline word, handled above).
        if token.rule == "numeric date" or not _PREPOSITION_BEFORE_TOKEN.search(back):
            return None
    if leading:
        token = token.moved(start=back_start + leading.start())
    return token


# --------------------------------------------------------------------------- 5: windows

def finish(token: Token, text: str, written_on: date, events: Events | None) -> DueWindow:
    """The DueWindow a token denotes (``text`` as written: the phrase keeps its own dashes)."""
    phrase = " ".join(text[token.start:token.end].split())
    if token.kind == "vague":
        return DueWindow(phrase, None, None, "vague")
    if token.kind == "event":
        return _meeting_window(token, phrase, written_on, events)
    a, b = token.span
    if token.deadline == "by":
        return DueWindow(phrase, min(written_on, b), b, "day")
    if token.deadline == "before":
        latest = b if token.end_of else a - timedelta(days=1)
        return DueWindow(phrase, min(written_on, latest), latest, "day")
    if token.inherent_deadline:
        return DueWindow(phrase, a, b, "day")
    return DueWindow(phrase, a, b, "day" if a == b else token.precision)


def _meeting_window(token: Token, phrase: str, written_on: date, events: Events | None) -> DueWindow:
    if token.next_in_series:
        key = declared_next(token.event, events)
    else:
        key = match_meeting(token.event, events) if events else None
    if key is not None:
        (start, end), anchor = events[key], key
    elif token.span is not None:
        (start, end), anchor = token.span, token.event
    else:
        return DueWindow(phrase, None, None, "unresolved", anchor=token.event)
    if token.event_part:
        start, end = part_of(token.event_part, "span", (start, end)) or (start, end)
    moving = bounds_following_the_meeting(token) if key is not None else frozenset()
    if token.offset is not None:
        count, unit, business, sign = token.offset
        if token.relation == "within" or (token.deadline and sign > 0):
            latest = add_amount(end, count, unit, business)
            return DueWindow(phrase, min(written_on, latest), latest, "day", anchor, moving)
        if sign < 0:
            latest = add_amount(start, count, unit, business, -1)
            return DueWindow(phrase, min(written_on, latest), latest, "day", anchor, moving)
        day = add_amount(end, count, unit, business)
        return DueWindow(phrase, day, day, "day", anchor, moving)
    if token.deadline == "by" or (token.deadline == "before" and token.event_part == "end"):
        return DueWindow(phrase, min(written_on, end), end, "day", anchor, moving)
    if token.deadline == "before":
        latest = start - timedelta(days=1)
        return DueWindow(phrase, min(written_on, latest), latest, "day", anchor, moving)
    if token.relation == "at":
        return DueWindow(phrase, start, end, "day" if start == end else "window", anchor, moving)
    latest = start - timedelta(days=1) if token.relation == "before" else start
    return DueWindow(phrase, min(written_on, latest), latest, "day", anchor, moving)


def is_deadline(token: Token) -> bool:
    return (token.deadline is not None or token.inherent_deadline
            or (token.kind == "event" and token.relation not in ("at", "for")))


def choose(found: list[Token], text: str, written_on: date, events: Events | None):
    """The token a sentence commits to, with its window: the last deadline; else the first dated
    expression; else the first meeting not known; else the first vague one."""
    for token in reversed(found):
        if is_deadline(token):
            return token, finish(token, text, written_on, events)
    windows = [(token, finish(token, text, written_on, events)) for token in found]
    for precisions in (("day", "window"), ("unresolved",), ("vague",)):
        for token, window in windows:
            if window.precision in precisions:
                return token, window
    return None


def bounds_following_the_meeting(token: Token) -> frozenset[str]:
    """The bounds of a meeting's window that move with it: a deadline's earliest is the writing date."""
    if token.kind != "event":
        return frozenset()
    if token.deadline is None and (token.relation == "at" or (token.offset is not None and token.offset[3] > 0
                                                              and token.relation != "within")):
        return BOTH_BOUNDS
    return LATEST_ONLY


def plain(text: str) -> str:
    return text if text.isascii() else text.translate(_PLAIN)
