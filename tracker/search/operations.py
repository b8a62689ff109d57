"""Keeping the search index in step: one record re-indexed after each change, or every record at once.

The text of each record type is decided by one function (TEXT_OF) used by both paths, so a record indexed
by its handler and the same record indexed by a rebuild read the same.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from html import unescape

from flask import current_app, has_app_context
from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from tracker.commitments.models import Commitment
from tracker.consultations.models import CommentPeriod
from tracker.intake.read import Budget, read_document_bounded
from tracker.letters.models import Letter, LetterFile
from tracker.meetings.models import Meeting
from tracker.parties.models import Party, Person
from tracker.search.models import SQLITE_FTS_TABLE, TITLE_INDEXED_TYPES, SearchDocument, title_fts_table

MODELS = {"letter": Letter, "commitment": Commitment, "meeting": Meeting, "comment_period": CommentPeriod,
          "party": Party, "person": Person}
MAX_FILE_TEXT = 200_000  # characters of an attached file's text that are searchable
BATCH = 2000
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    dated: date | None


def _join(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _plain(html: str) -> str:
    return unescape(_TAG.sub(" ", html or ""))


TEXT_OF = {
    "letter": lambda r: Text(r.subject, _plain(r.body), r.sent_on),
    "commitment": lambda r: Text(r.title, _join(r.quote, r.due_phrase, r.outcome, r.evidence_url),
                                 r.due_latest or r.created_at.date()),
    "meeting": lambda r: Text(r.title, _join(r.aliases, r.location, r.transcript), r.starts_at.date()),
    "comment_period": lambda r: Text(r.title, r.summary, r.opens_on),
    "party": lambda r: Text(f"{r.name} ({r.short_name})", r.description, None),
    "person": lambda r: Text(r.name, r.email or "", None),
}


# The columns TEXT_OF reads, so a rebuild selects only those (it also runs inside a migration, where a later
# migration's columns do not exist yet).
TEXT_COLUMNS = {
    "letter": ("subject", "body", "sent_on"),
    "commitment": ("title", "quote", "due_phrase", "outcome", "evidence_url", "due_latest", "created_at"),
    "meeting": ("title", "aliases", "location", "transcript", "starts_at"),
    "comment_period": ("title", "summary", "opens_on"),
    "party": ("name", "short_name", "description"),
    "person": ("name", "email"),
}


def index_record(session: Session, record_type: str, record_id: int) -> None:
    """(Re)index one record, or drop it from the index when it no longer exists. Flushes."""
    record = session.get(MODELS[record_type], record_id)
    found = session.execute(select(SearchDocument).where(SearchDocument.record_type == record_type,
                                                         SearchDocument.record_id == record_id)).scalars().first()
    if record is None:
        if found is not None:
            _fts_delete(session, record_type, found.id)
            session.delete(found)
            session.flush()
        return
    content = TEXT_OF[record_type](record)
    body = content.body
    if record_type == "letter":
        body = _join(body, *_file_texts(session, record_id))
    # The title index is rewritten only when the title changed (a reschedule changes a commitment's words, not its
    # title): two statements fewer on most writes.
    title_changed = found is None or found.title != content.title
    document = found or SearchDocument(record_type=record_type, record_id=record_id)
    document.title, document.body, document.dated = content.title, body, content.dated
    session.add(document)
    session.flush()
    _fts_delete(session, record_type, document.id, titles=title_changed)
    _fts_insert(session, record_type, document.id, document.title, document.body, titles=title_changed)


def rebuild(connection: Connection, progress: bool = False) -> int:
    """Index every record from scratch (after an upgrade, or after a bulk load); returns how many."""
    connection.execute(delete(SearchDocument.__table__))
    sqlite = connection.dialect.name == "sqlite"
    title_tables = _existing_title_tables(connection) if sqlite else {}
    if sqlite:
        connection.execute(text(f"DELETE FROM {SQLITE_FTS_TABLE}"))
        for table_name in title_tables.values():
            connection.execute(text(f"DELETE FROM {table_name}"))
    session = Session(bind=connection)
    total = 0
    for record_type, model in MODELS.items():
        columns = [model.id, *(getattr(model, name) for name in TEXT_COLUMNS[record_type])]
        last_id = 0
        while True:
            records = connection.execute(select(*columns).where(model.id > last_id).order_by(model.id)
                                         .limit(BATCH)).all()
            if not records:
                break
            rows = []
            for record in records:
                content = TEXT_OF[record_type](record)
                rows.append(dict(record_type=record_type, record_id=record.id, title=content.title,
                                 body=content.body, dated=content.dated))
            connection.execute(insert(SearchDocument.__table__), rows)
            last_id = records[-1].id
            total += len(records)
            if progress:
                print(f"\r  search index: {total:,} records", end="", file=sys.stderr, flush=True)
    for letter_id in list(connection.execute(select(LetterFile.letter_id).distinct()).scalars()):
        texts = _file_texts(session, letter_id)
        if texts:
            connection.execute(text("UPDATE search_document SET body = body || :more "
                                    "WHERE record_type = 'letter' AND record_id = :id"),
                               {"more": "\n" + "\n".join(texts), "id": letter_id})
    if sqlite:
        connection.execute(text(f"INSERT INTO {SQLITE_FTS_TABLE} (rowid, title, body) "
                                "SELECT id, title, body FROM search_document"))
        for record_type, table_name in title_tables.items():
            fill_title_index(connection, record_type, table_name)
    if progress:
        print(file=sys.stderr)
    return total


def _reading_budget() -> Budget:
    return Budget.from_config(current_app.config) if has_app_context() else Budget()


def _file_texts(session: Session, letter_id: int) -> list[str]:
    """The text of the letter's attached files, as intake reads them: in a child process held to intake's budget
    of memory and time, since an attachment is uploaded by a person (a file it cannot read adds nothing)."""
    texts = []
    budget = _reading_budget()
    for data, filename in session.execute(select(LetterFile.data, LetterFile.filename)
                                          .where(LetterFile.letter_id == letter_id)).all():
        try:
            texts.append(read_document_bounded(data, filename, None, budget).text[:MAX_FILE_TEXT])
        except Exception:  # noqa: BLE001 — an unreadable attachment must never stop the write that indexes it
            continue
    return texts


def fill_title_index(connection: Connection, record_type: str, table_name: str) -> None:
    """SQLite: copy the titles of one type from search_document into its (empty) FTS5 title table."""
    connection.execute(text(f"INSERT INTO {table_name} (rowid, title) "
                            "SELECT id, title FROM search_document WHERE record_type = :type"), {"type": record_type})


def _existing_title_tables(connection: Connection) -> dict[str, str]:
    """The title tables there are: a rebuild also runs inside migration 0008, before 0018 makes them."""
    names = {title_fts_table(t): t for t in TITLE_INDEXED_TYPES}
    found = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
    return {names[name]: name for name in found if name in names}


def _fts_delete(session: Session, record_type: str, document_id: int, titles: bool = True) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"DELETE FROM {SQLITE_FTS_TABLE} WHERE rowid = :id"), {"id": document_id})
        if titles and record_type in TITLE_INDEXED_TYPES:
            session.execute(text(f"DELETE FROM {title_fts_table(record_type)} WHERE rowid = :id"), {"id": document_id})


def _fts_insert(session: Session, record_type: str, document_id: int, title: str, body: str,
                titles: bool = True) -> None:
    """SQLite: the record's words into the FTS5 tables (PostgreSQL indexes search_document's own columns); its title
    into the title index too when `titles`."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"INSERT INTO {SQLITE_FTS_TABLE} (rowid, title, body) VALUES (:id, :title, :body)"),
                        {"id": document_id, "title": title, "body": body})
        if titles and record_type in TITLE_INDEXED_TYPES:
            session.execute(text(f"INSERT INTO {title_fts_table(record_type)} (rowid, title) VALUES (:id, :title)"),
                            {"id": document_id, "title": title})
