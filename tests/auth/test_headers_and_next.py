"""Security headers on every kind of response, and next= that only ever leads to a path on this site."""
import pytest

from tracker.web import CONTENT_SECURITY_POLICY, safe_next_url

OVERVIEW = "/"


def assert_security_headers(response, *, cacheable=False):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    if cacheable:
        assert "no-store" not in headers.get("Cache-Control", "")
    else:
        assert headers["Cache-Control"] == "no-store"


def test_every_kind_of_response_carries_the_security_headers(client, admin_client):
    responses = {
        "sign-in page": client.get("/sign-in"),
        "redirect to sign-in": client.get("/"),
        "API without sign-in": client.get("/api/letters"),
        "signed-in page": admin_client.get("/"),
        "API": admin_client.get("/api/commitments"),
        "CSV export": admin_client.get("/commitments/export.csv"),
        "not found": admin_client.get("/no-such-page"),
        "API not found": admin_client.get("/api/no-such-thing"),
        "sign-in log": admin_client.get("/admin/sign-ins"),
        "health": client.get("/health"),
    }
    expected = {"sign-in page": 200, "redirect to sign-in": 302, "API without sign-in": 401, "signed-in page": 200,
                "API": 200, "CSV export": 200, "not found": 404, "API not found": 404, "sign-in log": 200,
                "health": 200}
    assert {name: response.status_code for name, response in responses.items()} == expected
    for name, response in responses.items():
        assert_security_headers(response), name
    assert "Strict-Transport-Security" not in responses["signed-in page"].headers


def test_static_files_stay_cacheable_but_get_the_other_headers(client):
    response = client.get("/static/tracker.css")
    assert response.status_code == 200
    assert_security_headers(response, cacheable=True)


def test_forbidden_page_carries_the_headers(viewer_client):
    response = viewer_client.get("/admin/sign-ins")
    assert response.status_code == 403
    assert_security_headers(response)


def test_hsts_is_sent_when_cookies_are_secure(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = client.get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_template_has_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text) \
                or "javascript:" in text:
            offenders.append(path.name)
    assert offenders == []


HOSTILE_NEXT = [
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "\\\\evil.example",
    "/%09/evil.example/",
    "/\t/evil.example/",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/letters\r\nSet-Cookie: x=1",
    "/letters%0d%0aSet-Cookie:%20x=1",
    "/letters%0aLocation:%20http://evil.example",
    "/\nevil",
    "/letters\x00",
    "/letters%00",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    "evil.example",
    " /letters",
    "/letters with space",
    "/\u3000/evil.example",
    "/lettérs",
    "/" + "a" * 3000,
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_falls_back_to_the_overview(app, target):
    with app.test_request_context():
        assert safe_next_url(target) == OVERVIEW


@pytest.mark.parametrize("target", ["/letters", "/letters/12?tab=history", "/commitments?status=open&page=2",
                                    "/parties/3#roles", "/letters/%C3%A9t%C3%A9"])
def test_paths_on_this_site_are_kept(app, target):
    with app.test_request_context():
        assert safe_next_url(target) == target


@pytest.mark.parametrize("target", ["/%09/evil.example/", "//evil.example", "/\\evil.example",
                                    "/letters\r\nSet-Cookie: x=1", "/%0d%0a", "https://evil.example"])
def test_sign_in_with_hostile_next_redirects_to_the_overview_not_500(app, session, target):
    from tests import factories
    from tests.conftest import PASSWORD

    user = factories.user(session, role="editor")
    response = app.test_client().post("/sign-in", query_string={"next": target},
                                      data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == OVERVIEW


def test_sign_in_follows_a_local_next(app, session):
    from tests import factories
    from tests.conftest import PASSWORD

    user = factories.user(session, role="editor")
    response = app.test_client().post("/sign-in?next=/letters%3Fpage%3D2",
                                      data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/letters?page=2"
