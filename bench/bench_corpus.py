"""Intake quality on an annotated correspondence corpus kept outside this repository.

The corpus folder holds ``docs/``, ``gold.json`` and ``score.py`` (its scorer). This runs our reader and
extractor in-process on each document (what `flask intake FILE --json` prints, with nothing known), hands the
results to the corpus's own scorer, and prints its totals overall and per genre (letters, notes/minutes,
announcements), so figures here are the scorer's figures, only faster than one CLI run per document.

    .venv/bin/python bench/bench_corpus.py --corpus PATH_TO_CORPUS [-v] [--only NN] [--json]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.intake.extract import as_dict, extract  # noqa: E402
from tracker.intake.read import read_document  # noqa: E402

# The corpus describes each document's genre in free text; these words sort them into the three reported groups
# (checked first to last; a staff notice that quotes a reply is an announcement, a relayed letter a letter).
GENRES = (("notes/minutes", ("minutes", "notes", "action item", "action list", "actions", "meeting summary")),
          ("announcements", ("announcement", "call for", "staff email", "staff message", "news item")),
          ("letters", ("letter", "reply", "forward", "relaying")))


def genre_of(description: str) -> str:
    text = description.lower()
    for label, words in GENRES:
        if any(word in text for word in words):
            return label
    return "announcements"


def load_scorer(corpus: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(corpus: Path, names: list[str], scorer) -> dict[str, dict]:
    """{file name: the scorer's normalised view of our extraction, or {'error': …}}."""
    found = {}
    for name in names:
        try:
            data = (corpus / "docs" / name).read_bytes()
            document = read_document(data, name)
            found[name] = scorer.normalise(as_dict(extract(document.text)))
        except Exception as error:  # a document that breaks intake counts as all missed, as in the CLI run
            found[name] = {"error": f"{type(error).__name__}: {error}"}
    return found


def totals(rows: dict[str, dict], gold: dict) -> dict:
    keys = ("tp", "fp", "fn", "dup", "opt", "kind_ok", "due_ok", "due_ok_lenient", "n_expected", "n_found")
    t = {k: sum(r[k] for r in rows.values()) for k in keys}
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
    r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
    t.update(precision=p, recall=r, f1=2 * p * r / (p + r) if p + r else 0.0)
    dated = [n for n in rows if rows[n]["date_scored"]]
    t["date"] = (sum(rows[n]["date_ok"] for n in dated), len(dated))
    for key in ("sig", "rec"):
        s = [sum(rows[n][key][i] for n in rows) for i in range(4)]
        sp = s[2] / s[3] if s[3] else 0.0
        sr = s[0] / s[1] if s[1] else 0.0
        t[key] = (sp, sr, 2 * sp * sr / (sp + sr) if sp + sr else 0.0)
    empty = [n for n in rows if not any(not c.get("optional") for c in gold[n]["commitments"])]
    t["empty_fp"] = (sum(rows[n]["fp"] for n in empty), len(empty))
    return t


def line(label: str, t: dict) -> str:
    tp = t["tp"] or 1
    return (f"{label:<14} P {t['precision']:.2f} R {t['recall']:.2f} F1 {t['f1']:.2f} "
            f"(tp {t['tp']} fp {t['fp']} fn {t['fn']} dup {t['dup']}) kind {t['kind_ok']}/{t['tp']} "
            f"({t['kind_ok'] / tp:.0%}) due {t['due_ok']}/{t['tp']} ({t['due_ok'] / tp:.0%}; lenient "
            f"{t['due_ok_lenient']}/{t['tp']}, {t['due_ok_lenient'] / tp:.0%}) "
            f"date {t['date'][0]}/{t['date'][1]} sig F1 {t['sig'][2]:.2f} rec F1 {t['rec'][2]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", required=True, type=Path, help="folder with docs/, gold.json and score.py")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses, extras, wrong kinds and dues")
    parser.add_argument("--only", help="only this document number or file-name substring")
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    args = parser.parse_args()

    scorer = load_scorer(args.corpus)
    gold_all = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
    gold, compact = gold_all["documents"], gold_all.get("compact", {})
    names = sorted(n for n in gold if not args.only or (n.split("_", 1)[0].lstrip("0") == args.only.lstrip("0")
                                                         if args.only.isdigit() else args.only in n))
    got = predictions(args.corpus, names, scorer)
    rows = {n: scorer.score_document(gold[n], got[n], compact.get(n, [])) for n in names}

    if args.verbose:
        for n in names:
            x = rows[n]
            print(f"{n}: tp {x['tp']} fp {x['fp']} fn {x['fn']} date {'ok' if x['date_ok'] else x['date_got']}"
                  f" sig {x['sig']} rec {x['rec']}" + (f" ERROR {x['error']}" if x["error"] else ""))
            if x["date_scored"] and not x["date_ok"]:
                print(f"    date    expected {gold[n].get('date_ok') or gold[n]['date']}, got {x['date_got']}")
            for kind, items in (("missed", x["misses"]), ("extra", x["extras"]), ("kind", x["kind_misses"]),
                                ("due", x["due_misses"])):
                for item in items:
                    print(f"    {kind:<7} {item}")
            if x["sig"][2] < x["sig"][3] or x["rec"][2] < x["rec"][3] or x["sig"][0] < x["sig"][1] \
                    or x["rec"][0] < x["rec"][1]:
                print(f"    people  authors {[a['name'] or a['party'] for a in got[n].get('authors', [])]} "
                      f"recipients {[a['name'] or a['party'] for a in got[n].get('recipients', [])]}")
                print(f"            expected sig {[p['name'] for p in gold[n]['signatories']]} "
                      f"rec {[p['name'] for p in gold[n]['recipients']]}")

    groups: dict[str, dict] = {}
    for n in names:
        groups.setdefault(genre_of(gold[n].get("genre", "")), {})[n] = rows[n]
    overall = totals(rows, gold)
    if args.json:
        print(json.dumps({"overall": overall, **{g: totals(r, gold) for g, r in groups.items()}}, default=str,
                         indent=1))
        return 0
    print(line("overall", overall))
    for label in ("letters", "notes/minutes", "announcements"):
        if label in groups:
            print(line(label, totals(groups[label], gold)))
    print(f"no-commitment documents: {overall['empty_fp'][0]} false positive(s) on {overall['empty_fp'][1]}; "
          f"errors {sum(1 for x in rows.values() if x['error'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
