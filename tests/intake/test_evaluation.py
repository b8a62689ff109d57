from datetime import date
from pathlib import Path

from tests.intake.helpers import SEEDS, known
from tracker.intake.evaluation import load_gold, score
from tracker.intake.extract import Known

CORPUS = Path(__file__).resolve().parents[1] / "intake_corpus"
GOLD = load_gold(CORPUS / "gold.json")


def test_sample_record_finds_every_expected_commitment():
    texts = {name: (SEEDS / name).read_text(encoding="utf-8") for name in GOLD["seeds"]}
    result = score(texts, GOLD["seeds"], known(), date(2010, 3, 12))
    assert (result.expected, result.matched_expected) == (24, 24)
    assert result.missed == []
    assert result.precision >= 0.9


def test_second_set_scores_are_measured_not_assumed():
    texts = {name: (CORPUS / name).read_text(encoding="utf-8") for name in GOLD["corpus"]}
    result = score(texts, GOLD["corpus"], Known(), date(2010, 3, 12))
    # Pinned so that a change to the grammar shows up here and in the report.
    assert (result.expected, result.found, result.matched_expected, result.matched_found) == (10, 2, 2, 2)
