"""Latency, SQL statements, rows fetched and bytes sent of every GET route at several data sizes, through the Flask test client, signed in as admin.

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
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import url_for
from sqlalchemy import create_engine, func, text
from sqlmodel import select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import INTERNAL_PARTIES, generate, tidy  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.migrate import upgrade  # noqa: E402
from tracker.commitments.models import CommitmentParty  # noqa: E402
from tracker.commitments.models import Commitment  # noqa: E402
from tracker.consultations.models import Submission  # noqa: E402
from tracker.db import RowCounter, StatementCounter, write_session  # noqa: E402
from tracker.letters.models import Letter, LetterFile, LetterLink  # noqa: E402
from tracker.meetings.models import MeetingParticipant  # noqa: E402
from tracker.reminders.models import Digest  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2010, 5, 12)
ADMIN_EMAIL = "bench-admin@example.org"
ADMIN_PASSWORD = "timing every page, never a real account"


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
    # bench_writes.py logs a few hundred letters into the same databases: still the same size for timing.
    if size <= found <= size + max(1000, size // 100):
        print(f"reusing {size:,} letters at {make_url(url).render_as_string()}", file=sys.stderr)
        upgrade(url)  # a cached database made before a newer migration
        engine = create_engine(url)
        tidy(engine)  # as the scheduler's daily job and PostgreSQL's autovacuum would have
        engine.dispose()
        return
    if found:
        raise SystemExit(f"{url} holds {found} letters, not {size}: remove it to regenerate")
    print(f"generating {size:,} letters …", file=sys.stderr)
    counts = generate(url, size, TODAY)
    print(f"generated in {counts['seconds']} s: {counts}", file=sys.stderr)


@dataclass(frozen=True)
class Sample:
    """The records a benchmark run requests pages of: the busiest ones, so a page shows as much as it can."""
    party_id: int
    letter_id: int
    commitment_id: int
    person_id: int
    meeting_id: int
    period_id: int
    file_id: int
    file_letter_id: int
    recipient_id: int
    digest_id: int
    feed_token: str
    user_id: int


def busiest(app) -> Sample:
    """An external party with many commitments, a letter with a reply link and its first commitment, a staff
    owner, and the meeting, comment period, file, recipient and digest with the most rows around them."""
    from tracker.db import get_session

    with app.app_context():
        session = get_session()
        party_id = session.exec(select(CommitmentParty.party_id).where(CommitmentParty.party_id > INTERNAL_PARTIES)
                                .group_by(CommitmentParty.party_id).order_by(func.count().desc()).limit(1)).first()
        letter_id = session.exec(select(LetterLink.to_letter_id).order_by(LetterLink.id.desc()).limit(1)).first()
        commitment = session.exec(select(Commitment.id, Commitment.owner_id)
                                  .where(Commitment.source_letter_id == letter_id).order_by(Commitment.id)).first()
        meeting_id = session.exec(select(MeetingParticipant.meeting_id).group_by(MeetingParticipant.meeting_id)
                                  .order_by(func.count().desc()).limit(1)).first()
        period_id = session.exec(select(Submission.comment_period_id).group_by(Submission.comment_period_id)
                                 .order_by(func.count().desc()).limit(1)).first()
        letter_file = session.exec(select(LetterFile.id, LetterFile.letter_id).order_by(LetterFile.id)).first()
        digest = session.exec(select(Digest.id, Digest.recipient_id).order_by(Digest.id)).first()
    if None in (meeting_id, period_id, letter_file, digest):
        raise SystemExit("this database was generated before meetings, comment periods, files and digests were: "
                         "remove it to regenerate")
    return Sample(party_id=party_id, letter_id=letter_id, commitment_id=commitment[0], person_id=commitment[1],
                  meeting_id=meeting_id, period_id=period_id, file_id=letter_file[0], file_letter_id=letter_file[1],
                  recipient_id=digest[1], digest_id=digest[0], feed_token=_feed_token(app),
                  user_id=_bench_admin_id(app))


def _bench_admin_id(app) -> int:
    from tracker.auth.queries import user_by_email
    from tracker.db import get_session

    with app.app_context():
        return get_session().exec(user_by_email(ADMIN_EMAIL)).one().id


def _feed_token(app) -> str:
    """The bench admin's calendar address, made on first use."""
    from tracker.auth.queries import user_by_email
    from tracker.calendar.operations import feed_for

    with app.app_context(), write_session() as session:
        return feed_for(session, session.exec(user_by_email(ADMIN_EMAIL)).one()).token


# Every GET route of the app, by endpoint: (name, url_for values) per request timed. A GET route missing here
# stops the run, so a new page cannot go unmeasured. Values may be functions of the Sample.
ROUTE_SAMPLES: dict[str, list[tuple[str, object]]] = {
    "dashboards.overview": [("overview", {})],
    "dashboards.party": [("party page", lambda s: {"party_id": s.party_id}),
                         # The record as of a past day: rolled back from the events since (tracker/snapshots).
                         ("party page as of 11 days back", lambda s: {"party_id": s.party_id, "as_of": "2010-05-01"}),
                         ("party page as of a year back", lambda s: {"party_id": s.party_id, "as_of": "2009-05-12"})],
    "reports.party_pdf": [("party report PDF", lambda s: {"party_id": s.party_id})],
    "reports.party_xlsx": [("party report XLSX", lambda s: {"party_id": s.party_id})],
    "reports.all_pdf": [("all-parties report PDF", {})],
    "reports.all_xlsx": [("all-parties report XLSX", {})],
    "parties.index": [("parties", {}), ("parties page 2", {"page": 2})],
    "parties.new_party": [("new party form", {})],
    "parties.edit_party": [("edit party form", lambda s: {"party_id": s.party_id})],
    "parties.people": [("people", {}), ("people page 2", {"page": 2})],
    "parties.person": [("person page", lambda s: {"person_id": s.person_id})],
    "parties.new_person": [("new person form", {})],
    "parties.edit_person": [("edit person form", lambda s: {"person_id": s.person_id})],
    "parties.new_role": [("new role form", lambda s: {"person_id": s.person_id})],
    "letters.index": [("letters", {}), ("letters ?party", lambda s: {"party": s.party_id}),
                      ("letters ?q=DNS-CERT", {"q": "DNS-CERT"}), ("letters ?q=4711", {"q": "4711"}),
                      ("letters ?q=item&reply_state=awaiting_reply", {"q": "item", "reply_state": "awaiting_reply"})],
    "letters.new": [("new letter form", {})],
    "letters.export_csv": [("letters CSV ?party", lambda s: {"party": s.party_id})],
    "letters.export_xlsx": [("letters XLSX ?party", lambda s: {"party": s.party_id})],
    "letters.detail": [("letter page", lambda s: {"letter_id": s.letter_id})],
    "letters.edit": [("edit letter form", lambda s: {"letter_id": s.letter_id})],
    "letters.download": [("letter file", lambda s: {"letter_id": s.file_letter_id, "file_id": s.file_id})],
    "commitments.index": [("commitments (all)", {}), ("commitments ?status=overdue", {"status": "overdue"}),
                          ("commitments ?status=done", {"status": "done"}),
                          ("commitments ?status=active", {"status": "active"}),
                          ("commitments ?status=due_soon", {"status": "due_soon"}),
                          ("commitments ?status=needs_decision", {"status": "needs_decision"}),
                          ("commitments ?status=done_on_time", {"status": "done_on_time"}),
                          ("commitments ?status=done_late", {"status": "done_late"}),
                          ("commitments ?q=publish&status=overdue", {"q": "publish", "status": "overdue"}),
                          ("commitments ?party", lambda s: {"party": s.party_id}),
                          ("commitments ?q=publish", {"q": "publish"}),
                          # A word in every commitment, with a filter; and a rare word (one commitment's title).
                          ("commitments ?q=publish&status=active", {"q": "publish", "status": "active"}),
                          ("commitments ?q=publish&party", lambda s: {"q": "publish", "party": s.party_id}),
                          ("commitments ?q=4711", {"q": "4711"}),
                          ("commitments as of 11 days back", {"as_of": "2010-05-01"}),
                          ("commitments as of a year back", {"as_of": "2009-05-12"}),
                          ("commitments ?status=overdue as of 11 days back", {"status": "overdue", "as_of": "2010-05-01"})],
    "commitments.show": [("commitment page", lambda s: {"commitment_id": s.commitment_id})],
    "commitments.new": [("new commitment form", {})],
    "commitments.export_csv": [("commitments CSV ?party", lambda s: {"party": s.party_id})],
    "commitments.export_xlsx": [("commitments XLSX ?party", lambda s: {"party": s.party_id})],
    "commitments.parse_due_json": [("parse due (JSON)", lambda s: {"phrase": "in early May",
                                                                    "source_letter_id": s.letter_id})],
    "meetings.index": [("meetings", {})],
    "meetings.new": [("new meeting form", {})],
    "meetings.show": [("meeting page", lambda s: {"meeting_id": s.meeting_id})],
    "consultations.index": [("comment periods", {}), ("comment periods page 2", {"page": 2})],
    "consultations.new": [("new comment period form", {})],
    "consultations.show": [("comment period page", lambda s: {"period_id": s.period_id})],
    "intake.index": [("intake form", {})],
    "reminders.index": [("reminders", {})],
    "reminders.new": [("new recipient form", {})],
    "reminders.mine": [("my digest", {})],
    "reminders.edit": [("recipient form", lambda s: {"recipient_id": s.recipient_id})],
    "reminders.preview": [("digest preview", lambda s: {"recipient_id": s.recipient_id})],
    "reminders.sent_mail": [("sent mail", {})],
    "reminders.sent_mail_detail": [("sent mail item", lambda s: {"digest_id": s.digest_id})],
    "accounts.users": [("users", {})],
    "phases.index": [("phases (admin)", {})],
    "accounts.user": [("user page", lambda s: {"user_id": s.user_id})],
    "accounts.account": [("my account", {})],
    "accounts.forgot_password": [("forgot password form", {})],
    "auth.sign_ins": [("sign-in log", {})],
    "search.index": [("search DNS-CERT", {"q": "DNS-CERT"}), ("search budg* letters", {"q": "budg*", "type": "letter"}),
                     ("search rare word", {"q": "item 4711"})],
    "exchange.commitments": [("import form", {})],
    "exchange.letters": [("letters import form", {})],
    "calendar.index": [("calendar page", {})],
    "calendar.feed": [("calendar feed", lambda s: {"token": s.feed_token})],
    "calendar.party_feed": [("calendar party feed", lambda s: {"token": s.feed_token, "party_id": s.party_id})],
    "api.parties": [("api parties", {})],
    "api.party": [("api party", lambda s: {"party_id": s.party_id})],
    "api.people": [("api people", {})],
    "api.person": [("api person", lambda s: {"person_id": s.person_id})],
    "api.letters": [("api letters ?party", lambda s: {"party": s.party_id}), ("api letters ?q=DNS-CERT", {"q": "DNS-CERT"})],
    "api.letter": [("api letter", lambda s: {"letter_id": s.letter_id})],
    "api.commitments": [("api commitments", {}),
                        ("api commitments overdue+party", lambda s: {"status": "overdue", "party": s.party_id}),
                        ("api commitments ?q=publish", {"q": "publish"})],
    "api.commitment": [("api commitment", lambda s: {"commitment_id": s.commitment_id})],
    "api.meetings": [("api meetings", {})],
    "api.meeting": [("api meeting", lambda s: {"meeting_id": s.meeting_id})],
    "api.comment_periods": [("api comment periods", {})],
    "api.comment_period": [("api comment period", lambda s: {"period_id": s.period_id})],
    "api.openapi": [("api openapi.json", {})],
    "health": [("health", {})],
    "pick.people": [("pick people", {"q": "a"})],
    "pick.owners": [("pick owners", {"q": "a"})],
    "pick.parties": [("pick parties", {"q": "c"})],
    # A common word fills the page from the first titles read; a rare one is found through the title index.
    "pick.letters": [("pick letters", {"q": "dns"}), ("pick letters rare word", {"q": "letter 4711"})],
    "pick.meetings": [("pick meetings", {"q": "m"})],
    "pick.commitments": [("pick commitments", {"q": "promise"}), ("pick commitments rare word", {"q": "letter 4711"}),
                         ("pick commitments no match", {"q": "item 4711"})],
}
# GET routes not timed, and why.
NOT_TIMED = {
    "static": "files the web server serves in production",
    "auth.login": "the sign-in form; signed-in users are sent on",
    "reminders.unsubscribe": "needs a signed token from an email; timed with the digest benchmarks",
    "accounts.set_password": "needs a single-use token from an email",
    "auth.entra_start": "hands over to Microsoft's sign-in",
    "auth.entra_callback": "answers Microsoft's sign-in",
}


def pages(app, sample: Sample) -> dict[str, str]:
    """Every GET route's sample URLs; stops when a GET route has no sample."""
    get_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missing = sorted(get_endpoints - ROUTE_SAMPLES.keys() - NOT_TIMED.keys())
    if missing:
        raise SystemExit(f"GET routes without a benchmark sample (add them to ROUTE_SAMPLES): {', '.join(missing)}")
    urls = {}
    with app.test_request_context():
        for endpoint in sorted(get_endpoints - NOT_TIMED.keys()):
            for name, values in ROUTE_SAMPLES[endpoint]:
                urls[name] = url_for(endpoint, **(values(sample) if callable(values) else values))
    return urls


def ensure_admin(app) -> None:
    """The benchmarks' admin account, made on first use."""
    from tracker.accounts import operations
    from tracker.auth.queries import user_by_email

    with app.app_context(), write_session() as session:
        if session.exec(user_by_email(ADMIN_EMAIL)).first() is None:
            operations.create_user(session, email=ADMIN_EMAIL, display_name="Bench admin", password=ADMIN_PASSWORD,
                                   role="admin")


def signed_in_client(app):
    ensure_admin(app)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


@dataclass(frozen=True)
class Measurement:
    p50: float
    p95: float
    worst: float
    statements: int  # per request
    rows: int  # fetched from the database, per request
    kilobytes: float  # response body


def measure(app, client, url: str, requests: int) -> Measurement:
    engine = app.extensions["db"].engine
    for _ in range(2):
        client.get(url)
    timings = []
    with StatementCounter(engine) as statements, RowCounter() as rows:
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return Measurement(statistics.median(timings), p95, max(timings), statements.count // requests,
                       rows.count // requests, len(response.data) / 1024)


def run(sizes: list[int], base_url: str | None, requests: int, only: list[str] | None = None,
        skip: list[str] | None = None) -> list[tuple]:
    results = []
    for size in sizes:
        url = database_for(size, base_url)
        ensure_data(size, url)
        app = create_app({"DATABASE_URL": url, "NOW": f"{TODAY.isoformat()}T09:00:00+00:00", "TESTING": False,
                          "SECRET_KEY": "bench-only-secret-of-at-least-32-characters", "WTF_CSRF_ENABLED": False, "MAIL_TRANSPORT": "memory"})
        client = signed_in_client(app)
        sample = busiest(app)
        gc.freeze()  # as app.py does once the application is built
        # Pages of a past day last: they put back changed records and roll them back, which on PostgreSQL leaves
        # dead rows and pages no longer known all-visible until VACUUM (autovacuum, off on a bench machine, would
        # clean them): index-only scans of the pages timed after them read the table too (the overview's counts
        # 4 ms -> 53 ms after a run of them).
        for name, path in sorted(pages(app, sample).items(), key=lambda page: "as_of=" in page[1]):
            if (only and not any(word in name for word in only)) or (skip and any(word in name for word in skip)):
                continue
            if "as_of=" in path and client.get(path).status_code == 400:
                # More changes since that day than AS_OF_MAX_CHANGES: the page says to choose a later day.
                results.append((size, name, None))
                print(f"  {size:>9,}  {name:<32} refused: more changes since that day than AS_OF_MAX_CHANGES",
                      file=sys.stderr)
                continue
            if "as_of=" in path:
                # Each request then rebuilds the day, as the first page of a day does; the sample itself then
                # times the next pages of that day, which reuse its replay (tracker/snapshots/cache.py).
                with kept_replays_off(app):
                    report(results, size, f"{name}, first view", measure(app, client, path, requests))
            report(results, size, name, measure(app, client, path, requests))
        app.extensions["db"].engine.dispose()
    return results


def report(results: list, size: int, name: str, result: Measurement) -> None:
    results.append((size, name, result))
    print(f"  {size:>9,}  {name:<32} p50 {result.p50:7.1f} ms  p95 {result.p95:7.1f} ms  "
          f"statements {result.statements:>3}  rows {result.rows:>6}  {result.kilobytes:8.1f} KB", file=sys.stderr)


@contextmanager
def kept_replays_off(app):
    """No past day's replay kept while inside (AS_OF_CACHE_RECORDS = 0), the configured budget again after."""
    budget = app.config["AS_OF_CACHE_RECORDS"]
    app.config["AS_OF_CACHE_RECORDS"] = 0
    app.extensions.pop("as_of_replays", None)
    try:
        yield
    finally:
        app.config["AS_OF_CACHE_RECORDS"] = budget
        app.extensions.pop("as_of_replays", None)


def table(results, backend: str) -> str:
    lines = ["| letters | page | p50 ms | p95 ms | max ms | SQL statements | rows fetched | KB sent |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size, name, m in results:
        if m is None:
            lines.append(f"| {size:,} | {name} | refused: more changes since that day than AS_OF_MAX_CHANGES "
                         "| | | | | |")
            continue
        lines.append(f"| {size:,} | {name} | {m.p50:.1f} | {m.p95:.1f} | {m.worst:.1f} | {m.statements} | {m.rows} "
                     f"| {m.kilobytes:.1f} |")
    by_page: dict[str, set[int]] = {}
    for _size, name, m in results:
        if m is not None:
            by_page.setdefault(name, set()).add(m.statements)
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
    parser.add_argument("--only", default="", help="comma-separated words: time only pages whose name has one")
    parser.add_argument("--skip", default="", help="comma-separated words: leave out pages whose name has one")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = run(sizes, args.database_url, args.requests, [w for w in args.only.split(",") if w.strip()],
                  [w for w in args.skip.split(",") if w.strip()])
    backend = make_url(args.database_url).get_backend_name() if args.database_url else "sqlite"
    print("command: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/bench_pages.py",
                                                            *(argv if argv is not None else sys.argv[1:])]))
    print(f"{args.requests} requests per page after 2 warm-up requests, Flask test client, signed in as admin, "
          f"clock pinned to {TODAY}")
    print()
    print(table(results, backend))


if __name__ == "__main__":
    main()
