"""Fixtures for pages and checks of the record as of a past day."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import g

from tests.snapshots.observe import cutoff_of
from tracker import clock


@pytest.fixture()
def as_of_moment():
    """Sets the moment history() and the clock read, as a page of the record as of a day does."""
    def set_to(day: date | None):
        if day is None:
            g.pop(clock.AS_OF_MOMENT, None)
        else:
            g.setdefault(clock.AS_OF_MOMENT, None)
            setattr(g, clock.AS_OF_MOMENT, cutoff_of(day) - timedelta(microseconds=1))
    yield set_to
    set_to(None)
