"""Configuration: config/default.toml, then an optional extra file, then TRACKER_* environment variables.

Values from the environment are converted to the type of the default they replace, and bad values stop
the app at start with a message naming the variable, rather than failing later at the first request.
"""
from __future__ import annotations

import os
import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
ENV_PREFIX = "TRACKER_"


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the key."""


def load_file(name: str) -> dict:
    with open(CONFIG_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def _convert(key: str, raw: str, default):
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{ENV_PREFIX}{key} must be true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a whole number, got {raw!r}") from None
    return raw


def from_environment(defaults: dict, environ=os.environ) -> dict:
    """TRACKER_<KEY> overrides, converted to the type of the default value."""
    overrides = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith("TRACKER_TEST_"):
            continue
        key = name[len(ENV_PREFIX):]
        overrides[key] = _convert(key, raw, defaults.get(key, ""))
    return overrides


def validate(config: dict) -> None:
    """Refuse values that would only fail later."""
    if config.get("NOW"):
        try:
            pinned = datetime.fromisoformat(config["NOW"])
        except ValueError:
            raise ConfigError(f"NOW must be ISO 8601 like 2010-05-12T09:00:00+00:00, got {config['NOW']!r}") from None
        if pinned.tzinfo is None:
            raise ConfigError("NOW needs a UTC offset, e.g. 2010-05-12T09:00:00+00:00")
    try:
        ZoneInfo(config["DISPLAY_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"DISPLAY_TIMEZONE {config['DISPLAY_TIMEZONE']!r} is not an IANA timezone") from None
    for key in ("REPLY_BY_DAYS", "DUE_SOON_DAYS", "MAX_UPLOAD_BYTES", "PAGE_SIZE", "DIGEST_DUE_SOON_DAYS",
                "EXPORT_MAX_ROWS"):
        if int(config[key]) <= 0:
            raise ConfigError(f"{key} must be positive, got {config[key]!r}")
    # Limits on reading documents and on unsubscribe links: a zero or negative one would refuse everything.
    for key in ("INTAKE_MAX_CHARACTERS", "INTAKE_MAX_INFLATED_BYTES", "INTAKE_MAX_ZIP_MEMBERS",
                "INTAKE_MAX_COMPRESSION_RATIO", "INTAKE_MAX_PDF_PAGES", "INTAKE_MAX_MIME_PARTS", "INTAKE_MAX_MIME_DEPTH",
                "INTAKE_PARSE_SECONDS", "INTAKE_PARSE_MEMORY_MB", "DIGEST_UNSUBSCRIBE_MAX_AGE_DAYS"):
        if int(config[key]) <= 0:
            raise ConfigError(f"{key} must be positive, got {config[key]!r}")
    if config["MAIL_TRANSPORT"] not in ("smtp", "graph", "outbox", "memory"):
        raise ConfigError(f"MAIL_TRANSPORT must be smtp, graph, outbox or memory, got {config['MAIL_TRANSPORT']!r}")
    if config["SMTP_SECURITY"] not in ("none", "starttls", "tls"):
        raise ConfigError(f"SMTP_SECURITY must be none, starttls or tls, got {config['SMTP_SECURITY']!r}")
    url = config["DATABASE_URL"]
    if not (url.startswith("sqlite") or url.startswith("postgresql")):
        raise ConfigError(f"DATABASE_URL must be sqlite:/// or postgresql+psycopg://, got {url!r}")
    if (not url.startswith("sqlite") and not config.get("TESTING") and not config.get("DEBUG")
            and config["SECRET_KEY"] == "dev-only-not-secret"):
        raise ConfigError("set TRACKER_SECRET_KEY to a long random value before serving from PostgreSQL")


def build(instance_path: str, overrides: dict | None = None, environ=os.environ) -> dict:
    config = load_file("default.toml")
    extra = environ.get("TRACKER_CONFIG_FILE")
    if extra:
        with open(extra, "rb") as fh:
            config.update(tomllib.load(fh))
    config.update(from_environment(config, environ))
    config.update(overrides or {})
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "tracker.db")
    config["MAX_CONTENT_LENGTH"] = int(config["MAX_UPLOAD_BYTES"]) + 1024 * 1024  # form overhead
    validate(config)
    return config
