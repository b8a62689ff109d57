"""Checks shared by forms, operations and the JSON API; each raises InvalidInput with a message for people."""
from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context
from wtforms import IntegerField


class InvalidInput(ValueError):
    """Input that cannot be saved; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def email_address(value: str, field: str = "email") -> str:
    """Normalised address, validated without DNS (there may be none)."""
    # email-validator (with idna and its tables) loads with the first address checked, not in every web worker.
    from email_validator import EmailNotValidError, validate_email

    testing = has_app_context() and current_app.config.get("TESTING", False)
    try:
        return validate_email(value.strip(), check_deliverability=False, test_environment=testing).normalized
    except EmailNotValidError as error:
        raise InvalidInput(f"{value!r} is not a valid email address: {error}", field) from None


def timezone_name(value: str, field: str = "timezone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{value!r} is not a timezone name (e.g. Europe/Brussels, Pacific/Auckland)", field) from None
    return value


def iso_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field}: {value!r} is not a date that exists (use YYYY-MM-DD)", field) from None


def window(earliest: date | None, latest: date | None, field: str = "due_latest") -> None:
    if earliest and latest and latest < earliest:
        raise InvalidInput(f"the latest day ({latest}) is before the earliest ({earliest})", field)


def choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{field} must be one of: {', '.join(allowed)} (got {value!r})", field)
    return value


def url(value: str | None, field: str = "source_url") -> str | None:
    if not value:
        return None
    value = value.strip()
    if not (value.startswith("http://") or value.startswith("https://")):
        raise InvalidInput(f"{value!r} is not a web address (http:// or https://)", field)
    return value


# The largest value of the INTEGER columns ids and counts are kept in (PostgreSQL integer, 4 bytes). A larger
# number can name no row, and binding it fails on both databases (SQLite overflows past 8 bytes).
MAX_ID = 2**31 - 1
# A number typed by a person is written in ASCII digits only: str.isdigit() and int() also accept "²",
# "٣" and full-width digits, which int() either refuses with an error or turns into a different number.
_ASCII_DIGITS = frozenset("0123456789")
# Control characters no text field holds: PostgreSQL refuses NUL in text, and the rest are never typed.
# Tab, line and page breaks are kept: pasted text (from PDFs, Word) holds them.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def is_ascii_number(raw: str) -> bool:
    return bool(raw) and len(raw) <= 12 and set(raw) <= _ASCII_DIGITS


def whole_number(raw: str | None, field: str, lowest: int = 0, highest: int = MAX_ID) -> int:
    """A whole number written in ASCII digits, from lowest to highest (by default what an id column holds)."""
    text = (raw or "").strip()
    if not is_ascii_number(text) or not lowest <= int(text) <= highest:
        raise InvalidInput(f"{field} must be a number from {lowest} to {highest}, got {_shown(text)}", field)
    return int(text)


def query_number(args, name: str, default: int | None = None, lowest: int = 1, highest: int = MAX_ID) -> int | None:
    """A number from the query string (ids, page); the default when it is absent or empty."""
    raw = (args.get(name) or "").strip()
    return default if not raw else whole_number(raw, name, lowest, highest)


def form_id(value) -> int:
    """coerce= for select fields of ids: ValueError (WTForms' "not a valid choice") for anything but an id."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= MAX_ID:
            return value
        raise ValueError("not an id")
    text = str(value).strip()
    if not is_ascii_number(text) or int(text) > MAX_ID:
        raise ValueError("not an id")
    return int(text)


def control_character_in(value: str) -> str | None:
    """The first control character in value (shown as U+XXXX in messages), or None."""
    found = _CONTROL_CHARACTER.search(value)
    return found.group() if found else None


def _shown(text: str) -> str:
    # Quote at most a little of what was typed: messages are shown on pages and must stay short.
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


class WholeNumberField(IntegerField):
    """IntegerField that reads ASCII digits only, within bounds (by default what an integer column holds)."""

    def __init__(self, *args, lowest: int = 0, highest: int = MAX_ID, **kwargs):
        super().__init__(*args, **kwargs)
        self.lowest, self.highest = lowest, highest

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        if not is_ascii_number(text) or not self.lowest <= int(text) <= self.highest:
            self.data = None
            # Shown under the field, so it need not name it.
            raise ValueError(f"enter a whole number from {self.lowest} to {self.highest} (got {_shown(text)})")
        self.data = int(text)


def file_name(raw: str | None, fallback: str = "original") -> str:
    """An uploaded file's name as kept and offered for download: its last path part, no control characters
    (a NUL or a line break in a stored name would break every later download's headers), at most 200 characters."""
    name = (raw or "").replace("\\", "/").rpartition("/")[2]
    name = _CONTROL_CHARACTER.sub("", name).replace("\r", "").replace("\n", "").replace("\t", " ").strip()
    return name[:200] or fallback
