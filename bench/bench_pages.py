"""Page latency and SQL statement count at several data sizes, through the Flask test client, signed in as admin.

    .venv/bin/python bench/bench_pages.py --sizes 1000,100000
    .venv/bin/python bench/bench_pages.py --sizes 1000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

SQLite data is generated once per size into bench/out/bench_<size>.db and reused. With --database-url (PostgreSQL)
each size gets its own database, named after the URL's with _<size> appended, created when missing.
"""
from __future__ import annotations

import argparse
import gc
import shlex
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, text
from sqlmodel import select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import INTERNAL_PARTIES, generate  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.migrate import upgrade  # noqa: E402
from tracker.commitments.models import CommitmentParty  # noqa: E402
from tracker.db import StatementCounter, refresh_planner_statistics, write_session  # noqa: E402
from tracker.letters.models import Letter, LetterLink  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2010, 5, 12)
ADMIN_EMAIL = "bench-admin@example.org"
ADMIN_PASSWORD = "bench password only"


def database_for(size: int, base_url: str | None) -> str:
    if not base_url:
        OUT.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{OUT / f'bench_{size}.db'}"
    url = make_url(base_url)
    name = f"{url.database}_{size}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def letters_in(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(Letter)).scalar() or 0
    except Exception:
        return 0
    finally:
        engine.dispose()


def ensure_data(size: int, url: str) -> None:
    found = letters_in(url)
    if found == size:
        print(f"reusing {size:,} letters at {make_url(url).render_as_string()}", file=sys.stderr)
        upgrade(url)  # a cached database made before a newer migration
        engine = create_engine(url)
        refresh_planner_statistics(engine)  # as the scheduler's daily job would have
        engine.dispose()
        return
    if found:
        raise SystemExit(f"{url} holds {found} letters, not {size}: remove it to regenerate")
    print(f"generating {size:,} letters …", file=sys.stderr)
    counts = generate(url, size, TODAY)
    print(f"generated in {counts['seconds']} s: {counts}", file=sys.stderr)


def busiest(app) -> tuple[int, int]:
    """An external party with many commitments, and a letter that has commitments and a reply link."""
    from tracker.db import get_session

    with app.app_context():
        session = get_session()
        party_id = session.exec(select(CommitmentParty.party_id).where(CommitmentParty.party_id > INTERNAL_PARTIES)
                                .group_by(CommitmentParty.party_id).order_by(func.count().desc()).limit(1)).first()
        letter_id = session.exec(select(LetterLink.to_letter_id).order_by(LetterLink.id.desc()).limit(1)).first()
    return party_id, letter_id


def signed_in_client(app):
    from tracker.accounts import operations
    from tracker.auth.queries import user_by_email

    with app.app_context(), write_session() as session:
        if session.exec(user_by_email(ADMIN_EMAIL)).first() is None:
            operations.create_user(session, email=ADMIN_EMAIL, display_name="Bench admin", password=ADMIN_PASSWORD,
                                   role="admin")
    client = app.test_client()
    response = client.post("/sign-in", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


def pages(party_id: int, letter_id: int) -> dict[str, str]:
    return {
        "overview": "/",
        "party page": f"/parties/{party_id}",
        "commitments (all)": "/commitments/",
        "commitments ?status=overdue": "/commitments/?status=overdue",
        "commitments ?status=done": "/commitments/?status=done",
        "commitments ?party": f"/commitments/?party={party_id}",
        "letter page": f"/letters/{letter_id}",
        "api commitments": "/api/commitments",
        "api commitments overdue+party": f"/api/commitments?status=overdue&party={party_id}",
        "api letters ?party": f"/api/letters?party={party_id}",
        "api parties": "/api/parties",
    }


def measure(app, client, url: str, requests: int) -> tuple[float, float, float, int]:
    engine = app.extensions["db"].engine
    for _ in range(2):
        client.get(url)
    timings = []
    with StatementCounter(engine) as counter:
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, max(timings), counter.count // requests


def run(sizes: list[int], base_url: str | None, requests: int) -> list[tuple]:
    results = []
    for size in sizes:
        url = database_for(size, base_url)
        ensure_data(size, url)
        app = create_app({"DATABASE_URL": url, "NOW": f"{TODAY.isoformat()}T09:00:00+00:00", "TESTING": False,
                          "SECRET_KEY": "bench-only-secret-of-at-least-32-characters", "WTF_CSRF_ENABLED": False, "MAIL_TRANSPORT": "memory"})
        client = signed_in_client(app)
        party_id, letter_id = busiest(app)
        gc.freeze()  # as app.py does once the application is built
        for name, path in pages(party_id, letter_id).items():
            p50, p95, worst, statements = measure(app, client, path, requests)
            results.append((size, name, p50, p95, worst, statements))
            print(f"  {size:>9,}  {name:<32} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  statements {statements}",
                  file=sys.stderr)
        app.extensions["db"].engine.dispose()
    return results


def table(results, backend: str) -> str:
    lines = ["| letters | page | p50 ms | p95 ms | max ms | SQL statements / request |",
             "|---:|---|---:|---:|---:|---:|"]
    for size, name, p50, p95, worst, statements in results:
        lines.append(f"| {size:,} | {name} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {statements} |")
    by_page: dict[str, set[int]] = {}
    for _size, name, *_rest, statements in results:
        by_page.setdefault(name, set()).add(statements)
    varying = [name for name, counts in by_page.items() if len(counts) > 1]
    lines.append("")
    lines.append(f"backend: {backend}; statement count identical across sizes: "
                 f"{'yes' if not varying else 'NO — ' + ', '.join(varying)}")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated letter counts")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = run(sizes, args.database_url, args.requests)
    backend = make_url(args.database_url).get_backend_name() if args.database_url else "sqlite"
    print("command: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/bench_pages.py",
                                                            *(argv if argv is not None else sys.argv[1:])]))
    print(f"{args.requests} requests per page after 2 warm-up requests, Flask test client, signed in as admin, "
          f"clock pinned to {TODAY}")
    print()
    print(table(results, backend))


if __name__ == "__main__":
    main()
