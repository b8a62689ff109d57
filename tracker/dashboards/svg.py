"""The party timeline as inline SVG, drawn on the server: no JavaScript, nothing to load. Pure: rows in, markup out."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape

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


def timeline_svg(rows, today: date) -> str:
    """One row per dated commitment: baseline window (light bar), current window (bar), fulfilment marker
    (green on time, orange late), a vertical line at today and month ticks. Rows need the Commitment attributes
    title, baseline_earliest/latest, due_earliest/latest, fulfilled_on. Empty string when there is nothing dated."""
    rows = [row for row in rows if row.due_latest is not None]
    if not rows:
        return ""
    every_day = [d for row in rows for d in _dates_of(row)] + [today]
    start, end = _month_start(min(every_day)), _next_month(max(every_day))
    span = max((end - start).days, 1)
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_PAD
    height = AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 8

    def x(day: date) -> float:
        return round(LABEL_WIDTH + (day - start).days / span * plot_width, 1)

    def bar(first: date | None, last: date, y: float, h: float, colour: str, css: str) -> str:
        # A window includes its last day, so the bar runs to the start of the day after.
        left, right = x(first or last), x(last + timedelta(days=1))
        return (f'<rect class="{css}" x="{left}" y="{y}" width="{max(right - left, 2)}" height="{h}" '
                f'fill="{colour}" rx="2"/>')

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="12">',
             f'<title>Timeline of {len(rows)} dated commitments, {start.isoformat()} to {end.isoformat()}</title>']
    for tick in month_ticks(start, end):
        parts.append(f'<line class="tick" x1="{x(tick)}" y1="{AXIS_HEIGHT - 6}" x2="{x(tick)}" y2="{height - 4}" '
                     f'stroke="#e4e9ef"/>')
        parts.append(f'<text class="tick-label" x="{x(tick) + 2}" y="{AXIS_HEIGHT - 10}" fill="#5b6b7c">'
                     f'{_text(tick.strftime("%b %Y"))}</text>')
    for index, row in enumerate(rows):
        top = AXIS_HEIGHT + index * ROW_HEIGHT
        title = _text(str(row.title))
        parts.append(f'<g class="row"><title>{title}</title>')
        parts.append(f'<text x="4" y="{top + 16}" fill="#1d2733">{_text(_short(str(row.title)))}</text>')
        if row.baseline_latest is not None:
            parts.append(bar(row.baseline_earliest, row.baseline_latest, top + 3, 18, BASELINE_COLOUR, "baseline"))
        parts.append(bar(row.due_earliest, row.due_latest, top + 8, 8, WINDOW_COLOUR, "window"))
        if row.fulfilled_on is not None:
            on_time = row.fulfilled_on <= row.due_latest
            parts.append(f'<circle class="{"fulfilled-on-time" if on_time else "fulfilled-late"}" '
                         f'cx="{x(row.fulfilled_on)}" cy="{top + 12}" r="5" '
                         f'fill="{ON_TIME_COLOUR if on_time else LATE_COLOUR}" stroke="#fff"/>')
        parts.append("</g>")
    parts.append(f'<line class="today" x1="{x(today)}" y1="{AXIS_HEIGHT - 6}" x2="{x(today)}" y2="{height - 4}" '
                 f'stroke="{TODAY_COLOUR}" stroke-width="1.5"/>')
    parts.append(f'<text class="today-label" x="{x(today) + 3}" y="{height - 6}" fill="{TODAY_COLOUR}">today</text>')
    parts.append("</svg>")
    return "".join(parts)
