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
