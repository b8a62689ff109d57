"""CPU and wall time of each download (the board reports and a busy party's commitments workbook), and of the
report's parts: reading it from the database, drawing the PDF, writing the workbook.

    TRACKER_REPORT_CACHE_SIZE=0 .venv/bin/python bench/bench_downloads.py --sizes 100000
    .venv/bin/python bench/bench_downloads.py --sizes 100000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

CPU time (time.process_time) is this process's only: on a shared machine it moves less than wall time, and on
PostgreSQL it leaves out the server's work, which the wall time includes. Uses bench_pages.py's databases and
samples (the busiest party); the report cache is off so each request builds its file.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bench_pages  # noqa: E402

DOWNLOADS = ("commitments XLSX ?party", "party report PDF", "party report XLSX", "all-parties report PDF",
             "all-parties report XLSX")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * len(ordered))) - 1)]


def timed(work, requests: int) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms) of each of `requests` calls, after two that are not counted."""
    for _ in range(2):
        work()
    walls, cpus = [], []
    for _ in range(requests):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def line(name: str, walls: list[float], cpus: list[float]) -> str:
    return (f"| {name} | {statistics.median(cpus):.0f} | {percentile(cpus, 0.95):.0f} | "
            f"{statistics.median(walls):.0f} | {percentile(walls, 0.95):.0f} |")


def run(size: int, base_url: str | None, requests: int) -> list[str]:
    from flask_login import login_user

    from tracker import access
    from tracker.auth.queries import user_by_email
    from tracker.db import get_session
    from tracker.parties.models import Party
    from tracker.reports import render, routes

    url = bench_pages.database_for(size, base_url)
    bench_pages.ensure_data(size, url)
    app = bench_pages.create_app({"DATABASE_URL": url, "NOW": f"{bench_pages.TODAY.isoformat()}T09:00:00+00:00",
                                  "TESTING": False, "SECRET_KEY": "bench-only-secret-of-at-least-32-characters",
                                  "WTF_CSRF_ENABLED": False, "MAIL_TRANSPORT": "memory", "REPORT_CACHE_SIZE": 0})
    client = bench_pages.signed_in_client(app)
    sample = bench_pages.busiest(app)
    urls = bench_pages.pages(app, sample)
    lines = [f"{size:,} letters: whole requests, then the reports' parts", "",
             "| download | CPU p50 ms | CPU p95 ms | wall p50 ms | wall p95 ms |", "|---|---:|---:|---:|---:|"]

    def get(path):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")

    for name in DOWNLOADS:
        lines.append(line(name, *timed(lambda path=urls[name]: get(path), requests)))
    with app.test_request_context():
        session = get_session()
        login_user(session.exec(user_by_email(bench_pages.ADMIN_EMAIL)).one())
        viewer = access.current_viewer()
        for label, party in (("party", session.get(Party, sample.party_id)), ("all-parties", None)):
            report = routes.build(session, viewer, party)
            lines.append(line(f"{label} report: read (build)",
                              *timed(lambda party=party: routes.build(session, viewer, party), requests)))
            lines.append(line(f"{label} report: draw the PDF", *timed(lambda r=report: render.to_pdf(r), requests)))
            lines.append(line(f"{label} report: write the XLSX",
                              *timed(lambda r=report: render.to_xlsx(r), requests)))
    app.extensions["db"].engine.dispose()
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated letter counts")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--requests", type=int, default=15, help="timed requests per download")
    args = parser.parse_args(argv)
    for size in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
        print("\n".join(run(size, args.database_url, args.requests)))
        print()


if __name__ == "__main__":
    main()
