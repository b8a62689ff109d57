"""Past days' replayed records kept in memory, per process.

Rebuilding a past day replays, in Python, the history of every record changed since (tracker.snapshots.replay):
most of the cost of such a page. A reader who opens one past day goes on to open several of its pages, and other
readers the same day, so the replay's result (the records' values then, not the pages) is kept under the day's
cutoff and the state-changing events recorded since it (queries.changes_since): a new change makes a new key.
It does not depend on the reader (access is decided by the pages' own queries, on the rolled-back record).
Kept within AS_OF_CACHE_RECORDS records in all, the oldest used first out; 0 keeps none.
"""
from __future__ import annotations

from flask import current_app

from tracker.kept import RecentlyUsed
from tracker.snapshots.replay import Rollback

Replayed = dict[str, dict[int, Rollback]]  # subject type → record id → how it stood then


def records_in(replayed: Replayed) -> int:
    return sum(len(by_id) for by_id in replayed.values())


def of_app() -> RecentlyUsed[Replayed]:
    """This application's kept replays, made on first use."""
    extensions = current_app.extensions
    if "as_of_replays" not in extensions:
        extensions["as_of_replays"] = RecentlyUsed(int(current_app.config["AS_OF_CACHE_RECORDS"]), records_in)
    return extensions["as_of_replays"]
