"""Resident memory of each gunicorn worker after serving the common pages and the exports, at a given size.

    .venv/bin/python bench/bench_memory.py --letters 100000
    .venv/bin/python bench/bench_memory.py --letters 100000 --preload
    .venv/bin/python bench/bench_memory.py --letters 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Our app runs as in production (README, "Production layout"): `gunicorn --workers 2 [--preload] app:app`, signed in
once as an admin. Two clients on 127.0.0.1 then take turns over the overview, the busiest party's page, the overdue
list, the API's overdue list of that party, and that list exported as CSV and as an Excel workbook, --rounds times;
every --big-every rounds each client also exports every overdue commitment (about 15,000 rows at 100k letters) as
CSV and as a workbook. Each worker's VmRSS (/proc/<pid>/status) and Pss (/proc/<pid>/smaps_rollup, its share of
the pages it has in common with the master and the other worker) are printed after start, after the first round,
and at the end. Needs no load generator: the requests are made one after another by each client (no wrk).
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_pages import database_for, ensure_data  # noqa: E402
from bench.bench_throughput import (HOST, USER_AGENT, busiest_party, free_port, pairs, sign_in,  # noqa: E402
                                    start_app, stop, worker_memory)

MAX_ROUNDS = 2000


def paths(party_id: int, internal: bool) -> tuple[list[str], list[str]]:
    """(every round's pages, the big exports)."""
    pages = [pair.path for pair in pairs(party_id, internal)]
    pages += [f"/commitments/export.csv?status=overdue&party={party_id}",
              f"/commitments/export.xlsx?status=overdue&party={party_id}"]
    return pages, ["/commitments/export.csv?status=overdue", "/commitments/export.xlsx?status=overdue"]


def get(url: str, cookie: str) -> tuple[int, int]:
    """(status, bytes read) of one GET."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def client(base: str, cookie: str, pages: list[str], big: list[str], rounds: int, big_every: int,
           failures: list[str], after_first_round: threading.Barrier) -> None:
    for number in range(1, rounds + 1):
        for path in pages + (big if big_every and number % big_every == 0 else []):
            status, _ = get(base + path, cookie)
            if status != 200:
                failures.append(f"{path}: {status}")
        if number == 1:
            after_first_round.wait()  # both clients done with round one: memory is read once here
            after_first_round.wait()


def report(label: str, workers: list[tuple[int, int]]) -> str:
    return f"{label}: " + ", ".join(f"RSS {rss / 1024:.1f} MB / PSS {pss / 1024:.1f} MB" for rss, pss in workers)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server (database <name>_<letters>) instead of the SQLite file")
    parser.add_argument("--rounds", type=int, default=200, help=f"rounds per client (at most {MAX_ROUNDS})")
    parser.add_argument("--big-every", type=int, default=50, help="big exports every this many rounds (0: never)")
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
    parser.add_argument("--hide", action="append", default=[], metavar="MODULE",
                        help="make `import MODULE` fail in the workers, as in an install without it (repeatable): "
                             "numpy, which openpyxl loads when it can, stays in a virtualenv that once had pandas")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= MAX_ROUNDS:
        raise SystemExit(f"--rounds: from 1 to {MAX_ROUNDS}")

    url = database_for(args.letters, args.database_url)
    ensure_data(args.letters, url)
    party_id, internal = busiest_party(url)
    pages, big = paths(party_id, internal)
    workdir = Path(tempfile.mkdtemp(prefix="memory_bench_"))
    log = workdir / "server.log"
    if args.hide:
        for module in args.hide:
            (workdir / f"{module}.py").write_text(f"raise ImportError('{module} is hidden by bench_memory.py')\n")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(workdir), os.environ.get("PYTHONPATH")]))
    port = free_port()
    app = start_app(url, port, args.preload, log)
    lines = []
    try:
        base = f"http://{HOST}:{port}"
        cookie = sign_in(base)
        lines.append(report("after start and sign-in", worker_memory(app)))
        failures: list[str] = []
        barrier = threading.Barrier(3)
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(base, cookie, pages, big, args.rounds, args.big_every,
                                                           failures, barrier)) for _ in range(2)]
        for thread in threads:
            thread.start()
        barrier.wait()
        lines.append(report("after one round", worker_memory(app)))
        barrier.wait()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        lines.append(report(f"after {args.rounds} rounds", worker_memory(app)))
        if failures:
            raise SystemExit(f"{len(failures)} requests failed, first: {failures[0]}")
    finally:
        stop(app)
    print("command: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/bench_memory.py",
                                                            *(argv if argv is not None else sys.argv[1:])]))
    backend = "PostgreSQL" if args.database_url else "SQLite"
    requests = 2 * (args.rounds * len(pages) + (args.rounds // args.big_every if args.big_every else 0) * len(big))
    print(f"{args.letters:,} letters on {backend}; gunicorn --workers 2{' --preload' if args.preload else ''}"
          f"{''.join(f'; {module} hidden' for module in args.hide)}; "
          f"2 clients × {args.rounds} rounds of {', '.join(pages)}; {requests:,} requests in {seconds:.0f} s")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
