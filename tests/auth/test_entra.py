"""Sign-in with Microsoft Entra ID.

Microsoft's servers are the one edge these tests stand in for: msal is given an http_client that answers
the tenant's OpenID discovery and token requests with canned documents, built like Microsoft's. Everything
on our side (msal's flow with state, nonce and PKCE, the id token checks, matching and registering accounts,
the session) runs for real. The id token is not signed: tokens received straight from the token endpoint
over TLS are not signature-checked (OpenID Connect Core 3.1.3.7, step 6).
"""
import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlmodel import select

from tests import factories
from tracker import clock
from tracker.auth.models import User, UserParty
from tracker.events import Event

TENANT = "4a1b2c3d-0000-4000-8000-00000000aaaa"
OTHER_TENANT = "9f8e7d6c-0000-4000-8000-00000000bbbb"
CLIENT_ID = "11111111-2222-4333-8444-555555555555"
HOST = "https://login.microsoftonline.com"
ISSUER = f"{HOST}/{TENANT}/v2.0"


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class Answer:
    def __init__(self, body: dict, status: int = 200):
        self.status_code, self.text, self.headers = status, json.dumps(body), {}

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class MicrosoftStandIn:
    """Answers like login.microsoftonline.com for one tenant; the test sets the claims of the next id token."""

    def __init__(self):
        self.claims: dict = {}
        self.token_requests: list[dict] = []
        self.code_challenge = None
        self.nonce_hash = None

    def get(self, url, **_kwargs):
        assert url == f"{HOST}/{TENANT}/v2.0/.well-known/openid-configuration", url
        return Answer({"issuer": ISSUER, "authorization_endpoint": f"{HOST}/{TENANT}/oauth2/v2.0/authorize",
                       "token_endpoint": f"{HOST}/{TENANT}/oauth2/v2.0/token",
                       "jwks_uri": f"{HOST}/{TENANT}/discovery/v2.0/keys"})

    def post(self, url, data=None, **_kwargs):
        assert url == f"{HOST}/{TENANT}/oauth2/v2.0/token", url
        self.token_requests.append(dict(data))
        # PKCE: the verifier sent now must hash to the challenge sent with the browser earlier.
        verifier_hash = base64.urlsafe_b64encode(hashlib.sha256(data["code_verifier"].encode()).digest())
        if data.get("code") != "the-code" or verifier_hash.decode().rstrip("=") != self.code_challenge:
            return Answer({"error": "invalid_grant", "error_description": "AADSTS70008: bad code"}, 400)
        now = int(clock.now().timestamp())
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "tid": TENANT, "iat": now, "nbf": now, "exp": now + 3600,
                  "nonce": self.nonce_hash, "oid": "aaaa0000-1111-4222-8333-444455556666", "name": "Ada Example",
                  "preferred_username": "ada@contoso.example", "ver": "2.0"} | self.claims
        claims = {key: value for key, value in claims.items() if value is not None}
        id_token = f"{b64({'alg': 'RS256', 'typ': 'JWT'})}.{b64(claims)}.c2lnbmF0dXJl"
        return Answer({"token_type": "Bearer", "scope": "openid profile", "expires_in": 3600, "access_token": "at",
                       "id_token": id_token, "client_info": b64({"uid": claims.get("oid"), "utid": TENANT})})

    def close(self):
        pass


@pytest.fixture()
def microsoft(app, monkeypatch):
    stand_in = MicrosoftStandIn()
    for key, value in {"ENTRA_TENANT_ID": TENANT, "ENTRA_CLIENT_ID": CLIENT_ID, "ENTRA_CLIENT_SECRET": "s3cret",
                       "ENTRA_SELF_REGISTRATION_DOMAINS": ""}.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.extensions, "entra_http_client", stand_in)
    monkeypatch.setitem(app.extensions, "entra_http_cache", {})
    return stand_in


def sign_in_with_microsoft(app, microsoft, *, next_page=None, state=None, code="the-code"):
    client = app.test_client()
    started = client.get("/sign-in/entra", query_string={"next": next_page} if next_page else None)
    assert started.status_code == 302
    location = urlsplit(started.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{HOST}/{TENANT}/oauth2/v2.0/authorize"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["code_challenge_method"] == "S256" and query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://tracker.test/sign-in/entra/callback"
    microsoft.code_challenge, microsoft.nonce_hash = query["code_challenge"], query["nonce"]
    back = client.get("/sign-in/entra/callback", query_string={"code": code, "state": state or query["state"]})
    return client, back


def test_the_microsoft_button_shows_only_when_entra_is_configured(client, app, monkeypatch):
    assert "Sign in with Microsoft" not in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/sign-in/entra").headers["Location"] == "/sign-in"
    monkeypatch.setitem(app.config, "ENTRA_TENANT_ID", TENANT)
    monkeypatch.setitem(app.config, "ENTRA_CLIENT_ID", CLIENT_ID)
    monkeypatch.setitem(app.config, "ENTRA_CLIENT_SECRET", "s3cret")
    assert "Sign in with Microsoft" in client.get("/sign-in").get_data(as_text=True)


def test_an_existing_account_signs_in_by_its_address_and_is_bound_to_the_identity(app, session, microsoft):
    user = factories.user(session, role="editor", email="Ada@contoso.example")
    client, back = sign_in_with_microsoft(app, microsoft, next_page="/letters/")
    assert back.status_code == 302 and back.headers["Location"] == "/letters/"
    assert client.get("/").status_code == 200
    session.expire_all()
    assert session.get(User, user.id).entra_subject == f"{TENANT}:aaaa0000-1111-4222-8333-444455556666"
    assert microsoft.token_requests[0]["client_secret"] == "s3cret"
    linked = session.exec(select(Event).where(Event.kind == "user.entra_linked", Event.subject_id == user.id)).one()
    assert linked.data["after"] == {"entra_subject": f"{TENANT}:aaaa0000-1111-4222-8333-444455556666"}
    kinds = session.exec(select(Event.kind).where(Event.subject_type == "sign_in", Event.subject_id == user.id))
    assert "auth.signed_in" in list(kinds)


def test_later_sign_ins_follow_the_bound_identity_not_the_address(app, session, microsoft):
    user = factories.user(session, role="editor", email="ada@contoso.example")
    sign_in_with_microsoft(app, microsoft)
    factories.user(session, role="admin", email="boss@contoso.example")
    # The directory user is renamed to the admin's address: they still land in their own account.
    microsoft.claims = {"preferred_username": "boss@contoso.example"}
    client, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 302
    with client.session_transaction() as stored:
        assert stored["_user_id"].split(":")[0] == str(user.id)


def test_an_account_bound_to_another_identity_is_refused(app, session, microsoft):
    user = factories.user(session, role="editor", email="ada@contoso.example")
    stored = session.get(User, user.id)
    stored.entra_subject = f"{TENANT}:someone-else"
    session.add(stored)
    session.commit()
    client, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 403 and "linked to another Microsoft account" in back.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_unknown_identity_is_refused_and_no_account_is_made(app, session, microsoft):
    microsoft.claims = {"preferred_username": "stranger@contoso.example"}
    client, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 403
    assert "There is no tracker account" in back.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "stranger@contoso.example")).first() is None
    assert client.get("/").status_code == 302
    refused = session.exec(select(Event).where(Event.kind == "auth.sign_in_failed").order_by(Event.id.desc())).first()
    assert refused.data["method"] == "entra" and refused.data["email"] == "stranger@contoso.example"


def test_a_self_registration_domain_makes_a_viewer_who_sees_no_party(app, session, microsoft, monkeypatch, signed_in):
    monkeypatch.setitem(app.config, "ENTRA_SELF_REGISTRATION_DOMAINS", "fabrikam.example, Contoso.example")
    party = factories.party(session)
    factories.letter(session, authors=[party], subject="A letter no new viewer may see")
    session.commit()
    microsoft.claims = {"preferred_username": "newcomer@contoso.example", "name": "New Comer"}
    client, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 302
    user = session.exec(select(User).where(User.email == "newcomer@contoso.example")).one()
    assert (user.role, user.limited_to_parties, user.display_name, user.password_hash) == \
        ("viewer", True, "New Comer", "")
    assert session.exec(select(UserParty).where(UserParty.user_id == user.id)).all() == []
    assert client.get("/letters/").status_code == 200
    assert "A letter no new viewer may see" not in client.get("/letters/").get_data(as_text=True)
    assert "A letter no new viewer may see" not in client.get("/api/letters").get_data(as_text=True)
    staff = signed_in("editor")
    assert "A letter no new viewer may see" in staff.get("/letters/").get_data(as_text=True)


def test_self_registration_is_only_for_the_listed_domains(app, session, microsoft, monkeypatch):
    monkeypatch.setitem(app.config, "ENTRA_SELF_REGISTRATION_DOMAINS", "fabrikam.example")
    microsoft.claims = {"preferred_username": "newcomer@contoso.example"}
    _, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 403


@pytest.mark.parametrize("claims, message", [
    ({"tid": OTHER_TENANT}, "another organisation"),
    ({"iss": f"{HOST}/{OTHER_TENANT}/v2.0"}, "another organisation"),
    ({"aud": "another-client"}, "another application"),
    ({"idp": "https://sts.windows.net/some-other-directory/"}, "Guest accounts"),
    ({"exp": 1000}, "expired"),
    ({"oid": None}, "no user id"),
    ({"preferred_username": "not an address"}, "no email address"),
])
def test_id_tokens_that_do_not_fit_this_tenant_and_app_are_refused(app, session, microsoft, claims, message):
    factories.user(session, role="admin", email="ada@contoso.example")
    microsoft.claims = claims
    client, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 403 and message in back.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_unverified_email_claim_is_not_trusted_but_a_verified_one_is(app, session, microsoft):
    admin = factories.user(session, role="admin", email="boss@contoso.example")
    microsoft.claims = {"preferred_username": "nobody@contoso.example", "email": "boss@contoso.example"}
    _, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 403  # an email claim a user could type does not open the admin's account
    microsoft.claims = {"preferred_username": "nobody@contoso.example", "email": "boss@contoso.example",
                        "xms_edov": True}
    client, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 302
    with client.session_transaction() as stored:
        assert stored["_user_id"].split(":")[0] == str(admin.id)


def test_a_forged_state_is_refused(app, session, microsoft):
    factories.user(session, role="admin", email="ada@contoso.example")
    client, back = sign_in_with_microsoft(app, microsoft, state="forged-state")
    assert back.status_code == 403 and "did not match" in back.get_data(as_text=True)
    assert microsoft.token_requests == []  # the code was never redeemed


def test_a_callback_without_a_started_flow_is_refused(app, session, microsoft):
    response = app.test_client().get("/sign-in/entra/callback?code=the-code&state=abc")
    assert response.status_code == 403 and "expired" in response.get_data(as_text=True)


def test_microsoft_refusing_the_code_is_shown(app, session, microsoft):
    factories.user(session, role="admin", email="ada@contoso.example")
    _, back = sign_in_with_microsoft(app, microsoft, code="stale-code")
    assert back.status_code == 403 and "AADSTS70008" in back.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in_with_microsoft(app, session, microsoft):
    user = factories.user(session, role="editor", email="ada@contoso.example")
    stored = session.get(User, user.id)
    stored.active = False
    session.add(stored)
    session.commit()
    _, back = sign_in_with_microsoft(app, microsoft)
    assert back.status_code == 403 and "deactivated" in back.get_data(as_text=True)


def test_a_hostile_next_is_dropped_on_the_microsoft_route(app, session, microsoft):
    factories.user(session, role="editor", email="ada@contoso.example")
    _, back = sign_in_with_microsoft(app, microsoft, next_page="/%09/evil.example/")
    assert back.headers["Location"] == "/"


def test_local_accounts_keep_working_when_entra_is_configured(app, session, microsoft):
    from tests.conftest import PASSWORD

    user = factories.user(session, role="editor")
    response = app.test_client().post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_microsoft_unreachable_is_a_message_not_a_500(app, session, microsoft):
    def unreachable(*_args, **_kwargs):
        raise requests.ConnectionError("no route to host")

    microsoft.get = unreachable
    response = app.test_client().get("/sign-in/entra")
    assert response.status_code == 503 and "cannot be reached" in response.get_data(as_text=True)
