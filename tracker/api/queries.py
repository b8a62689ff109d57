"""select() builders for the API's lists, and the keyset ("seek") conditions behind their cursors.

A cursor holds the sort key of the last row of a page; the next page is the rows after that key in the
list's own order. Unlike an offset, it neither skips nor repeats rows when records are added or removed
before it, and the database seeks to it through the index instead of counting rows past it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, or_
from sqlmodel import select

from tracker import access
from tracker.access import Viewer
from tracker.commitments.models import Commitment
from tracker.consultations.models import CommentPeriod
from tracker.letters.models import Letter
from tracker.meetings.models import Meeting
from tracker.parties.models import Party, Person


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order: the expression, its direction and the Python type of its values."""
    column: object
    kind: type
    descending: bool = False


@dataclass(frozen=True)
class Keyset:
    """A list's full order (ending in a unique column) and how to read a row's position in it."""
    name: str
    keys: tuple[SortKey, ...]
    position_of: Callable[[object], tuple]


def after(keyset: Keyset, position: tuple):
    """A condition: the row comes after `position` in the keyset's order."""
    alternatives = []
    for index, key in enumerate(keyset.keys):
        same_before = [earlier.column == value for earlier, value in zip(keyset.keys[:index], position[:index])]
        beyond = key.column < position[index] if key.descending else key.column > position[index]
        alternatives.append(and_(*same_before, beyond))
    return or_(*alternatives)


# Undated commitments come last (ORDER BY due_latest IS NULL, due_latest, id). The undated ones compare
# their latest day as one same day, so that the id orders them among themselves.
_UNDATED = case((Commitment.due_latest.is_(None), 1), else_=0)
_NO_DAY = date.min

PARTIES = Keyset("parties", (SortKey(Party.name, str), SortKey(Party.id, int)),
                 lambda party: (party.name, party.id))
PEOPLE = Keyset("people", (SortKey(Person.name, str), SortKey(Person.id, int)),
                lambda person: (person.name, person.id))
LETTERS = Keyset("letters", (SortKey(Letter.sent_on, date, descending=True), SortKey(Letter.id, int, True)),
                 lambda letter: (letter.sent_on, letter.id))
COMMITMENTS = Keyset("commitments", (SortKey(_UNDATED, int),
                                     SortKey(func.coalesce(Commitment.due_latest, literal(_NO_DAY)), date),
                                     SortKey(Commitment.id, int)),
                     lambda commitment: (int(commitment.due_latest is None), commitment.due_latest or _NO_DAY,
                                         commitment.id))
MEETINGS = Keyset("meetings", (SortKey(Meeting.starts_at, datetime, descending=True),
                               SortKey(Meeting.id, int, descending=True)),
                  lambda meeting: (meeting.starts_at, meeting.id))
COMMENT_PERIODS = Keyset("comment-periods", (SortKey(CommentPeriod.opens_on, date, descending=True),
                                             SortKey(CommentPeriod.id, int, descending=True)),
                         lambda row: (row[0].opens_on, row[0].id))


def people(viewer: Viewer):
    """People the viewer may see, by name (the id orders namesakes)."""
    return select(Person).where(access.people(viewer)).order_by(Person.name, Person.id)


def meetings(viewer: Viewer):
    """Meetings the viewer may see, latest first."""
    return select(Meeting).where(access.meetings(viewer)).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
