"""A workbook cell's text: the quick path for text with nothing to neutralise gives what the full rules give."""
import random

from tracker.export import _NOT_IN_WORKBOOKS, neutralise, workbook_value

CRAFTED = ["", "plain words", "=1+1", " =cmd", "'=x", "a;=b", "a,\t+b", "x\x00y", "tab\there", "line\nbreak",
           "-5", "@SUM(A1)", "e-mail", "a|@b", "Ωμέγα", "non\u00a0breaking", "\r=1", "'", "''=1", "1–10 May"]


def full_rules(value: str) -> str:
    return _NOT_IN_WORKBOOKS.sub("", neutralise(value))


def test_workbook_values_follow_the_full_rules_on_crafted_and_random_text():
    alphabet = "ab =+-@'\t\r\n,;|\x00\x1f\u00a0Ω"
    generated = ["".join(random.Random(seed).choices(alphabet, k=seed % 9)) for seed in range(3000)]
    for value in CRAFTED + generated:
        assert workbook_value(value) == full_rules(value), repr(value)
    assert workbook_value("=1+1") == "'=1+1" and workbook_value("x\x00y") == "xy"
    assert workbook_value(7) == 7 and workbook_value(None) is None
