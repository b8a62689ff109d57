"""Configuration: config/default.toml, then an optional extra file, then TRACKER_* environment variables.

Values from the environment are converted to the type of the default they replace, and bad values stop
the app at start with a message naming the variable, rather than failing later at the first request.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
ENV_PREFIX = "TRACKER_"
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_LENGTH = 32
# Published in earlier versions of config/default.toml: anyone could sign sessions with them.
PUBLIC_SECRET_KEYS = frozenset({"dev-only-not-secret", "testing"})


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
                "EXPORT_MAX_ROWS", "CALENDAR_PAST_DAYS", "CALENDAR_AHEAD_DAYS", "CALENDAR_MAX_EVENTS",
                "IMPORT_MAX_BYTES", "IMPORT_MAX_ROWS"):
        if int(config[key]) <= 0:
            raise ConfigError(f"{key} must be positive, got {config[key]!r}")
    for key, zero_means in (("REPORT_CACHE_SIZE", "keep no report"), ("AS_OF_CACHE_RECORDS", "keep no replay")):
        if int(config.get(key, 0)) < 0:
            raise ConfigError(f"{key} must be 0 ({zero_means}) or more, got {config[key]!r}")
    if config.get("DATE_ORDER", "MDY") not in ("MDY", "DMY"):
        raise ConfigError(f"DATE_ORDER must be MDY or DMY, got {config['DATE_ORDER']!r}")
    # Limits on reading documents and on unsubscribe links: a zero or negative one would refuse everything.
    for key in ("INTAKE_MAX_CHARACTERS", "INTAKE_MAX_INFLATED_BYTES", "INTAKE_MAX_ZIP_MEMBERS",
                "INTAKE_MAX_COMPRESSION_RATIO", "INTAKE_MAX_PDF_PAGES", "INTAKE_MAX_MIME_PARTS", "INTAKE_MAX_MIME_DEPTH",
                "INTAKE_PARSE_SECONDS", "INTAKE_PARSE_MEMORY_MB", "DIGEST_UNSUBSCRIBE_MAX_AGE_DAYS", "AS_OF_MAX_CHANGES"):
        if int(config[key]) <= 0:
            raise ConfigError(f"{key} must be positive, got {config[key]!r}")
    if config["MAIL_TRANSPORT"] not in ("smtp", "graph", "outbox", "memory"):
        raise ConfigError(f"MAIL_TRANSPORT must be smtp, graph, outbox or memory, got {config['MAIL_TRANSPORT']!r}")
    if config["SMTP_SECURITY"] not in ("none", "starttls", "tls"):
        raise ConfigError(f"SMTP_SECURITY must be none, starttls or tls, got {config['SMTP_SECURITY']!r}")
    url = config["DATABASE_URL"]
    if not (url.startswith("sqlite") or url.startswith("postgresql")):
        raise ConfigError(f"DATABASE_URL must be sqlite:/// or postgresql+psycopg://, got {url!r}")
    if int(config["REMEMBER_COOKIE_DAYS"]) <= 0:
        raise ConfigError(f"REMEMBER_COOKIE_DAYS must be positive, got {config['REMEMBER_COOKIE_DAYS']!r}")
    if config["SESSION_PROTECTION"] not in ("basic", "strong"):
        raise ConfigError(f"SESSION_PROTECTION must be basic or strong, got {config['SESSION_PROTECTION']!r}")
    if int(config["TRUSTED_PROXIES"]) < 0:
        raise ConfigError(f"TRUSTED_PROXIES must be 0 or more, got {config['TRUSTED_PROXIES']!r}")
    _validate_rate_limits(config)
    _validate_entra(config)


def _validate_rate_limits(config: dict) -> None:
    from limits import parse_many

    for key in ("SIGN_IN_LIMIT_PER_ACCOUNT", "SIGN_IN_LIMIT_PER_ADDRESS", "API_TOKEN_RATE_LIMIT"):
        try:
            parse_many(config[key])
        except ValueError:
            raise ConfigError(f"{key} must read like '5 per minute; 30 per hour', got {config[key]!r}") from None


def _validate_entra(config: dict) -> None:
    parts = [config["ENTRA_TENANT_ID"], config["ENTRA_CLIENT_ID"], config["ENTRA_CLIENT_SECRET"]]
    if any(parts) and not all(parts):
        raise ConfigError("Entra ID sign-in needs all of ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET")
    if not config["ENTRA_AUTHORITY_HOST"].startswith("https://"):
        raise ConfigError(f"ENTRA_AUTHORITY_HOST must be an https:// URL, got {config['ENTRA_AUTHORITY_HOST']!r}")


def check_secret_key(key: str) -> None:
    """Refuse a configured key anyone could guess or know."""
    if key in PUBLIC_SECRET_KEYS:
        raise ConfigError(f"{ENV_PREFIX}SECRET_KEY is a value published with the tracker's source, so anyone could "
                          "sign sessions with it; set a random value of at least "
                          f"{MIN_SECRET_KEY_LENGTH} characters, or unset it to have one generated")
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"{ENV_PREFIX}SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters "
                          f"(it has {len(key)}); e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'")


def instance_secret_key(instance_path: str) -> str:
    """The key kept in instance/secret_key, made (random, owner-only) when it does not exist yet.

    Several processes may start at once (gunicorn workers): the key is written to a private temporary
    file and linked into place, which succeeds for exactly one of them; the others read the winner's key.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        candidate = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
            try:
                os.link(candidate, path)
            except FileExistsError:
                pass
        finally:
            candidate.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} may be read by other users; run chmod 600 {path} (or delete it to have a new "
                          "key made, which signs everyone out)")
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"{path} holds a key shorter than {MIN_SECRET_KEY_LENGTH} characters; delete it to have "
                          f"a new one made, or set {ENV_PREFIX}SECRET_KEY")
    return key


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
    if config["SECRET_KEY"]:
        check_secret_key(config["SECRET_KEY"])
    else:
        config["SECRET_KEY"] = instance_secret_key(instance_path)
    _cookie_settings(config)
    return config


def _cookie_settings(config: dict) -> None:
    """Remember-me cookie as strict as the session cookie, and short-lived."""
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(config["REMEMBER_COOKIE_DAYS"]))
    config["REMEMBER_COOKIE_SECURE"] = bool(config["SESSION_COOKIE_SECURE"])
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_HTTPONLY"] = True
