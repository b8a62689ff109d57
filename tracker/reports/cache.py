"""Built reports, and the files written from them, kept in memory, per process, keyed by everything they show.

A report counts every commitment the reader may see, which grows with the record; the same report is asked for
again and again between two changes (a board pack downloaded by each member, a PDF and its spreadsheet). So a
built report is kept under: the party (or all parties), the day it is judged on, the due-soon window, the link
base, the newest event (every write appends one, so any change makes a new key) and the parties the reader may
see (None for every party), so a report is only ever given to a reader who would see exactly the same one. Each
file written from it is kept under the same key and its file type: the PDF and the spreadsheet of one report are
counted once. A report of a past day (?as_of=) is never kept: it is rebuilt from the rolled-back record. Nor
is one built while another transaction is writing on PostgreSQL (key_of).
"""
from __future__ import annotations

from flask import current_app
from sqlmodel import Session

from tracker import clock, events
from tracker.access import Viewer
from tracker.kept import RecentlyUsed


def of_app() -> RecentlyUsed:
    """This application's cache, made on first use: REPORT_CACHE_SIZE entries, a built report or a file (its bytes
    and file name) each."""
    extensions = current_app.extensions
    if "report_cache" not in extensions:
        extensions["report_cache"] = RecentlyUsed(int(current_app.config["REPORT_CACHE_SIZE"]))
    return extensions["report_cache"]


def key_of(session: Session, viewer: Viewer, party_id: int | None, *shape) -> tuple[tuple | None, bool]:
    """(the key of this report for this reader now, whether a report built now may be kept under it). The key is
    None when no report may be looked up or kept (a past day's record, or no cache configured); its files add their
    type to it. A report built while another transaction is writing on PostgreSQL is given but not kept: that
    change may commit an event numbered before the newest, which the report would not show, and its landing would
    not change the key (tracker.events.newest). `shape`: anything else the report's content depends on (its caps)."""
    if clock.viewing_as_of() is not None or int(current_app.config["REPORT_CACHE_SIZE"]) <= 0:
        return None, False
    newest_event, settled = events.newest(session)
    return (party_id, clock.today_in(), int(current_app.config["DUE_SOON_DAYS"]),
            current_app.config["BASE_URL"], newest_event, viewer.party_ids, *shape), settled
