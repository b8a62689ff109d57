"""The password policy: long, not common, not made of the account's own address or name."""
import pytest

from tracker.auth.passwords import check_password_policy, common_passwords, verify_password, hash_password
from tracker.validation import InvalidInput


@pytest.mark.parametrize("password, why", [
    ("aaaaaaaaaa", "at least 12"),
    ("short pass", "at least 12"),
    ("aaaaaaaaaaaa", "repeats"),
    ("abababababab", "repeats"),
    ("abcabcabcabc", "repeats"),
    ("111111111111", "repeats"),
    ("password1234", "commonly used"),
    ("Password123!", "commonly used"),
    ("qwertyuiop[]", "commonly used"),
    ("1qaz2wsx3edc", "commonly used"),
    ("iloveyou2024", "commonly used"),
    ("Correct Horse Battery Staple", "commonly used"),
    ("1234567890-=", "commonly used"),
    ("jane.doe-garden-42", "email"),
    ("my Okonkwo password!", "name"),
    ("x" * 257, "at most 256"),
])
def test_refuses_weak_passwords_with_a_message_on_the_password_field(password, why):
    with pytest.raises(InvalidInput) as refused:
        check_password_policy(password, email="Jane.Doe@example.org", name="Adaeze Okonkwo")
    assert why in str(refused.value)
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", ["correct horse battery", "river-lamp-9-stone", "Ω unusual but fine ✓"])
def test_accepts_long_uncommon_passwords(password):
    check_password_policy(password, email="jane.doe@example.org", name="Jane Doe")


def test_common_list_holds_only_entries_that_the_length_rule_lets_through():
    entries = common_passwords()
    assert len(entries) > 1000
    assert all(len(entry) >= 12 and entry == entry.lower() and " " not in entry for entry in entries)


def test_verify_without_a_hash_is_false_and_still_hashes():
    assert verify_password(None, "anything at all here") is False
    assert verify_password("", "anything at all here") is False
    assert verify_password(hash_password("river-lamp-9-stone"), "river-lamp-9-stone") is True
