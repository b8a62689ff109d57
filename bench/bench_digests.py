"""Benchmark: building the reminder digests of 5,000 recipients over 1,000,000 commitments (SQLite).

    .venv/bin/python bench/bench_digests.py                                   # generates ~1M commitments
    .venv/bin/python bench/bench_digests.py --database-url sqlite:///bench/out/bench_333334.db   # reuse
    .venv/bin/python bench/bench_digests.py --letters 33334                    # ~100k commitments
    .venv/bin/python bench/bench_digests.py --database-url ... --repeat 5      # five runs and their median

Data from bench/generate.py (about three commitments per letter, 200 staff owners). On top of it every one of
its 5,000 people becomes a digest recipient: the staff for what they own, everyone else following the party
of their role (a chair following what was promised to their group). The clock is pinned so that every
recipient's 08:00 has passed. Then it times and counts the SQL statements of:

  build  collecting every recipient's items and building the digests (sections, grouping, text and HTML);
  plan   the whole planning step as the scheduler runs it (build, render, store one row per recipient).

The statement count must stay the same whatever the number of recipients (no query per recipient). Each run
prints wall-clock and CPU seconds (time.process_time): on a busy machine the CPU time says more, and --repeat
gives the median of several runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate as bench_data  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.db import StatementCounter  # noqa: E402
from tracker.letters.models import Letter  # noqa: E402

# Every recipient's 08:00 has passed at NOW; generate.py's timezones spread those moments over 18 hours of
# UTC, so the bench widens the catch-up grace to a day to have all 5,000 digests due in one pass.
NOW = datetime(2010, 5, 12, 23, 30, tzinfo=timezone.utc)
GRACE = timedelta(hours=24)


def add_recipients(url: str) -> int:
    """Every person gets a digest: staff for what they own, the others following their role's party."""
    engine = create_engine(url)
    stamp = "2010-05-01 00:00:00.000000"
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM digest"))
        connection.execute(text("DELETE FROM digest_subscription"))
        connection.execute(text("DELETE FROM digest_recipient"))
        connection.execute(text(
            "INSERT INTO digest_recipient (person_id, include_own, frequency, weekday, send_time, timezone,"
            " due_soon_days, send_when_empty, paused, created_at, updated_at)"
            " SELECT id, is_staff, 'daily', 0, '08:00', timezone, 7, 0, 0, :stamp, :stamp FROM person"),
            {"stamp": stamp})
        connection.execute(text(
            "INSERT INTO digest_subscription (recipient_id, party_id)"
            " SELECT DISTINCT r.id, role.party_id FROM digest_recipient r JOIN person p ON p.id = r.person_id"
            " JOIN role ON role.person_id = p.id WHERE NOT p.is_staff"))
        count = connection.execute(text("SELECT count(*) FROM digest_recipient")).scalar()
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="A database made by bench/generate.py (else one is generated)")
    parser.add_argument("--letters", type=int, default=333_334, help="Letters to generate (~3 commitments each)")
    parser.add_argument("--repeat", type=int, default=1, help="Measure this many times (the machine may be busy)")
    args = parser.parse_args()

    url = args.database_url
    if not url:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-digests-')) / 'bench.db'}"
        print(f"generating {args.letters:,} letters into {url} ...", flush=True)
        bench_data.generate(url, args.letters)
    recipients = add_recipients(url)

    app = create_app({"DATABASE_URL": url, "NOW": NOW.isoformat(), "MAIL_TRANSPORT": "memory",
                      "SECRET_KEY": "bench-only-secret-of-at-least-32-characters", "TESTING": True})
    from tracker.commitments.models import Commitment
    from tracker.reminders import operations, queries
    from tracker.reminders.digest import build_digests
    from tracker.reminders.render import DigestRenderer

    with app.app_context():
        engine = app.extensions["db"].engine
        session = app.extensions["db"].new_session(write=True)
        commitments = session.scalar(select(func.count()).select_from(Commitment))
        letters = session.scalar(select(func.count()).select_from(Letter))
        print(f"data: {commitments:,} commitments, {letters:,} letters, {recipients:,} recipients")
        rows = list(session.exec(queries.receiving_recipients()))
        from tracker.reminders.digest import due_occurrence

        assert all(due_occurrence(operations.schedule_of(r), NOW, GRACE) for r, _p in rows), "not all due"
        views = [operations.view_of(recipient, person, NOW) for recipient, person in rows]
        person_of = {r.id: r.person_id for r, _p in rows}
        include_own = {r.id: r.include_own for r, _p in rows}
        build_times, plan_times = [], []
        for run in range(1, args.repeat + 1):
            # Timed as the plan step runs it: with the cyclic garbage collector paused for the pass.
            with StatementCounter(engine) as build_count, operations.collection_paused():
                started, started_cpu = time.perf_counter(), time.process_time()
                items = operations.collect_items(session, views, NOW, person_of=person_of, include_own=include_own)
                collected = time.perf_counter()
                contents = build_digests(views, items, NOW)
                built = time.perf_counter()
                renderer = DigestRenderer()
                emails = [renderer.compose(content, period="bench", now=NOW) for content in contents
                          if content.should_send]
                rendered, rendered_cpu = time.perf_counter(), time.process_time()
            session.rollback()
            del items, contents, emails, renderer
            with StatementCounter(engine) as plan_count:
                started_plan, started_plan_cpu = time.perf_counter(), time.process_time()
                planned = operations.plan_due_digests(session, grace=GRACE, now=NOW)
                session.commit()
                plan_seconds = time.perf_counter() - started_plan
                plan_cpu = time.process_time() - started_plan_cpu
            listed = sum(row["item_count"] for row in planned)
            build_times.append(rendered - started)
            plan_times.append(plan_seconds)
            print(f"run {run}: build: {len(planned):,} digests ({sum(r['state'] == 'pending' for r in planned):,} "
                  f"with something to say), {listed:,} items in {rendered - started:.2f} s "
                  f"({rendered_cpu - started_cpu:.2f} s CPU) [collect {collected - started:.2f} s, "
                  f"sort and group {built - collected:.2f} s, render text+HTML {rendered - built:.2f} s], "
                  f"{build_count.count} SQL statements", flush=True)
            print(f"run {run}: plan (build + render + store one row each): {len(planned):,} rows in "
                  f"{plan_seconds:.2f} s ({plan_cpu:.2f} s CPU), {plan_count.count} SQL statements", flush=True)
            if run < args.repeat:  # the next run plans the same period again
                session.execute(text("DELETE FROM digest"))
                session.execute(text("UPDATE digest_recipient SET last_digest_at = NULL"))
                session.commit()
                session.expire_all()
        session.close()
    if args.repeat > 1:
        print(f"median of {args.repeat}: build {statistics.median(build_times):.2f} s, "
              f"plan {statistics.median(plan_times):.2f} s")


if __name__ == "__main__":
    main()
