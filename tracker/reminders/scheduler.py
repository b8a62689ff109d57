"""The scheduler (APScheduler 3): reminder jobs and the database's daily upkeep. Jobs are data with fixed ids;
one scheduler per process, in the `flask scheduler` process or inside `flask serve` — never in gunicorn
workers (each would run its own).

Correctness does not depend on there being only one: digests are rows claimed before sending.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from tracker.db import refresh_planner_statistics
from tracker.reminders import jobs

log = logging.getLogger("tracker.reminders")

# A scheduler that was down at 08:00 still runs the missed job once (coalesce) when it is back within hours.
MISFIRE_GRACE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class JobSpec:
    id: str
    function: Callable[[Flask], object]
    trigger: Callable[[], CronTrigger]
    run_at_start: bool = True


JOBS = (
    # Every minute: a digest goes out within a minute of its recipient's local send time.
    JobSpec("reminders.send_due", jobs.send_due, lambda: CronTrigger(second=0, timezone=timezone.utc)),
    # Every quarter hour: due_soon / overdue events (days change at different moments around the world).
    JobSpec("reminders.sweep", jobs.sweep, lambda: CronTrigger(minute="*/15", timezone=timezone.utc)),
    # Daily, at a quiet hour: the statistics SQLite's query planner picks indexes by (see tracker.db).
    JobSpec("database.statistics", lambda app: refresh_planner_statistics(app.extensions["db"].engine),
            lambda: CronTrigger(hour=3, minute=17, timezone=timezone.utc)),
)


def _logged(spec: JobSpec, app: Flask):
    def run():
        started = datetime.now(timezone.utc)
        try:
            report = spec.function(app)
        except Exception:
            log.exception("job %s failed", spec.id)
            return
        seconds = (datetime.now(timezone.utc) - started).total_seconds()
        log.info("job %s done in %.2fs: %s", spec.id, seconds, report.summary())
    return run


def configure(scheduler, app: Flask, specs=JOBS):
    """Add the jobs to a scheduler (its own in-memory job store: never shared between schedulers)."""
    now = datetime.now(timezone.utc)
    for spec in specs:
        # Run once at start: catches up the morning digest after downtime. (next_run_time=None would pause it.)
        start = {"next_run_time": now} if spec.run_at_start else {}
        scheduler.add_job(_logged(spec, app), trigger=spec.trigger(), id=spec.id, name=spec.id,
                          replace_existing=True, coalesce=True, max_instances=1,
                          misfire_grace_time=MISFIRE_GRACE_SECONDS, **start)
    return scheduler


def blocking(app: Flask) -> BlockingScheduler:
    return configure(BlockingScheduler(timezone=timezone.utc), app)


def background(app: Flask) -> BackgroundScheduler:
    return configure(BackgroundScheduler(timezone=timezone.utc, daemon=True), app)
