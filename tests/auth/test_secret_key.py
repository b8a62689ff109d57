"""The secret key: generated once into instance/ (owner-only) when none is configured; weak ones refused at start."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import config
from tracker.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def build(instance, **environ):
    return config.build(str(instance), environ=environ)


def test_without_a_configured_key_one_is_generated_into_the_instance_folder_readable_by_its_owner_only(tmp_path):
    instance = tmp_path / "instance"
    first = build(instance)["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first
    assert len(first) >= 32
    assert build(instance)["SECRET_KEY"] == first  # reused, so sessions survive a restart


def test_two_instance_folders_get_different_keys(tmp_path):
    assert build(tmp_path / "a")["SECRET_KEY"] != build(tmp_path / "b")["SECRET_KEY"]


def test_a_key_file_others_may_read_is_refused(tmp_path):
    build(tmp_path)
    os.chmod(tmp_path / "secret_key", 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        build(tmp_path)


@pytest.mark.parametrize("key", ["x", "a" * 31, "short-but-random-Zq8"])
def test_a_configured_key_shorter_than_32_characters_is_refused_naming_the_variable(tmp_path, key):
    with pytest.raises(ConfigError) as refused:
        build(tmp_path, TRACKER_SECRET_KEY=key)
    assert "TRACKER_SECRET_KEY" in str(refused.value) and "32" in str(refused.value)
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("key", ["dev-only-not-secret", "testing"])
def test_the_old_published_values_are_refused(tmp_path, key):
    with pytest.raises(ConfigError, match="TRACKER_SECRET_KEY is a value published"):
        build(tmp_path, TRACKER_SECRET_KEY=key)


def test_a_long_configured_key_is_used_and_no_file_is_written(tmp_path):
    key = "k" * 20 + "-a-configured-random-value"
    assert build(tmp_path, TRACKER_SECRET_KEY=key)["SECRET_KEY"] == key
    assert not (tmp_path / "secret_key").exists()


def test_workers_starting_together_agree_on_one_key(tmp_path):
    script = "import sys; from tracker.config import instance_secret_key; print(instance_secret_key(sys.argv[1]))"
    workers = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                                text=True) for _ in range(4)]
    keys = {worker.communicate(timeout=60)[0].strip() for worker in workers}
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left


def test_the_app_refuses_to_start_with_a_short_key(database_url):
    from tests.conftest import testing_config
    from tracker import create_app

    with pytest.raises(ConfigError, match="TRACKER_SECRET_KEY"):
        create_app(testing_config(database_url, SECRET_KEY="too-short"))


def test_remember_me_cookie_is_short_lived_lax_httponly_and_secure_with_the_session_cookie(tmp_path):
    settings = build(tmp_path, TRACKER_SESSION_COOKIE_SECURE="true", TRACKER_REMEMBER_COOKIE_DAYS="7")
    assert settings["REMEMBER_COOKIE_DURATION"].days == 7
    assert settings["REMEMBER_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert settings["REMEMBER_COOKIE_HTTPONLY"] is True
    assert build(tmp_path)["REMEMBER_COOKIE_SECURE"] is False
