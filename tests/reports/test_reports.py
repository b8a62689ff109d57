"""The board reports: what a chair takes to a board meeting, as PDF and spreadsheet, drawn from the party page's
lists and counts and limited to what the reader may see."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from tests import factories
from tests import sheets as spreadsheets
from tests.dashboards import dataset
from tracker.commitments.models import Commitment, timing, timing_condition
from tracker.reports import render


@pytest.fixture()
def record(session):
    return dataset.build(session)


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def sheets(response) -> dict[str, spreadsheets.Frame]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return spreadsheets.read_workbook(response.data)


def test_party_pdf_has_the_as_of_line_titles_and_states(admin_client, record):
    text = pdf_text(admin_client.get(f"/parties/{record.ccnso.id}/report.pdf"))
    assert "Commitments report: ccNSO Council" in text
    assert "As of 12 May 2010" in text
    for title in ("Publish the workshop findings", "Publish a Concept of Operations", "Cost breakdown",
                  "Publish an FAQ", "Old paper", "Extend the comment periods by 15 days", "Remarks to the GAC"):
        assert title in text, title
    assert "overdue, 12 days late" in text          # workshop findings, due 30 April
    assert "overdue, 2 days late" in text           # Concept of Operations, due 10 May
    assert "needs a date" in text                   # "weeks not months"
    assert "done 1 May 2010, on time" in text       # FAQ
    assert "done 2 April 2010, 2 days late" in text  # old paper
    assert "1–10 May 2010 (“in early May”)" in text
    assert "Greg Rattray" in text
    # Only this party's records: the GNSO's promises and letters are another party's.
    assert "Updated resource analysis" not in text and "GNSO questions" not in text


def test_party_pdf_summary_counts_each_state(admin_client, record):
    text = pdf_text(admin_client.get(f"/parties/{record.ccnso.id}/report.pdf"))
    # Promised to the ccNSO: 2 overdue, 0 due soon, 1 needs a date, 0 open, 1 on time, 1 late, 0 closed: 5.
    assert "What we promised them 2 0 1 0 1 1 0 5" in text
    assert "What they asked of us 0 0 0 0 1 0 0 1" in text


def test_party_spreadsheet_has_a_sheet_per_section_with_the_rows_and_dates_as_dates(admin_client, record):
    response = admin_client.get(f"/parties/{record.ccnso.id}/report.xlsx")
    found = sheets(response)
    assert list(found) == ["Summary", "Promised to them", "Asked by them", "Awaiting reply"]
    promised = found["Promised to them"]
    assert list(promised["Title"]) == ["Publish the workshop findings", "Publish a Concept of Operations",
                                       "Cost breakdown", "Publish an FAQ", "Old paper"]
    assert list(promised["State"]) == ["Overdue", "Overdue", "Needs a date", "Done on time", "Done late"]
    assert list(found["Asked by them"]["Made by"]) == ["ccNSO"]
    assert list(found["Awaiting reply"]["Subject"]) == ["Remarks to the GAC"]
    summary = found["Summary"]
    assert list(summary["Section"]) == ["What we promised them", "What they asked of us", "Letters awaiting a reply"]
    assert list(summary["Total"]) == ["5", "1", "1"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook["Summary"]["C2"].is_date and workbook["Summary"]["C2"].value.date() == date(2010, 5, 12)
    due_by = workbook["Promised to them"]["H2"]
    assert due_by.is_date and due_by.value.date() == date(2010, 4, 30)
    assert workbook["Promised to them"]["H4"].value is None  # the vague one has no date


def test_spreadsheet_neutralises_formulas(admin_client, session, record):
    factories.commitment(session, title="=HYPERLINK(\"http://evil\")", made_to=[record.ccnso], made_by=[record.ceo])
    session.commit()
    workbook = load_workbook(io.BytesIO(admin_client.get(f"/parties/{record.ccnso.id}/report.xlsx").data))
    titles = [row[0].value for row in workbook["Promised to them"].iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://evil\")" in titles
    assert not any(isinstance(t, str) and t.startswith("=") for t in titles)
    assert all(cell.data_type != "f" for row in workbook["Promised to them"].iter_rows() for cell in row)


def test_all_parties_report_lists_every_party_and_the_totals(admin_client, record):
    text = pdf_text(admin_client.get("/report.pdf"))
    assert "Commitments report: all parties" in text and "As of 12 May 2010" in text
    assert "Updated resource analysis" in text and "Publish a Concept of Operations" in text
    assert "GNSO questions" in text
    found = sheets(admin_client.get("/report.xlsx"))
    assert list(found) == ["Summary", "Promises", "Requests", "Awaiting reply"]
    assert len(found["Promises"]) == 8 and len(found["Requests"]) == 1
    summary = found["Summary"]
    totals = summary.where("Party", "All parties")
    assert list(totals["Total"]) == ["8", "1", "3"]
    assert set(summary["Party"]) == {"ccNSO", "GNSO", "CEO", "All parties"}


def test_unknown_party_report_is_not_found(admin_client, record):
    assert admin_client.get("/parties/987654/report.pdf").status_code == 404
    assert admin_client.get("/parties/987654/report.xlsx").status_code == 404


def test_reports_as_of_a_past_day_carry_that_day(admin_client, record):
    text = pdf_text(admin_client.get(f"/parties/{record.ccnso.id}/report.pdf?as_of=2010-05-01"))
    assert "As of 1 May 2010" in text and "As of 12 May 2010" not in text
    response = admin_client.get("/report.xlsx?as_of=2010-05-01")
    assert response.status_code == 200
    assert "2010-05-01" in response.headers["Content-Disposition"]
    assert admin_client.get("/report.xlsx?as_of=2010-13-01").status_code == 400


def test_sql_state_and_python_state_agree_on_every_commitment(session, record):
    today, within = date(2010, 5, 12), 14
    found = set()
    for commitment, state in session.exec(select(Commitment, timing_condition(today, within))):
        assert state == timing(commitment, today, within), commitment.title
        found.add(state)
    assert found >= {"overdue", "due_soon", "needs_decision", "on_time", "done_late"}


def test_printable_drops_control_characters_and_cuts_long_text():
    assert render.printable("a\x00b\x1b  c\n d") == "ab c d"
    assert len(render.printable("x" * 20000)) == render.MAX_CELL_CHARACTERS


def test_limited_viewer_gets_404_for_a_hidden_party_and_only_visible_records_in_the_all_parties_report(
        app, session, record):
    from tests.access.conftest import sign_in

    viewer = sign_in(app, session, factories.user(session, role="viewer", party_ids=[record.gnso.id]))
    assert viewer.get(f"/parties/{record.ccnso.id}/report.pdf").status_code == 404
    assert viewer.get(f"/parties/{record.ccnso.id}/report.xlsx").status_code == 404
    text = pdf_text(viewer.get("/report.pdf"))
    assert "Updated resource analysis" in text
    assert "Publish a Concept of Operations" not in text and "Remarks to the GAC" not in text
    summary = sheets(viewer.get("/report.xlsx"))["Summary"]
    assert set(summary["Party"]) == {"GNSO", "All parties"}


def test_viewer_with_no_party_gets_an_empty_all_parties_report(app, session, record):
    from tests.access import dataset as access_dataset
    from tests.access.conftest import sign_in

    user = access_dataset.limit_to_no_party(session, factories.user(session, role="viewer"))
    viewer = sign_in(app, session, user)
    found = sheets(viewer.get("/report.xlsx"))
    assert all(len(found[name]) == 0 for name in ("Promises", "Requests", "Awaiting reply"))
    assert set(found["Summary"]["Total"]) == {"0"}
    text = pdf_text(viewer.get("/report.pdf"))
    assert "ccNSO" not in text and "Greg Rattray" not in text and "No letter is awaiting a reply." in text
    assert viewer.get(f"/parties/{record.gnso.id}/report.pdf").status_code == 404


def test_a_long_section_is_cut_at_the_cap_and_says_how_many_there_are(admin_client, session, record, monkeypatch):
    from tracker.reports import routes

    monkeypatch.setattr(routes, "REPORT_ROWS_CAP", 2)
    text = pdf_text(admin_client.get(f"/parties/{record.ccnso.id}/report.pdf"))
    assert "The first 2 of 5 are shown" in text
    assert len(sheets(admin_client.get(f"/parties/{record.ccnso.id}/report.xlsx"))["Promised to them"]) == 2


def test_hostile_text_in_a_title_still_renders(admin_client, session, record):
    # The longest title a commitment holds, one word wider than any column, in scripts beyond Latin-1.
    factories.commitment(session, title="Ω≈ç√ 🦄 Ωмега " + "x" * 280, made_to=[record.ccnso], made_by=[record.ceo])
    session.commit()
    text = pdf_text(admin_client.get(f"/parties/{record.ccnso.id}/report.pdf"))
    assert "Ω≈ç√" in text and "Ωмега" in text
    assert admin_client.get(f"/parties/{record.ccnso.id}/report.xlsx").status_code == 200


def test_party_page_and_parties_list_link_to_the_reports_and_pages_print_without_navigation(admin_client, record):
    page = admin_client.get(f"/parties/{record.ccnso.id}").get_data(as_text=True)
    assert f'href="/parties/{record.ccnso.id}/report.pdf"' in page
    assert f'href="/parties/{record.ccnso.id}/report.xlsx"' in page
    assert re.search(r'<link rel="stylesheet" href="/static/print.css[^"]*" media="print">', page)
    listing = admin_client.get("/parties/").get_data(as_text=True)
    assert 'href="/report.pdf"' in listing and 'href="/report.xlsx"' in listing
    print_css = re.sub(r"/\*.*?\*/", "", admin_client.get("/static/print.css").get_data(as_text=True), flags=re.S)
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none !important;\s*\}", print_css).group(1)
    for selector in (".topbar", "nav", "form", "button", ".report-links"):
        assert selector in [s.strip() for s in hidden.split(",")], selector
