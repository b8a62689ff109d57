"""Requests per second of four pages under gunicorn, side by side with Datasette running the equivalent SQL on the
same SQLite file, then the same four pages on PostgreSQL.

    .venv/bin/pip install -r bench/requirements-throughput.txt      # Datasette, pinned
    apt-get install -y wrk                                          # the load generator
    .venv/bin/python bench/bench_throughput.py --letters 100000
    .venv/bin/python bench/bench_throughput.py --letters 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Our app runs as in production (README, "Production layout"): `gunicorn --workers 2 app:app`, CSRF and the sign-in
throttle on, signed in once as an admin; the session cookie is then sent with every request. Datasette serves the
same SQLite file with a database that only a signed actor may open (`allow: {"id": "root"}`), and its signed
`ds_actor` cookie is sent with every request, so both sides check a signature per request.

Each page is paired with one SQL query that returns the same rows in the same order with the same page size
(checked before loading: the ids on our page equal the ids of Datasette's answer). wrk loads one side at a time,
alternating app and Datasette per round, for a fixed duration with a fixed number of connections, on 127.0.0.1
only. With --database-url the generated data goes into a database named after the URL's with _<letters>
appended (created when missing, as bench_pages.py does) and our app is loaded on it alone: Datasette reads
SQLite only. Resident memory of each gunicorn worker is read after its runs (VmRSS, and Pss from smaps_rollup).
On PostgreSQL the CPU time of the server processes serving that database is read too (from /proc: the server
runs on this machine), since there that part of a page's work is done outside the workers.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from itsdangerous import URLSafeSerializer
from sqlalchemy import create_engine, func, text
from sqlalchemy.pool import NullPool
from sqlalchemy.engine import make_url
from sqlmodel import select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_pages import ADMIN_EMAIL, ADMIN_PASSWORD, TODAY, database_for, ensure_admin, ensure_data  # noqa: E402
from bench.generate import INTERNAL_PARTIES  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.commitments.models import CommitmentParty  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
SECRET = "throughput-bench-secret-of-at-least-32-characters"
DUE_SOON_DAYS = 14
LIST_CAP = 20        # tracker.dashboards.routes.LIST_CAP
TIMELINE_CAP = 30    # tracker.dashboards.routes.TIMELINE_CAP
PAGE_SIZE = 50       # config PAGE_SIZE
API_LIMIT = 100      # tracker.api.routes.DEFAULT_LIMIT
HOST = "127.0.0.1"
# Every request, the sign-in included, says it comes from the same browser: a session signed in from one browser
# and used from another is marked not fresh and written back with every answer (SESSION_PROTECTION), which a real
# browser never causes.
USER_AGENT = "bench-throughput"

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non_2xx": %d, '
    .. '"socket_errors": %d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""

# --- the equivalent SQL ---------------------------------------------------------------------------------------
# Dates are ISO strings in SQLite, so they compare as text. Parties on a commitment are listed by party name as
# on our pages; the owner is a person's name.

_ACTIVE = "status IN ('open', 'in_progress')"


def _sides(alias: str, as_json: bool = False) -> str:
    """made_by and made_to columns of commitment `alias`: short names (pages) or JSON objects (API)."""
    def side(name):
        if as_json:
            value = "json_group_array(json_object('id', id, 'name', name, 'short_name', short_name))"
            inner = "p.id, p.name, p.short_name"
        else:
            value, inner = "group_concat(short_name, ', ')", "p.short_name"
        return (f"(SELECT {value} FROM (SELECT {inner} FROM commitment_party cp JOIN party p ON p.id = cp.party_id "
                f"WHERE cp.commitment_id = {alias}.id AND cp.side = '{name}' ORDER BY p.name)) AS made_{name}")
    return f"{side('by')}, {side('to')}"


def _letter_sides(alias: str) -> str:
    def role(name):
        return (f"(SELECT group_concat(coalesce(pa.short_name, pe.name), ', ') FROM letter_participant lp "
                f"LEFT JOIN party pa ON pa.id = lp.party_id LEFT JOIN person pe ON pe.id = lp.person_id "
                f"WHERE lp.letter_id = {alias}.id AND lp.role = '{name}') AS {name}s")
    return f"{role('author')}, {role('recipient')}"


def _commitment_columns(alias: str = "c") -> str:
    return (f"{alias}.id, {alias}.title, {alias}.kind, {alias}.status, {alias}.progress, {alias}.due_latest, "
            f"{alias}.due_phrase, {alias}.due_precision, {alias}.fulfilled_on, {alias}.outcome, "
            f"(SELECT name FROM person WHERE person.id = {alias}.owner_id) AS owner, {_sides(alias)}")


def overview_sql(today: str, soon: str, month_ago: str) -> str:
    """The overview: five counts, four commitment lists and the late letters, LIST_CAP rows each."""
    lists = {
        1: f"SELECT id FROM commitment WHERE {_ACTIVE} AND due_latest < '{today}' ORDER BY due_latest, id",
        2: (f"SELECT id FROM commitment WHERE {_ACTIVE} AND due_latest >= '{today}' AND due_latest <= '{soon}' "
            "ORDER BY due_latest, id"),
        3: f"SELECT id FROM commitment WHERE {_ACTIVE} AND due_precision IN ('vague', 'unresolved') ORDER BY id",
        4: (f"SELECT id FROM commitment WHERE fulfilled_on >= '{month_ago}' AND fulfilled_on <= '{today}' "
            "AND status IN ('done', 'partly_done') ORDER BY fulfilled_on DESC, id DESC"),
    }
    late = f"SELECT * FROM letter WHERE reply_state = 'awaiting_reply' AND reply_by < '{today}' ORDER BY reply_by, id"
    shown = " UNION ALL ".join(
        f"SELECT {number} AS list, row_number() OVER () AS position, id FROM ({sql} LIMIT {LIST_CAP})"
        for number, sql in lists.items())
    counts = ", ".join(f"(SELECT count(*) FROM ({sql}))" for sql in (*lists.values(), late))
    return (f"SELECT 0 AS list, 0 AS position, NULL AS id, {counts}, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
            f"UNION ALL SELECT shown.list, shown.position, {_commitment_columns()} "
            f"FROM ({shown}) shown JOIN commitment c ON c.id = shown.id "
            f"UNION ALL SELECT 5, row_number() OVER (), l.id, l.subject, l.direction, l.reply_state, NULL, l.reply_by, "
            f"l.sent_on, l.date_precision, NULL, NULL, NULL, {_letter_sides('l')} "
            f"FROM ({late} LIMIT {LIST_CAP}) l "
            "ORDER BY list, position")


def party_sql(party_id: int, internal: bool, today: str, soon: str) -> str:
    """A party's page: summary counts and on-time rate, promised and asked lists, timeline, current roles,
    latest letters."""
    involving = f"id IN (SELECT commitment_id FROM commitment_party WHERE party_id = {party_id})"

    def on_side(side):
        return f"id IN (SELECT commitment_id FROM commitment_party WHERE party_id = {party_id} AND side = '{side}')"

    promises, requests = ("by", "to") if internal else ("to", "by")
    active_first = (f"CASE WHEN {_ACTIVE} THEN 0 ELSE 1 END, due_latest IS NULL, "
                    f"CASE WHEN {_ACTIVE} THEN due_latest END, due_latest DESC, id DESC")
    done = "status IN ('done', 'partly_done')"
    states = [f"{_ACTIVE} AND due_latest < '{today}'",
              f"{_ACTIVE} AND due_latest >= '{today}' AND due_latest <= '{soon}'",
              f"{_ACTIVE} AND due_precision IN ('vague', 'unresolved')",
              f"{done} AND fulfilled_on <= due_latest", f"{done} AND fulfilled_on > due_latest",
              f"kind = 'request' AND {_ACTIVE}",
              f"{done} AND due_latest IS NOT NULL AND fulfilled_on IS NOT NULL"]
    counts = ", ".join(f"(SELECT count(*) FROM commitment WHERE {involving} AND {state})" for state in states)
    on_time = (f"(SELECT coalesce(sum(fulfilled_on <= due_latest), 0) FROM commitment WHERE {involving} "
               f"AND {states[-1]})")
    lists = {
        1: f"SELECT id FROM commitment WHERE {on_side(promises)} AND kind = 'promise' ORDER BY {active_first}",
        2: f"SELECT id FROM commitment WHERE {on_side(requests)} AND kind = 'request' ORDER BY {active_first}",
        3: (f"SELECT id FROM commitment WHERE {involving} AND due_latest IS NOT NULL "
            f"ORDER BY due_latest DESC, id DESC"),
    }
    caps = {1: LIST_CAP, 2: LIST_CAP, 3: TIMELINE_CAP}
    shown = " UNION ALL ".join(f"SELECT {n} AS list, row_number() OVER () AS position, id FROM ({sql} LIMIT {caps[n]})"
                               for n, sql in lists.items())
    letters = (f"SELECT * FROM letter WHERE id IN (SELECT letter_id FROM letter_participant WHERE party_id = {party_id})"
               " ORDER BY sent_on DESC, id DESC")
    return (f"SELECT 0 AS list, 0 AS position, NULL AS id, {counts}, {on_time}, NULL, NULL, NULL, NULL, NULL, NULL "
            f"UNION ALL SELECT shown.list, shown.position, {_commitment_columns()}, c.baseline_earliest, "
            f"c.baseline_latest FROM ({shown}) shown JOIN commitment c ON c.id = shown.id "
            f"UNION ALL SELECT 4, row_number() OVER (), l.id, l.subject, l.direction, l.reply_state, NULL, l.reply_by, "
            f"l.sent_on, l.date_precision, NULL, NULL, NULL, {_letter_sides('l')}, NULL, NULL "
            f"FROM ({letters} LIMIT {LIST_CAP}) l "
            f"UNION ALL SELECT 5, row_number() OVER (ORDER BY r.id), r.id, r.title, pe.name, r.starts_on, NULL, "
            f"r.ends_on, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
            f"FROM role r JOIN person pe ON pe.id = r.person_id WHERE r.party_id = {party_id} "
            f"AND (r.starts_on IS NULL OR r.starts_on <= '{today}') AND (r.ends_on IS NULL OR r.ends_on >= '{today}') "
            "ORDER BY list, position")


def overdue_list_sql(today: str) -> str:
    """The commitments list filtered to overdue: its first page (one row more tells whether there is a next)."""
    return (f"SELECT {_commitment_columns()}, c.baseline_latest FROM commitment c "
            f"WHERE c.{_ACTIVE} AND c.due_latest < '{today}' "
            f"ORDER BY c.due_latest, c.id LIMIT {PAGE_SIZE + 1}")


def api_overdue_of_party_sql(party_id: int, today: str) -> str:
    """GET /api/commitments?status=overdue&party=<id>: the first page, every field the API gives."""
    return ("SELECT c.id, c.kind, c.title, c.quote, c.status, c.progress, c.due_phrase, c.due_earliest, "
            "c.due_latest, c.due_precision, c.due_anchor_meeting_id, c.baseline_phrase, c.baseline_earliest, "
            "c.baseline_latest, c.fulfilled_on, c.outcome, c.evidence_url, c.evidence_letter_id, "
            "c.evidence_meeting_id, c.source_letter_id, c.source_meeting_id, "
            "(SELECT json_object('id', id, 'name', name) FROM person WHERE person.id = c.owner_id) AS owner, "
            f"{_sides('c', as_json=True)} FROM commitment c "
            f"WHERE c.{_ACTIVE} AND c.due_latest < '{today}' "
            f"AND c.id IN (SELECT commitment_id FROM commitment_party WHERE party_id = {party_id}) "
            f"ORDER BY c.due_latest, c.id LIMIT {API_LIMIT + 1}")


@dataclass(frozen=True)
class Pair:
    """One of our pages and Datasette's equivalent query."""
    name: str
    path: str          # on our app
    sql: str
    datasette_format: str  # "html" for a page, "json" for the API
    ids_of_ours: object    # response body -> [id] in page order
    first_ids: int | None = None  # compare only the first n ids of Datasette's rows (its extra row tells "more")


def _html_ids(body: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="commitment-(\d+)"', body)]


def _list_ids(body: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-commitment-id="(\d+)"', body)]


def _api_ids(body: str) -> list[int]:
    return [item["id"] for item in json.loads(body)["items"]]


def pairs(party_id: int, internal: bool) -> list[Pair]:
    today = TODAY.isoformat()
    soon = (TODAY + timedelta(days=DUE_SOON_DAYS)).isoformat()
    month_ago = (TODAY - timedelta(days=30)).isoformat()
    return [
        Pair("overview", "/", overview_sql(today, soon, month_ago), "html", _html_ids),
        Pair("party page", f"/parties/{party_id}", party_sql(party_id, internal, today, soon), "html", _html_ids),
        Pair("overdue list", "/commitments/?status=overdue", overdue_list_sql(today), "html", _list_ids,
             first_ids=PAGE_SIZE),
        Pair("api overdue+party", f"/api/commitments?status=overdue&party={party_id}",
             api_overdue_of_party_sql(party_id, today), "json", _api_ids, first_ids=API_LIMIT),
    ]


def datasette_ids(pair: Pair, rows: list[dict]) -> list[int]:
    """The commitment ids Datasette's rows show, in the order our page shows them."""
    if pair.name == "overview":   # lists 1-4 are commitments, in page order: overdue, due soon, needs a decision, done
        order = {1: 0, 2: 1, 3: 2, 4: 3}
        return [r["id"] for r in sorted((r for r in rows if r["list"] in order),
                                        key=lambda r: (order[r["list"]], r["position"]))]
    if pair.name == "party page":  # promised, asked (the timeline is a picture, not rows with ids)
        return [r["id"] for r in rows if r["list"] in (1, 2)]
    return [r["id"] for r in rows][:pair.first_ids]


# --- servers --------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # answering, if only with a refusal
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start_app(database_url: str, port: int, preload: bool, log: Path, worker_class: str = "sync") -> subprocess.Popen:
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": SECRET,
           "TRACKER_NOW": f"{TODAY.isoformat()}T09:00:00+00:00", "TRACKER_MAIL_TRANSPORT": "memory"}
    command = [str(VENV_BIN / "gunicorn"), "--workers", "2", "--worker-class", worker_class, "--bind", f"{HOST}:{port}",
               "app:app"]
    if preload:
        command.insert(1, "--preload")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    wait_until_up(f"http://{HOST}:{port}/health", process)
    return process


def start_datasette(sqlite_file: Path, port: int, workdir: Path, log: Path) -> subprocess.Popen:
    metadata = workdir / "datasette-metadata.json"
    metadata.write_text(json.dumps({"databases": {sqlite_file.stem: {"allow": {"id": "root"}}}}))
    command = [str(VENV_BIN / "datasette"), "serve", str(sqlite_file), "--host", HOST, "--port", str(port),
               "--secret", SECRET, "--metadata", str(metadata)]
    process = subprocess.Popen(command, cwd=workdir, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    wait_until_up(f"http://{HOST}:{port}/-/versions.json", process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def sign_in(base: str) -> str:
    """Sign in through the form (CSRF token and all) once; returns the Cookie header to send with every request."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    form = opener.open(f"{base}/sign-in").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token on the sign-in form")
    data = urllib.parse.urlencode({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
                                   "csrf_token": token.group(1)}).encode()
    opener.open(f"{base}/sign-in", data=data).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookie:
        raise SystemExit("sign-in gave no session cookie")
    return cookie


def fetch(url: str, cookie: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def datasette_url(base: str, database: str, sql: str, shape: str) -> str:
    """The query's page (html) or its rows as a JSON array of objects, JSON columns parsed as the API gives them."""
    if shape == "json":
        json_columns = ["made_by", "made_to", "owner"] if "json_object" in sql else []
        return f"{base}/{database}.json?" + urllib.parse.urlencode(
            {"sql": sql, "_shape": "array", "_json": json_columns}, doseq=True)
    return f"{base}/{database}?" + urllib.parse.urlencode({"sql": sql})


def check_pair(pair: Pair, app_base: str, app_cookie: str, ds_base: str, ds_cookie: str, database: str) -> None:
    """Both sides answer 200 to the signed-in request, Datasette refuses an anonymous one, and the ids match."""
    status, body = fetch(app_base + pair.path, app_cookie)
    if status != 200:
        raise SystemExit(f"our {pair.path} answered {status}")
    ours = pair.ids_of_ours(body)  # a page sent on to the sign-in form shows no commitments
    status, _ = fetch(datasette_url(ds_base, database, pair.sql, pair.datasette_format), ds_cookie)
    if status != 200:
        raise SystemExit(f"Datasette answered {status} to {pair.name}")
    if fetch(datasette_url(ds_base, database, pair.sql, pair.datasette_format), None)[0] != 403:
        raise SystemExit("Datasette answers without a signed actor: the comparison would not be fair")
    status, rows = fetch(datasette_url(ds_base, database, pair.sql, "json"), ds_cookie)
    theirs = datasette_ids(pair, json.loads(rows))
    if not ours or ours != theirs:
        raise SystemExit(f"{pair.name}: our page shows {len(ours)} commitments {ours[:5]}…, Datasette's query "
                         f"{len(theirs)} {theirs[:5]}…: the SQL is not equivalent")


# --- load -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    cpu_seconds: float  # used by the server's processes during the run
    database_cpu_seconds: float = 0.0  # used by the PostgreSQL server's processes serving it, if any


def process_cpu_seconds(pid) -> float:
    """User + system CPU time of one process (0 once it has ended: a connection closed meanwhile)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU time of a server: gunicorn's workers (not the idle master), or Datasette's one process."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return sum(process_cpu_seconds(pid) for pid in children or [server.pid])


def database_cpu_seconds(engine) -> float:
    """User + system CPU time of the PostgreSQL server processes connected to the engine's database (the server
    runs on this machine: the benchmarks only talk to 127.0.0.1)."""
    with engine.connect() as connection:
        pids = connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND pid <> pg_backend_pid()")).scalars().all()
    return sum(process_cpu_seconds(pid) for pid in pids)


def wrk(url: str, cookie: str, seconds: int, connections: int, threads: int, script: Path,
        server: subprocess.Popen, database=None) -> Run:
    """One load run; `database`: an engine on the PostgreSQL database the app serves, whose server CPU is counted."""
    before = cpu_seconds(server)
    database_before = database_cpu_seconds(database) if database is not None else 0.0
    command = ["wrk", "--threads", str(threads), "--connections", str(connections), "--duration", f"{seconds}s",
               "--timeout", "10s", "--script", str(script), "--header", f"Cookie: {cookie}",
               "--header", f"User-Agent: {USER_AGENT}", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["non_2xx"] or report["socket_errors"]:
        raise SystemExit(f"{url}: {report['non_2xx']} non-2xx answers, {report['socket_errors']} socket errors")
    return Run(report["requests"], report["duration_us"] / 1e6, report["p50_us"] / 1000, report["p99_us"] / 1000,
               cpu_seconds(server) - before,
               database_cpu_seconds(database) - database_before if database is not None else 0.0)


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # server CPU time per request
    database_cpu_ms: float  # the PostgreSQL server's CPU time per request (0 on SQLite: it is in cpu_ms)


def combine(runs: list[Run]) -> Result:
    """All rounds as one: requests over total time; the median of the rounds' medians; the worst p99; the server's
    CPU time over all requests (on a machine shared with other work, the measure that other work disturbs least)."""
    requests = sum(r.requests for r in runs)
    return Result(requests / sum(r.seconds for r in runs), statistics.median(r.p50_ms for r in runs),
                  max(r.p99_ms for r in runs), 1000 * sum(r.cpu_seconds for r in runs) / requests,
                  1000 * sum(r.database_cpu_seconds for r in runs) / requests)


def worker_memory(master: subprocess.Popen) -> list[tuple[int, int]]:
    """(RSS KB, PSS KB) of each gunicorn worker."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    found = []
    for pid in children:
        rss = int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
        pss = int(re.search(r"Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text()).group(1))
        found.append((rss, pss))
    return found


def busiest_party(database_url: str) -> tuple[int, bool]:
    """The external party with the most commitments (as bench_pages.py picks)."""
    from tracker.db import get_session
    from tracker.parties.models import Party

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "MAIL_TRANSPORT": "memory"})
    ensure_admin(app)
    with app.app_context():
        session = get_session()
        party_id = session.exec(select(CommitmentParty.party_id).where(CommitmentParty.party_id > INTERNAL_PARTIES)
                                .group_by(CommitmentParty.party_id).order_by(func.count().desc()).limit(1)).first()
        internal = session.get(Party, party_id).is_internal
    app.extensions["db"].engine.dispose()
    return party_id, internal


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--database-url", default=None,
                        help="also load our app on this PostgreSQL server (database <name>_<letters>)")
    parser.add_argument("--seconds", type=int, default=5, help="duration of one load run (at most 20)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating app/Datasette runs per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
    parser.add_argument("--worker-class", default="sync",
                        help="gunicorn worker class: sync (the production command) or gthread (keeps connections open)")
    parser.add_argument("--only", default="", help="comma-separated words: load only pages whose name has one")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 20:
        raise SystemExit("--seconds: from 1 to 20")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if not (VENV_BIN / "datasette").exists():
        raise SystemExit("Datasette is not installed: .venv/bin/pip install -r bench/requirements-throughput.txt")

    sqlite_url = database_for(args.letters, None)
    ensure_data(args.letters, sqlite_url)
    sqlite_file = Path(make_url(sqlite_url).database)
    party_id, internal = busiest_party(sqlite_url)
    chosen = [p for p in pairs(party_id, internal)
              if not args.only or any(w in p.name for w in args.only.split(",") if w)]
    workdir = Path(tempfile.mkdtemp(prefix="throughput-"))
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    log = workdir / "servers.log"
    print(f"{args.letters:,} letters; party {party_id}; wrk {args.threads} threads, {args.connections} connections, "
          f"{args.rounds} × {args.seconds} s per page and side; gunicorn --workers 2"
          f"{' --preload' if args.preload else ''}; server output in {log}", file=sys.stderr)

    results: dict[tuple[str, str], Result] = {}
    memory: dict[str, list] = {}
    app_port, ds_port = free_port(), free_port()
    app = start_app(sqlite_url, app_port, args.preload, log, args.worker_class)
    datasette = start_datasette(sqlite_file, ds_port, workdir, log)
    try:
        app_base, ds_base = f"http://{HOST}:{app_port}", f"http://{HOST}:{ds_port}"
        app_cookie = sign_in(app_base)
        ds_cookie = "ds_actor=" + URLSafeSerializer(SECRET, "actor").dumps({"a": {"id": "root"}})
        for pair in chosen:
            check_pair(pair, app_base, app_cookie, ds_base, ds_cookie, sqlite_file.stem)
        for pair in chosen:
            ours, theirs = [], []
            for _ in range(args.rounds):
                ours.append(wrk(app_base + pair.path, app_cookie, args.seconds, args.connections, args.threads, script,
                                app))
                theirs.append(wrk(datasette_url(ds_base, sqlite_file.stem, pair.sql, pair.datasette_format),
                                  ds_cookie, args.seconds, args.connections, args.threads, script, datasette))
            results[("sqlite", pair.name)], results[("datasette", pair.name)] = combine(ours), combine(theirs)
            print(f"  {pair.name:<20} ours {results[('sqlite', pair.name)].rps:7.1f}/s  "
                  f"Datasette {results[('datasette', pair.name)].rps:7.1f}/s", file=sys.stderr)
        memory["sqlite"] = worker_memory(app)
    finally:
        stop(app)
        stop(datasette)

    if args.database_url:
        postgres_url = database_for(args.letters, args.database_url)
        ensure_data(args.letters, postgres_url)
        busiest_party(postgres_url)  # the admin account
        app = start_app(postgres_url, app_port, args.preload, log, args.worker_class)
        database = create_engine(postgres_url, poolclass=NullPool)
        try:
            app_base = f"http://{HOST}:{app_port}"
            app_cookie = sign_in(app_base)
            for pair in chosen:
                status, body = fetch(app_base + pair.path, app_cookie)
                if status != 200 or pair.ids_of_ours(body) is None:
                    raise SystemExit(f"our {pair.path} on PostgreSQL answered {status}")
                runs = [wrk(app_base + pair.path, app_cookie, args.seconds, args.connections, args.threads, script,
                            app, database) for _ in range(args.rounds)]
                results[("postgresql", pair.name)] = combine(runs)
                print(f"  {pair.name:<20} ours on PostgreSQL {results[('postgresql', pair.name)].rps:7.1f}/s",
                      file=sys.stderr)
            memory["postgresql"] = worker_memory(app)
        finally:
            stop(app)
            database.dispose()

    shutil.rmtree(workdir)  # kept when a run fails, for the servers' output
    print("command: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/bench_throughput.py",
                                                            *(argv if argv is not None else sys.argv[1:])]))
    print(f"{args.letters:,} letters, clock pinned to {TODAY}; wrk {args.threads} threads × {args.connections} "
          f"connections, {args.rounds} rounds × {args.seconds} s per side, app and Datasette alternating; "
          f"gunicorn --workers 2 --worker-class {args.worker_class}{' --preload' if args.preload else ''}; "
          f"Datasette {datasette_version()}")
    print()
    print("Requests per second, latency under load, and server CPU milliseconds per request (lower is better).")
    print()
    print("| page | ours SQLite req/s | p50 ms | p99 ms | CPU ms/req | Datasette req/s | p50 ms | p99 ms | CPU ms/req "
          "| ours / Datasette req/s | Datasette / ours CPU |"
          + (" ours PostgreSQL req/s | p50 ms | p99 ms | CPU ms/req | PostgreSQL server CPU ms/req "
             "| PostgreSQL / SQLite req/s |" if args.database_url else ""))
    print("|---|" + "---:|" * 10 + ("---:|" * 6 if args.database_url else ""))
    for pair in chosen:
        ours, theirs = results[("sqlite", pair.name)], results[("datasette", pair.name)]
        line = (f"| {pair.name} | {ours.rps:.1f} | {ours.p50_ms:.1f} | {ours.p99_ms:.1f} | {ours.cpu_ms:.1f} "
                f"| {theirs.rps:.1f} | {theirs.p50_ms:.1f} | {theirs.p99_ms:.1f} | {theirs.cpu_ms:.1f} "
                f"| {ours.rps / theirs.rps:.2f} | {theirs.cpu_ms / ours.cpu_ms:.2f} |")
        if args.database_url:
            pg = results[("postgresql", pair.name)]
            line += (f" {pg.rps:.1f} | {pg.p50_ms:.1f} | {pg.p99_ms:.1f} | {pg.cpu_ms:.1f} | {pg.database_cpu_ms:.1f} "
                     f"| {pg.rps / ours.rps:.2f} |")
        print(line)
    print()
    for backend, workers in memory.items():
        print(f"gunicorn workers on {backend} after serving: "
              + ", ".join(f"RSS {rss / 1024:.0f} MB / PSS {pss / 1024:.0f} MB" for rss, pss in workers))


def datasette_version() -> str:
    done = subprocess.run([str(VENV_BIN / "datasette"), "--version"], capture_output=True, text=True)
    return done.stdout.strip().rsplit(" ", 1)[-1]


if __name__ == "__main__":
    main()
