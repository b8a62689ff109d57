"""The one clock. Aware UTC everywhere; pinned by the NOW setting for demos and tests."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context

UTC = timezone.utc


def now() -> datetime:
    """Current time, aware UTC; the pinned NOW when configured; on a page of the record as of a past day, the last
    moment of that day (tracker.snapshots), so every derived state is judged as it was then."""
    if has_app_context():
        viewing = g.get(AS_OF_MOMENT)
        if viewing is not None:
            return viewing
        pinned = current_app.config.get("NOW")
        if pinned:
            return datetime.fromisoformat(pinned).astimezone(UTC)
    return datetime.now(UTC)


# Where tracker.snapshots keeps, for one request, the moment the record is shown as of.
AS_OF_MOMENT = "record_as_of_moment"


def viewing_as_of() -> datetime | None:
    """The moment this request shows the record as of (None: today's record)."""
    return g.get(AS_OF_MOMENT) if has_app_context() else None


def today_in(tz_name: str | None = None, at: datetime | None = None) -> date:
    """Calendar date in a timezone (the viewer's or recipient's); defaults to the display timezone."""
    if tz_name is None:
        tz_name = current_app.config["DISPLAY_TIMEZONE"] if has_app_context() else "UTC"
    return (at or now()).astimezone(ZoneInfo(tz_name)).date()


def ensure_utc(value: datetime) -> datetime:
    """Refuse naive datetimes: every datetime in this project carries its timezone."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: attach a timezone before storing it")
    return value.astimezone(UTC)


class pinned:
    """Run a block as if it were `moment` (demo data is recorded on the days it happened)."""

    def __init__(self, moment: datetime):
        self.moment = ensure_utc(moment)
        self._previous = None

    def __enter__(self):
        self._previous = current_app.config.get("NOW")
        current_app.config["NOW"] = self.moment.isoformat()
        return self.moment

    def __exit__(self, *exc):
        current_app.config["NOW"] = self._previous
