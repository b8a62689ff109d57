"""Every link on every page of the sample record leads somewhere, and every query parameter it carries is one
the target page reads: a filter renamed on one side cannot leave the other side linking to a page that
silently ignores it (the overview card once sent reply_state= to a list that read reply=)."""
from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Request, url_for
from werkzeug.datastructures import ImmutableMultiDict

from tests import factories
from tests.conftest import PASSWORD
from tracker.demo.load import load_sample_record
from tracker.reminders.digest import MORE_PATHS

HREF = re.compile(r'href="([^"]*)"')
# Links that end the session or leave the crawl's signed-in state, and files the web server serves.
NOT_FOLLOWED = re.compile(r"^/(static/|sign-out|sign-in/microsoft)")
MAX_PAGES = 600

_read_keys: set[str] = set()
_ALL = "*"


class _RecordingArgs(ImmutableMultiDict):
    """request.args that notes every key a view reads (to_dict or iteration reads them all)."""

    def get(self, key, default=None, type=None):
        _read_keys.add(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        _read_keys.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _read_keys.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        _read_keys.add(key)
        return super().getlist(key, type)

    def to_dict(self, flat=True):
        _read_keys.add(_ALL)
        return super().to_dict(flat)

    def __iter__(self):
        _read_keys.add(_ALL)
        return super().__iter__()

    def items(self, multi=False):
        _read_keys.add(_ALL)
        return super().items(multi)


class _RecordingRequest(Request):
    parameter_storage_class = _RecordingArgs


@pytest.fixture()
def recording(app, monkeypatch):
    """Records the keys the view (and the template it renders) reads, not the checks every request gets
    before it (which scan all arguments for control characters)."""
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    dispatch = app.dispatch_request

    def dispatch_recorded():
        _read_keys.clear()
        return dispatch()

    monkeypatch.setattr(app, "dispatch_request", dispatch_recorded)


@pytest.fixture()
def record(session):
    loaded = load_sample_record(session)
    session.commit()
    return loaded


def _sign_in(app, session, **user):
    account = factories.user(session, **user)
    client = app.test_client()
    assert client.post("/sign-in", data={"email": account.email, "password": PASSWORD}).status_code == 302
    return client


def _get(client, url):
    _read_keys.clear()
    response = client.get(url)
    return response, set(_read_keys)


def _unread_parameters(url: str, read: set[str]) -> set[str]:
    sent = {key for key, _value in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    return set() if _ALL in read else sent - read


def crawl(client) -> dict[str, str]:
    """{url: problem} for every link reachable from the overview that fails or carries an unread parameter."""
    problems, seen, queue = {}, {"/"}, deque([("/", "start")])
    while queue and len(seen) <= MAX_PAGES:
        url, found_on = queue.popleft()
        response, read = _get(client, url)
        if response.status_code >= 400:
            problems[url] = f"{response.status_code} (linked from {found_on})"
            continue
        unread = _unread_parameters(url, read)
        if unread:
            problems[url] = f"parameters the page does not read: {sorted(unread)} (linked from {found_on})"
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        for raw in HREF.findall(response.get_data(as_text=True)):
            target = html.unescape(raw).split("#")[0]
            if not target.startswith("/") or target.startswith("//") or NOT_FOLLOWED.match(target):
                continue
            if target not in seen:
                seen.add(target)
                queue.append((target, url))
    assert len(seen) > 20, f"the crawl reached only {sorted(seen)}"
    return problems


def test_every_link_works_and_every_parameter_is_read_as_admin(app, session, record, recording):
    assert crawl(_sign_in(app, session, role="admin")) == {}


def test_every_link_works_and_every_parameter_is_read_as_a_limited_viewer(app, session, record, recording):
    client = _sign_in(app, session, role="viewer", party_ids=[record.parties["ccnso"].id])
    assert crawl(client) == {}


def test_digest_links_are_the_list_pages_and_the_lists_read_their_parameters(app, session, record, recording):
    endpoints = {"overdue": ("commitments.index", {"status": "overdue"}),
                 "due_soon": ("commitments.index", {"status": "due_soon"}),
                 "needs_decision": ("commitments.index", {"status": "needs_decision"}),
                 "letters": ("letters.index", {"reply_state": "late"}),
                 "done": ("commitments.index", {"status": "done"})}
    assert endpoints.keys() == MORE_PATHS.keys()
    client = _sign_in(app, session, role="admin")
    with app.test_request_context():
        built = {key: url_for(endpoint, **values) for key, (endpoint, values) in endpoints.items()}
    for key, path in MORE_PATHS.items():
        assert path == built[key], key
        response, read = _get(client, path)
        assert response.status_code == 200, path
        assert not _unread_parameters(path, read), path


def test_a_parameter_the_page_ignores_is_caught(app, session, record, recording):
    client = _sign_in(app, session, role="admin")
    response, read = _get(client, "/letters/?reply=late")
    assert response.status_code == 200
    assert _unread_parameters("/letters/?reply=late", read) == {"reply"}
