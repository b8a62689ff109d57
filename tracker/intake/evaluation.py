"""Precision and recall of commitment extraction against hand-annotated expectations (tests/intake_corpus).

Three sets: the sample record (the extractor was developed on it), the second set (used while broadening the
patterns) and the held-out set in ``heldout/`` (written before the patterns were broadened and never used
to tune them): only the last is an honest estimate for letters nobody has read yet.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.intake.extract import Known, extract


@dataclass
class Score:
    expected: int
    found: int
    matched_expected: int
    matched_found: int
    missed: list[str]
    extra: list[str]

    @property
    def precision(self) -> float:
        return self.matched_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched_expected / self.expected if self.expected else 1.0


def score(texts: dict[str, str], expected: dict[str, list[list[str]]], known: Known = Known(),
          reference_date: date | None = None) -> Score:
    """Compare the candidates of each text with its expected (kind, phrase) list."""
    total = Score(0, 0, 0, 0, [], [])
    for name, text in texts.items():
        wanted = [(kind, " ".join(phrase.split())) for kind, phrase in expected.get(name, [])]
        candidates = extract(text, known, reference_date).candidates
        hits = [[c.kind == kind and phrase in c.sentence for c in candidates] for kind, phrase in wanted]
        total.expected += len(wanted)
        total.found += len(candidates)
        total.matched_expected += sum(1 for row in hits if any(row))
        total.matched_found += sum(1 for i in range(len(candidates)) if any(row[i] for row in hits))
        total.missed += [f"{name}: {kind} “{phrase}”" for (kind, phrase), row in zip(wanted, hits) if not any(row)]
        total.extra += [f"{name}: {c.kind} “{c.sentence[:90]}”" for i, c in enumerate(candidates)
                        if not any(row[i] for row in hits)]
    return total


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class EvaluationSet:
    label: str
    folder: Path
    expected: dict[str, list[list[str]]]
    known: Known = Known()


def evaluation_sets(corpus: Path, seeds: Path, seeds_known: Known = Known()) -> list[EvaluationSet]:
    """The sample record, the second set and the held-out set, each with its texts' folder and expectations."""
    gold = load_gold(corpus / "gold.json")
    heldout = corpus / "heldout"
    return [EvaluationSet("sample record", seeds, gold["seeds"], seeds_known),
            EvaluationSet("second set", corpus, gold["corpus"]),
            EvaluationSet("held-out set", heldout, load_gold(heldout / "gold.json")["heldout"])]


def score_set(evaluation_set: EvaluationSet, reference_date: date | None = None) -> Score:
    """Score one set's texts against its expectations."""
    texts = {name: (evaluation_set.folder / name).read_text(encoding="utf-8") for name in evaluation_set.expected}
    return score(texts, evaluation_set.expected, evaluation_set.known, reference_date)


def summary_line(label: str, result: Score) -> str:
    """'held-out set: expected 9, found 6, matched 6, precision 1.00, recall 0.67'."""
    return (f"{label}: expected {result.expected}, found {result.found}, matched {result.matched_expected}, "
            f"precision {result.precision:.2f}, recall {result.recall:.2f}")
