"""Checks shared by forms, operations and the JSON API; each raises InvalidInput with a message for people."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context


class InvalidInput(ValueError):
    """Input that cannot be saved; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def email_address(value: str, field: str = "email") -> str:
    """Normalised address, validated without DNS (there may be none)."""
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
