"""Exports of the commitments and letters lists as CSV and XLSX, and the lists' full-text `q=`."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from tests import factories, sheets
from tracker.commitments.operations import Window
from tracker.exchange import commitment_rows, letter_rows


@pytest.fixture()
def world(session):
    ceo = factories.party(session, name="Office of the CEO", short_name="CEO", is_internal=True)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    conops = factories.commitment(session, made_by=[ceo], made_to=[ccnso], title="Publish the plan",
                                  quote="We plan to publish a Concept of Operations in early May.",
                                  window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    budget = factories.commitment(session, made_by=[ceo], made_to=[gnso], title="=SUM(A1:A9) budget",
                                  window=Window("by 30 April", None, date(2010, 4, 30), "day"))
    case = factories.letter(session, subject="DNS-CERT business case", authors=[ccnso], recipients=[ceo],
                            body="<p>We look forward to the <b>Concept of Operations</b>.</p>",
                            sent_on=date(2010, 3, 25))
    other = factories.letter(session, subject="Budget questions", authors=[gnso], recipients=[ceo],
                             body="<p>About the budget.</p>", sent_on=date(2010, 4, 2))
    session.commit()
    return dict(ccnso=ccnso, gnso=gnso, conops=conops, budget=budget, case=case, other=other)


def _sheet(response) -> sheets.Frame:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    if response.mimetype == "text/csv":
        return sheets.read_csv(response.data)
    return sheets.read_xlsx(response.data)


@pytest.mark.parametrize("record, columns", [("commitments", commitment_rows.COLUMNS),
                                             ("letters", letter_rows.COLUMNS)])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_csv_and_xlsx_write_the_same_columns_and_rows(editor_client, world, record, columns, file_format):
    frame = _sheet(editor_client.get(f"/{record}/export.{file_format}"))
    # No phase is defined in this world, so the phase column is left out (tests/phases covers it written).
    optional = commitment_rows.OPTIONAL_COLUMNS if record == "commitments" else ()
    assert frame.columns == [c for c in columns.exported if c not in optional]
    assert len(frame) == 2


def test_the_workbook_holds_dates_as_dates_and_formulas_as_quoted_text(editor_client, world):
    response = editor_client.get("/commitments/export.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "commitments-" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (cell for cell in row))) for row in sheet.iter_rows(min_row=2)]
    by_id = {row["id"].value: row for row in rows}
    latest = by_id[world["conops"].id]["due_latest"]
    assert latest.is_date and latest.value == datetime(2010, 5, 10)
    title = by_id[world["budget"].id]["title"]
    assert title.data_type == "s" and title.value == "'=SUM(A1:A9) budget"
    letters = openpyxl.load_workbook(io.BytesIO(editor_client.get("/letters/export.xlsx").data)).active
    sent_on = [row[1] for row in letters.iter_rows(min_row=2)]
    assert all(cell.is_date for cell in sent_on)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_honour_the_lists_filters_and_words(editor_client, world, file_format):
    ccnso = world["ccnso"].id
    titles = list(_sheet(editor_client.get(f"/commitments/export.{file_format}?party={ccnso}"))["title"])
    assert titles == ["Publish the plan"]
    titles = list(_sheet(editor_client.get(f"/commitments/export.{file_format}?q=concept+operations"))["title"])
    assert titles == ["Publish the plan"]
    subjects = list(_sheet(editor_client.get(f"/letters/export.{file_format}?q=%22concept+of+operations%22"))[
        "subject"])
    assert subjects == ["DNS-CERT business case"]  # found in the body, not the subject
    subjects = list(_sheet(editor_client.get(f"/letters/export.{file_format}?party={world['gnso'].id}"))["subject"])
    assert subjects == ["Budget questions"]


def test_a_limited_viewer_exports_only_the_letters_it_may_see(signed_in, world):
    client = signed_in("viewer", party_ids=[world["ccnso"].id])
    for file_format in ("csv", "xlsx"):
        assert list(_sheet(client.get(f"/letters/export.{file_format}"))["subject"]) == ["DNS-CERT business case"]
        assert list(_sheet(client.get(f"/commitments/export.{file_format}"))["title"]) == ["Publish the plan"]
        assert list(_sheet(client.get(f"/letters/export.{file_format}?q=budget"))["subject"]) == []


def test_lists_find_records_by_words_combined_with_their_filters(editor_client, world):
    page = editor_client.get("/commitments/?q=concept").get_data(as_text=True)
    assert "Publish the plan" in page and "budget" not in page
    assert 'name="q" value="concept"' in page and "/commitments/export.xlsx?q=concept" in page
    page = editor_client.get("/commitments/?q=concept&status=done").get_data(as_text=True)
    assert "Publish the plan" not in page
    page = editor_client.get("/letters/?q=operations").get_data(as_text=True)
    assert "DNS-CERT business case" in page and "Budget questions" not in page
    assert 'name="q" value="operations"' in page and "/letters/export.xlsx?q=operations" in page
    page = editor_client.get(f"/letters/?q=budget&party={world['ccnso'].id}").get_data(as_text=True)
    assert "Budget questions" not in page
    assert 'name="q"' in page


@pytest.mark.parametrize("url", ["/commitments/", "/letters/", "/commitments/export.xlsx", "/letters/export.csv"])
@pytest.mark.parametrize("typed", ["a b c d e f g h i j k l m", "nul\x00", "\" OR 1=1 --", "NEAR(a b)*"])
def test_words_with_operators_get_an_answer_never_an_error(editor_client, world, url, typed):
    response = editor_client.get(url, query_string={"q": typed})
    assert response.status_code in (200, 400), response.status_code


def test_the_csv_download_is_read_in_batches_and_complete(editor_client, world, monkeypatch):
    from tracker.exchange import records

    monkeypatch.setattr(records, "EXPORT_BATCH", 1)  # two commitments: two batches
    batches = []
    made = records.commitment_records
    monkeypatch.setattr("tracker.commitments.routes.commitment_records",
                        lambda session, batch, *rest: batches.append(len(batch)) or made(session, batch, *rest))
    response = editor_client.get("/commitments/export.csv")
    assert batches == [1, 1]
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert sorted(sheets.read_csv(response.data)["title"]) == ["'=SUM(A1:A9) budget", "Publish the plan"]
