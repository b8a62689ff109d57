"""Commitment pages: the list with derived states, the record page, access by role, and the editors' forms."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import func, select

from tests import factories
from tracker.commitments.models import Commitment, DueWindowChange
from tracker.commitments.operations import Window, update_progress
from tracker.db import StatementCounter


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def row_of(html: str, commitment_id: int) -> str:
    match = re.search(rf'<tr data-commitment-id="{commitment_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for commitment {commitment_id}"
    return match.group(1)


@pytest.fixture()
def ccnso(session):
    return factories.party(session, name="ccNSO Council", short_name="ccNSO")


@pytest.fixture()
def gnso(session):
    return factories.party(session, name="GNSO Council", short_name="GNSO")


@pytest.fixture()
def ceo(session):
    return factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)


# --- the list -------------------------------------------------------------------------------------------------

def test_list_shows_overdue_due_soon_done_late_and_needs_decision_with_the_pinned_clock(session, viewer_client,
                                                                                         ceo, ccnso):
    overdue = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Publish findings",
                                   window=Window("by end of April", None, date(2010, 4, 30), "day"))
    due_soon = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Concept of Operations",
                                    window=Window("in mid-May", date(2010, 5, 11), date(2010, 5, 20), "window"))
    later = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Annual report",
                                 window=Window("in July", date(2010, 7, 1), date(2010, 7, 31), "window"))
    vague = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Cost breakdown",
                                 window=Window("weeks not months", None, None, "vague"))
    done_late = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Consultation list",
                                     window=Window("by end of April", None, date(2010, 4, 30), "day"))
    update_progress(session, done_late, status="done", fulfilled_on=date(2010, 5, 5))
    session.commit()

    response = viewer_client.get("/commitments/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<span class="badge overdue">overdue</span>' in row_of(html, overdue.id)
    assert '<span class="badge due_soon">due soon</span>' in row_of(html, due_soon.id)
    assert '<span class="badge open">open</span>' in row_of(html, later.id)
    assert '<span class="badge needs_decision">needs decision</span>' in row_of(html, vague.id)
    assert '<span class="badge done_late">done late</span>' in row_of(html, done_late.id)
    assert "CEO → ccNSO" in row_of(html, overdue.id)
    assert "“in mid-May”" in row_of(html, due_soon.id)
    assert "11 May 2010 – 20 May 2010" in row_of(html, due_soon.id)


def test_list_filtered_by_derived_state_overdue_shows_only_overdue(session, viewer_client, ceo, ccnso):
    overdue = factories.commitment(session, made_by=[ceo], made_to=[ccnso],
                                   window=Window("by end of April", None, date(2010, 4, 30), "day"))
    later = factories.commitment(session, made_by=[ceo], made_to=[ccnso],
                                 window=Window("in July", date(2010, 7, 1), date(2010, 7, 31), "window"))
    session.commit()

    html = viewer_client.get("/commitments/?status=overdue").get_data(as_text=True)

    assert f'data-commitment-id="{overdue.id}"' in html
    assert f'data-commitment-id="{later.id}"' not in html


def test_list_filtered_by_party_shows_only_that_party(session, viewer_client, ceo, ccnso, gnso):
    to_ccnso = factories.commitment(session, made_by=[ceo], made_to=[ccnso])
    to_gnso = factories.commitment(session, made_by=[ceo], made_to=[gnso])
    session.commit()

    html = viewer_client.get(f"/commitments/?party={gnso.id}&side=to").get_data(as_text=True)

    assert f'data-commitment-id="{to_gnso.id}"' in html
    assert f'data-commitment-id="{to_ccnso.id}"' not in html


@pytest.mark.parametrize("query, message", [
    ("due_before=2010-02-30", "is not a date that exists"),
    ("status=forgotten", "status must be one of"),
    ("party=ccnso", "party must be a number"),
    ("due_after=2010-06-01&due_before=2010-05-01", "is before the earliest"),
    ("page=0", "page must be a number from 1"),
])
def test_invalid_filter_gives_400_with_the_reason(viewer_client, query, message):
    response = viewer_client.get(f"/commitments/?{query}")

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_list_loads_parties_and_owners_with_a_fixed_number_of_queries(app, session, viewer_client, ceo, ccnso):
    def statements_for_list() -> int:
        with StatementCounter(app.extensions["db"].engine) as counter:
            assert viewer_client.get("/commitments/").status_code == 200
        return counter.count

    owner = factories.person(session, is_staff=True)
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], owner_id=owner.id)
    session.commit()
    with_one = statements_for_list()
    for _ in range(6):
        factories.commitment(session, made_by=[ceo], made_to=[ccnso], owner_id=factories.person(session).id)
    session.commit()

    assert statements_for_list() == with_one


def test_list_is_paginated_by_page_size(app, session, viewer_client, ceo, ccnso, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    made = [factories.commitment(session, made_by=[ceo], made_to=[ccnso],
                                 window=Window("", None, date(2010, 6, day), "day")) for day in (1, 2, 3)]
    session.commit()

    first = viewer_client.get("/commitments/").get_data(as_text=True)
    second = viewer_client.get("/commitments/?page=2").get_data(as_text=True)

    assert [f'data-commitment-id="{c.id}"' in first for c in made] == [True, True, False]
    assert "next →" in first
    assert [f'data-commitment-id="{c.id}"' in second for c in made] == [False, False, True]
    assert "next →" not in second


# --- limited viewers --------------------------------------------------------------------------------------------

def test_viewer_limited_to_ccnso_sees_only_ccnso_commitments_in_the_list(session, signed_in, ceo, ccnso, gnso):
    to_ccnso = factories.commitment(session, made_by=[ceo], made_to=[ccnso])
    to_gnso = factories.commitment(session, made_by=[ceo], made_to=[gnso])
    session.commit()
    client = signed_in("viewer", party_ids=[ccnso.id])

    html = client.get("/commitments/").get_data(as_text=True)

    assert f'data-commitment-id="{to_ccnso.id}"' in html
    assert f'data-commitment-id="{to_gnso.id}"' not in html


def test_viewer_limited_to_ccnso_gets_404_for_gnso_commitment(session, signed_in, ceo, ccnso, gnso):
    to_ccnso = factories.commitment(session, made_by=[ceo], made_to=[ccnso])
    to_gnso = factories.commitment(session, made_by=[ceo], made_to=[gnso])
    session.commit()
    client = signed_in("viewer", party_ids=[ccnso.id])

    assert client.get(f"/commitments/{to_gnso.id}").status_code == 404
    assert client.get(f"/commitments/{to_ccnso.id}").status_code == 200


# --- the record page ----------------------------------------------------------------------------------------------

def test_record_page_shows_quote_source_parties_window_and_history(session, viewer_client, ceo, ccnso):
    letter = factories.letter(session, sent_on=date(2010, 4, 21), subject="Reply to the three chairs",
                              direction="outgoing", authors=[ceo], recipients=[ccnso])
    owner = factories.person(session, name="Greg Rattray", is_staff=True)
    commitment = factories.commitment(
        session, made_by=[ceo], made_to=[ccnso], title="Publish the Concept of Operations",
        quote="we plan to publish a Concept of Operations in early May", source_letter_id=letter.id,
        owner_id=owner.id, window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    session.commit()

    html = viewer_client.get(f"/commitments/{commitment.id}").get_data(as_text=True)

    assert '<blockquote class="quote">we plan to publish a Concept of Operations in early May</blockquote>' in html
    assert "Reply to the three chairs" in html
    assert "Greg Rattray" in html
    assert "“in early May” — 1 May 2010 – 10 May 2010" in html
    assert '<span class="badge overdue">overdue</span>' in html
    assert "recorded the promise: due “in early May”" in html
    assert f'action="/commitments/{commitment.id}/reschedule"' not in html  # viewers get no forms


def test_commitment_that_does_not_exist_is_404(viewer_client):
    assert viewer_client.get("/commitments/999999").status_code == 404


# --- creating ---------------------------------------------------------------------------------------------------

def new_commitment_data(by_parties, to_parties, **overrides) -> dict:
    data = {"kind": "promise", "title": "Publish the Concept of Operations", "quote": "in early May",
            "made_by": [str(p.id) for p in by_parties], "made_to": [str(p.id) for p in to_parties],
            "due_phrase": "in early May", "due_earliest": "", "due_latest": "", "due_precision": "",
            "due_anchor_meeting_id": "", "source_letter_id": "", "source_meeting_id": "", "speaker_id": "",
            "owner_id": ""}
    data.update(overrides)
    return data


def test_editor_records_a_commitment_whose_window_is_computed_from_the_letter_date(session, editor_client, ceo,
                                                                                  ccnso):
    letter = factories.letter(session, sent_on=date(2010, 4, 21), direction="outgoing", authors=[ceo])
    session.commit()

    response = editor_client.post("/commitments/new", data=new_commitment_data(
        [ceo], [ccnso], source_letter_id=str(letter.id)))

    assert response.status_code == 302
    commitment = session.exec(select(Commitment).where(Commitment.title == "Publish the Concept of Operations")).one()
    assert (commitment.due_phrase, commitment.due_earliest, commitment.due_latest, commitment.due_precision) == (
        "in early May", date(2010, 5, 1), date(2010, 5, 10), "window")
    assert (commitment.baseline_earliest, commitment.baseline_latest) == (date(2010, 5, 1), date(2010, 5, 10))
    assert commitment.source_letter_id == letter.id
    assert response.headers["Location"].endswith(f"/commitments/{commitment.id}")


def test_typed_dates_override_the_computed_window_and_the_phrase_is_kept(session, editor_client, ceo, ccnso):
    letter = factories.letter(session, sent_on=date(2010, 4, 21), direction="outgoing", authors=[ceo])
    session.commit()

    response = editor_client.post("/commitments/new", data=new_commitment_data(
        [ceo], [ccnso], source_letter_id=str(letter.id), due_earliest="2010-05-01", due_latest="2010-05-14"))

    assert response.status_code == 302
    commitment = session.exec(select(Commitment).where(Commitment.title == "Publish the Concept of Operations")).one()
    assert (commitment.due_phrase, commitment.due_earliest, commitment.due_latest, commitment.due_precision) == (
        "in early May", date(2010, 5, 1), date(2010, 5, 14), "window")


def test_phrase_relative_to_a_meeting_is_anchored_to_that_meeting(session, editor_client, ceo, ccnso):
    meeting = factories.meeting(session, title="ICANN 38 Brussels", aliases="Brussels")
    nairobi = factories.meeting(session, title="Nairobi consultation session")
    session.commit()

    response = editor_client.post("/commitments/new", data=new_commitment_data(
        [ceo], [ccnso], due_phrase="prior to the Brussels meeting", source_meeting_id=str(nairobi.id)))

    assert response.status_code == 302
    commitment = session.exec(select(Commitment).where(Commitment.title == "Publish the Concept of Operations")).one()
    assert commitment.due_anchor_meeting_id == meeting.id
    assert commitment.due_latest == date(2010, 6, 19)
    assert commitment.source_meeting_id == nairobi.id


def test_vague_phrase_is_recorded_without_dates_and_needs_a_decision(session, editor_client, ceo, ccnso):
    response = editor_client.post("/commitments/new", data=new_commitment_data(
        [ceo], [ccnso], due_phrase="weeks not months"))

    assert response.status_code == 302
    commitment = session.exec(select(Commitment).where(Commitment.title == "Publish the Concept of Operations")).one()
    assert (commitment.due_earliest, commitment.due_latest, commitment.due_precision) == (None, None, "vague")


@pytest.mark.parametrize("overrides, message", [
    ({"due_earliest": "2010-05-10", "due_latest": "2010-05-01"}, "is before the earliest"),
    ({"due_latest": "2010-02-30"}, "&#39;2010-02-30&#39; is not a date that exists"),
    ({"made_to": ["999999"]}, "there is no party with id 999999"),
    ({"title": ""}, "a commitment needs a short title"),
    ({"made_by": []}, "say who made the commitment"),
    ({"source_letter_id": "999999"}, "there is no letter with id 999999"),
    ({"due_precision": "vague", "due_latest": "2010-05-10"}, "a vague window has no dates"),
    ({"due_phrase": "by 31 April"}, "31 April does not exist"),
])
def test_bad_new_commitment_is_refused_with_a_clear_message_and_nothing_saved(session, editor_client, ceo, ccnso,
                                                                              overrides, message):
    session.commit()
    before = count(session, Commitment)

    response = editor_client.post("/commitments/new", data=new_commitment_data([ceo], [ccnso], **overrides))

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(session, Commitment) == before


@pytest.mark.parametrize("role", ["viewer"])
def test_viewer_cannot_open_or_post_the_new_commitment_form(session, signed_in, ceo, ccnso, role):
    client = signed_in(role)
    before = count(session, Commitment)

    assert client.get("/commitments/new").status_code == 403
    assert client.post("/commitments/new", data=new_commitment_data([ceo], [ccnso])).status_code == 403
    assert count(session, Commitment) == before


def test_admin_can_open_the_new_commitment_form(admin_client):
    response = admin_client.get("/commitments/new")

    assert response.status_code == 200
    assert 'data-due-window' in response.get_data(as_text=True)


# --- parse-due JSON ------------------------------------------------------------------------------------------------

def test_parse_due_returns_the_window_for_a_phrase_and_a_date(editor_client):
    response = editor_client.get("/commitments/parse-due?phrase=in%20early%20May&written_on=2010-04-21")

    assert response.status_code == 200
    assert response.get_json() == {"found": True, "phrase": "in early May", "written_on": "2010-04-21",
                                   "earliest": "2010-05-01", "latest": "2010-05-10", "precision": "window",
                                   "anchor": None, "anchor_meeting_id": None}


def test_parse_due_reads_the_date_of_the_source_letter(session, editor_client):
    letter = factories.letter(session, sent_on=date(2010, 4, 21))
    session.commit()

    result = editor_client.get(f"/commitments/parse-due?phrase=by%20end%20of%20April&source_letter_id={letter.id}"
                               ).get_json()

    assert (result["written_on"], result["latest"], result["precision"]) == ("2010-04-21", "2010-04-30", "day")


def test_parse_due_names_the_anchor_meeting(session, editor_client):
    meeting = factories.meeting(session, title="ICANN 38 Brussels", aliases="Brussels")
    session.commit()

    result = editor_client.get("/commitments/parse-due?phrase=prior%20to%20the%20Brussels%20meeting"
                               "&written_on=2010-03-10").get_json()

    assert (result["latest"], result["anchor_meeting_id"]) == ("2010-06-19", meeting.id)


def test_parse_due_says_not_found_for_a_phrase_without_a_date(editor_client):
    response = editor_client.get("/commitments/parse-due?phrase=we%20will%20see&written_on=2010-04-21")

    assert response.get_json() == {"found": False, "phrase": "we will see", "written_on": "2010-04-21"}


def test_parse_due_reads_numeric_dates_in_the_configured_order(app, editor_client, monkeypatch):
    monkeypatch.setitem(app.config, "DATE_ORDER", "DMY")
    response = editor_client.get("/commitments/parse-due?phrase=by%2003/04/2010&written_on=2010-03-01")

    assert response.get_json()["latest"] == "2010-04-03"


def test_parse_due_says_which_written_date_does_not_exist(editor_client):
    response = editor_client.get("/commitments/parse-due?phrase=by%2031%20April&written_on=2010-04-21")

    assert response.get_json()["found"] is False
    assert response.get_json()["impossible"].startswith("31 April does not exist")


def test_parse_due_with_a_date_that_does_not_exist_is_400_json(editor_client):
    response = editor_client.get("/commitments/parse-due?phrase=in%20early%20May&written_on=2010-02-30")

    assert response.status_code == 400
    assert "is not a date that exists" in response.get_json()["error"]


def test_parse_due_is_for_editors_only(viewer_client):
    assert viewer_client.get("/commitments/parse-due?phrase=in%20May").status_code == 403


# --- reschedule, progress, details ------------------------------------------------------------------------------

@pytest.fixture()
def promise(session, ceo, ccnso):
    made = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Publish findings",
                                window=Window("by end of April", None, date(2010, 4, 30), "day"))
    session.commit()
    return made


def test_reschedule_keeps_the_baseline_and_shows_the_slip_and_the_change(session, editor_client, promise):
    response = editor_client.post(f"/commitments/{promise.id}/reschedule", data={
        "due_phrase": "by end of May", "due_earliest": "", "due_latest": "", "due_precision": "",
        "due_anchor_meeting_id": "", "reason": "the workshop report needs another review"})

    assert response.status_code == 302
    session.refresh(promise)
    assert (promise.due_phrase, promise.due_latest, promise.due_precision) == ("by end of May", date(2010, 5, 31),
                                                                               "day")
    assert (promise.baseline_phrase, promise.baseline_latest) == ("by end of April", date(2010, 4, 30))
    change = session.exec(select(DueWindowChange).where(DueWindowChange.commitment_id == promise.id)).one()
    assert (change.old_latest, change.new_latest, change.reason) == (
        date(2010, 4, 30), date(2010, 5, 31), "the workshop report needs another review")
    html = editor_client.get(f"/commitments/{promise.id}").get_data(as_text=True)
    assert "slip: +31 days" in html
    assert "the workshop report needs another review" in html
    assert '<span class="badge due_soon">due soon</span>' not in html  # 31 May is beyond 14 days of 12 May
    assert '<span class="badge open">open</span>' in html


def test_reschedule_without_a_reason_is_refused_and_nothing_changes(session, editor_client, promise):
    response = editor_client.post(f"/commitments/{promise.id}/reschedule", data={
        "due_phrase": "by end of May", "due_latest": "2010-05-31", "due_precision": "day", "reason": ""})

    assert response.status_code == 400
    assert "say why the window moves" in response.get_data(as_text=True)
    session.refresh(promise)
    assert promise.due_latest == date(2010, 4, 30)
    assert count(session, DueWindowChange) == 0


def test_reschedule_with_latest_before_earliest_is_refused(session, editor_client, promise):
    response = editor_client.post(f"/commitments/{promise.id}/reschedule", data={
        "due_phrase": "in June", "due_earliest": "2010-06-30", "due_latest": "2010-06-01", "due_precision": "window",
        "reason": "moved"})

    assert response.status_code == 400
    assert "the latest day (2010-06-01) is before the earliest (2010-06-30)" in response.get_data(as_text=True)
    session.refresh(promise)
    assert promise.due_latest == date(2010, 4, 30)


@pytest.mark.parametrize("data, message", [
    ({"status": "in_progress", "progress": "150"}, "progress is a percentage from 0 to 100"),
    ({"status": "done", "fulfilled_on": ""}, "say on which day it was done"),
    ({"status": "done", "fulfilled_on": "2010-05-13"}, "the fulfilment day is in the future"),
    ({"status": "partly_done", "fulfilled_on": "2010-04-31"}, "is not a date that exists"),
    ({"status": "done", "fulfilled_on": "2010-05-01", "evidence_url": "ftp://x"}, "is not a web address"),
])
def test_bad_progress_is_refused_with_a_clear_message_and_nothing_saved(session, editor_client, promise, data,
                                                                        message):
    response = editor_client.post(f"/commitments/{promise.id}/progress", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    session.refresh(promise)
    assert (promise.status, promise.progress, promise.fulfilled_on) == ("open", 0, None)


def test_done_after_the_latest_day_shows_done_late(session, editor_client, promise):
    response = editor_client.post(f"/commitments/{promise.id}/progress", data={
        "status": "done", "fulfilled_on": "2010-05-03", "evidence_url": "https://www.icann.org/findings",
        "outcome": "Posted on the ICANN site"})

    assert response.status_code == 302
    session.refresh(promise)
    assert (promise.status, promise.progress, promise.fulfilled_on) == ("done", 100, date(2010, 5, 3))
    html = editor_client.get(f"/commitments/{promise.id}").get_data(as_text=True)
    assert '<span class="badge done_late">done late</span>' in html
    assert "https://www.icann.org/findings" in html
    assert ("marked done on 3 May 2010 (was open); evidence: https://www.icann.org/findings; "
            "outcome: “Posted on the ICANN site”") in html


def test_editing_details_changes_the_title_and_parties(session, editor_client, promise, ceo, gnso):
    response = editor_client.post(f"/commitments/{promise.id}/details", data={
        "title": "Publish the workshop findings", "quote": "", "owner_id": "",
        "made_by": [str(ceo.id)], "made_to": [str(gnso.id)]})

    assert response.status_code == 302
    session.refresh(promise)
    assert promise.title == "Publish the workshop findings"
    html = editor_client.get(f"/commitments/?party={gnso.id}").get_data(as_text=True)
    assert f'data-commitment-id="{promise.id}"' in html


def test_viewer_cannot_reschedule_or_record_progress(session, viewer_client, promise):
    assert viewer_client.post(f"/commitments/{promise.id}/reschedule", data={
        "due_phrase": "in June", "due_latest": "2010-06-30", "due_precision": "day", "reason": "x"}).status_code == 403
    assert viewer_client.post(f"/commitments/{promise.id}/progress", data={
        "status": "dropped"}).status_code == 403
    session.refresh(promise)
    assert (promise.status, promise.due_latest) == ("open", date(2010, 4, 30))


def test_rescheduling_to_a_phrase_without_a_meeting_drops_the_old_anchor(session, editor_client, ceo, ccnso):
    brussels = factories.meeting(session, title="ICANN 38 Brussels", aliases="Brussels")
    anchored = factories.commitment(session, made_by=[ceo], made_to=[ccnso],
                                    window=Window("prior to the Brussels meeting", None, date(2010, 6, 19), "day",
                                                  brussels.id))
    session.commit()

    response = editor_client.post(f"/commitments/{anchored.id}/reschedule", data={
        "due_phrase": "by end of June", "due_earliest": "", "due_latest": "", "due_precision": "",
        "due_anchor_meeting_id": str(brussels.id), "reason": "no longer tied to the meeting"})

    assert response.status_code == 302
    session.refresh(anchored)
    assert (anchored.due_latest, anchored.due_anchor_meeting_id) == (date(2010, 6, 30), None)
