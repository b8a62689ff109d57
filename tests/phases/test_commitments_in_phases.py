"""A commitment in a phase: moved by editors with an event and a history line, retired phases kept but not
offered, the list filter (page, API, export), the API field and the export column; nothing while no phase
is defined."""
from __future__ import annotations

import html as html_text
import re

from sqlmodel import select

from tests import factories, sheets
from tests.exchange.helpers import upload
from tests.phases.conftest import request_of
from tracker.events import Event
from tracker.phases import operations


def phase_events(session, commitment_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.subject_type == "commitment", Event.subject_id == commitment_id,
                                                 Event.kind == "commitment.phase_changed").order_by(Event.id)))


def csv_of(response) -> sheets.Frame:
    assert response.status_code == 200, response.status_code
    return sheets.read_csv(response.get_data())


def options_of(html: str) -> list[str]:
    select_html = re.search(r'<select[^>]*name="phase_id".*?</select>', html, re.S).group(0)
    return [html_text.unescape(label.strip()) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select_html)]


def test_an_editor_moves_a_commitment_between_phases_and_the_history_says_so(editor_client, session, register,
                                                                             gnso, ceo):
    request = request_of(session, [gnso], [ceo], title="Extend the comment period")
    session.commit()
    url = f"/commitments/{request.id}/phase"
    assert editor_client.post(url, data={"phase_id": str(register["Receive & Acknowledge"].id)}).status_code == 302
    assert editor_client.post(url, data={"phase_id": str(register["Understand"].id)}).status_code == 302
    assert editor_client.post(url, data={"phase_id": ""}).status_code == 302
    placed, moved, cleared = phase_events(session, request.id)
    assert (placed.data["before"], placed.data["after"]) == (
        {"phase_id": None, "name": ""}, {"phase_id": register["Receive & Acknowledge"].id,
                                         "name": "Receive & Acknowledge"})
    assert (moved.data["before"]["name"], moved.data["after"]["name"]) == ("Receive & Acknowledge", "Understand")
    assert cleared.data["after"] == {"phase_id": None, "name": ""}
    assert moved.actor_name == editor_client.user.display_name
    page = editor_client.get(f"/commitments/{request.id}").get_data(as_text=True)
    assert "placed in the phase “Receive &amp; Acknowledge”" in page
    assert "moved from the phase “Receive &amp; Acknowledge” to “Understand”" in page
    assert "taken out of the phase “Understand”" in page


def test_saving_the_same_phase_again_records_nothing(editor_client, session, register, gnso, ceo):
    request = request_of(session, [gnso], [ceo])
    operations.place_commitment(session, request, register["Implement"].id)
    session.commit()
    response = editor_client.post(f"/commitments/{request.id}/phase",
                                  data={"phase_id": str(register["Implement"].id)}, follow_redirects=True)
    assert "It was already in that phase." in response.get_data(as_text=True)
    assert len(phase_events(session, request.id)) == 1


def test_a_retired_phase_stays_readable_but_cannot_be_chosen(editor_client, session, register, gnso, ceo):
    kept = request_of(session, [gnso], [ceo], title="Kept in a retired phase")
    other = request_of(session, [gnso], [ceo], title="Another request")
    operations.place_commitment(session, kept, register["Understand"].id)
    operations.retire_phase(session, register["Understand"])
    session.commit()

    kept_page = editor_client.get(f"/commitments/{kept.id}").get_data(as_text=True)
    assert re.search(r'<td class="phase">Understand \(retired\)</td>', kept_page)
    assert "Understand (retired)" in options_of(kept_page)  # its own, current phase is shown as it is
    other_page = editor_client.get(f"/commitments/{other.id}").get_data(as_text=True)
    assert options_of(other_page) == ["no phase", "Receive & Acknowledge", "Evaluate & Consider", "Implement",
                                      "Close"]

    refused = editor_client.post(f"/commitments/{other.id}/phase", data={"phase_id": str(register["Understand"].id)})
    assert refused.status_code == 400
    assert "the phase &#39;Understand&#39; is retired: choose another" in refused.get_data(as_text=True)
    session.expire_all()
    assert other.phase_id is None and phase_events(session, other.id) == []


def test_a_phase_of_the_other_kind_or_unknown_is_refused_on_the_field(editor_client, session, register, ceo,
                                                                     ccnso):
    promise = promise_with_phases(session, ceo, ccnso)
    session.commit()
    for value, message in ((str(register["Close"].id), f"there is no phase {register['Close'].id} for promises"),
                           ("424242", "there is no phase 424242 for promises"),
                           ("x" * 20, "choose a phase from the list")):
        response = editor_client.post(f"/commitments/{promise.id}/phase", data={"phase_id": value})
        assert response.status_code == 400, value
        error = re.search(r'<p class="error" id="phase_id-error">([^<]*)</p>', response.get_data(as_text=True))
        assert error and message in error.group(1), value
    session.expire_all()
    assert promise.phase_id is None


def promise_with_phases(session, ceo, ccnso):
    """A promise, with a phase defined for promises too (so its page has the phase form)."""
    operations.create_phase(session, kind="promise", name="Under way")
    return factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Publish the findings")


def test_viewers_see_the_phase_but_not_the_form_and_cannot_post(signed_in, session, register, gnso, ceo):
    request = request_of(session, [gnso], [ceo])
    operations.place_commitment(session, request, register["Evaluate & Consider"].id)
    session.commit()
    viewer = signed_in("viewer", party_ids=[gnso.id])
    page = viewer.get(f"/commitments/{request.id}").get_data(as_text=True)
    assert '<td class="phase">Evaluate &amp; Consider</td>' in page
    assert 'name="phase_id"' not in page
    assert viewer.post(f"/commitments/{request.id}/phase", data={"phase_id": ""}).status_code == 403


def test_the_list_api_and_export_filter_by_phase_with_one_definition(editor_client, session, register, gnso,
                                                                    ccnso, ceo):
    understood = request_of(session, [gnso], [ceo], title="Understood request")
    closed = request_of(session, [ccnso], [ceo], title="Closed request")
    request_of(session, [gnso], [ceo], title="Request in no phase")
    operations.place_commitment(session, understood, register["Understand"].id)
    operations.place_commitment(session, closed, register["Close"].id)
    session.commit()
    understand = register["Understand"].id

    page = editor_client.get(f"/commitments/?phase={understand}").get_data(as_text=True)
    assert re.findall(r'data-commitment-id="(\d+)"', page) == [str(understood.id)]
    assert re.search(rf'<option value="{understand}" selected>Understand</option>', page)
    api = editor_client.get(f"/api/commitments?phase={understand}").get_json()
    assert [item["id"] for item in api["items"]] == [understood.id]
    assert api["items"][0]["phase"] == {"id": understand, "name": "Understand", "retired": False}
    frame = csv_of(editor_client.get(f"/commitments/export.csv?phase={understand}"))
    assert list(frame["title"]) == ["Understood request"] and list(frame["phase"]) == ["Understand"]
    # With a party: the party's commitments in that phase only.
    assert "data-commitment-id" not in editor_client.get(
        f"/commitments/?phase={understand}&party={ccnso.id}").get_data(as_text=True)
    assert editor_client.get("/commitments/?phase=abc").status_code == 400


def test_the_export_names_each_phase_and_says_when_it_is_retired(editor_client, session, register, gnso, ceo):
    retired = request_of(session, [gnso], [ceo], title="In a retired phase")
    placed = request_of(session, [gnso], [ceo], title="In a phase")
    request_of(session, [gnso], [ceo], title="In none")
    operations.place_commitment(session, retired, register["Implement"].id)
    operations.place_commitment(session, placed, register["Close"].id)
    operations.retire_phase(session, register["Implement"])
    session.commit()
    frame = csv_of(editor_client.get("/commitments/export.csv"))
    assert dict(zip(frame["title"], frame["phase"])) == {"In a retired phase": "Implement (retired)",
                                                         "In a phase": "Close", "In none": ""}
    assert frame.columns.index("phase") == frame.columns.index("timing") + 1
    one = editor_client.get(f"/api/commitments/{retired.id}").get_json()
    assert one["phase"] == {"id": register["Implement"].id, "name": "Implement", "retired": True}


def test_an_exported_sheet_with_the_phase_column_imports_back_unchanged(editor_client, session, register, gnso,
                                                                       ceo):
    request = request_of(session, [gnso], [ceo], title="Round trip")
    operations.place_commitment(session, request, register["Close"].id)
    session.commit()
    exported = editor_client.get("/commitments/export.csv").get_data()
    assert b"phase" in exported.splitlines()[0]
    response = upload(editor_client, "commitments", exported, "commitments.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    counts = re.search(r"(\d+) to create · (\d+) to update · (\d+) unchanged", page)
    assert counts and counts.groups() == ("0", "0", "1"), page[:2000]


def test_with_no_phase_defined_phases_show_nowhere(editor_client, session, gnso, ceo):
    request = request_of(session, [gnso], [ceo])
    session.commit()
    show = editor_client.get(f"/commitments/{request.id}").get_data(as_text=True)
    assert "Phase" not in show and 'name="phase_id"' not in show
    assert 'name="phase"' not in editor_client.get("/commitments/").get_data(as_text=True)
    assert 'id="phase-counts"' not in editor_client.get(f"/parties/{gnso.id}").get_data(as_text=True)
    assert "phase" not in csv_of(editor_client.get("/commitments/export.csv")).columns
    assert editor_client.get(f"/api/commitments/{request.id}").get_json()["phase"] is None


def test_a_crafted_phase_for_a_kind_without_phases_is_refused_on_the_field(editor_client, session, register, ceo,
                                                                          ccnso):
    promise = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="No promise phases yet")
    session.commit()
    assert 'name="phase_id"' not in editor_client.get(f"/commitments/{promise.id}").get_data(as_text=True)
    response = editor_client.post(f"/commitments/{promise.id}/phase", data={"phase_id": str(register["Close"].id)})
    assert response.status_code == 400
    error = re.search(r'<p class="error" id="phase_id-error">([^<]*)</p>', response.get_data(as_text=True))
    assert error and f"there is no phase {register['Close'].id} for promises" in error.group(1)
    session.expire_all()
    assert promise.phase_id is None and phase_events(session, promise.id) == []
