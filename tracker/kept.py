"""Results kept in memory, per process, for as long as they stay among the most recently used within a budget.

Used where a result costs much more to build than to key, and is asked for again between two changes of what it
shows: built reports (tracker.reports.cache), a past day's rolled-back records (tracker.snapshots.cache). The key
must name everything the result depends on, so a kept result is never stale: a change makes a new key, and the old
entry ages out.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

Value = TypeVar("Value")


class RecentlyUsed(Generic[Value]):
    """The most recently used values whose weights add up to at most `budget` (0: none kept). A value weighs 1
    unless `weigh` says otherwise; one heavier than the whole budget is not kept. Safe to share between threads."""

    def __init__(self, budget: int, weigh: Callable[[Value], int] | None = None):
        self.budget = budget
        self._weigh = weigh or (lambda _value: 1)
        self._values: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self._weight = 0
        self._lock = Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Value) -> None:
        weight = self._weigh(value)
        if weight > self.budget:
            return
        with self._lock:
            if key in self._values:
                self._weight -= self._values.pop(key)[1]
            self._values[key] = (value, weight)
            self._weight += weight
            while self._weight > self.budget:
                _key, (_value, dropped) = self._values.popitem(last=False)
                self._weight -= dropped

    @property
    def weight(self) -> int:
        return self._weight

    def __len__(self) -> int:
        return len(self._values)
