"""Which due window a filled-in form means (pure: no database)."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.commitments.forms import impossible_date_message, infer_precision, resolve_window
from tracker.commitments.operations import Window
from tracker.duedates import DueWindow
from tracker.validation import InvalidInput

EARLY_MAY = DueWindow("in early May", date(2010, 5, 1), date(2010, 5, 10), "window")
BRUSSELS = DueWindow("prior to the Brussels meeting", date(2010, 3, 10), date(2010, 6, 19), "day", "Brussels")


def test_no_typed_dates_take_the_computed_window():
    assert resolve_window("in early May", None, None, "", None, EARLY_MAY, {}) == Window(
        "in early May", date(2010, 5, 1), date(2010, 5, 10), "window", None)


def test_typed_dates_win_and_precision_follows_them():
    assert resolve_window(" in early May ", date(2010, 5, 1), date(2010, 5, 14), "", None, EARLY_MAY, {}) == Window(
        "in early May", date(2010, 5, 1), date(2010, 5, 14), "window", None)


def test_a_typed_latest_day_alone_is_a_day():
    assert resolve_window("soon", None, date(2010, 5, 14), "", None, None, {}) == Window(
        "soon", None, date(2010, 5, 14), "day", None)


def test_computed_anchor_is_mapped_to_the_meeting_id():
    assert resolve_window(BRUSSELS.phrase, None, None, "", None, BRUSSELS, {"Brussels": 7}).anchor_meeting_id == 7


def test_precision_chosen_by_hand_without_dates_is_kept_without_dates():
    assert resolve_window("in early May", None, None, "vague", None, EARLY_MAY, {}) == Window(
        "in early May", None, None, "vague", None)


def test_unparsed_phrase_without_dates_is_vague():
    assert resolve_window("we will see", None, None, "", None, None, {}) == Window("we will see", None, None, "vague")


def test_infer_precision():
    assert [infer_precision(None, None), infer_precision(None, date(2010, 5, 1)),
            infer_precision(date(2010, 5, 1), date(2010, 5, 1)), infer_precision(date(2010, 5, 1), date(2010, 5, 2))
            ] == ["vague", "day", "day", "window"]


def test_a_phrase_whose_date_does_not_exist_is_refused_with_that_date_named():
    with pytest.raises(InvalidInput, match="31 April does not exist") as refused:
        resolve_window("by 31 April", None, None, "", None, None, {})
    assert refused.value.field == "due_phrase"


def test_a_phrase_with_an_impossible_date_and_typed_dates_is_kept():
    assert resolve_window("by 31 April", None, date(2010, 4, 30), "", None, None, {}).latest == date(2010, 4, 30)


def test_impossible_date_message_is_none_for_real_dates():
    assert impossible_date_message("by 30 April") is None
    assert impossible_date_message("29 February 2011").startswith("29 February 2011 does not exist")
