import re

import pytest
from sqlmodel import select

from tests import factories
from tests.accounts.conftest import link_path
from tracker import events
from tracker.auth.models import User, UserParty

NEW_PASSWORD = "purple walrus umbrella"


@pytest.fixture()
def run(app, session):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["users", *args])


def account(session, email):
    user = session.exec(select(User).where(User.email == email)).one()
    session.refresh(user)
    return user


def party_ids(session, user):
    return sorted(session.exec(select(UserParty.party_id).where(UserParty.user_id == user.id)))


@pytest.mark.parametrize("command", ["create", "invite", "list", "set-role", "set-parties", "deactivate",
                                     "reactivate", "reset-password"])
def test_every_command_has_help(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_create_with_parties_by_short_name_or_id(run, session):
    ccnso, gnso = factories.party(session, short_name="ccNSO-c"), factories.party(session, short_name="GNSO-c")
    result = run("create", "--email", "v@example.org", "--name", "V", "--role", "viewer", "--password", NEW_PASSWORD,
                 "--party", "ccnso-c", "--party", str(gnso.id), "--party", "ccNSO-c")
    assert result.exit_code == 0, result.output
    user = account(session, "v@example.org")
    assert user.limited_to_parties and party_ids(session, user) == sorted([ccnso.id, gnso.id])


def test_create_refuses_a_weak_password_clearly(run, session):
    result = run("create", "--email", "v@example.org", "--name", "V", "--password", "short")
    assert result.exit_code == 1 and "Error: The password needs at least 12 characters." in result.output
    assert session.exec(select(User).where(User.email == "v@example.org")).first() is None


def test_list_shows_role_scope_and_state(run, session):
    party = factories.party(session, short_name="ALAC-l")
    limited = factories.user(session, party_ids=[party.id])
    nothing = factories.user(session, party_ids=[])
    gone = factories.user(session, role="editor")
    run("deactivate", gone.email)
    result = run("list")
    assert result.exit_code == 0, result.output
    assert re.search(rf"{limited.email}\t.*\tviewer\tactive\tsees: ALAC-l\tlast sign-in: never", result.output)
    assert f"{nothing.email}\t" in result.output and "sees: nothing (no party)" in result.output
    assert gone.email not in result.output
    assert gone.email in run("list", "--all").output


def test_set_role_records_before_and_after(run, session):
    user = factories.user(session)
    result = run("set-role", user.email, "editor")
    assert result.exit_code == 0, result.output
    assert account(session, user.email).role == "editor"
    event = events.history(session, "user", user.id)[-1]
    assert event.kind == "user.updated" and event.data["before"] == {"role": "viewer"}
    assert event.data["after"] == {"role": "editor"} and event.actor_name == "system"


def test_set_parties_replaces_the_scope_or_opens_it(run, session):
    a, b = factories.party(session, short_name="A-p"), factories.party(session, short_name="B-p")
    user = factories.user(session, party_ids=[a.id])
    assert run("set-parties", user.email, "B-p").exit_code == 0
    assert party_ids(session, account(session, user.email)) == [b.id]
    assert run("set-parties", user.email, "--all-parties").exit_code == 0
    assert account(session, user.email).limited_to_parties is False
    assert run("set-parties", user.email).exit_code == 0
    user = account(session, user.email)
    assert user.limited_to_parties and party_ids(session, user) == []


def test_unknown_party_or_account_is_a_clear_error(run, session):
    user = factories.user(session)
    result = run("set-parties", user.email, "no-such-party", "99999999999999999999")
    assert result.exit_code == 1
    assert "no party has the short name or id: no-such-party, 99999999999999999999" in result.output
    result = run("set-role", "nobody@example.org", "admin")
    assert result.exit_code == 1 and "no account has the address nobody@example.org" in result.output
    assert run("set-role", user.email, "superuser").exit_code == 2


def test_deactivate_and_reactivate(run, session):
    user = factories.user(session)
    assert run("deactivate", user.email).exit_code == 0
    assert account(session, user.email).active is False
    again = run("deactivate", user.email)
    assert again.exit_code == 1 and "already deactivated" in again.output
    assert run("reactivate", user.email).exit_code == 0
    assert account(session, user.email).active is True


def test_invite_emails_a_working_link(run, app, session, outbox):
    result = run("invite", "--email", "chair@example.org", "--name", "Chair", "--party", str(factories.party(session).id))
    assert result.exit_code == 0, result.output
    assert "invitation sent to chair@example.org" in result.output
    (email,) = outbox.sent
    visitor = app.test_client()
    assert visitor.post(link_path(email), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert visitor.post("/sign-in", data={"email": "chair@example.org", "password": NEW_PASSWORD}).status_code == 302


def test_reset_password_emails_a_link_or_sets_one(run, app, session, outbox):
    user = factories.user(session)
    result = run("reset-password", user.email)
    assert result.exit_code == 0 and "password reset link sent" in result.output
    assert len(outbox.sent) == 1 and outbox.sent[0].to == (user.email,)
    assert run("reset-password", user.email, "--password", NEW_PASSWORD).exit_code == 0
    assert app.test_client().post("/sign-in", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    weak = run("reset-password", user.email, "--password", "aaaaaaaaaaaaaaaa")
    assert weak.exit_code == 1 and "Error:" in weak.output


def test_demo_load_prints_three_sign_ins_that_work(app, session, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    sign_ins = re.findall(r"^  (\S+@example\.org)  (\S+)  \((\w+)\)$", result.output, re.MULTILINE)
    assert [(email, role) for email, _password, role in sign_ins] == [
        ("admin@example.org", "admin"), ("editor@example.org", "editor"), ("ccnso-viewer@example.org", "viewer")]
    for email, password, _role in sign_ins:
        assert len(password) >= 12
        response = app.test_client().post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 302, (email, response.get_data(as_text=True)[:300])
    viewer = account(session, "ccnso-viewer@example.org")
    assert viewer.limited_to_parties and len(party_ids(session, viewer)) == 1


def test_reset_password_of_a_deactivated_account_is_refused(run, session, outbox):
    user = factories.user(session)
    run("deactivate", user.email)
    result = run("reset-password", user.email)
    assert result.exit_code == 1 and "is deactivated; reactivate it first" in result.output and outbox.sent == []
