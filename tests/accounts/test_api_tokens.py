import re
from datetime import timedelta

import pytest
from sqlmodel import select

from tests import factories
from tracker import clock
from tracker.accounts import operations
from tracker.accounts.models import ApiToken


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def make_token(client, name="nightly export"):
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 201, response.get_data(as_text=True)
    match = re.search(r'<code class="new-token">(trk_[^<]+)</code>', response.get_data(as_text=True))
    assert match
    return match.group(1)


def test_token_is_shown_once_and_stored_hashed(viewer_client, session):
    secret = make_token(viewer_client)
    stored = session.exec(select(ApiToken).where(ApiToken.user_id == viewer_client.user.id)).one()
    assert stored.token_hash == operations.token_hash(secret) and secret not in stored.token_hash
    page = viewer_client.get("/account").get_data(as_text=True)
    assert secret not in page and "nightly export" in page and stored.prefix in page


def test_token_acts_with_its_owners_visibility(app, signed_in, session):
    ccnso = factories.party(session, name="ccNSO T")
    factories.party(session, name="GNSO T")
    session.commit()
    limited = signed_in("viewer", party_ids=[ccnso.id])
    secret = make_token(limited)
    names = [p["name"] for p in app.test_client().get("/api/parties", headers=bearer(secret)).get_json()["items"]]
    assert names == ["ccNSO T"]


def test_no_or_bad_token_is_401(app, session):
    client = app.test_client()
    assert client.get("/api/parties").status_code == 401
    assert client.get("/api/parties", headers=bearer("trk_not-a-real-token")).status_code == 401
    assert client.get("/api/parties", headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401


def test_revoked_token_is_401(app, viewer_client, session):
    secret = make_token(viewer_client)
    api = app.test_client()
    assert api.get("/api/parties", headers=bearer(secret)).status_code == 200
    token = session.exec(select(ApiToken).where(ApiToken.user_id == viewer_client.user.id)).one()
    assert viewer_client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert api.get("/api/parties", headers=bearer(secret)).status_code == 401
    assert "revoked" in viewer_client.get("/account").get_data(as_text=True)


def test_a_user_cannot_revoke_someone_elses_token(viewer_client, editor_client, session):
    make_token(viewer_client)
    token = session.exec(select(ApiToken).where(ApiToken.user_id == viewer_client.user.id)).one()
    assert editor_client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert editor_client.post(f"/account/tokens/{2**70}/revoke").status_code == 404
    session.refresh(token)
    assert token.revoked_at is None


def test_last_use_is_recorded(app, viewer_client, session, monkeypatch):
    secret = make_token(viewer_client)
    token = session.exec(select(ApiToken).where(ApiToken.user_id == viewer_client.user.id)).one()
    assert token.last_used_at is None
    app.test_client().get("/api/parties", headers=bearer(secret))
    session.refresh(token)
    assert token.last_used_at == clock.now()
    later = clock.now() + timedelta(hours=1)
    monkeypatch.setitem(app.config, "NOW", later.isoformat())
    app.test_client().get("/api/parties", headers=bearer(secret))
    session.refresh(token)
    assert token.last_used_at == later


def test_a_token_is_ignored_outside_the_api(app, viewer_client, session):
    secret = make_token(viewer_client)
    client = app.test_client()
    assert client.get("/account", headers=bearer(secret)).status_code == 302
    response = client.post("/account/tokens", data={"name": "made by a token"}, headers=bearer(secret))
    assert response.status_code == 302
    assert session.exec(select(ApiToken).where(ApiToken.name == "made by a token")).first() is None


def test_a_token_is_rate_limited(app, viewer_client, session, monkeypatch):
    from tracker.auth.throttle import limiter

    monkeypatch.setitem(app.config, "API_TOKEN_RATE_LIMIT", "3 per minute")
    limiter.reset()
    secret = make_token(viewer_client)
    client = app.test_client()
    responses = [client.get("/api/parties", headers=bearer(secret)) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "too many requests" in responses[-1].get_json()["error"]
    # Another token, and the signed-in browser, keep their own budgets.
    assert viewer_client.get("/api/parties").status_code == 200
    other = make_token(viewer_client, "another")
    assert client.get("/api/parties", headers=bearer(other)).status_code == 200
    limiter.reset()


@pytest.mark.parametrize("name", ["", " ", "x" * 101])
def test_token_needs_a_sensible_name(viewer_client, session, name):
    assert viewer_client.post("/account/tokens", data={"name": name}).status_code == 400


def test_the_token_rate_limit_is_checked_at_start(tmp_path):
    from tracker.config import ConfigError, build

    with pytest.raises(ConfigError, match="API_TOKEN_RATE_LIMIT"):
        build(str(tmp_path), {"API_TOKEN_RATE_LIMIT": "lots", "SECRET_KEY": "k" * 40})


def test_the_token_rate_limit_is_parsed_once_not_on_every_request(app, viewer_client, monkeypatch):
    import flask_limiter._limits as limit_definitions
    from tracker.auth.throttle import limiter

    parsed = []
    parse_many = limit_definitions.parse_many
    monkeypatch.setattr(limit_definitions, "parse_many", lambda text: parsed.append(text) or parse_many(text))
    monkeypatch.setitem(app.config, "API_TOKEN_RATE_LIMIT", "4 per minute; 977 per hour")
    limiter.reset()
    secret = make_token(viewer_client)
    client = app.test_client()
    statuses = [client.get("/api/parties", headers=bearer(secret)).status_code for _ in range(5)]
    assert viewer_client.get("/api/parties").status_code == 200  # a browser's API request: exempt
    assert statuses == [200, 200, 200, 200, 429]  # the limit still counts
    assert parsed.count("4 per minute; 977 per hour") == 1
    limiter.reset()
