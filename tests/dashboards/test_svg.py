import re
from dataclasses import dataclass
from datetime import date

from tracker.dashboards.svg import month_ticks, timeline_svg

TODAY = date(2010, 5, 12)


@dataclass
class Row:
    title: str
    due_latest: date | None
    due_earliest: date | None = None
    baseline_earliest: date | None = None
    baseline_latest: date | None = None
    fulfilled_on: date | None = None


def test_timeline_escapes_a_title_containing_script():
    svg = timeline_svg([Row('<script>alert("x")</script> & more', date(2010, 5, 1))], TODAY)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in svg


def test_timeline_is_empty_without_dated_rows():
    assert timeline_svg([Row("weeks not months", None)], TODAY) == ""


def test_timeline_marks_fulfilment_green_when_on_time_and_orange_when_late():
    svg = timeline_svg([Row("on time", date(2010, 4, 30), fulfilled_on=date(2010, 4, 29)),
                        Row("late", date(2010, 4, 30), fulfilled_on=date(2010, 5, 5))], TODAY)
    assert re.findall(r'<circle class="([\w-]+)"[^>]*fill="(#\w+)"', svg) == [
        ("fulfilled-on-time", "#067647"), ("fulfilled-late", "#dc6803")]


def test_timeline_draws_baseline_and_current_window_per_row_and_one_today_line():
    svg = timeline_svg([Row("moved", date(2010, 6, 10), date(2010, 6, 1), date(2010, 5, 1), date(2010, 5, 10))],
                       TODAY)
    assert svg.count('class="baseline"') == 1 and svg.count('class="window"') == 1
    assert svg.count('class="today"') == 1 and svg.startswith("<svg") and svg.endswith("</svg>")


def test_timeline_places_the_later_window_further_right():
    svg = timeline_svg([Row("moved", date(2010, 6, 10), date(2010, 6, 1), date(2010, 5, 1), date(2010, 5, 10))],
                       TODAY)
    baseline_x = float(re.search(r'class="baseline" x="([\d.]+)"', svg).group(1))
    window_x = float(re.search(r'class="window" x="([\d.]+)"', svg).group(1))
    today_x = float(re.search(r'class="today" x1="([\d.]+)"', svg).group(1))
    assert baseline_x < today_x < window_x


def test_timeline_labels_months_on_the_axis():
    svg = timeline_svg([Row("a", date(2010, 3, 15)), Row("b", date(2010, 6, 15))], TODAY)
    assert re.findall(r'class="tick-label"[^>]*>([^<]+)<', svg) == ["Mar 2010", "Apr 2010", "May 2010", "Jun 2010",
                                                                      "Jul 2010"]


def test_month_ticks_thin_out_over_long_ranges():
    ticks = month_ticks(date(2003, 1, 1), date(2010, 12, 31))
    assert len(ticks) <= 13 and ticks[0] == date(2003, 1, 1) and all(t.month == 1 for t in ticks)


@dataclass
class Tracked(Row):
    status: str = "open"


def test_an_old_record_seen_years_later_keeps_its_axis_fitted_to_its_dates():
    svg = timeline_svg([Tracked("a", date(2010, 4, 30)), Tracked("b", date(2010, 6, 19), date(2010, 3, 10))],
                       date(2026, 12, 1))
    ticks = re.findall(r'class="tick-label"[^>]*>([^<]+)<', svg)
    assert ticks[0] == "Mar 2010" and ticks[-1] == "Jul 2010" and all("2010" in tick for tick in ticks)
    assert 'class="today"' not in svg  # no line far off the axis; an arrow at the right edge instead
    label = re.search(r'class="today-label" x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>([^<]+)<', svg)
    assert label.group(3) == "today, 1 December 2026 →" and label.group(2) == "end" and float(label.group(1)) <= 960


def test_overdue_bars_are_marked_and_run_on_to_today():
    svg = timeline_svg([Tracked("late", date(2010, 4, 30)), Tracked("done", date(2010, 4, 30), status="done",
                                                                     fulfilled_on=date(2010, 4, 29)),
                        Tracked("ahead", date(2010, 6, 30))], TODAY)
    assert svg.count('class="window overdue"') == 1 and svg.count('class="overdue-run"') == 1
    assert svg.count('class="row overdue"') == 1 and "1 overdue" in svg
    run_end = float(re.search(r'class="overdue-run"[^>]*x2="([\d.]+)"', svg).group(1))
    assert run_end == float(re.search(r'class="today" x1="([\d.]+)"', svg).group(1))


def test_today_label_near_the_right_edge_reads_leftwards_so_it_is_not_clipped():
    svg = timeline_svg([Tracked("a", date(2010, 3, 1)), Tracked("b", date(2010, 5, 25))], date(2010, 5, 31))
    today_x = float(re.search(r'class="today" x1="([\d.]+)"', svg).group(1))
    label = re.search(r'class="today-label" x="([\d.]+)"[^>]*text-anchor="(\w+)"', svg)
    assert today_x > 960 - 140 and label.group(2) == "end" and float(label.group(1)) < today_x
