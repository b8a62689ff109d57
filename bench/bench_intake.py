"""Intake speed and quality.

Builds a 50-page PDF with text content streams (pypdf cannot write text, so the PDF is written by hand),
times reading + extraction + saving it into a fresh SQLite database, and prints precision and recall of
commitment extraction on the sample record, on tests/intake_corpus (second set) and on
tests/intake_corpus/heldout (held-out set).

    .venv/bin/python bench/bench_intake.py
    .venv/bin/python bench/bench_intake.py --database-url sqlite:///bench/out/bench_100000.db   # at scale
    .venv/bin/python bench/bench_intake.py --corpus PATH   # an annotated corpus folder (see bench_corpus.py)

``--database-url`` times the intake of one 5 KB letter (read, look up what is known, extract, save) into a
database made by generate.py, in a transaction that is rolled back, so the database is left as it was.
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.intake.helpers import SEEDS, known, pdf_bytes  # noqa: E402
from tracker.intake.evaluation import evaluation_sets, score_set, summary_line  # noqa: E402
from tracker.intake.extract import extract  # noqa: E402
from tracker.intake.read import read_document  # noqa: E402

PAGES = 50
LINES_PER_PAGE = 48


def fifty_page_pdf() -> bytes:
    lines = []
    for name in sorted(p.name for p in SEEDS.glob("00[0-4]_*.txt")):
        lines += [line.strip() for line in (SEEDS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    pages, cursor = [], 0
    for _ in range(PAGES):
        page = [lines[(cursor + i) % len(lines)][:110] for i in range(LINES_PER_PAGE)]
        cursor += LINES_PER_PAGE
        pages.append("\n".join(page))
    return pdf_bytes(pages)


def time_intake(data: bytes) -> dict[str, float]:
    from tests.conftest import testing_config
    from tracker import create_app, events
    from tracker.db import write_session
    from tracker.intake import operations
    from tracker.migrate import upgrade

    timings = {}
    started = time.perf_counter()
    document = read_document(data, "fifty-pages.pdf", 20 * 1024 * 1024)
    timings["read"] = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        app = create_app(testing_config(url))
        with app.app_context():
            started = time.perf_counter()
            with write_session() as session:
                known_now = operations.known_from(session)
                extraction = extract(document.text, known_now, date(2010, 5, 12))
                timings["extract"] = time.perf_counter() - started
                reviewed = operations.accept_all(extraction, document, data, known=known_now)
                if reviewed.sent_on is None:
                    reviewed.sent_on = date(2010, 5, 12)
                if not reviewed.participants:
                    reviewed.participants = [operations.ReviewedParticipant("author", party_name="Bench party")]
                saved = operations.save_intake(session, reviewed, max_bytes=20 * 1024 * 1024,
                                               actor=events.Actor(name="bench"), skip_unattributed=True)
            timings["total"] = time.perf_counter() - started + timings["read"]
    timings["characters"] = len(document.text)
    timings["candidates"] = len(extraction.candidates)
    timings["saved_commitments"] = len(saved.commitment_ids)
    return timings


def five_kb_letter() -> bytes:
    """The ccNSO letter of the sample record, with paragraphs of the CEO's reply to make it 5 KB."""
    letter = (SEEDS / "002_07fface5c0235766.txt").read_text(encoding="utf-8")
    extra = (SEEDS / "000_baf48a9fc2b21926.txt").read_text(encoding="utf-8")
    head, _, tail = letter.partition("Regards")
    body = head + "\n" + extra[: max(0, 5 * 1024 - len(letter))] + "\nRegards" + tail
    return body.encode("utf-8")


def time_intake_at_scale(database_url: str, repeats: int = 5) -> tuple[list[float], list[float]]:
    """(wall, CPU) seconds per intake of a 5 KB letter into the given database; each run rolled back.

    CPU seconds are this process's own work: on a machine shared with other jobs the wall time also counts
    waiting for a core."""
    from tests.conftest import testing_config
    from tracker import access, create_app, events
    from tracker.db import database
    from tracker.intake import operations

    data = five_kb_letter()
    app = create_app(testing_config(database_url))
    seconds, cpu = [], []
    with app.app_context():
        for _ in range(repeats):
            session = database().new_session(write=True)
            try:
                started, started_cpu = time.perf_counter(), time.process_time()
                document = read_document(data, "letter.txt", 20 * 1024 * 1024)
                known_now = operations.known_from(session, document.text)
                extraction = extract(document.text, known_now)
                operations.resolve_reply(session, extraction, access.EVERYTHING)
                reviewed = operations.accept_all(extraction, document, data, known=known_now)
                reviewed.sent_on = reviewed.sent_on or date(2010, 3, 11)
                if not any(p.role == "author" and (p.person_id or p.party_id or p.party_name)
                           for p in reviewed.participants):
                    reviewed.participants.append(operations.ReviewedParticipant("author", party_name="Bench party"))
                operations.save_intake(session, reviewed, max_bytes=20 * 1024 * 1024,
                                       actor=events.Actor(name="bench"), skip_unattributed=True)
                session.flush()
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            finally:
                session.rollback()
                session.close()
    return seconds, cpu


def time_near_duplicates(database_url: str, repeats: int = 10) -> dict[str, list[float]]:
    """Seconds per near-duplicate lookup (operations.near_duplicates) of the 5 KB letter, dated on a busy day
    of the generated data and undated (the search index alone), as an editor who sees every letter: wall time,
    and this process's CPU time (the database's own work is in the wall time only)."""
    from tests.conftest import testing_config
    from tracker import access, create_app
    from tracker.db import database
    from tracker.intake import operations

    from sqlalchemy import select, update

    from tracker.letters.models import Letter

    text = five_kb_letter().decode("utf-8")
    app = create_app(testing_config(database_url))
    timings: dict[str, list[float]] = {"dated 2010-03-11": [], "undated": []}
    with app.app_context():
        session = database().new_session(write=True)
        try:
            # Generated bodies are one line: for the comparison to cost what it would, the letters of that week get
            # real letters' text of the same length (each a different cut of the sample), rolled back at the end.
            sample = "\n\n".join((SEEDS / name).read_text(encoding="utf-8")
                                  for name in sorted(p.name for p in SEEDS.glob("00[0-4]_*.txt")))
            week = session.execute(select(Letter.id).where(Letter.sent_on.between(date(2010, 3, 8), date(2010, 3, 14)))
                                   ).scalars().all()
            for number, letter_id in enumerate(week):
                start = (number * 997) % (len(sample) - len(text))
                session.execute(update(Letter).where(Letter.id == letter_id)
                                .values(body=sample[start:start + len(text)]))
            print(f"{len(week)} letters sent 8–14 March 2010 given {len(text):,}-character bodies")
            for _ in range(repeats):
                for label, on in (("dated 2010-03-11", date(2010, 3, 11)), ("undated", None)):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    operations.near_duplicates(session, text, on, access.EVERYTHING)
                    timings[label].append(time.perf_counter() - started)
                    timings.setdefault(f"{label}, CPU", []).append(time.process_time() - started_cpu)
        finally:
            session.rollback()
            session.close()
    return timings


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="time one 5 KB letter's intake into this generated database")
    parser.add_argument("--corpus", help="score intake on an annotated corpus folder instead")
    args, rest = parser.parse_known_args()
    if args.corpus:
        from bench import bench_corpus

        sys.argv = [sys.argv[0], "--corpus", args.corpus, *rest]
        return bench_corpus.main()
    if args.database_url:
        seconds, cpu = time_intake_at_scale(args.database_url)
        print(f"5 KB letter into {args.database_url}: wall " + ", ".join(f"{s:.3f}" for s in seconds) +
              f" s (best {min(seconds):.3f}, worst {max(seconds):.3f}); CPU " + ", ".join(f"{s:.3f}" for s in cpu) +
              f" s ({'under' if max(seconds) < 1 else 'OVER'} the 1 s budget)")
        for label, near in time_near_duplicates(args.database_url).items():
            ordered = sorted(near)
            print(f"near-duplicate lookup, {label}: median {ordered[len(ordered) // 2] * 1000:.1f} ms, "
                  f"worst {ordered[-1] * 1000:.1f} ms over {len(ordered)} runs")
        return 0 if max(seconds) < 1 else 1
    data = fifty_page_pdf()
    t = time_intake(data)
    print(f"50-page PDF: {len(data) // 1024} KB, {t['characters']} characters, {t['candidates']} candidates")
    print(f"  read {t['read']:.2f} s, extract {t['extract']:.2f} s, total with save {t['total']:.2f} s "
          f"({'under' if t['total'] < 3 else 'OVER'} the 3 s budget)")
    for evaluation_set in evaluation_sets(ROOT / "tests" / "intake_corpus", SEEDS, known()):
        s = score_set(evaluation_set, date(2010, 3, 12))
        print(summary_line(evaluation_set.label, s))
        for line in s.missed:
            print(f"  missed {line}")
        for line in s.extra:
            print(f"  extra  {line}")
    return 0 if t["total"] < 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
