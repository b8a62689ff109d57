"""A database that was never migrated: every entry point says how to create the tables."""
import pytest

from tests.conftest import testing_config
from tracker import create_app
from tracker.db import SCHEMA_MISSING_HINT
from tracker.migrate import upgrade


@pytest.fixture
def unmigrated_app(empty_database_url):
    return create_app(testing_config(empty_database_url))


def test_cli_command_names_the_upgrade_command_instead_of_a_traceback(unmigrated_app):
    result = unmigrated_app.test_cli_runner().invoke(args=["digest", "send-due"])
    assert result.exit_code == 1
    assert "flask --app app db upgrade" in result.output
    assert "Traceback" not in result.output


def test_cli_subcommand_of_a_group_gets_the_hint_too(unmigrated_app):
    result = unmigrated_app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 1
    assert SCHEMA_MISSING_HINT in result.output


def test_sign_in_page_answers_503_with_the_hint(unmigrated_app):
    response = unmigrated_app.test_client().post("/sign-in", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 503
    assert "db upgrade" in response.get_data(as_text=True)


def test_after_upgrade_the_same_command_runs(unmigrated_app, empty_database_url):
    upgrade(empty_database_url)
    result = unmigrated_app.test_cli_runner().invoke(args=["digest", "send-due", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert SCHEMA_MISSING_HINT not in result.output
