"""What the grammar produces: tokens (a stretch of text with the meaning a rule found in it) and, in the
end, due windows."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from tracker.duedates.calendar_math import Span

@dataclass(frozen=True)
class DueWindow:
    """A due date as data: the phrase as written and the on-time window it denotes.

    ``anchored_bounds`` names the bounds that follow the anchor meeting when it moves ("latest" for
    "prior to the Brussels meeting"); it takes no part in comparisons.
    """

    phrase: str
    earliest: date | None
    latest: date | None
    precision: str
    anchor: str | None = None
    anchored_bounds: frozenset[str] = field(default=frozenset(), compare=False)


BOTH_BOUNDS = frozenset({"earliest", "latest"})
LATEST_ONLY = frozenset({"latest"})


@dataclass
class Token:
    """A match of a rule, or of a combination of two tokens.

    ``kind`` says what the text denotes:
      * "date": a day or a window (``span``), maybe a whole period that a part can apply to (``unit``);
      * "amount": a duration ("two weeks"), a due date only once combined with what it counts from;
      * "part": a part of a period ("the first week", "the closing days"), waiting for its period;
      * "event": a meeting named with how the window relates to it (``relation``);
      * "vague": a commitment without a date ("as soon as possible");
      * "impossible": a date that does not exist ("31 April"), kept to be reported, never a due date.
    """

    kind: str
    start: int
    end: int
    rule: str = ""
    span: Span | None = None
    precision: str = "window"
    unit: str | None = None          # month, year, quarter, season, half, week: a part may apply to it
    whole: Span | None = None        # the whole period a part applies to (may differ from ``span``)
    end_of: bool = False             # "end of April": "before the end of April" means by 30 April
    inherent_deadline: bool = False  # a deadline by itself ("within 30 days"): runs from the writing date
    needs_preposition: bool = False  # "May", "Q3", "by Friday", "10/25": a date only after a preposition
    needs_part: bool = False         # "the week": a period only with a part before it ("the end of the week")
    event: str | None = None         # the meeting as written
    event_part: str | None = None    # "the end of the Brussels meeting": the part of the meeting's days meant
    unnamed_event: bool = False      # "the meeting": no due date unless counted from ("a week before the meeting")
    next_in_series: bool = False     # "the next call": no known meeting is meant, whatever the names say
    relation: str | None = None      # at, before, by, after, of: how the window relates to the meeting
    offset: tuple[int, str, bool, int] | None = None  # (count, unit, business days, +1/-1) from the meeting
    amount: tuple[int, str, bool] | None = None       # (count, unit, business days) of an "amount"
    part: str | None = None
    deadline: str | None = None      # "by" or "before" once a deadline word is attached
    anchored: frozenset[str] = field(default_factory=frozenset)
    impossible: str = ""             # "31 April": what was written that is no date
    written_day: tuple[int, int, int | None] | None = None  # (month, day, year or None) of a written day

    def moved(self, **changes) -> "Token":
        return replace(self, **changes)

    def overlaps(self, other: "Token") -> bool:
        return not (self.end <= other.start or self.start >= other.end)


@dataclass(frozen=True)
class Context:
    """What a rule may read besides its match: the whole text, the writing date, the numeric date order."""

    text: str
    written_on: date
    date_order: str = "MDY"
