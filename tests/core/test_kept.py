"""Results kept in memory within a budget (tracker/kept.py): the least recently used leave first."""
from __future__ import annotations

from tracker.kept import RecentlyUsed


def test_the_least_recently_used_leave_first_once_the_budget_is_spent():
    kept = RecentlyUsed(3)
    for key in "abc":
        kept.put(key, key.upper())
    assert kept.get("a") == "A"  # now the most recently used
    kept.put("d", "D")
    assert kept.get("b") is None
    assert [kept.get(key) for key in "acd"] == ["A", "C", "D"]
    assert len(kept) == 3 and kept.weight == 3


def test_values_weigh_what_they_are_said_to_and_one_heavier_than_the_budget_is_not_kept():
    kept = RecentlyUsed(10, weigh=len)
    kept.put("six", [0] * 6)
    kept.put("four", [0] * 4)
    assert kept.weight == 10 and len(kept) == 2
    kept.put("two", [0] * 2)  # the oldest (six) leaves to make room
    assert kept.get("six") is None and kept.weight == 6
    kept.put("eleven", [0] * 11)
    assert kept.get("eleven") is None and kept.weight == 6


def test_a_key_put_again_replaces_its_value_and_its_weight():
    kept = RecentlyUsed(10, weigh=len)
    kept.put("k", [0] * 8)
    kept.put("k", [0] * 3)
    assert kept.get("k") == [0] * 3 and kept.weight == 3 and len(kept) == 1


def test_a_budget_of_zero_keeps_nothing():
    kept = RecentlyUsed(0)
    kept.put("a", "A")
    assert kept.get("a") is None and len(kept) == 0
