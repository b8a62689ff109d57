"""Sessions: a new one at sign-in, ended on the server at sign-out and by end_sessions (deactivation, password
change), and a remember-me cookie that is short-lived, HttpOnly, SameSite=Lax and Secure when configured."""
from datetime import datetime, timezone

from tests import factories
from tests.conftest import PASSWORD
from tracker.auth.models import User
from tracker.auth.sessions import end_sessions


def sign_in(app, user, remember=False):
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302
    return client, response


def cookie_value(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie is not None else None


def test_a_copied_session_cookie_stops_working_after_sign_out(app, session):
    user = factories.user(session, role="editor")
    client, _ = sign_in(app, user)
    copied = cookie_value(client, "session")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 200  # the copy works while the owner is signed in
    assert client.post("/sign-out").status_code == 302
    assert thief.get("/").status_code == 302  # ... and not after they sign out
    assert thief.get("/api/letters").status_code == 401


def test_a_copied_remember_me_cookie_stops_working_after_sign_out(app, session):
    user = factories.user(session, role="editor")
    client, _ = sign_in(app, user, remember=True)
    remembered = cookie_value(client, "remember_token")
    assert remembered
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)
    assert thief.get("/").status_code == 200  # a remember-me cookie alone signs in
    client.post("/sign-out")
    fresh_thief = app.test_client()
    fresh_thief.set_cookie("remember_token", remembered)
    assert fresh_thief.get("/").status_code == 302


def test_end_sessions_signs_out_every_device_at_once(app, session):
    user = factories.user(session, role="editor")
    laptop, _ = sign_in(app, user)
    phone, _ = sign_in(app, user, remember=True)
    end_sessions(session.get(User, user.id))
    session.commit()
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    again, _ = sign_in(app, user)  # a new sign-in works with the new version
    assert again.get("/").status_code == 200


def test_a_deactivated_account_is_signed_out_even_without_a_version_change(app, session):
    user = factories.user(session, role="editor")
    client, _ = sign_in(app, user)
    stored = session.get(User, user.id)
    stored.active = False
    session.add(stored)
    session.commit()
    assert client.get("/").status_code == 302


def test_old_style_session_ids_without_a_version_are_refused(app, session):
    user = factories.user(session, role="admin")
    client = app.test_client()
    with client.session_transaction() as stored:
        stored["_user_id"] = str(user.id)  # what a cookie signed before sessions had versions holds
        stored["_fresh"] = True
    assert client.get("/").status_code == 302


def test_sign_in_starts_a_new_session_and_keeps_nothing_from_before(app, session):
    user = factories.user(session, role="editor")
    client = app.test_client()
    with client.session_transaction() as stored:
        stored["planted"] = "by whoever had this browser before"
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as stored:
        assert "planted" not in stored
        assert stored["_user_id"] == f"{user.id}:{user.session_version}"


def test_remember_me_cookie_is_short_lived_httponly_and_lax(app, session):
    user = factories.user(session, role="editor")
    _, response = sign_in(app, user, remember=True)
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("remember_token="))
    attributes = header.lower()
    assert "httponly" in attributes and "samesite=lax" in attributes and "secure" not in attributes
    expires = datetime.strptime(header.split("Expires=")[1].split(";")[0], "%a, %d %b %Y %H:%M:%S GMT")
    days = (expires.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)).days
    assert 13 <= days <= 14


def test_cookies_are_secure_when_configured(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_SECURE", True)
    user = factories.user(session, role="editor")
    client = app.test_client()
    response = client.post("/sign-in", base_url="https://tracker.test",
                           data={"email": user.email, "password": PASSWORD, "remember": "y"})
    cookies = {value.split("=", 1)[0]: value.lower() for value in response.headers.getlist("Set-Cookie")}
    assert "; secure" in cookies["remember_token"] and "; secure" in cookies["session"]
    assert "samesite=lax" in cookies["session"]


def test_session_has_no_user_after_sign_out(app, session):
    user = factories.user(session, role="editor")
    client, _ = sign_in(app, user)
    client.post("/sign-out")
    with client.session_transaction() as stored:
        assert "_user_id" not in stored
