"""What makes a password acceptable, and hashing that takes the same time whether or not an account exists."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from tracker.validation import InvalidInput

MIN_LENGTH = 12
# Long enough for a pass phrase, short enough that hashing it cannot be used to make the server work hard.
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with open(COMMON_PASSWORDS_FILE, encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


def _folded(text: str) -> str:
    """Lower case without spaces: "Correct Horse Battery Staple" and "correcthorsebatterystaple" are one."""
    return re.sub(r"\s+", "", text).lower()


def _repeats_a_short_unit(text: str) -> bool:
    """'aaaaaaaaaaaa', 'abababababab', 'abcabcabcabc': a unit of at most 4 characters, repeated."""
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in range(1, 5))


def check_password_policy(password: str, *, email: str | None = None, name: str | None = None) -> None:
    """Refuse (InvalidInput on the "password" field) a password that is short, common or made of the account's name."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"The password needs at least {MIN_LENGTH} characters.", "password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"The password may have at most {MAX_LENGTH} characters.", "password")
    folded = _folded(password)
    if len(set(folded)) < 5 or _repeats_a_short_unit(folded):
        raise InvalidInput("The password repeats too few characters; a few unrelated words make a good one.",
                           "password")
    if folded in common_passwords():
        raise InvalidInput("This password is on a list of commonly used passwords; choose another.", "password")
    local_part = _folded(email.split("@", 1)[0]) if email else ""
    if len(local_part) >= 3 and local_part in folded:
        raise InvalidInput("The password must not contain your email address.", "password")
    for word in re.split(r"\W+", (name or "").lower()):
        if len(word) >= 4 and word in folded:
            raise InvalidInput("The password must not contain your name.", "password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Made with the same method and cost as real hashes, so checking against it takes as long.
    return generate_password_hash("no account has this password; it only spends the time a real check takes")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; with no hash (no such account, or Entra-only) it takes the same time."""
    if len(password) > MAX_LENGTH:
        password = password[:MAX_LENGTH + 1]  # still wrong, but costs no more than a long one
    if not password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
