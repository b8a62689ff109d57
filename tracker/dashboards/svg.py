"""The party timeline as inline SVG, drawn on the server: no JavaScript, nothing to load. Pure: rows in, markup out."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape

from tracker.commitments.models import ACTIVE_STATUSES
from tracker.formatting import format_day

WIDTH = 960
LABEL_WIDTH = 280
RIGHT_PAD = 16
ROW_HEIGHT = 24
AXIS_HEIGHT = 28
BASELINE_COLOUR = "#c9d3de"
WINDOW_COLOUR = "#0b5cad"
ON_TIME_COLOUR = "#067647"
LATE_COLOUR = "#dc6803"
TODAY_COLOUR = "#b42318"
MAX_LABEL_CHARS = 42
# Room under the rows for the "today" label, and the width it needs to its right before it flips to the left.
TODAY_LABEL_HEIGHT = 18
TODAY_LABEL_ROOM = 140
# Today is drawn on the axis when it is this close to the data; further off, an arrow at the edge says where.
TODAY_REACH_DAYS = 92


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _dates_of(row) -> list[date]:
    return [d for d in (row.baseline_earliest, row.baseline_latest, row.due_earliest, row.due_latest,
                        row.fulfilled_on) if d is not None]


def _text(value: str) -> str:
    return escape(value, quote=True)


def _short(title: str) -> str:
    return title if len(title) <= MAX_LABEL_CHARS else title[:MAX_LABEL_CHARS - 1] + "…"


def month_ticks(start: date, end: date) -> list[date]:
    """First days of months from start to end, thinned so that at most about a dozen are labelled."""
    months = []
    day = _month_start(start)
    while day <= end:
        months.append(day)
        day = _next_month(day)
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if len(months) / s <= 13)
    return [m for m in months if (m.year * 12 + m.month - 1) % step == 0]


def _is_overdue(row, today: date) -> bool:
    # Rows without a status (plain test rows) are never overdue; the rule is the one of tracker.commitments.models.
    return getattr(row, "status", None) in ACTIVE_STATUSES and row.due_latest is not None and row.due_latest < today


def axis_range(rows, today: date) -> tuple[date, date, bool]:
    """(first day, day after the last, whether today is drawn): whole months around the rows' dates. Today is
    drawn inside the axis when it falls within TODAY_REACH_DAYS of the data; further away (an old record seen
    years later) the axis stays fitted to the data and today is an arrow at the edge, so bars are not squashed."""
    every_day = [d for row in rows for d in _dates_of(row)]
    first, last = min(every_day), max(every_day)
    today_inside = first - timedelta(days=TODAY_REACH_DAYS) <= today <= last + timedelta(days=TODAY_REACH_DAYS)
    if today_inside:
        first, last = min(first, today), max(last, today)
    return _month_start(first), _next_month(last), today_inside


def timeline_svg(rows, today: date) -> str:
    """One row per dated commitment: baseline window (light bar), current window (bar; red when overdue, with a
    thin red line on to today), fulfilment marker (green on time, orange late), a vertical line at today and month
    ticks. Rows need the Commitment attributes title, baseline_earliest/latest, due_earliest/latest, fulfilled_on
    and (for overdue) status. Empty string when there is nothing dated."""
    rows = [row for row in rows if row.due_latest is not None]
    if not rows:
        return ""
    start, end, today_inside = axis_range(rows, today)
    span = max((end - start).days, 1)
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_PAD
    plot_bottom = AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 4
    height = plot_bottom + TODAY_LABEL_HEIGHT

    def x(day: date) -> float:
        return round(LABEL_WIDTH + (day - start).days / span * plot_width, 1)

    def bar(first: date | None, last: date, y: float, h: float, colour: str, css: str) -> str:
        # A window includes its last day, so the bar runs to the start of the day after.
        left, right = x(first or last), x(last + timedelta(days=1))
        return (f'<rect class="{css}" x="{left}" y="{y}" width="{max(right - left, 2)}" height="{h}" '
                f'fill="{colour}" rx="2"/>')

    overdue_count = sum(1 for row in rows if _is_overdue(row, today))
    summary = f"{len(rows)} dated commitments, {format_day(start)} to {format_day(end - timedelta(days=1))}"
    if overdue_count:
        summary += f", {overdue_count} overdue"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="12">',
             f'<title>Timeline of {_text(summary)}</title>']
    for tick in month_ticks(start, end):
        parts.append(f'<line class="tick" x1="{x(tick)}" y1="{AXIS_HEIGHT - 6}" x2="{x(tick)}" y2="{plot_bottom}" '
                     f'stroke="#e4e9ef"/>')
        parts.append(f'<text class="tick-label" x="{x(tick) + 2}" y="{AXIS_HEIGHT - 10}" fill="#5b6b7c">'
                     f'{_text(tick.strftime("%b %Y"))}</text>')
    right_edge = LABEL_WIDTH + plot_width
    for index, row in enumerate(rows):
        top = AXIS_HEIGHT + index * ROW_HEIGHT
        overdue = _is_overdue(row, today)
        title = _text(str(row.title) + (f" (overdue since {format_day(row.due_latest)})" if overdue else ""))
        parts.append(f'<g class="row{" overdue" if overdue else ""}"><title>{title}</title>')
        parts.append(f'<text x="4" y="{top + 16}" fill="{TODAY_COLOUR if overdue else "#1d2733"}">'
                     f'{_text(_short(str(row.title)))}</text>')
        if row.baseline_latest is not None:
            parts.append(bar(row.baseline_earliest, row.baseline_latest, top + 3, 18, BASELINE_COLOUR, "baseline"))
        if overdue:
            parts.append(bar(row.due_earliest, row.due_latest, top + 8, 8, TODAY_COLOUR, "window overdue"))
            late_from = x(row.due_latest + timedelta(days=1))
            late_to = x(today) if today_inside else right_edge
            parts.append(f'<line class="overdue-run" x1="{late_from}" y1="{top + 12}" x2="{late_to}" y2="{top + 12}" '
                         f'stroke="{TODAY_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>')
        else:
            parts.append(bar(row.due_earliest, row.due_latest, top + 8, 8, WINDOW_COLOUR, "window"))
        if row.fulfilled_on is not None:
            on_time = row.fulfilled_on <= row.due_latest
            parts.append(f'<circle class="{"fulfilled-on-time" if on_time else "fulfilled-late"}" '
                         f'cx="{x(row.fulfilled_on)}" cy="{top + 12}" r="5" '
                         f'fill="{ON_TIME_COLOUR if on_time else LATE_COLOUR}" stroke="#fff"/>')
        parts.append("</g>")
    label = f"today, {format_day(today)}"
    label_y = plot_bottom + TODAY_LABEL_HEIGHT - 6
    if today_inside:
        today_x = x(today)
        parts.append(f'<line class="today" x1="{today_x}" y1="{AXIS_HEIGHT - 6}" x2="{today_x}" y2="{plot_bottom}" '
                     f'stroke="{TODAY_COLOUR}" stroke-width="1.5"/>')
        # Near the right edge the label reads leftwards from the line, so it is never cut off.
        anchor, label_x = ("end", today_x - 3) if today_x > WIDTH - TODAY_LABEL_ROOM else ("start", today_x + 3)
    else:
        label = f"{label} →" if today > end else f"← {label}"
        anchor, label_x = ("end", WIDTH - 2) if today > end else ("start", LABEL_WIDTH)
    parts.append(f'<text class="today-label" x="{label_x}" y="{label_y}" text-anchor="{anchor}" '
                 f'fill="{TODAY_COLOUR}">{_text(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
