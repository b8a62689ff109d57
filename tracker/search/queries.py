"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector, chosen by the database in use.

A reader's words become a query for either engine from one parsed form (words, prefixes ending in *, and
"quoted phrases"); nothing the reader types reaches the engine's query syntax unquoted.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from math import isqrt

from sqlalchemy import (Boolean, Text, and_, column, exists, false, func, literal, literal_column, or_, select, table,
                        text, true)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import select as select_records

from tracker import access
from tracker.access import NOBODY, Viewer
from tracker.validation import InvalidInput

from tracker.search.models import (SQLITE_FTS_TABLE, TITLE_INDEXED_TYPES, SearchDocument, fold_title_word,
                                   title_folded_sql, title_fts_table, title_vector_sql, title_vocabulary)
from tracker.search.operations import MODELS

# Snippet and title markers: control characters no record holds (input refuses them), turned into <mark>
# only after the text around them is escaped.
MARK_START, MARK_END = "\x02", "\x03"
ENGLISH = literal_column("'english'::regconfig")
_TOKEN = re.compile(r'"([^"]*)"|(\w+)(\*?)', re.UNICODE)
MAX_TERMS = 12


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.phrases)


def parse_query(typed: str) -> SearchQuery:
    """"concept of operations" brussels secur* → a phrase, a word and a prefix; punctuation is ignored."""
    words, prefixes, phrases = [], [], []
    for phrase, word, star in _TOKEN.findall((typed or "")[:500]):
        if phrase:
            parts = tuple(re.findall(r"\w+", phrase, re.UNICODE))
            if len(parts) > 1:
                phrases.append(parts)
            elif parts:
                words.append(parts[0])
        elif word:
            (prefixes if star else words).append(word)
    count = len(words) + len(prefixes) + len(phrases)
    if count > MAX_TERMS:
        raise ValueError(f"at most {MAX_TERMS} words or phrases, please ({count} given)")
    return SearchQuery(tuple(words), tuple(prefixes), tuple(phrases))


def fts5_match(query: SearchQuery) -> str:
    """SQLite FTS5: every term quoted as a string, so the reader's words are never FTS operators."""
    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    terms = ([quoted(w) for w in query.words] + [quoted(p) + "*" for p in query.prefixes]
             + [quoted(" ".join(p)) for p in query.phrases])
    return " AND ".join(terms)


@dataclass(frozen=True)
class SearchFilters:
    record_types: tuple[str, ...] = ()
    party_id: int | None = None
    dated_from: date | None = None
    dated_to: date | None = None
    viewer: Viewer = field(default=NOBODY, compare=False)


def involving(party_ids):
    """A condition on search_document: the record involves one of these parties, by its type's own rule."""
    d = SearchDocument
    return or_(*(and_(d.record_type == record_type,
                      d.record_id.in_(select(model.id).where(access.involving(model, party_ids))))
                 for record_type, model in MODELS.items()))


def _filtered(statement, filters: SearchFilters):
    d = SearchDocument
    if filters.record_types:
        statement = statement.where(d.record_type.in_(filters.record_types))
    if filters.party_id is not None:
        statement = statement.where(involving([filters.party_id]))
    if filters.dated_from is not None:
        statement = statement.where(d.dated >= filters.dated_from)
    if filters.dated_to is not None:
        statement = statement.where(d.dated <= filters.dated_to)
    return statement.where(visible_to(filters.viewer))


def visible_to(viewer: Viewer):
    """A condition on search_document: the record is one the viewer may see, by the access policy's rule."""
    if not viewer.is_signed_in or viewer.sees_nothing:
        return false()
    if viewer.sees_everything:
        return true()
    d = SearchDocument
    return or_(*(and_(d.record_type == record_type,
                      d.record_id.in_(select(model.id).where(access.condition_for(model, viewer))))
                 for record_type, model in MODELS.items()))


def search(dialect: str, query: SearchQuery, filters: SearchFilters, limit: int, offset: int = 0):
    """(record_type, record_id, title marked, snippet marked, dated), best first."""
    if dialect == "sqlite":
        return _sqlite(query, filters).limit(limit).offset(offset)
    return _postgres(query, filters, limit, offset)


def _sqlite(query: SearchQuery, filters: SearchFilters):
    fts = table(SQLITE_FTS_TABLE, column("rowid"), column("title"), column("body"))
    fts_ref = literal_column(SQLITE_FTS_TABLE)
    marks = (literal(MARK_START), literal(MARK_END))
    d = SearchDocument
    statement = (select(d.record_type, d.record_id, func.highlight(fts_ref, 0, *marks).label("title"),
                        func.snippet(fts_ref, 1, *marks, literal("…"), 24).label("snippet"), d.dated)
                 .select_from(fts).join(d, d.id == fts.c.rowid)
                 .where(fts_ref.op("MATCH")(fts5_match(query))))
    # bm25: lower is better; a word in the title weighs as much as eight in the body.
    return _filtered(statement, filters).order_by(func.bm25(fts_ref, 8.0, 1.0), d.id)


def _tsquery(query: SearchQuery):
    parts = ([func.plainto_tsquery(ENGLISH, w) for w in query.words]
             + [func.to_tsquery(ENGLISH, p + ":*") for p in query.prefixes]  # \w+ only: no tsquery syntax
             + [func.phraseto_tsquery(ENGLISH, " ".join(p)) for p in query.phrases])
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined


def _postgres(query: SearchQuery, filters: SearchFilters, limit: int, offset: int):
    d = SearchDocument
    vector = literal_column("search_document.search_vector")  # a stored column made by migration 0008
    tsquery = _tsquery(query)
    # Rank and cut to the page first: headlines re-read the text, so only the page's rows get one.
    rank = func.ts_rank(vector, tsquery)
    ranked = (_filtered(select(d.id, rank.label("rank")).where(vector.op("@@")(tsquery)), filters)
              .order_by(rank.desc(), d.id).limit(limit).offset(offset).subquery())
    options = f"StartSel={MARK_START},StopSel={MARK_END},MaxFragments=2,MaxWords=24,MinWords=10,FragmentDelimiter= … "
    return (select(d.record_type, d.record_id,
                   func.ts_headline(ENGLISH, d.title, tsquery, f"StartSel={MARK_START},StopSel={MARK_END},"
                                    "HighlightAll=true").label("title"),
                   func.ts_headline(ENGLISH, d.body, tsquery, options).label("snippet"), d.dated)
            .join(ranked, ranked.c.id == d.id)
            .order_by(ranked.c.rank.desc(), d.id))



def titled_with_any(dialect: str, record_type: str, words, limit: int):
    """record_id of records of one type whose title holds any of ``words``, through the index: how intake finds
    the few known people a document can name without reading everyone's name."""
    d = SearchDocument
    words = sorted({w for w in words if re.fullmatch(r"\w+", w, re.UNICODE)})
    if not words:
        return select(d.record_id).where(false())
    if dialect == "sqlite":
        fts = table(SQLITE_FTS_TABLE, column("rowid"))
        match = "title : (" + " OR ".join('"' + w + '"' for w in words) + ")"
        return (select(d.record_id).select_from(fts).join(d, d.id == fts.c.rowid)
                .where(literal_column(SQLITE_FTS_TABLE).op("MATCH")(match), d.record_type == record_type)
                .limit(limit))
    vector = literal_column("search_document.search_vector")
    tsquery = func.to_tsquery(ENGLISH, " | ".join(words))  # \w+ words only: no tsquery syntax gets in
    return select(d.record_id).where(vector.op("@@")(tsquery), d.record_type == record_type).limit(limit)


def read_query(typed: str | None, field: str = "q") -> SearchQuery:
    """What a reader typed into a search box, parsed; InvalidInput says why it cannot be searched for."""
    typed = typed or ""
    if "\x00" in typed:
        raise InvalidInput("the search holds a character that cannot be searched for", field)
    try:
        return parse_query(typed)
    except ValueError as error:
        raise InvalidInput(str(error), field) from None


class _Matches(ColumnElement):
    """search_document rows whose text matches the query, written for the database the statement runs on, so
    a list's select() needs no dialect of its own to add `q=` to its other filters."""

    # A boolean written as a comparison already: without this SQLite would get "… IN (…) = 1", a test the engine
    # can only make row by row instead of starting from the index.
    type = Boolean()
    _is_implicitly_boolean = True
    inherit_cache = False  # the reader's query is a bound value inside; not worth a cache key of its own

    def __init__(self, query: SearchQuery, row_by_row: bool = False):
        self.query = query
        self.row_by_row = row_by_row


def _fts5_condition(table_name: str, match_text: str, row_by_row: bool):
    """search_document rows whose FTS5 row in `table_name` matches: checked per row, or gathered from the index."""
    fts = table(table_name, column("rowid"))
    match = literal_column(table_name).op("MATCH")(match_text)
    if row_by_row:
        # FTS5 answers "rowid = ? AND MATCH" by seeking in the word's list, without reading every match.
        return exists().where(fts.c.rowid == SearchDocument.id, match)
    return SearchDocument.id.in_(select(fts.c.rowid).where(match))


@compiles(_Matches, "sqlite")
def _matches_sqlite(element: _Matches, compiler, **kw) -> str:
    return compiler.process(_fts5_condition(SQLITE_FTS_TABLE, fts5_match(element.query), element.row_by_row), **kw)


@compiles(_Matches)
def _matches_postgres(element: _Matches, compiler, **kw) -> str:
    vector = literal_column("search_document.search_vector")
    if element.row_by_row:
        # The function behind @@, which no index answers: PostgreSQL then checks each row the list reads in its
        # own order. With the operator it may gather every match first, as it does when it underestimates how
        # many records a common word has (1,033 estimated for 20,259 letters: 110 ms instead of 28 ms at 100k).
        return compiler.process(func.ts_match_vq(vector, _tsquery(element.query)), **kw)
    return compiler.process(vector.op("@@")(_tsquery(element.query)), **kw)


def matching_ids(record_type: str, query: SearchQuery):
    """select() of the ids of records of this type whose indexed text matches the query (the lists' `q=`);
    the caller adds its own filters and access predicate."""
    d = SearchDocument
    return select(d.record_id).where(d.record_type == record_type, _Matches(query))


def text_condition(record_type: str, id_column, query: SearchQuery, in_list_order: bool):
    """A list's `q=` as a condition on its id column, in one of two shapes that select the same rows.

    Starting from the matches (an IN over the index) costs what the number of matches costs; checking each row
    the list reads in its own order (an EXISTS through the record's search_document row) costs what the rows
    read until the page is full cost. ``in_list_order`` (from walks_in_list_order) says which is cheaper.
    """
    if not in_list_order:
        return id_column.in_(matching_ids(record_type, query))
    d = SearchDocument
    return exists().where(d.record_type == record_type, d.record_id == id_column, _Matches(query, row_by_row=True))


# Fewest matches probed before a list may walk in its own order: below that, starting from them is always cheap.
LEAST_PROBE = 200
# What checking one row against the index costs, in matches read from it: on SQLite FTS5 parses the query and
# seeks for each row checked (~65 µs at 100k letters), where reading a match and its record costs a few µs.
ROW_CHECK_COST = 10


def probe_limit(records: int, rows_wanted: int) -> int:
    """How many matches a probe counts up to before a list walks in its own order instead.

    With m matches spread over n records, starting from them reads about m matches and walking checks about
    rows_wanted * n / m rows, each ROW_CHECK_COST times dearer: the two cost the same at
    m = sqrt(ROW_CHECK_COST * rows_wanted * n)."""
    return max(LEAST_PROBE, isqrt(ROW_CHECK_COST * max(0, rows_wanted) * max(0, records)))


def walks_in_list_order(probed: int, limit: int) -> bool:
    """The probe found as many matches as it looked for: they are common enough for the list to walk its own
    order and check each row, rather than read every match and sort them."""
    return probed >= limit


def records_of(model):
    """select() of about how many records of a model there are: its highest id, read from the primary key's end
    (a bare max(), which SQLite reads from the index; none when there are no records)."""
    return select(func.max(model.id))


def matches_up_to(dialect: str, record_type: str, query: SearchQuery, limit: int):
    """select() of how many records of this type match, counting no further than `limit`."""
    return select(func.count()).select_from(some_matching_ids(dialect, record_type, query, limit).subquery())


def lists_in_own_order(session, record_type: str, query: SearchQuery, model, rows_wanted: int) -> bool:
    """Whether a list of this type filtered by `query` should walk its own order (text_condition's choice), from
    two bounded statements: the number of records and a probe of the matches."""
    limit = probe_limit(session.scalar(records_of(model)) or 0, rows_wanted)
    dialect = session.get_bind().dialect.name
    return walks_in_list_order(session.scalar(matches_up_to(dialect, record_type, query, limit)), limit)


# How a list checks its `q=` words, chosen by text_check:
FROM_MATCHES = "from matches"  # read every match, then the list's other filters and order (rare words)
AS_LISTED = "as listed"  # read the list in its index order, checking each row until the page is full
AFTER_SORTING = "after sorting"  # gather and sort the list's rows first, then check them in that order (SQLite)
TEXT_CHECKS = (FROM_MATCHES, AS_LISTED, AFTER_SORTING)


def text_check(session, record_type: str, query: SearchQuery, model, rows_wanted: int, listed_in_order: bool) -> str:
    """How a list of this type filtered by `query` should check it: a rare word starts from its matches; a common
    one is checked row by row, as the list is read when an index gives its order, or after its rows are sorted
    when its filters gather them first (a party, an owner, a derived state, a reader of some parties)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not listed_in_order and not sqlite:
        # PostgreSQL's planner chooses between the two itself for lists that sort, from its own statistics; and
        # checking after sorting relies on SQLite reading a sorted subquery in its order (checked_after_sorting).
        return FROM_MATCHES
    if not lists_in_own_order(session, record_type, query, model, rows_wanted):
        return FROM_MATCHES
    return AS_LISTED if listed_in_order else AFTER_SORTING


# A LIMIT that keeps every row: it stops SQLite from merging a sorted subquery into the query that reads it.
EVERY_ROW = 2**62


def checked_after_sorting(statement, model, record_type: str, query: SearchQuery):
    """A sorted list statement's rows in its order, each checked against the index only when it is read: the
    list's own rows are gathered and sorted (cheap: no text is read), and the check stops once the caller's
    LIMIT is reached, instead of reading every match of a common word first.

    The sorted ids are a subquery SQLite cannot merge (it has a LIMIT) and reads in their order, one by one; the
    outer query has no ORDER BY of its own, since one would make SQLite check every row before sorting again.
    That reading order is SQLite's (tests/search/test_list_text_strategies.py compares it with the list's own),
    so text_check chooses this on SQLite only. The outer query selects the model, so callers may still add
    conditions on its columns (the API's cursor)."""
    listed = statement.with_only_columns(model.id).limit(EVERY_ROW).subquery("listed")
    d = SearchDocument
    # sqlmodel's select, so that the session gives records as the list's own statement does.
    return (select_records(model).select_from(listed).join(model, model.id == listed.c.id)
            .where(exists().where(d.record_type == record_type, d.record_id == model.id,
                                  _Matches(query, row_by_row=True))))


def some_matching_ids(dialect: str, record_type: str, query: SearchQuery, limit: int):
    """select() of at most `limit` ids of records of this type whose indexed text matches, in no order: a bounded
    probe that starts from the index (matching_ids is a filter for lists, which the engine may check row by row
    over every record of the type)."""
    d = SearchDocument
    if dialect == "sqlite":
        # A join read from the index's side, not "id IN (matches)": SQLite would gather every match before the
        # limit applies.
        fts = table(SQLITE_FTS_TABLE, column("rowid"))
        return (select(d.record_id).select_from(fts).join(d, d.id == fts.c.rowid)
                .where(literal_column(SQLITE_FTS_TABLE).op("MATCH")(fts5_match(query)), d.record_type == record_type)
                .limit(limit))
    vector = literal_column("search_document.search_vector")
    return select(d.record_id).where(vector.op("@@")(_tsquery(query)), d.record_type == record_type).limit(limit)


# --- titles as typed: the pickers' index (tracker.search.models, migration 0018) -------------------------------

# A word as the title indexes split titles: letters and digits; anything else (punctuation, "_", spaces) separates.
_TITLE_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words a picker looks for at once: more than any title a person would type to find it.
MAX_TITLE_WORDS = 16
SIMPLE = literal_column("'simple'::regconfig")


def title_words(typed: str | None, refuse_more: bool = True) -> tuple[str, ...]:
    """What a person typed into a picker as words each title word must start with, in lower case (each database
    folds accents its own way), without a word that another typed word starts ("d dns" asks what "dns" asks).
    Past MAX_TITLE_WORDS: InvalidInput, or without `refuse_more` the longest of them (fewer words find more)."""
    typed = unicodedata.normalize("NFC", typed or "").lower()
    kept: list[str] = []
    for word in sorted(set(_TITLE_WORD.findall(typed)), key=len, reverse=True):
        if not any(longer.startswith(word) for longer in kept):
            kept.append(word)
    if len(kept) > MAX_TITLE_WORDS and not refuse_more:
        kept = kept[:MAX_TITLE_WORDS]
    if len(kept) > MAX_TITLE_WORDS:
        raise InvalidInput(f"at most {MAX_TITLE_WORDS} different words, please ({len(kept)} given)", "q")
    return tuple(sorted(kept))


# FTS5 keeps prefix indexes of the first 1, 2 and 3 letters of each word (migration 0018). A longer typed word has
# none: FTS5 would gather every match of it before answering, even for one row ("rowid = ? AND MATCH", which a
# picker walking in its own order asks for each row). So it is looked up in the table's vocabulary first and searched
# as the words it starts, when there are at most MAX_WORD_ENDINGS of them; past that it stays a prefix.
PREFIX_INDEX_LENGTH = 3
MAX_WORD_ENDINGS = 16


@dataclass(frozen=True)
class TitleQuery:
    """Typed words (title_words), each with the indexed words it starts when they were looked up (SQLite; None: not
    looked up, searched as a prefix)."""
    words: tuple[str, ...]
    endings: tuple[tuple[str, ...] | None, ...] = ()

    def can_match(self) -> bool:
        return bool(self.words) and all(found is None or found for found in self.endings)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _title_fts5_match(query: TitleQuery) -> str:
    # Quoted FTS5 strings only (typed words are letters and digits, endings come from the index): never FTS5 syntax.
    endings = query.endings or (None,) * len(query.words)
    parts = [_quoted(word) + "*" if found is None else "(" + " OR ".join(_quoted(w) for w in found) + ")"
             for word, found in zip(query.words, endings)]
    return " AND ".join(parts)


def _title_tsquery(query: TitleQuery):
    # Each word folded as the titles are (title_folded_sql), then word:* — letters and digits only, so none of
    # tsquery's syntax gets in. GIN finds a prefix's entries itself. Immutable functions and || only (not concat(),
    # which is stable), so the planner computes the query once, as a constant.
    parts = [func.to_tsquery(SIMPLE, _FoldedWord(word).op("||")(":*")) for word in query.words]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined


class _FoldedWord(ColumnElement):
    """PostgreSQL: a typed word through the same folding as the titles (accents dropped), as a bound value."""

    type = Text()
    inherit_cache = False

    def __init__(self, word: str):
        self.word = word


@compiles(_FoldedWord)
def _folded_word(element: _FoldedWord, compiler, **kw) -> str:
    bound = compiler.process(literal(element.word, Text()), **kw)
    return title_folded_sql(bound)


def _words_after(word: str) -> str | None:
    """The least text greater than every word starting with `word` (code point order is UTF-8 byte order, the
    order of FTS5's terms)."""
    last = ord(word[-1])
    return None if last >= 0x10FFFF else word[:-1] + chr(last + 1)


def _looked_up(word: str) -> str | None:
    """The form of a typed word its indexed endings start with, when it is looked up in the vocabulary: longer than
    the prefix indexes, and plain ASCII once its accents are dropped (how unicode61 folds other letters is its own)."""
    folded = fold_title_word(word)
    if len(word) <= PREFIX_INDEX_LENGTH or not folded.isascii() or _words_after(folded) is None:
        return None
    return folded


def word_endings(record_type: str, words: tuple[str, ...]):
    """SQLite: a statement of (position in words, indexed word) for the words longer than the prefix indexes: the
    first MAX_WORD_ENDINGS + 1 indexed words each starts, in order (None when no word needs it). From one word to
    the next by a seek past it (a word is never followed by char(1) in the index, which holds letters and digits):
    a condition "term > previous" would read every match of the previous word first."""
    looked_up = [(position, _looked_up(word)) for position, word in enumerate(words) if _looked_up(word)]
    if not looked_up:
        return None
    vocabulary = title_vocabulary(record_type)
    seeds = " UNION ALL ".join(f"SELECT :position{n} AS position, :low{n} AS low, :high{n} AS high"
                               for n in range(len(looked_up)))
    parameters = {}
    for n, (position, word) in enumerate(looked_up):
        parameters.update({f"position{n}": position, f"low{n}": word, f"high{n}": _words_after(word)})
    return text(
        f"WITH RECURSIVE typed(position, low, high) AS ({seeds}), "
        "endings(position, high, term, n) AS ("
        f"SELECT position, high, (SELECT term FROM {vocabulary} WHERE term >= low AND term < high LIMIT 1), 1 "
        "FROM typed UNION ALL "
        f"SELECT position, high, (SELECT term FROM {vocabulary} WHERE term >= endings.term || char(1) "
        "AND term < endings.high LIMIT 1), n + 1 FROM endings WHERE term IS NOT NULL AND n <= :most) "
        "SELECT position, term FROM endings WHERE term IS NOT NULL").bindparams(most=MAX_WORD_ENDINGS, **parameters)


def title_query(session, record_type: str, words: tuple[str, ...]) -> TitleQuery:
    """The typed words ready for the index of the database in use (SQLite: longer words' endings looked up)."""
    if session.get_bind().dialect.name != "sqlite":
        return TitleQuery(words)
    statement = word_endings(record_type, words)
    found: dict[int, list[str]] = {}
    if statement is not None:
        for position, term in session.execute(statement).all():
            found.setdefault(position, []).append(term)
    endings = []
    for position, word in enumerate(words):
        terms = found.get(position, [])
        endings.append(tuple(terms) if _looked_up(word) and len(terms) <= MAX_WORD_ENDINGS else None)
    return TitleQuery(words, tuple(endings))


def _record_type_literal(record_type: str):
    """The record type written into the SQL as a constant: PostgreSQL uses a partial index (WHERE record_type =
    'letter') only when the statement's own condition is that constant, not a parameter."""
    if record_type not in TITLE_INDEXED_TYPES:
        raise ValueError(f"no title index for {record_type!r}")
    return literal_column(f"'{record_type}'")


class _TitleMatches(ColumnElement):
    """search_document rows of one type whose title has a word starting with each of the words, through that
    type's title index, written for the database the statement runs on (as _Matches)."""

    type = Boolean()
    _is_implicitly_boolean = True
    inherit_cache = False

    def __init__(self, record_type: str, query: TitleQuery, row_by_row: bool = False):
        self.record_type = record_type
        self.query = query
        self.row_by_row = row_by_row


@compiles(_TitleMatches, "sqlite")
def _title_matches_sqlite(element: _TitleMatches, compiler, **kw) -> str:
    return compiler.process(_fts5_condition(title_fts_table(element.record_type), _title_fts5_match(element.query),
                                            element.row_by_row), **kw)


@compiles(_TitleMatches)
def _title_matches_postgres(element: _TitleMatches, compiler, **kw) -> str:
    vector = literal_column(title_vector_sql("search_document.title"))
    return compiler.process(vector.op("@@")(_title_tsquery(element.query)), **kw)


def title_condition(record_type: str, id_column, query: TitleQuery, in_order: bool):
    """A picker's typed words as a condition on its id column, in text_condition's two shapes: from the matches
    (an IN over the title index) when they are few, or each row the picker reads in its own order checked through
    its search_document row when they are many. Always through search_document, which a page as of a past day
    replaces with a view that hides the records made since."""
    if not query.can_match():
        return false()
    d = SearchDocument
    typed = _record_type_literal(record_type)
    if not in_order:
        return id_column.in_(select(d.record_id).where(d.record_type == typed, _TitleMatches(record_type, query)))
    return exists().where(d.record_type == typed, d.record_id == id_column,
                          _TitleMatches(record_type, query, row_by_row=True))


def titles_matching_up_to(dialect: str, record_type: str, query: TitleQuery, limit: int):
    """select() of how many titles of this type match the words, counting no further than `limit`: on SQLite from
    the FTS5 table alone, reading at most `limit` matches; on PostgreSQL the GIN index gathers every match first."""
    if dialect == "sqlite":
        name = title_fts_table(record_type)
        fts = table(name, column("rowid"))
        some = select(fts.c.rowid).where(literal_column(name).op("MATCH")(_title_fts5_match(query))).limit(limit)
    else:
        d = SearchDocument
        some = (select(d.id).where(d.record_type == _record_type_literal(record_type),
                                   _TitleMatches(record_type, query)).limit(limit))
    return select(func.count()).select_from(some.subquery())


def walk_window(records: int, rows_wanted: int) -> int:
    """How many records, read in a list's own order, hold `rows_wanted` matches when the words match at least
    probe_limit records (spread evenly): a walk bounded to them finds a page of common words, or shows they are rare."""
    return max(rows_wanted, -(-rows_wanted * records // probe_limit(records, rows_wanted)))


def titles_in_own_order(session, record_type: str, query: TitleQuery, model, rows_wanted: int) -> bool:
    """Whether a picker should read its records in its own order and check each (title_condition's choice), from
    two bounded statements, as lists_in_own_order decides for `q=`."""
    if not query.can_match():
        return False
    dialect = session.get_bind().dialect.name
    limit = probe_limit(session.scalar(records_of(model)) or 0, rows_wanted)
    return walks_in_list_order(session.scalar(titles_matching_up_to(dialect, record_type, query, limit)), limit)
