"""Latency, SQL statements and rows fetched of the main writes — sign in, log a letter, record a commitment,
reschedule it, paste a 5 KB letter into intake and save what it found — on the generated databases of
bench_pages.py, through the Flask test client, signed in as admin.

    .venv/bin/python bench/bench_writes.py --sizes 1000,100000
    .venv/bin/python bench/bench_writes.py --sizes 100000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Each timed write really happens (the rows stay: a few hundred among millions). Sign-in throttling is switched
off for the run, since it would refuse the repeated sign-ins it exists to refuse; the password check itself
(scrypt) is timed.
"""
from __future__ import annotations

import argparse
import gc
import html as entities
import re
import shlex
import statistics
import sys
import time
import uuid
from itertools import count
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_pages import (ADMIN_EMAIL, ADMIN_PASSWORD, TODAY, Measurement, Sample, busiest,  # noqa: E402
                               database_for, ensure_data, signed_in_client)
from tracker import create_app  # noqa: E402
from tracker.db import RowCounter, StatementCounter  # noqa: E402

_serial = count(1)
# Each pasted letter ends with this run's mark and a serial: intake refuses a text it has imported before, and the
# letters saved by an earlier run stay in the database.
_RUN = uuid.uuid4().hex[:8]

# A letter of about 5 KB as staff paste it: a salutation, paragraphs with promises, requests and dates, a sign-off.
_PARAGRAPH = ("Thank you for your letter of 12 March 2010 on the strategic plan. We will publish the revised "
              "operating plan by the end of April, and we will circulate a summary of the comments received "
              "within two weeks of the close of the comment period. We ask that the Council send its views on the "
              "budget framework before the Brussels meeting. ")


def pasted_letter() -> str:
    body = "\n\n".join(_PARAGRAPH for _ in range(12))
    return f"21 April 2010\n\nDear Chair,\n\n{body}\n\nYours sincerely,\n\nRod Beckstrom\nPresident and CEO\n"


def _form_fields(html: str) -> dict[str, list[str]]:
    """The review form as a browser posts it back: inputs (ticked checkboxes only), textareas, selected options."""
    fields: dict[str, list[str]] = {}
    for match in re.finditer(r"<input([^>]*)>", html):
        attributes = match.group(1)
        name = re.search(r'name="([^"]+)"', attributes)
        kind = re.search(r'type="([^"]+)"', attributes)
        if not name or (kind and kind.group(1) == "checkbox" and "checked" not in attributes):
            continue
        value = re.search(r'value="([^"]*)"', attributes)
        fields.setdefault(name.group(1), []).append(entities.unescape(value.group(1)) if value else "y")
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields.setdefault(match.group(1), []).append(entities.unescape(match.group(2).lstrip("\r\n")))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        for option in re.finditer(r"<option([^>]*)>", match.group(2)):
            if "selected" in option.group(1):
                fields.setdefault(match.group(1), []).append(re.search(r'value="([^"]*)"', option.group(1)).group(1))
    return fields


def writes(app, client, sample: Sample) -> dict[str, tuple]:
    """name → (method, path, form data or a callable giving it, expected status)."""
    due = {"due_phrase": "by end of May", "due_earliest": "", "due_latest": "2010-05-31", "due_precision": "day",
           "due_anchor_meeting_id": ""}

    def sign_in():
        return {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}

    def letter():
        return {"sent_on": "2010-05-11", "subject": f"Bench letter {next(_serial)}", "direction": "incoming",
                "author_parties": [str(sample.party_id)], "recipient_people": [str(sample.person_id)],
                "titles": "", "body": "<p>Dear all, we ask for the plan by the end of May.</p>", "source_url": ""}

    def commitment():
        return {**due, "kind": "promise", "title": f"Bench promise {next(_serial)}", "quote": "We will publish.",
                "source_letter_id": str(sample.letter_id), "source_meeting_id": "", "speaker_id": "",
                "made_by": ["1"], "made_to": [str(sample.party_id)], "owner_id": str(sample.person_id)}

    def reschedule():
        day = 10 + next(_serial) % 18
        return {**due, "due_phrase": f"by {day} June", "due_latest": f"2010-06-{day:02d}", "reason": "asked for"}

    def intake_save():
        review = client.post("/intake/", data={"pasted": pasted_letter() + f"\n({_RUN} {next(_serial)})\n"})
        fields = _form_fields(review.get_data(as_text=True))
        fields["subject"] = [f"Bench intake {next(_serial)}"]
        # Every pasted bench letter is nearly the same text: each is saved as a letter of its own on purpose.
        fields["separate_anyway"] = ["y"]
        for number in {int(key.split("-")[1]) for key in fields if key.startswith("candidates-")}:
            # The generated parties are not named in the pasted letter: staff choose them on review.
            fields[f"candidates-{number}-made_by"] = ["1"]
            fields[f"candidates-{number}-made_to"] = [str(sample.party_id)]
        return fields

    return {
        "sign in": ("POST", "/sign-in", sign_in, 302),
        "log a letter": ("POST", "/letters/new", letter, 302),
        "new commitment": ("POST", "/commitments/new", commitment, 302),
        "reschedule": ("POST", f"/commitments/{sample.commitment_id}/reschedule", reschedule, 302),
        "intake: paste 5 KB (read, extract, review page)": (
            "POST", "/intake/", lambda: {"pasted": pasted_letter() + f"\n({_RUN} {next(_serial)})\n"}, 200),
        "intake: save the reviewed letter": ("POST", "/intake/save", intake_save, 302),
    }


def measure_write(app, client, method: str, path: str, data, expected: int, requests: int) -> Measurement:
    engine = app.extensions["db"].engine
    timings, statements_total, rows_total = [], 0, 0
    for number in range(requests + 2):
        form = data()  # built outside the timing (intake's save needs its review page first)
        with StatementCounter(engine) as statements, RowCounter() as rows:
            started = time.perf_counter()
            response = client.open(path, method=method, data=form)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != expected:
            messages = re.findall(r'class="(?:error|field-error|flash)"[^>]*>([^<]*)', response.get_data(as_text=True))
            raise SystemExit(f"{method} {path} answered {response.status_code}, expected {expected}: "
                             + ("; ".join(m.strip() for m in messages) or "no message on the page"))
        if number >= 2:  # two warm-ups
            timings.append(elapsed)
            statements_total += statements.count
            rows_total += rows.count
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return Measurement(statistics.median(timings), p95, max(timings), statements_total // requests,
                       rows_total // requests, len(response.data) / 1024)


def run(sizes: list[int], base_url: str | None, requests: int) -> list[tuple]:
    results = []
    for size in sizes:
        url = database_for(size, base_url)
        ensure_data(size, url)
        app = create_app({"DATABASE_URL": url, "NOW": f"{TODAY.isoformat()}T09:00:00+00:00", "TESTING": False,
                          "SECRET_KEY": "bench-only-secret-of-at-least-32-characters", "WTF_CSRF_ENABLED": False,
                          "MAIL_TRANSPORT": "memory", "RATELIMIT_ENABLED": False})
        client = signed_in_client(app)
        sample = busiest(app)
        gc.freeze()
        for name, (method, path, data, expected) in writes(app, client, sample).items():
            target = app.test_client() if name == "sign in" else client
            try:
                result = measure_write(app, target, method, path, data, expected, requests)
            except SystemExit as refusal:  # one write refused: said, and the others still timed
                print(f"  {size:>9,}  {name:<48} not timed: {refusal}", file=sys.stderr)
                results.append((size, name, None))
                continue
            results.append((size, name, result))
            print(f"  {size:>9,}  {name:<48} p50 {result.p50:7.1f} ms  p95 {result.p95:7.1f} ms  "
                  f"statements {result.statements:>3}  rows {result.rows:>6}", file=sys.stderr)
        app.extensions["db"].engine.dispose()
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated letter counts")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per write")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 1000:
        parser.error("--requests must be between 1 and 1000")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = run(sizes, args.database_url, args.requests)
    backend = make_url(args.database_url).get_backend_name() if args.database_url else "sqlite"
    print("command: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/bench_writes.py",
                                                            *(argv if argv is not None else sys.argv[1:])]))
    print(f"backend: {backend}; {args.requests} requests per write after 2 warm-ups, clock pinned to {TODAY}")
    print()
    print("| letters | write | p50 ms | p95 ms | max ms | SQL statements | rows fetched |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size, name, m in results:
        if m is None:
            print(f"| {size:,} | {name} | not timed (see above) | | | | |")
            continue
        print(f"| {size:,} | {name} | {m.p50:.1f} | {m.p95:.1f} | {m.worst:.1f} | {m.statements} | {m.rows} |")


if __name__ == "__main__":
    main()
