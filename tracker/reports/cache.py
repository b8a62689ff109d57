"""Built reports, and the files written from them, kept in memory, per process, keyed by everything they show.

A report counts every commitment the reader may see, which grows with the record; the same report is asked for
again and again between two changes (a board pack downloaded by each member, a PDF and its spreadsheet). So a
built report is kept under: the party (or all parties), the day it is judged on, the due-soon window, the link
base, the newest event (every write appends one, so any change makes a new key) and the parties the reader may
see (None for every party), so a report is only ever given to a reader who would see exactly the same one. Each
file written from it is kept under the same key and its file type: the PDF and the spreadsheet of one report are
counted once. A report of a past day (?as_of=) is never kept: it is rebuilt from the rolled-back record.
"""
from __future__ import annotations

from flask import current_app
from sqlmodel import Session, func, select

from tracker import clock
from tracker.access import Viewer
from tracker.events import Event
from tracker.kept import RecentlyUsed


def of_app() -> RecentlyUsed:
    """This application's cache, made on first use: REPORT_CACHE_SIZE entries, a built report or a file (its bytes
    and file name) each."""
    extensions = current_app.extensions
    if "report_cache" not in extensions:
        extensions["report_cache"] = RecentlyUsed(int(current_app.config["REPORT_CACHE_SIZE"]))
    return extensions["report_cache"]


def key_of(session: Session, viewer: Viewer, party_id: int | None, *shape) -> tuple | None:
    """The key of this report for this reader now (its files add their type), or None when it must not be kept (a
    past day's record, or no cache configured). `shape`: anything else the report's content depends on (its caps)."""
    if clock.viewing_as_of() is not None or int(current_app.config["REPORT_CACHE_SIZE"]) <= 0:
        return None
    newest_event = session.exec(select(func.max(Event.id))).one()
    return (party_id, clock.today_in(), int(current_app.config["DUE_SOON_DAYS"]),
            current_app.config["BASE_URL"], newest_event, viewer.party_ids, *shape)
