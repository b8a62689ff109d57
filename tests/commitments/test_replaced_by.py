"""“Replaced by” on the commitment page: the progress form names the commitment that replaces a superseded one
(the picker at /pick/commitments), with the API's checks, and the page names it only to readers who may see it."""
from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from tests import factories
from tracker import access, events
from tracker.commitments import operations
from tracker.commitments.models import Commitment
from tracker.events import Event
from tracker.pickers.queries import SEARCH_LIMIT
from tracker.validation import InvalidInput

SUPERSEDED = "commitment.superseded"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _status_row(page: str) -> str:
    match = re.search(r"<tr><th>Status</th><td>(.*?)</td></tr>", page, re.S)
    assert match, "no status row"
    return match.group(1)


def _progress(**overrides) -> dict:
    data = {"status": "superseded", "progress": "", "fulfilled_on": "", "evidence_url": "", "outcome": "",
            "replaced_by_id": ""}
    data.update(overrides)
    return data


class Record:
    def __init__(self, session):
        self.session = session
        self.ceo = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
        self.ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
        self.gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
        self.promise = factories.commitment(session, title="Publish the Concept of Operations",
                                            made_by=[self.ceo], made_to=[self.ccnso, self.gnso])
        self.replacement = factories.commitment(session, title="Publish the revised Concept of Operations",
                                                made_by=[self.ceo], made_to=[self.ccnso])
        self.gnso_only = factories.commitment(session, title="Brief the GNSO Council on the revision",
                                              made_by=[self.ceo], made_to=[self.gnso])
        session.commit()

    def url(self, commitment=None) -> str:
        return f"/commitments/{(commitment or self.promise).id}"

    def supersessions(self, commitment=None) -> list[Event]:
        commitment = commitment or self.promise
        return list(self.session.exec(select(Event).where(Event.subject_type == "commitment",
                                                          Event.subject_id == commitment.id,
                                                          Event.kind == SUPERSEDED).order_by(Event.id)))

    def status_of(self, commitment=None) -> str:
        commitment = commitment or self.promise
        self.session.expire_all()
        return self.session.get(Commitment, commitment.id).status


@pytest.fixture()
def record(session):
    return Record(session)


def _post(client, record, **fields):
    return client.post(f"{record.url()}/progress", data=_progress(**fields))


# --- the form ---------------------------------------------------------------------------------------------------

def test_the_form_supersedes_naming_the_replacement_by_id_and_the_page_links_it(record, editor_client):
    response = _post(editor_client, record, replaced_by_id=f"#{record.replacement.id}")
    assert response.status_code == 302, _text(response)
    assert record.status_of() == "superseded"
    (event,) = record.supersessions()
    assert event.data["replaced_by_id"] == record.replacement.id
    page = _text(editor_client.get(record.url()))
    assert (f'replaced by <a href="/commitments/{record.replacement.id}">Publish the revised Concept of '
            f'Operations</a>') in _status_row(page)
    # The form shows the replacement again, so saving it unchanged keeps it.
    label = f"#{record.replacement.id} promise — Publish the revised Concept of Operations"
    assert f'value="{label}"' in page


def test_the_form_resolves_a_typed_title_without_javascript_and_a_chosen_suggestion_with_it(record, editor_client):
    typed = _post(editor_client, record, replaced_by_id="revised concept")
    assert typed.status_code == 302, _text(typed)
    label = f"#{record.gnso_only.id} promise — Brief the GNSO Council on the revision"
    chosen = editor_client.post(f"{record.url()}/progress",
                                data={**_progress(replaced_by_id=label), "replaced_by_id-id": str(record.gnso_only.id)})
    assert chosen.status_code == 302, _text(chosen)
    assert [e.data["replaced_by_id"] for e in record.supersessions()] == [record.replacement.id, record.gnso_only.id]


@pytest.mark.parametrize("typed, message", [
    ("itself", "a commitment cannot replace itself"),
    ("#2147483647", "there is no commitment with id 2147483647"),
    ("Nothing of the kind", "no commitment matches “Nothing of the kind”"),
    ("#" + "9" * 40, "no commitment matches “#" + "9" * 40),
    ("9" * 40, "no commitment matches “" + "9" * 40),
    ("Concept of Operations", "“Concept of Operations” matches several"),
])
def test_a_replacement_that_is_itself_unknown_or_unclear_is_refused_on_the_field_and_nothing_is_saved(
        record, editor_client, typed, message):
    typed = f"#{record.promise.id}" if typed == "itself" else typed
    response = _post(editor_client, record, replaced_by_id=typed, outcome="merged")
    assert response.status_code == 400
    page = _text(response)
    error = re.search(r'<p class="error" id="replaced_by_id-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1), page[:3000]
    assert record.status_of() == "open" and record.supersessions() == []


def test_a_huge_chosen_id_is_not_trusted_and_the_text_decides(record, editor_client):
    response = editor_client.post(f"{record.url()}/progress", data={
        **_progress(replaced_by_id="no such title"), "replaced_by_id-id": "9" * 40})
    assert response.status_code == 400
    assert "no commitment matches “no such title”" in _text(response)
    assert record.supersessions() == []


def test_a_nul_byte_in_the_replacement_is_refused_before_anything_is_read(record, editor_client):
    for fields in ({"replaced_by_id": f"#{record.replacement.id}\x00"},
                   {"replaced_by_id": "revised", "replaced_by_id-id": f"{record.replacement.id}\x00"}):
        response = editor_client.post(f"{record.url()}/progress", data=_progress(**fields))
        assert response.status_code == 400
        assert "control character" in _text(response)
    assert record.status_of() == "open" and record.supersessions() == []


def test_a_replacement_the_writer_may_not_see_is_refused_as_if_it_did_not_exist(record, editor_client, monkeypatch):
    # Staff see every record today; a writer whose view is narrower must still not name a hidden commitment.
    narrow = access.Viewer(role="editor", party_ids=frozenset({record.ccnso.id}), user_id=editor_client.user.id)
    monkeypatch.setattr(access, "current_viewer", lambda: narrow)
    hidden = record.gnso_only
    for fields in ({"replaced_by_id": f"#{hidden.id}"},
                   {"replaced_by_id": hidden.title},
                   {"replaced_by_id": f"#{hidden.id} promise — {hidden.title}", "replaced_by_id-id": str(hidden.id)}):
        response = editor_client.post(f"{record.url()}/progress", data=_progress(**fields))
        assert response.status_code == 400, fields
        page = _text(response)
        assert ("there is no commitment with id" in page) or ("no commitment matches" in page), page[:3000]
        assert "Brief the GNSO Council" not in page.replace(fields["replaced_by_id"], "")
    assert record.status_of() == "open" and record.supersessions() == []


def test_the_operation_refuses_a_replacement_hidden_from_the_writer_it_is_given(record, session):
    narrow = access.Viewer(role="editor", party_ids=frozenset({record.ccnso.id}))
    with pytest.raises(InvalidInput) as refused:
        operations.update_progress(session, record.promise, status="superseded",
                                   replaced_by_id=record.gnso_only.id, viewer=narrow)
    assert refused.value.field == "replaced_by_id"
    assert str(refused.value) == f"there is no commitment {record.gnso_only.id}"
    operations.update_progress(session, record.promise, status="superseded", replaced_by_id=record.replacement.id,
                               viewer=narrow, actor=events.SYSTEM)
    assert record.supersessions()[-1].data["replaced_by_id"] == record.replacement.id


def test_the_replacement_field_is_ignored_with_any_other_status(record, editor_client, session):
    # A replacement shown in the form (or anything typed there without JavaScript) does not block another status.
    response = _post(editor_client, record, status="in_progress", progress="40", replaced_by_id="no such title")
    assert response.status_code == 302, _text(response)
    assert record.status_of() == "in_progress"
    events_written = list(session.exec(select(Event).where(Event.subject_type == "commitment",
                                                           Event.subject_id == record.promise.id,
                                                           Event.kind == "commitment.progressed")))
    assert len(events_written) == 1 and "replaced_by_id" not in events_written[0].data


def test_the_field_is_on_the_form_with_its_hint_and_the_script_that_shows_it_only_for_superseded(record,
                                                                                                editor_client):
    page = _text(editor_client.get(record.url()))
    assert '<div data-shown-when="status=superseded">' in page
    assert 'data-picker-url="/pick/commitments"' in page
    assert "only with the status superseded" in page
    assert "shownwhen.js" in page


# --- the page: the replacement only for readers who may see it -------------------------------------------------

def test_the_page_names_the_replacement_only_to_readers_who_may_see_it(record, editor_client, signed_in):
    response = _post(editor_client, record, replaced_by_id=f"#{record.gnso_only.id}")
    assert response.status_code == 302, _text(response)
    gnso_reader = signed_in("viewer", party_ids=[record.gnso.id])
    ccnso_reader = signed_in("viewer", party_ids=[record.ccnso.id])
    seen = _text(gnso_reader.get(record.url()))
    assert (f'replaced by <a href="/commitments/{record.gnso_only.id}">Brief the GNSO Council on the revision</a>'
            in _status_row(seen))
    not_seen = ccnso_reader.get(record.url())
    assert not_seen.status_code == 200
    page = _text(not_seen)
    assert "Superseded" in _status_row(page) or "superseded" in _status_row(page)
    assert "replaced by" not in _status_row(page)
    assert "Brief the GNSO" not in page and f"/commitments/{record.gnso_only.id}" not in page
    # Viewers get no form, so the picker does not name it either.
    assert "replaced_by_id" not in page


def test_the_latest_supersession_decides_and_another_status_shows_no_replacement(record, editor_client, session):
    assert _post(editor_client, record, replaced_by_id=f"#{record.replacement.id}").status_code == 302
    assert "replaced by" in _status_row(_text(editor_client.get(record.url())))
    # Superseded again with the field emptied: no replacement any more.
    assert _post(editor_client, record, replaced_by_id="").status_code == 302
    assert "replaced by" not in _status_row(_text(editor_client.get(record.url())))
    assert _post(editor_client, record, replaced_by_id=f"#{record.replacement.id}").status_code == 302
    assert _post(editor_client, record, status="in_progress", replaced_by_id="").status_code == 302
    assert "replaced by" not in _status_row(_text(editor_client.get(record.url())))


# --- the picker --------------------------------------------------------------------------------------------------

def _results(client, term: str) -> list[dict]:
    response = client.get("/pick/commitments", query_string={"q": term})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    return response.get_json()["results"]


def test_the_commitment_picker_finds_by_title_and_id_newest_first(record, editor_client):
    found = _results(editor_client, "concept of operations")
    assert [r["id"] for r in found] == [record.replacement.id, record.promise.id]
    assert found[0]["label"] == f"#{record.replacement.id} promise — Publish the revised Concept of Operations"
    assert [r["id"] for r in _results(editor_client, f"#{record.gnso_only.id}")] == [record.gnso_only.id]
    assert _results(editor_client, "100%_") == []


def test_the_commitment_picker_returns_at_most_the_limit(record, session, editor_client):
    for n in range(SEARCH_LIMIT + 3):
        factories.commitment(session, title=f"Working item {n:02}", made_by=[record.ceo], made_to=[record.ccnso])
    session.commit()
    assert len(_results(editor_client, "working item")) == SEARCH_LIMIT
    assert len(_results(editor_client, "")) == SEARCH_LIMIT


def test_a_limited_viewer_never_finds_another_partys_commitment_in_the_picker(record, signed_in):
    ccnso_reader = signed_in("viewer", party_ids=[record.ccnso.id])
    everything = {r["id"] for r in _results(ccnso_reader, "")}
    assert everything == {record.promise.id, record.replacement.id}
    for term in ("brief", "GNSO Council", f"#{record.gnso_only.id}", str(record.gnso_only.id), "revision"):
        assert all(r["id"] != record.gnso_only.id for r in _results(ccnso_reader, term)), term
    assert _results(ccnso_reader, f"#{record.gnso_only.id}") == []
    nobody = signed_in("viewer", party_ids=[])
    assert _results(nobody, "") == [] and _results(nobody, f"#{record.promise.id}") == []
    gnso_reader = signed_in("viewer", party_ids=[record.gnso.id])
    assert {r["id"] for r in _results(gnso_reader, "")} == {record.promise.id, record.gnso_only.id}


def test_the_page_as_of_a_past_day_names_the_replacement_named_by_then(session, editor_client, pin):
    pin("2010-05-01T09:00:00+00:00")
    record = Record(session)
    pin("2010-05-10T09:00:00+00:00")
    assert _post(editor_client, record, replaced_by_id="").status_code == 302
    pin("2010-05-12T09:00:00+00:00")
    assert _post(editor_client, record, replaced_by_id=f"#{record.replacement.id}").status_code == 302
    today = _status_row(_text(editor_client.get(record.url())))
    assert "replaced by" in today and "Publish the revised Concept of Operations" in today
    as_of = editor_client.get(record.url() + "?as_of=2010-05-11")
    assert as_of.status_code == 200
    then = _status_row(_text(as_of))
    assert "uperseded" in then and "replaced by" not in then
