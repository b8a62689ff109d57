"""Which bounds of a commitment's window move when its anchor meeting moves (pure: no database)."""
from __future__ import annotations

from datetime import date, timedelta

from tracker.commitments.handlers import moved_window
from tracker.commitments.operations import Window

WEEK = timedelta(days=7)


def test_a_deadline_before_the_meeting_keeps_the_day_it_was_made():
    window = Window("prior to the Brussels meeting", date(2010, 3, 10), date(2010, 6, 19), "day", 7)
    assert moved_window(window, WEEK) == Window("prior to the Brussels meeting", date(2010, 3, 10),
                                                date(2010, 6, 26), "day", 7)


def test_a_window_at_the_meeting_moves_whole():
    window = Window("at the Brussels meeting", date(2010, 6, 20), date(2010, 6, 25), "window", 7)
    moved = moved_window(window, WEEK)
    assert (moved.earliest, moved.latest) == (date(2010, 6, 27), date(2010, 7, 2))


def test_a_day_counted_after_the_meeting_moves_whole():
    window = Window("two weeks after the Brussels meeting", date(2010, 7, 9), date(2010, 7, 9), "day", 7)
    moved = moved_window(window, -WEEK)
    assert (moved.earliest, moved.latest) == (date(2010, 7, 2), date(2010, 7, 2))


def test_a_deadline_moved_before_the_day_it_was_made_is_clamped():
    window = Window("before the Brussels meeting", date(2010, 6, 1), date(2010, 6, 19), "day", 7)
    moved = moved_window(window, -4 * WEEK)
    assert (moved.earliest, moved.latest) == (date(2010, 5, 22), date(2010, 5, 22))


def test_a_window_tied_to_a_meeting_by_hand_moves_whole():
    window = Window("when the board decides", date(2010, 6, 1), date(2010, 6, 30), "window", 7)
    moved = moved_window(window, WEEK)
    assert (moved.earliest, moved.latest) == (date(2010, 6, 8), date(2010, 7, 7))
