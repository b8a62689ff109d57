"""Phases in the board reports: each commitment's phase beside its state (in the PDF rows and the spreadsheet), only
for the kinds that have phases, and the party page's per-phase counts in the party report's summary."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests import factories
from tests.phases.conftest import REGISTER, request_of
from tests.reports.test_reports import pdf_text
from tracker.phases import operations


def workbook_of(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data))


def rows_of(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, (cell.value for cell in row))) for row in sheet.iter_rows(min_row=2)]


def test_party_report_writes_each_request_phase_and_counts_per_phase(admin_client, session, register, ccnso, gnso,
                                                                     ceo):
    acknowledged = [request_of(session, [ccnso], [ceo], title=f"Acknowledged request {n}") for n in range(3)]
    for commitment in acknowledged:
        operations.place_commitment(session, commitment, register["Receive & Acknowledge"].id)
    implementing = request_of(session, [ccnso], [ceo], title="Request being implemented")
    operations.place_commitment(session, implementing, register["Implement"].id)
    request_of(session, [ccnso], [ceo], title="Request in no phase")
    other = request_of(session, [gnso], [ceo], title="Another party's request")
    operations.place_commitment(session, other, register["Implement"].id)
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="A promise to them")
    operations.retire_phase(session, register["Close"])
    session.commit()

    book = workbook_of(admin_client.get(f"/parties/{ccnso.id}/report.xlsx"))
    assert book.sheetnames == ["Summary", "By phase", "Promised to them", "Asked by them", "Awaiting reply"]
    asked = {row["Title"]: row for row in rows_of(book["Asked by them"])}
    assert asked["Request being implemented"]["Phase"] == "Implement"
    assert asked["Acknowledged request 0"]["Phase"] == "Receive & Acknowledge"
    assert asked["Request in no phase"]["Phase"] is None
    assert "Another party's request" not in asked
    # Promises have no phases defined: their sheet has no Phase column.
    assert "Phase" not in [cell.value for cell in book["Promised to them"][1]]
    # The counts the party page shows: every active phase in order, a retired one only while it holds some.
    counted = [(row["Kind"], row["Phase"], row["Commitments"]) for row in rows_of(book["By phase"])]
    assert counted == [("Requests", "Receive & Acknowledge", 3), ("Requests", "Understand", 0),
                       ("Requests", "Evaluate & Consider", 0), ("Requests", "Implement", 1)]

    text = pdf_text(admin_client.get(f"/parties/{ccnso.id}/report.pdf"))
    assert "By phase" in text
    assert "Requests Receive & Acknowledge 3" in text and "Requests Implement 1" in text
    assert "Phase" in text and "Implement" in text
    assert "Close" not in text  # retired and empty


def test_a_retired_phase_still_holding_commitments_is_named_as_retired(admin_client, session, register, ccnso, ceo):
    closed = request_of(session, [ccnso], [ceo], title="Closed request")
    operations.place_commitment(session, closed, register["Close"].id)
    operations.retire_phase(session, register["Close"])
    session.commit()
    book = workbook_of(admin_client.get(f"/parties/{ccnso.id}/report.xlsx"))
    assert {row["Title"]: row["Phase"] for row in rows_of(book["Asked by them"])} == {"Closed request": "Close (retired)"}
    assert ("Requests", "Close (retired)", 1) in [(r["Kind"], r["Phase"], r["Commitments"])
                                                   for r in rows_of(book["By phase"])]
    assert "Close (retired)" in pdf_text(admin_client.get(f"/parties/{ccnso.id}/report.pdf"))


def test_all_parties_report_writes_phases_of_requests_only(admin_client, session, register, ccnso, ceo):
    evaluated = request_of(session, [ccnso], [ceo], title="Request under evaluation")
    operations.place_commitment(session, evaluated, register["Evaluate & Consider"].id)
    factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="A promise")
    session.commit()
    book = workbook_of(admin_client.get("/report.xlsx"))
    assert "By phase" not in book.sheetnames  # the per-phase counts are a party's
    assert {row["Title"]: row["Phase"] for row in rows_of(book["Requests"])} == {
        "Request under evaluation": "Evaluate & Consider"}
    assert "Phase" not in [cell.value for cell in book["Promises"][1]]
    text = pdf_text(admin_client.get("/report.pdf"))
    assert "Evaluate & Consider" in text


def test_without_phases_the_reports_show_none(admin_client, session, ccnso, ceo):
    request_of(session, [ccnso], [ceo], title="A request")
    session.commit()
    book = workbook_of(admin_client.get(f"/parties/{ccnso.id}/report.xlsx"))
    assert "By phase" not in book.sheetnames
    assert "Phase" not in [cell.value for cell in book["Asked by them"][1]]
    text = pdf_text(admin_client.get(f"/parties/{ccnso.id}/report.pdf"))
    assert "By phase" not in text and "Phase" not in text
    assert len(REGISTER) == 5  # the register fixture's phases were not made here


def test_a_limited_viewer_counts_only_what_it_may_see(app, session, register, ccnso, gnso, ceo):
    from tests.access.conftest import sign_in

    shared = request_of(session, [ccnso, gnso], [ceo], title="Joint request")
    operations.place_commitment(session, shared, register["Understand"].id)
    viewer = sign_in(app, session, factories.user(session, role="viewer", party_ids=[gnso.id]))
    book = workbook_of(viewer.get(f"/parties/{gnso.id}/report.xlsx"))
    counted = {row["Phase"]: row["Commitments"] for row in rows_of(book["By phase"])}
    assert counted["Understand"] == 1 and counted["Implement"] == 0
    assert viewer.get(f"/parties/{ccnso.id}/report.xlsx").status_code == 404
