"""Bounded look-ups behind every picker: search by what a person types, name chosen ids, all through the access policy.

Each kind declares its model, the columns typed text is matched against and how a row is labelled. A search never
returns more than SEARCH_LIMIT rows. Letters and commitments, the kinds that grow with the record, find their rows
through an index of their titles (every typed word starts a word of the subject or title; tracker.search), so a
rare word costs what its few matches cost and a common one what a page in the kind's own order costs. The other
kinds match a substring with LIKE over a whole, bounded table: the generator's 5,000 people and 500 parties are
read in a few milliseconds, and meetings (one per hundred letters) likewise.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import false, func, or_, select

from tracker import access
from tracker.access import Viewer
from tracker.commitments.models import Commitment
from tracker.letters.models import Letter
from tracker.meetings.models import Meeting
from tracker.parties.models import Party, Person
from tracker.search.queries import (TitleQuery, records_of, title_condition, title_query, title_words,
                                    titles_in_own_order, walk_window)
from tracker.validation import MAX_ID, is_ascii_number

SEARCH_LIMIT = 20
# Typed text longer than any name, subject or address is not a search term.
MAX_TERM_LENGTH = 200


@dataclass(frozen=True)
class PickerKind:
    name: str  # as in /pick/<name>
    noun: str  # "person", in messages
    model: type
    columns: Callable[[], list]  # matched against typed text
    label: Callable[[object], str]
    order: Callable[..., list]  # a title-indexed kind's also takes unindexed=True (the same order, from no index)
    staff_only: bool = True
    only: Callable[[Viewer], object] | None = None  # a further restriction (owners: staff members)
    title_type: str | None = None  # searched through this record type's title index, not LIKE over `columns`

    def condition(self, viewer: Viewer):
        condition = access.condition_for(self.model, viewer)
        return condition if self.only is None else condition & self.only(viewer)

    def describe(self, row) -> dict:
        described = dict(id=row.id, label=self.label(row))
        if self.model is Letter:
            described["date"] = row.sent_on.isoformat()
        return described


def _owners_only(viewer: Viewer):
    """Owners are staff members; a viewer who does not see every commitment picks among owners of visible ones."""
    if viewer.sees_everything and viewer.is_signed_in:
        return Person.is_staff.is_(True)
    return Person.id.in_(select(Commitment.owner_id).where(Commitment.owner_id.is_not(None),
                                                           access.commitments(viewer)))


def _as(column, unindexed: bool):
    """The column, or the same value in an expression no index holds (coalesce(x, x)), to sort by."""
    return func.coalesce(column, column) if unindexed else column


KINDS: dict[str, PickerKind] = {kind.name: kind for kind in (
    PickerKind("people", "person", Person, lambda: [Person.name, Person.email],
               lambda p: p.name + (f" <{p.email}>" if p.email else ""), lambda: [Person.name, Person.id]),
    PickerKind("owners", "staff member", Person, lambda: [Person.name, Person.email],
               lambda p: p.name, lambda: [Person.name, Person.id], staff_only=False, only=_owners_only),
    PickerKind("parties", "party", Party, lambda: [Party.name, Party.short_name],
               lambda p: f"{p.name} ({p.short_name})" if p.short_name and p.short_name != p.name else p.name,
               lambda: [Party.name], staff_only=False),
    PickerKind("letters", "letter", Letter, lambda: [Letter.subject],
               lambda letter: f"#{letter.id} {letter.sent_on.isoformat()} — {letter.subject[:90]}",
               lambda unindexed=False: [_as(Letter.sent_on, unindexed).desc(), _as(Letter.id, unindexed).desc()],
               title_type="letter"),
    PickerKind("meetings", "meeting", Meeting, lambda: [Meeting.title],
               lambda m: f"{m.starts_at.date().isoformat()} — {m.title}", lambda: [Meeting.starts_at.desc(), Meeting.id]),
    # Newest first, read backwards along the primary key. Viewers may search the commitments they may see.
    PickerKind("commitments", "commitment", Commitment, lambda: [Commitment.title],
               lambda c: f"#{c.id} {c.kind} — {c.title[:90]}",
               lambda unindexed=False: [_as(Commitment.id, unindexed).desc()], staff_only=False,
               title_type="commitment"),
)}


def typed_id(term: str) -> int | None:
    """'12' or '#12' → 12; anything else → None."""
    digits = term.strip().lstrip("#")
    if is_ascii_number(digits) and 0 < int(digits) <= MAX_ID:
        return int(digits)
    return None


def _escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _typed(term: str | None) -> str:
    return (term or "").strip()[:MAX_TERM_LENGTH]


def search(kind: PickerKind, viewer: Viewer, term: str, limit: int = SEARCH_LIMIT, planned: TitleQuery | None = None,
           in_own_order: bool = False, within_first: int | None = None):
    """Rows of a kind the viewer may see whose id is the typed number, or that match the text: for a kind with a
    title index, every typed word starts a word of the title (`planned`: the words made ready by planned_search,
    checked row by row in the kind's order when `in_own_order`, among only the first `within_first` rows of that
    order when given); for the others, a column contains the text. InvalidInput on too many words."""
    term = _typed(term)
    statement = select(kind.model).where(kind.condition(viewer))
    number = typed_id(term)
    if number is not None:
        return statement.where(kind.model.id == number).limit(1)
    if term and kind.title_type:
        query = planned or TitleQuery(title_words(term))
        # Only punctuation typed: no word can start a title's word.
        statement = statement.where(title_condition(kind.title_type, kind.model.id, query, in_own_order)
                                    if query.words else false())
        if within_first is not None:
            first = (select(kind.model.id).where(kind.condition(viewer)).order_by(*kind.order())
                     .limit(within_first).subquery())
            statement = statement.where(kind.model.id.in_(select(first.c.id)))
        if not in_own_order:
            # Few matches: read them all and sort them. The order is written so that no index gives it, or
            # PostgreSQL, which has no statistics for a partial index's expression, would guess the words common
            # and walk the whole table in its order, checking each row.
            return statement.order_by(*kind.order(unindexed=True)).limit(limit)
    elif term:
        pattern = f"%{_escaped(term.lower())}%"
        statement = statement.where(or_(*(func.lower(column).like(pattern, escape="\\")
                                          for column in kind.columns())))
    return statement.order_by(*kind.order()).limit(limit)


def planned_search(session, kind: PickerKind, viewer: Viewer, term: str, limit: int = SEARCH_LIMIT):
    """search(), with how a title-indexed kind checks the typed words decided by a bounded probe of the index: a
    picker then costs about the same whatever the number of titles the words match."""
    term = _typed(term)
    if not (kind.title_type and term and typed_id(term) is None):
        return search(kind, viewer, term, limit)
    words = title_words(term)
    if not words:
        return search(kind, viewer, term, limit)
    query = title_query(session, kind.title_type, words)
    return search(kind, viewer, term, limit, query,
                  titles_in_own_order(session, kind.title_type, query, kind.model, limit))


def picked(session, kind: PickerKind, viewer: Viewer, term: str, limit: int = SEARCH_LIMIT) -> list:
    """The rows a picker offers for what was typed: search(), planned. On PostgreSQL, whose GIN index gathers every
    match before a count can stop, the probe is a walk of the first records in the kind's order (walk_window): when
    it finds a page, that page is the answer; when not, the words are rare and the matches are read instead."""
    term = _typed(term)
    if session.get_bind().dialect.name == "sqlite" or not (kind.title_type and term and typed_id(term) is None):
        return session.execute(planned_search(session, kind, viewer, term, limit)).scalars().all()
    query = TitleQuery(title_words(term))
    if not query.words:
        return []
    window = walk_window(session.scalar(records_of(kind.model)) or 0, limit)
    first = session.execute(search(kind, viewer, term, limit, query, True, within_first=window)).scalars().all()
    if len(first) >= limit:
        return first
    return session.execute(search(kind, viewer, term, limit, query, False)).scalars().all()


def exactly(kind: PickerKind, viewer: Viewer, term: str, limit: int = 2):
    """Rows whose name, short name, address or subject is the typed text, ignoring case."""
    lowered = (term or "").strip().lower()[:MAX_TERM_LENGTH]
    statement = select(kind.model).where(kind.condition(viewer),
                                         or_(*(func.lower(column) == lowered for column in kind.columns())))
    if kind.title_type is None:
        return statement.order_by(*kind.order()).limit(limit)
    # A title that is the text holds each of its words: the title index names the few candidates, instead of
    # comparing every subject or title of the table.
    words = title_words(lowered, refuse_more=False)
    return (statement.where(title_condition(kind.title_type, kind.model.id, TitleQuery(words), in_order=False)
                            if words else false())
            .order_by(*kind.order(unindexed=True)).limit(limit))


def by_ids(kind: PickerKind, viewer: Viewer, ids):
    """The rows of these ids the viewer may see (labels for what a form has chosen)."""
    return select(kind.model).where(kind.model.id.in_(sorted({int(i) for i in ids})), kind.condition(viewer))
