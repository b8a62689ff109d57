"""Accuracy and speed of the due-window grammar, next to dateparser's search_dates.

Run: python bench/bench_duedates.py   (from the repository root or anywhere else)
     python bench/bench_duedates.py --instructions   (CPU instructions per corpus call, counted
                                                      by valgrind's callgrind: machine-independent)

Throughput is measured twice: on the corpus sentences (each holds a due expression) and on
every sentence of two real documents of the demo record (LETTER_SEEDS), most of which hold
none; that is how intake calls parse_due.  Each figure is given per second of wall-clock time
and per second of process CPU time; on a busy machine compare them with the printed
sum(range(1000)) baseline.

Scoring (the same for both parsers, on tests/duedates/corpus.tsv):
  * a row expecting a date (precision day/window) counts as correct when the parser yields
    the expected LATEST day: for parse_due, ``window.latest``; for dateparser, when ANY of
    the dates returned by ``search_dates`` equals it (a generous reading: dateparser has no
    notion of which date is the due one, nor of windows or deadlines);
  * a row expecting "vague" counts as correct when parse_due says vague, and for dateparser
    when it returns nothing at all (it has no vague answer);
  * a row expecting "unresolved" (an unknown meeting) counts as correct when parse_due says
    unresolved, and for dateparser when it returns nothing.
dateparser settings: RELATIVE_BASE = written_on (as a datetime), PREFER_DATES_FROM='future'.
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.duedates import parse_due  # noqa: E402

CORPUS = ROOT / "tests" / "duedates" / "corpus.tsv"
SEEDS = ROOT / "tracker" / "demo" / "seeds"
# (document, the day it was written): the CEO's reply and the Nairobi session transcript.
LETTER_SEEDS = (("000_baf48a9fc2b21926.txt", date(2010, 4, 21)),
                ("004_26ea40bcf093d0fb.txt", date(2010, 3, 9)))
# Meetings as intake passes them (every known meeting is a possible anchor).
LETTER_EVENTS = {"Brussels meeting": (date(2010, 6, 20), date(2010, 6, 25)),
                 "Nairobi meeting": (date(2010, 3, 7), date(2010, 3, 12))}
THROUGHPUT_CALLS = 50_000
THROUGHPUT_TARGET = 5_000


def load_corpus():
    with CORPUS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def expected(row):
    latest = date.fromisoformat(row["expected_latest"]) if row["expected_latest"] else None
    return row["expected_precision"], latest


def duedates_correct(row) -> bool:
    want, latest = expected(row)
    w = parse_due(row["sentence"], date.fromisoformat(row["written_on"]))
    if w is None:
        return False
    if want in ("vague", "unresolved"):
        return w.precision == want
    return w.latest == latest


def table_accuracy() -> tuple[int, int]:
    from tests.duedates import test_parse_due as t  # the parametrised rule table of the test-suite

    hits = 0
    for text, written_on, events, phrase, earliest, latest, precision, anchor in t.TABLE:
        w = parse_due(text, written_on, events)
        hits += bool(w and phrase in w.phrase and (w.earliest, w.latest, w.precision, w.anchor)
                     == (earliest, latest, precision, anchor))
    negatives = sum(parse_due(text, date(2010, 4, 21), t.BRUSSELS) is None
                    for text in t.NEGATIVES)
    return hits + negatives, len(t.TABLE) + len(t.NEGATIVES)


def examples_and_combined_accuracy() -> tuple[int, int, int, int]:
    """(hits, total) on the examples of every rule and combination, and on the combined-phrase table."""
    from tests.duedates import test_rules as t
    from tracker.duedates import COMBINATIONS, RULES
    from tracker.duedates.rules import EXAMPLE_EVENTS, EXAMPLE_WRITTEN_ON

    example_hits = example_total = 0
    for rule in RULES + COMBINATIONS:
        for example in rule.examples:
            phrase, expected = example[:2]
            w = parse_due(phrase, example[2] if len(example) > 2 else EXAMPLE_WRITTEN_ON, EXAMPLE_EVENTS)
            example_total += 1
            example_hits += (w is None if expected == "none" else
                             w is not None and (w.earliest, w.latest, w.precision) == t.expected_window(expected))
    combined_hits = 0
    for text, written_on, expected, anchor, moving in t.COMBINED:
        w = parse_due(text, written_on, t.BRUSSELS)
        combined_hits += bool(w and (w.earliest, w.latest, w.precision) == t.expected_window(expected)
                              and w.anchor == anchor and w.anchored_bounds == moving)
    return example_hits, example_total, combined_hits, len(t.COMBINED)


def dateparser_accuracy(rows):
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    hits = 0
    start = time.perf_counter()
    for row in rows:
        want, latest = expected(row)
        written = date.fromisoformat(row["written_on"])
        settings = {"RELATIVE_BASE": datetime(written.year, written.month, written.day),
                    "PREFER_DATES_FROM": "future"}
        found = search_dates(row["sentence"], languages=["en"], settings=settings) or []
        if want in ("vague", "unresolved"):
            hits += not found
        else:
            hits += any(d.date() == latest for _, d in found)
    elapsed = time.perf_counter() - start
    return hits, len(rows) / elapsed


def letter_sentences() -> list[tuple[str, date]]:
    """Every sentence of the LETTER_SEEDS documents, whitespace collapsed (as intake does)."""
    calls = []
    for name, written_on in LETTER_SEEDS:
        text = " ".join((SEEDS / name).read_text(encoding="utf-8").split())
        for sentence in re.split(r"(?<=[.!?;:])\s+(?=\S)", text):
            if sentence:
                calls.append((sentence, written_on))
    return calls


def throughput(calls, events=None) -> tuple[float, float]:
    """(calls per wall-clock second, calls per CPU second) of parse_due over ``calls``."""
    for s, w in calls:  # warm-up
        parse_due(s, w, events)
    n = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while n < THROUGHPUT_CALLS:
        for s, w in calls:
            parse_due(s, w, events)
        n += len(calls)
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu_start)


def machine_baseline_us() -> float:
    """Time of sum(range(1000)) in microseconds: lets readers scale the figures."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(2000):
            sum(range(1000))
        best = min(best, (time.perf_counter() - start) / 2000 * 1e6)
    return best


def corpus_loop(rounds: int) -> None:
    """parse_due over every corpus sentence, once to warm up and then ``rounds`` times."""
    calls = [(r["sentence"], date.fromisoformat(r["written_on"])) for r in load_corpus()]
    for _ in range(rounds + 1):
        for s, w in calls:
            parse_due(s, w)


def instructions_per_call(rounds: int = 20) -> float:
    """Instructions of one corpus call: (count of N+1 passes - count of 1 pass) / (N * calls),
    so that start-up, imports and warm-up cancel out."""
    def count(n: int) -> int:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
             __file__, "--corpus-loop", str(n)], capture_output=True, text=True, check=True)
        refs = re.search(r"refs:\s+([\d,]+)", done.stderr)
        return int(refs.group(1).replace(",", ""))
    return (count(rounds) - count(0)) / (rounds * len(load_corpus()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instructions", action="store_true",
                        help="count CPU instructions per corpus call with valgrind (~30 s)")
    parser.add_argument("--corpus-loop", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.corpus_loop is not None:
        corpus_loop(args.corpus_loop)
        return
    if args.instructions:
        if shutil.which("valgrind") is None:
            parser.error("--instructions needs valgrind (apt-get install valgrind)")
        print(f"parse_due: {instructions_per_call():,.0f} CPU instructions per corpus call "
              f"(callgrind, {len(load_corpus())} sentences x 20 rounds)")
        return
    rows = load_corpus()
    ours = sum(duedates_correct(r) for r in rows)
    table_hits, table_total = table_accuracy()
    example_hits, example_total, combined_hits, combined_total = examples_and_combined_accuracy()
    theirs = dateparser_accuracy(rows)
    speed, cpu_speed = throughput([(r["sentence"], date.fromisoformat(r["written_on"]))
                                   for r in rows])
    letter = letter_sentences()
    found = sum(parse_due(s, w, LETTER_EVENTS) is not None for s, w in letter)
    letter_speed, letter_cpu = throughput(letter)
    anchored_speed, anchored_cpu = throughput(letter, LETTER_EVENTS)

    print(f"corpus: {len(rows)} sentences ({CORPUS.relative_to(ROOT)})")
    print()
    print(f"{'parser':<34}{'corpus accuracy':>18}{'phrases/s':>12}")
    print(f"{'tracker.duedates.parse_due':<34}{ours:>6}/{len(rows):<3} {ours / len(rows):>6.1%}"
          f"{speed:>12,.0f}")
    if theirs is None:
        print("dateparser not installed: skipped")
    else:
        hits, their_speed = theirs
        print(f"{'dateparser.search.search_dates':<34}{hits:>6}/{len(rows):<3} "
              f"{hits / len(rows):>6.1%}{their_speed:>12,.0f}")
    print()
    print(f"parse_due on the test rule table + negatives: {table_hits}/{table_total} "
          f"({table_hits / table_total:.1%})")
    print(f"parse_due on the rules' own examples: {example_hits}/{example_total}; "
          f"on combined phrases: {combined_hits}/{combined_total}")
    verdict = "meets" if speed >= THROUGHPUT_TARGET else "BELOW"
    print(f"parse_due throughput: {speed:,.0f} phrases/s over {THROUGHPUT_CALLS:,} calls "
          f"({verdict} the {THROUGHPUT_TARGET:,}/s target); {cpu_speed:,.0f} per CPU second")
    print(f"parse_due on letter sentences: {letter_speed:,.0f} sentences/s "
          f"({letter_cpu:,.0f} per CPU second); with meetings as events: "
          f"{anchored_speed:,.0f}/s ({anchored_cpu:,.0f} per CPU second) "
          f"[{len(letter)} sentences of {', '.join(n for n, _ in LETTER_SEEDS)}; "
          f"{found} hold a due expression]")
    print(f"machine baseline: sum(range(1000)) = {machine_baseline_us():.1f} us "
          f"(a typical 2020s laptop: ~8-10 us)")


if __name__ == "__main__":
    main()
