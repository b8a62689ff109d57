"""Intake speed and quality.

Builds a 50-page PDF with text content streams (pypdf cannot write text, so the PDF is written by hand),
times reading + extraction + saving it into a fresh SQLite database, and prints precision and recall of
commitment extraction on the sample record, on tests/intake_corpus (second set) and on
tests/intake_corpus/heldout (held-out set).

    .venv/bin/python bench/bench_intake.py
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


def main() -> int:
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
