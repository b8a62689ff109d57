"""The Microsoft Graph transport through the real msal library.

Microsoft's servers cannot be reached from tests, so msal and the sendMail call get an injected http_client
that answers discovery, token and sendMail like Microsoft does: this is the one mock in the mail tests.
"""
import json
from datetime import date
from urllib.parse import parse_qs

import pytest
from sqlmodel import select

from tests import factories
from tracker.commitments.operations import Window
from tracker.mail import Email, PermanentError, TransientError
from tracker.mail.graph import GraphTransport
from tracker.reminders import jobs
from tracker.reminders.models import Digest

TENANT = "11111111-2222-3333-4444-555555555555"
AUTHORITY = f"https://login.microsoftonline.com/{TENANT}"
TOKEN_URL = f"{AUTHORITY}/oauth2/v2.0/token"
SEND_URL = "https://graph.microsoft.com/v1.0/users/tracker@example.org/sendMail"


class Response:
    def __init__(self, status_code=200, body="", headers=None):
        self.status_code = status_code
        self.text = body if isinstance(body, str) else json.dumps(body)
        self.headers = headers or {}

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


class FakeMicrosoft:
    """Answers like login.microsoftonline.com and graph.microsoft.com; sendMail replies are queued."""

    def __init__(self, *send_replies):
        self.send_replies = list(send_replies)
        self.requests = []

    def get(self, url, params=None, headers=None, **kwargs):
        self.requests.append(("GET", url, params, None, headers))
        if "discovery/instance" in url:
            return Response(200, {"tenant_discovery_endpoint": f"{AUTHORITY}/v2.0/.well-known/openid-configuration",
                                  "api-version": "1.1", "metadata": []})
        if url.endswith("/.well-known/openid-configuration"):
            return Response(200, {"authorization_endpoint": f"{AUTHORITY}/oauth2/v2.0/authorize",
                                  "token_endpoint": TOKEN_URL, "issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0",
                                  "device_authorization_endpoint": f"{AUTHORITY}/oauth2/v2.0/devicecode"})
        return Response(404, {"error": "not_found"})

    def post(self, url, params=None, data=None, headers=None, **kwargs):
        self.requests.append(("POST", url, params, data, headers))
        if url == TOKEN_URL:
            return Response(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": "token-abc"})
        if url == SEND_URL:
            return self.send_replies.pop(0) if self.send_replies else Response(202, "", {"request-id": "req-1"})
        return Response(404, {"error": "not_found"})

    def posts_to(self, url):
        return [r for r in self.requests if r[0] == "POST" and r[1] == url]


def graph(fake):
    return GraphTransport(tenant_id=TENANT, client_id="client-id", client_secret="client-secret",
                          sender="tracker@example.org", http_client=fake)


MESSAGE = Email("tracker@example.org", ("greg.rattray@example.org",), "Reminders for 12 May 2010: 1 overdue",
                "text part", "<p>html part</p>", {"List-Unsubscribe": "<http://tracker.test/unsubscribe/x>"},
                "<digest-1-2010-05-12@example.org>")


def test_graph_asks_for_an_app_token_and_posts_the_message_to_the_sender_mailbox():
    fake = FakeMicrosoft()
    assert graph(fake).send(MESSAGE) == "req-1"
    (token_request,) = fake.posts_to(TOKEN_URL)
    form = token_request[3] if isinstance(token_request[3], dict) else parse_qs(token_request[3])
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in form.items()}
    assert flat["grant_type"] == "client_credentials"
    assert flat["client_id"] == "client-id" and flat["client_secret"] == "client-secret"
    assert flat["scope"] == "https://graph.microsoft.com/.default"
    (send,) = fake.posts_to(SEND_URL)
    assert send[4]["Authorization"] == "Bearer token-abc"
    assert json.loads(send[3]) == {
        "message": {"subject": "Reminders for 12 May 2010: 1 overdue",
                    "body": {"contentType": "HTML", "content": "<p>html part</p>"},
                    "toRecipients": [{"emailAddress": {"address": "greg.rattray@example.org"}}]},
        "saveToSentItems": True}


def test_graph_429_is_transient_and_carries_retry_after():
    fake = FakeMicrosoft(Response(429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "120"}))
    with pytest.raises(TransientError) as raised:
        graph(fake).send(MESSAGE)
    assert raised.value.retry_after == 120


def test_graph_401_is_permanent():
    fake = FakeMicrosoft(Response(401, {"error": {"code": "InvalidAuthenticationToken"}}))
    with pytest.raises(PermanentError, match="401"):
        graph(fake).send(MESSAGE)


def test_digest_throttled_by_graph_is_retried_after_retry_after_then_sent(app, session, pin):
    owner = factories.person(session, email="greg.rattray@example.org", timezone="America/New_York")
    factories.commitment(session, owner_id=owner.id,
                         window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    fake = FakeMicrosoft(Response(429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "300"}))
    transport = graph(fake)
    pin("2010-05-12T23:00:00+00:00")
    jobs.send_due(app, transport)
    digest = session.exec(select(Digest)).one()
    assert digest.state == "pending" and "429" in digest.last_error
    assert (digest.next_attempt_at.isoformat()) == "2010-05-12T23:05:00+00:00"  # Retry-After beats the backoff
    pin("2010-05-12T23:04:59+00:00")
    jobs.send_due(app, transport)
    assert len(fake.posts_to(SEND_URL)) == 1
    pin("2010-05-12T23:05:00+00:00")
    jobs.send_due(app, transport)
    session.refresh(digest)
    assert (digest.state, digest.attempts, digest.transport) == ("sent", 2, "graph")
    assert len(fake.posts_to(SEND_URL)) == 2


def test_digest_refused_by_graph_with_401_fails_and_is_not_retried(app, session, pin):
    owner = factories.person(session, timezone="UTC")
    factories.commitment(session, owner_id=owner.id, window=Window("by 1 May", None, date(2010, 5, 1), "day"))
    fake = FakeMicrosoft(Response(401, {"error": {"code": "InvalidAuthenticationToken"}}))
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app, graph(fake))
    pin("2010-05-12T12:00:00+00:00")
    jobs.send_due(app, graph(fake))
    digest = session.exec(select(Digest)).one()
    assert (digest.state, digest.attempts) == ("failed", 1)
    assert len(fake.posts_to(SEND_URL)) == 1
