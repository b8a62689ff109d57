"""Nothing a viewer may not see is named, counted, linked or id-exposed on any page it can open.

The ccNSO-limited viewer requests every GET route with every record id of each kind (visible or not), the
list pages and the API with every filter value, the CSV and XLSX exports with every filter value and words to
search for; no body may carry the marker of a GNSO-only or ALAC-only record nor a link or API id of one;
reports and exports are read as their reader reads them (the text of a PDF, the cells of a spreadsheet). A
viewer with no party sees no record at all.
"""
from __future__ import annotations

import io
import re

from flask import url_for
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from tests.access.dataset import MARKER
from tracker.commitments.models import KINDS, STATUSES, Commitment
from tracker.commitments.queries import DERIVED_STATES
from tracker.consultations.models import CommentPeriod
from tracker.letters.models import REPLY_FILTERS
from tracker.letters.models import DIRECTIONS, REPLY_STATES, Letter, LetterFile
from tracker.meetings.models import Meeting
from tracker.parties.models import Party, Person
from tracker.phases.models import Phase
from tracker.reminders import operations as reminders

COMMITMENT_EXPORTS = ("/commitments/export.csv", "/commitments/export.xlsx")
LETTER_EXPORTS = ("/letters/export.csv", "/letters/export.xlsx")
EXPORTS = COMMITMENT_EXPORTS + LETTER_EXPORTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# URL argument → (model whose every id is tried, kind in the dataset's hidden ids)
ID_ARGUMENTS = {"letter_id": (Letter, "letter"), "commitment_id": (Commitment, "commitment"),
                "meeting_id": (Meeting, "meeting"), "period_id": (CommentPeriod, "comment_period"),
                "party_id": (Party, "party"), "person_id": (Person, "person"), "file_id": (LetterFile, "file")}
LINKS = {"letter": r"/letters/(\d+)", "commitment": r"/commitments/(\d+)", "meeting": r"/meetings/(\d+)",
         "comment_period": r"/comment-periods/(\d+)", "person": r"/people/(\d+)", "party": r"/parties/(\d+)"}
# Routes a signed-in viewer cannot GET or that show no records (tried by the matrix instead).
NOT_RECORD_PAGES = {"static", "health", "auth.login", "accounts.users", "accounts.user", "accounts.set_password",
                    "auth.entra_start", "auth.entra_callback", "auth.sign_ins", "reminders.unsubscribe",
                    "reminders.sent_mail", "reminders.sent_mail_detail", "intake.index", "reminders.new",
                    "reminders.edit", "reminders.preview", "commitments.parse_due_json", "phases.index",
                    # read with a token, not a session: tests/calendar tries a limited reader's feeds
                    "calendar.feed", "calendar.party_feed"}


def _all_ids(session, model) -> list[int]:
    return list(session.exec(select(model.id).order_by(model.id)))


def _list_urls(session) -> list[str]:
    """Every list, the API and the export, with every value of every filter."""
    party_ids = _all_ids(session, Party)
    person_ids = _all_ids(session, Person)
    urls = ["/", "/letters/", "/commitments/", "/meetings/", "/comment-periods/", "/parties/", "/people/",
            "/api/parties", "/api/letters", "/api/commitments", *EXPORTS, "/reminders/",
            "/reminders/mine", "/letters/?q=ZHIDDEN", "/letters/?page=2", "/api/parties?offset=1&limit=1",
            "/search?q=zzhidden", "/search?q=zzhid*", "/search?q=working+party", "/search?q=speaker",
            "/calendar/", "/account", "/report.pdf", "/report.xlsx", "/api/people", "/api/meetings", "/api/comment-periods",
            "/api/people?limit=1", "/api/meetings?limit=1", "/api/comment-periods?limit=1", "/api/letters?limit=1",
            "/api/commitments?limit=1", "/api/parties?limit=1"]
    # Words every hidden record holds (its marker) and words of visible ones, through the lists and exports.
    for words in ("zzhidden", "zzhid*", "working+party", "dns", "speaker"):
        urls += [f"{base}?q={words}" for base in ("/letters/", "/commitments/", *EXPORTS)]
    for party_id in party_ids:
        urls += [f"/letters/?party={party_id}", f"/api/letters?party={party_id}", f"/search?q=letter&party={party_id}"]
        urls += [f"{base}?party={party_id}" for base in LETTER_EXPORTS]
        for side in ("", "by", "to"):
            for base in ("/commitments/", *COMMITMENT_EXPORTS, "/api/commitments"):
                urls.append(f"{base}?party={party_id}&side={side}")
    for phase_id in _all_ids(session, Phase):
        for base in ("/commitments/", *COMMITMENT_EXPORTS, "/api/commitments"):
            urls += [f"{base}?phase={phase_id}"] + [f"{base}?phase={phase_id}&party={p}" for p in party_ids]
    for direction in DIRECTIONS:
        urls += [f"/letters/?direction={direction}", f"/api/letters?direction={direction}"]
        urls += [f"{base}?direction={direction}" for base in LETTER_EXPORTS]
    for reply in REPLY_FILTERS:
        value = reply[0] if isinstance(reply, tuple) else reply
        urls += [f"{base}?reply_state={value}" for base in ("/letters/", *LETTER_EXPORTS)]
    for state in REPLY_STATES:
        urls.append(f"/api/letters?reply_state={state}")
    for value in [f"kind={k}" for k in KINDS] + [f"status={s}" for s in STATUSES + DERIVED_STATES] + [
            f"owner={p}" for p in person_ids]:
        for base in ("/commitments/", *COMMITMENT_EXPORTS, "/api/commitments"):
            urls.append(f"{base}?{value}")
    return urls


def _record_urls(app, session) -> list[str]:
    """Every GET record route with every id of its kinds (files: each of each letter's)."""
    urls = []
    files = list(session.exec(select(LetterFile.letter_id, LetterFile.id)))
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_RECORD_PAGES or not rule.arguments:
            continue
        with app.test_request_context():
            if rule.arguments == {"letter_id", "file_id"}:
                urls += [url_for(rule.endpoint, letter_id=letter_id, file_id=file_id)
                         for letter_id in _all_ids(session, Letter) for _l, file_id in files]
                continue
            (argument,) = rule.arguments
            model, _kind = ID_ARGUMENTS[argument]
            urls += [url_for(rule.endpoint, **{argument: record_id}) for record_id in _all_ids(session, model)]
    return urls


def _api_ids(payload, hidden) -> list[str]:
    """Ids of hidden records anywhere in an API answer."""
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            if "short_name" in value and value.get("id") in hidden["party"]:
                found.append(f"party {value['id']}")
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, int) and not isinstance(value, bool):
            for suffix, kind in (("letter_id", "letter"), ("meeting_id", "meeting")):
                if key.endswith(suffix) and value in hidden[kind]:
                    found.append(f"{key} {value}")

    walk(payload)
    return found


def _text_of(response) -> str:
    """What a reader sees: a PDF's extracted text, a spreadsheet's rows (one a line, every sheet), any other body
    as sent."""
    if response.status_code == 200 and response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    if response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet"):
        workbook = load_workbook(io.BytesIO(response.data), read_only=True)
        return "\n".join(",".join("" if value is None else str(value) for value in row)
                         for sheet in workbook for row in sheet.iter_rows(values_only=True))
    return response.get_data(as_text=True)


def _leaks(body: str, hidden) -> list[str]:
    # A PDF may wrap a long word across lines: the marker is looked for with the white space taken out too.
    found = [MARKER] if MARKER in body or MARKER in re.sub(r"\s+", "", body) else []
    for kind, pattern in LINKS.items():
        found += [f"{kind} link {i}" for i in re.findall(pattern, body) if int(i) in hidden[kind]]
    return found


def test_ccnso_viewer_reads_nothing_of_gnso_or_alac_only_records(app, session, data, clients):
    client = clients["ccnso_viewer"]
    # Their own digest follows the ccNSO and, from an older choice, the GNSO: the preview shows the ccNSO only.
    mine = reminders.save_own_recipient(session, client.user, reminders.Preferences(),
                                        [data.ccnso_id, data.record.parties["gnso"].id])
    session.commit()
    urls = _list_urls(session) + _record_urls(app, session) + [f"/reminders/{mine.id}/preview",
                                                                 f"/reminders/{mine.id}"]
    problems, opened, cursor_pages = [], 0, 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        body = _text_of(response)
        leaks = _leaks(body, data.hidden)
        if response.is_json:
            leaks += _api_ids(response.get_json(), data.hidden)
            # Every page of the one-item API lists, through their cursors.
            if "limit=1" in url and response.get_json().get("next"):
                urls.append(response.get_json()["next"])
                cursor_pages += 1
        if response.status_code == 200:
            opened += 1
        if leaks:
            problems.append(f"{url}: {sorted(set(leaks))}")
    assert not problems, "\n".join(problems)
    assert cursor_pages > 10
    # The visible records were really opened (a page that 404s for everything would pass the checks above).
    for kind, pattern in (("letter", "/letters/{}"), ("commitment", "/commitments/{}"),
                          ("meeting", "/meetings/{}"), ("comment_period", "/comment-periods/{}"),
                          ("person", "/people/{}"), ("party", "/parties/{}")):
        for record_id in data.visible[kind]:
            assert client.get(pattern.format(record_id)).status_code == 200, (kind, record_id)
        for record_id in data.hidden[kind]:
            assert client.get(pattern.format(record_id)).status_code == 404, (kind, record_id)
    for kind, path in (("letter", "letters"), ("commitment", "commitments"), ("meeting", "meetings"),
                       ("comment_period", "comment-periods"), ("person", "people"), ("party", "parties")):
        for record_id in data.visible[kind]:
            assert client.get(f"/api/{path}/{record_id}").status_code == 200, (kind, record_id)
        for record_id in data.hidden[kind]:
            assert client.get(f"/api/{path}/{record_id}").status_code == 404, (kind, record_id)
    print(f"leak test: {len(urls)} URLs requested, {opened} answered 200")


def test_the_same_pages_name_the_hidden_records_to_staff(app, session, data, clients):
    """The markers are there to be found: staff see the GNSO records named where the viewer does not."""
    admin = clients["admin"]
    letter = data.visible_args["letter_id"]
    assert MARKER in admin.get(f"/letters/{letter}").get_data(as_text=True)
    assert MARKER in admin.get(f"/commitments/{data.visible_args['commitment_id']}").get_data(as_text=True)
    assert MARKER in admin.get(f"/comment-periods/{data.visible_args['period_id']}").get_data(as_text=True)
    assert MARKER in admin.get(f"/people/{data.visible_args['person_id']}").get_data(as_text=True)
    assert MARKER in admin.get("/commitments/").get_data(as_text=True)
    for report in ("/report.pdf", "/report.xlsx", f"/parties/{data.hidden_args['party_id']}/report.pdf"):
        assert MARKER in _text_of(admin.get(report)), report
    for url in ("/letters/export.xlsx", "/commitments/export.xlsx?q=zzhidden", "/letters/export.csv?q=zzhid*"):
        assert MARKER in _text_of(admin.get(url)), url
    payload = admin.get("/api/commitments?limit=500").get_json()
    assert _api_ids(payload, data.hidden), "the admin's API answer names hidden-to-ccNSO records by id"


def test_history_of_a_visible_letter_says_a_link_was_made_without_naming_the_hidden_letter(data, clients):
    body = clients["ccnso_viewer"].get(f"/letters/{data.visible_args['letter_id']}").get_data(as_text=True)
    assert "linked this letter to another letter" in body
    assert "reply linked" in body
    assert MARKER not in body


def _picked(client, kind: str, term: str) -> str:
    return " | ".join(match["label"] for match in client.get(f"/pick/{kind}", query_string={"q": term})
                      .get_json()["results"])


def test_owner_filter_suggests_only_owners_of_commitments_the_viewer_may_see(data, clients):
    owners = _picked(clients["ccnso_viewer"], "owners", "") + _picked(clients["ccnso_viewer"], "owners", MARKER)
    assert "Greg Rattray" in owners and "Rod Beckstrom" in owners
    assert MARKER not in owners
    assert f"{MARKER}-GNSO owner" in _picked(clients["editor"], "owners", MARKER)


def test_party_picker_never_suggests_a_party_the_viewer_may_not_see(data, clients, session):
    visible = [match["id"] for match in clients["ccnso_viewer"].get("/pick/parties?q=").get_json()["results"]]
    assert visible == [data.ccnso_id]
    for party in session.exec(select(Party)).all():
        for term in (party.name, party.short_name, str(party.id)):
            found = {m["id"] for m in clients["ccnso_viewer"].get("/pick/parties", query_string={"q": term})
                     .get_json()["results"]}
            assert found <= {data.ccnso_id}, (term, found)
    assert len(clients["editor"].get("/pick/parties?q=").get_json()["results"]) > 1
    assert clients["no_party_viewer"].get("/pick/parties?q=").get_json()["results"] == []
    assert clients["no_party_viewer"].get("/pick/owners?q=").get_json()["results"] == []


def test_filter_shows_a_hidden_party_chosen_in_the_address_without_naming_it(data, clients, session):
    hidden = next(p for p in session.exec(select(Party)).all() if p.id != data.ccnso_id)
    body = clients["ccnso_viewer"].get(f"/commitments/?party={hidden.id}").get_data(as_text=True)
    assert f'value="{hidden.name}' not in body


def test_viewer_with_no_party_sees_no_record_anywhere(app, session, data, clients):
    client = clients["no_party_viewer"]
    urls = _list_urls(session) + _record_urls(app, session)
    every = {kind: set(_all_ids(session, model)) for kind, model in (
        ("letter", Letter), ("commitment", Commitment), ("meeting", Meeting), ("comment_period", CommentPeriod),
        ("person", Person), ("party", Party))}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
        body = _text_of(response)
        for kind, pattern in LINKS.items():
            assert not [i for i in re.findall(pattern, body) if int(i) in every[kind]], (url, kind)
        for name in ("DNS-CERT", "ccNSO Council", "Greg Rattray", MARKER):
            assert name not in body, (url, name)
        if response.is_json:
            assert response.get_json().get("items", []) == [], url
        if url.startswith(EXPORTS) and response.status_code == 200:
            assert len(body.strip().splitlines()) == 1, url  # the header only
    counts = re.findall(r'<div class="number">(\d+)</div>', client.get("/").get_data(as_text=True))
    assert counts and set(counts) == {"0"}


def test_dashboard_counts_leave_out_records_the_viewer_may_not_see(data, clients):
    def overdue_count(role):
        body = clients[role].get("/").get_data(as_text=True)
        return int(re.search(r'id="card-overdue"[^>]*><div class="number">(\d+)</div>', body).group(1))

    # The GNSO-only and the ALAC-only commitment are both open and were due on 30 April.
    assert overdue_count("admin") - overdue_count("ccnso_viewer") == 2
    assert overdue_count("all_parties_viewer") == overdue_count("admin")


def test_as_of_a_past_day_the_ccnso_viewer_still_reads_nothing_of_gnso_or_alac_only_records(app, session, data,
                                                                                             clients):
    """The record rebuilt for a past day is filtered by the same policy: every list, filter, export, report, record
    page and API answer as of the dataset's day carries no hidden record."""
    client = clients["ccnso_viewer"]
    as_of = "as_of=2010-05-12"
    urls = [url + ("&" if "?" in url else "?") + as_of for url in _list_urls(session) + _record_urls(app, session)]
    problems, opened = [], 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        leaks = _leaks(_text_of(response), data.hidden)
        if response.is_json:
            leaks += _api_ids(response.get_json(), data.hidden)
        opened += response.status_code == 200
        if leaks:
            problems.append(f"{url}: {sorted(set(leaks))}")
    assert not problems, "\n".join(problems)
    assert opened > len(urls) // 2
    for record_id in data.visible["commitment"]:
        assert client.get(f"/commitments/{record_id}?{as_of}").status_code == 200, record_id
    for record_id in data.hidden["commitment"]:
        assert client.get(f"/commitments/{record_id}?{as_of}").status_code == 404, record_id
