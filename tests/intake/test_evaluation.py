from datetime import date
from pathlib import Path

from tests.intake.helpers import SEEDS, known
from tracker.intake.evaluation import evaluation_sets, load_gold, score, score_set, summary_line
from tracker.intake.extract import Known

CORPUS = Path(__file__).resolve().parents[1] / "intake_corpus"
GOLD = load_gold(CORPUS / "gold.json")


def counts(result):
    return result.expected, result.found, result.matched_expected, result.matched_found


def test_sample_record_finds_every_expected_commitment():
    texts = {name: (SEEDS / name).read_text(encoding="utf-8") for name in GOLD["seeds"]}
    result = score(texts, GOLD["seeds"], known(), date(2010, 3, 12))
    assert (result.expected, result.matched_expected) == (24, 24)
    assert result.missed == []
    assert result.precision >= 0.9


# The counts below are pinned so that any change to the grammar shows up here and in the report.
def test_second_set_scores_are_measured_not_assumed():
    texts = {name: (CORPUS / name).read_text(encoding="utf-8") for name in GOLD["corpus"]}
    result = score(texts, GOLD["corpus"], Known(), date(2010, 3, 12))
    assert counts(result) == (10, 10, 10, 10)


def test_heldout_set_scores_are_measured_not_assumed():
    heldout = evaluation_sets(CORPUS, SEEDS, known())[2]
    result = score_set(heldout, date(2010, 3, 12))
    # Before the patterns were broadened: (9, 3, 1, 1), precision 0.33, recall 0.11.
    assert counts(result) == (9, 6, 6, 6)
    assert result.missed == [
        "lincoln_to_hooker_1863.txt: request “go forward, and give us victories”",
        "lincoln_to_grant_1864.txt: promise “If there is anything wanting which is within my power to give”",
        "kennedy_to_khrushchev_1962_10_28.txt: request “I hope that the necessary measures can at once be taken "
        "through the United Nations”"]


def test_letters_without_commitments_in_the_heldout_set_yield_no_candidates():
    heldout = evaluation_sets(CORPUS, SEEDS, known())[2]
    empty = [name for name, expected in heldout.expected.items() if not expected]
    assert len(empty) == 3
    result = score_set(heldout, date(2010, 3, 12))
    assert not any(line.startswith(tuple(empty)) for line in result.extra)


def test_three_sets_are_listed_with_their_own_texts():
    sets = evaluation_sets(CORPUS, SEEDS, known())
    assert [s.label for s in sets] == ["sample record", "second set", "held-out set"]
    assert [len(s.expected) for s in sets] == [4, 4, 7]
    for evaluation_set in sets:
        assert all((evaluation_set.folder / name).is_file() for name in evaluation_set.expected)


def test_summary_line_gives_counts_precision_and_recall():
    texts = {"a.txt": "21 April 2010\n\nDear Chris,\n\nWe plan to publish the findings by end of April.\n"
                      "This will cause great concern among governments, I fear.\n\nWarmly,\n\nRod Beckstrom\n"}
    result = score(texts, {"a.txt": [["promise", "publish the findings"], ["request", "send the draft"]]})
    assert summary_line("tiny", result) == \
        "tiny: expected 2, found 1, matched 1, precision 1.00, recall 0.50"
    assert result.missed == ["a.txt: request “send the draft”"]
