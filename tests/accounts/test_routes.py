import pytest
from sqlmodel import select

from tests import factories
from tests.accounts.conftest import link_path
from tracker import events
from tracker.accounts import operations
from tracker.auth.models import User, UserParty

NEW_PASSWORD = "purple walrus umbrella"


def sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def party_ids(session, user):
    return sorted(session.exec(select(UserParty.party_id).where(UserParty.user_id == user.id)))


# ---- the users list and the invitation ---------------------------------------------------------------------------

def test_users_page_is_for_admins_only(editor_client, viewer_client, client):
    assert editor_client.get("/admin/users").status_code == 403
    assert viewer_client.get("/admin/users").status_code == 403
    assert client.get("/admin/users").status_code == 302


def test_users_list_shows_role_scope_and_state(admin_client, session):
    ccnso = factories.party(session, short_name="ccNSOx")
    factories.user(session, display_name="Limited One", party_ids=[ccnso.id])
    factories.user(session, display_name="Sees Nothing", party_ids=[])
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Limited One" in page and "ccNSOx" in page and "nothing (no party)" in page
    assert "every party (admin)" in page and "Last sign-in" in page


def test_invitation_end_to_end(admin_client, app, session, outbox):
    party = factories.party(session)
    response = admin_client.post("/admin/users", data={
        "email": "Chair@Example.org", "display_name": "A Chair", "role": "viewer", "scope": "limited",
        "party_ids": [str(party.id), str(party.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    invited = session.exec(select(User).where(User.email == "Chair@example.org")).one()
    assert invited.limited_to_parties and party_ids(session, invited) == [party.id]
    (email,) = outbox.sent
    assert email.to == ("Chair@example.org",) and "invited" in email.subject
    path = link_path(email)

    visitor = app.test_client()
    assert sign_in(visitor, "Chair@example.org", "").status_code == 200  # no password yet: cannot sign in
    assert visitor.get(path).status_code == 200
    refused = visitor.post(path, data={"password": "short", "confirm": "short"})
    assert refused.status_code == 200 and "at least 12" in refused.get_data(as_text=True)
    assert visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert sign_in(visitor, "Chair@example.org", NEW_PASSWORD).status_code == 302
    assert app.test_client().get(path).status_code == 404  # single use
    kinds = [e.kind for e in events.history(session, "user", invited.id)]
    assert kinds == ["user.created", "user.invited", "user.invite_accepted"]


def test_invite_form_reports_unknown_party_ids_instead_of_failing(admin_client, session, outbox):
    for bad in ("999999", "99999999999999999999999", "x", "²"):
        response = admin_client.post("/admin/users", data={
            "email": "new@example.org", "display_name": "New", "role": "viewer", "scope": "limited",
            "party_ids": [bad]})
        assert response.status_code == 200, bad
        assert "error" in response.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "new@example.org")).first() is None
    assert outbox.sent == []


def test_invite_of_an_existing_address_is_a_form_error(admin_client, session, outbox):
    existing = factories.user(session)
    response = admin_client.post("/admin/users", data={"email": existing.email, "display_name": "Again",
                                                       "role": "viewer", "scope": "all"})
    assert response.status_code == 200 and "already exists" in response.get_data(as_text=True)


def test_viewer_invited_for_every_party_is_unlimited(admin_client, session, outbox):
    admin_client.post("/admin/users", data={"email": "all@example.org", "display_name": "All", "role": "viewer",
                                            "scope": "all"})
    assert session.exec(select(User).where(User.email == "all@example.org")).one().limited_to_parties is False


# ---- editing, deactivating ---------------------------------------------------------------------------------------

def test_admin_edits_name_role_and_scope_and_history_shows_it(admin_client, session):
    a, b = factories.party(session), factories.party(session)
    user = factories.user(session, party_ids=[a.id])
    response = admin_client.post(f"/admin/users/{user.id}", data={
        "display_name": "Renamed", "role": "viewer", "scope": "limited", "party_ids": [str(b.id), str(b.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    session.refresh(user)
    assert user.display_name == "Renamed" and party_ids(session, user) == [b.id]
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "changed the account: name" in page and "Renamed" in page


def test_edit_with_unknown_party_is_a_form_error(admin_client, session):
    user = factories.user(session)
    response = admin_client.post(f"/admin/users/{user.id}", data={
        "display_name": "X", "role": "viewer", "scope": "limited", "party_ids": ["424242"]})
    assert response.status_code == 200


def test_unknown_or_huge_user_ids_are_404(admin_client):
    assert admin_client.get("/admin/users/999999").status_code == 404
    assert admin_client.get(f"/admin/users/{2**70}").status_code == 404


def test_deactivation_ends_a_signed_in_session_and_its_tokens(admin_client, signed_in, session):
    victim = signed_in("viewer")
    assert victim.get("/account").status_code == 200
    _token, secret = operations.create_api_token(session, victim.user, "script")
    session.commit()
    api = victim.application.test_client()
    assert api.get("/api/parties", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    assert admin_client.post(f"/admin/users/{victim.user.id}/deactivate").status_code == 302
    assert victim.get("/account").status_code == 302  # sent to sign in
    assert api.get("/api/parties", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert sign_in(victim.application.test_client(), victim.user.email, factories.PASSWORD).status_code == 200
    page = admin_client.get(f"/admin/users/{victim.user.id}").get_data(as_text=True)
    assert "deactivated the account (1 API tokens revoked)" in page

    assert admin_client.post(f"/admin/users/{victim.user.id}/reactivate").status_code == 302
    assert sign_in(victim.application.test_client(), victim.user.email, factories.PASSWORD).status_code == 302


def test_admin_sends_a_reset_link(admin_client, app, session, outbox):
    user = factories.user(session)
    assert admin_client.post(f"/admin/users/{user.id}/send-link").status_code == 302
    (email,) = outbox.sent
    assert email.to == (user.email,) and "new password" in email.subject
    visitor = app.test_client()
    assert visitor.post(link_path(email), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert sign_in(visitor, user.email, NEW_PASSWORD).status_code == 302


# ---- forgot password, own password -------------------------------------------------------------------------------

def test_forgot_password_gives_the_same_answer_for_known_and_unknown_addresses(app, client, session, outbox):
    user = factories.user(session)
    known = client.post("/forgot-password", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    (email,) = outbox.sent
    assert email.to == (user.email,)


def test_reset_link_sets_a_password_and_ends_other_sessions(app, session, outbox, signed_in):
    signed = signed_in("viewer")
    assert signed.get("/account").status_code == 200
    response = app.test_client().post("/forgot-password", data={"email": signed.user.email})
    assert outbox.sent == []  # sent once the response is closed, as a WSGI server does after sending it
    response.close()
    path = link_path(outbox.sent[0])
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert signed.get("/account").status_code == 302
    assert sign_in(app.test_client(), signed.user.email, factories.PASSWORD).status_code == 200
    assert sign_in(app.test_client(), signed.user.email, NEW_PASSWORD).status_code == 302
    assert visitor.get(path).status_code == 404


def test_a_reset_link_for_a_deactivated_account_does_not_work(app, session, outbox):
    user = factories.user(session)
    issued = operations.issue_link(session, user, "reset")
    user.active = False
    session.commit()
    assert app.test_client().get(f"/set-password/{issued.token}").status_code == 404


def test_change_own_password_keeps_this_session_and_ends_others(app, session, signed_in):
    me = signed_in("viewer")
    other_device = app.test_client()
    assert sign_in(other_device, me.user.email, factories.PASSWORD).status_code == 302
    wrong = me.post("/account/password", data={"current_password": "not my password", "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    weak = me.post("/account/password", data={"current_password": factories.PASSWORD, "password": "aaaaaaaaaaaaaa",
                                             "confirm": "aaaaaaaaaaaaaa"})
    assert weak.status_code == 400
    done = me.post("/account/password", data={"current_password": factories.PASSWORD, "password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert me.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    assert sign_in(app.test_client(), me.user.email, NEW_PASSWORD).status_code == 302


def test_account_page_needs_sign_in(client, viewer_client):
    assert client.get("/account").status_code == 302
    assert viewer_client.get("/account").status_code == 200


def test_a_new_role_ends_the_accounts_sessions(admin_client, signed_in, session):
    editor = signed_in("editor")
    assert editor.get("/intake/").status_code == 200
    response = admin_client.post(f"/admin/users/{editor.user.id}", data={
        "display_name": editor.user.display_name, "role": "viewer", "scope": "all"})
    assert response.status_code == 302
    assert editor.get("/account").status_code == 302
    assert admin_client.get("/admin/users").status_code == 200


def test_an_admin_changing_their_own_role_stays_signed_in(admin_client, session):
    factories.user(session, role="admin")
    me = admin_client.user
    response = admin_client.post(f"/admin/users/{me.id}", data={"display_name": me.display_name, "role": "editor",
                                                                "scope": "all"})
    assert response.status_code == 302
    assert admin_client.get("/account").status_code == 200
    assert admin_client.get("/admin/users").status_code == 403


@pytest.mark.parametrize("method, path", [
    ("get", "/admin/users"), ("post", "/admin/users"), ("get", "/admin/users/{id}"), ("post", "/admin/users/{id}"),
    ("post", "/admin/users/{id}/deactivate"), ("post", "/admin/users/{id}/reactivate"),
    ("post", "/admin/users/{id}/send-link")])
def test_account_administration_is_refused_to_editors(editor_client, session, method, path):
    target = factories.user(session)
    response = getattr(editor_client, method)(path.format(id=target.id))
    assert response.status_code == 403
    session.refresh(target)
    assert target.active


def test_sign_in_page_links_to_forgot_password(client):
    assert 'href="/forgot-password"' in client.get("/sign-in").get_data(as_text=True)


def test_forgot_password_is_throttled_per_typed_address(app, session, outbox, monkeypatch):
    from tracker.auth.throttle import limiter

    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", "2 per minute")
    limiter.reset()
    user = factories.user(session)
    client = app.test_client()
    statuses = []
    for _ in range(3):
        response = client.post("/forgot-password", data={"email": user.email})
        response.close()
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429] and len(outbox.sent) == 2
    limiter.reset()


def test_no_link_for_a_deactivated_account(admin_client, session, outbox):
    user = factories.user(session)
    operations.deactivate_user(session, user)
    session.commit()
    assert admin_client.post(f"/admin/users/{user.id}/send-link").status_code == 302
    assert outbox.sent == []
