"""Reading uploaded spreadsheets (tracker.exchange.read) and writing CSV (tracker.export.csv_chunks): every cell as
text the way a person sees it in the spreadsheet, hostile and malformed files refused with a clear message."""
from __future__ import annotations

import io
import time
import zipfile
from datetime import date, datetime, time as clock_time

import pytest
from openpyxl import Workbook

from tests import sheets
from tracker.exchange.read import MAX_COLUMNS, read_table
from tracker.export import CSV_CHUNK_ROWS, csv_chunks, to_csv
from tracker.validation import InvalidInput


def _book(cells: dict[str, object], errors: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    for reference, value in cells.items():
        sheet[reference] = value
    for reference in errors:
        sheet[reference].data_type = "e"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_cells_read_as_text_as_the_spreadsheet_shows_them():
    data = sheets.workbook_bytes(
        ["id", "code", "progress", "share", "due", "at", "when", "flag", "note", "empty"],
        [[12, "0012", 40.0, 0.25, date(2010, 7, 1), datetime(2010, 7, 1, 10, 30), clock_time(9, 15), True, "NA", None],
         [3.0, "1.50", 1e20, -0.5, datetime(2010, 7, 2), None, None, False, "  spaced  ", ""]])
    table = read_table("plan.xlsx", data, max_rows=10)
    assert table.columns == ["id", "code", "progress", "share", "due", "at", "when", "flag", "note", "empty"]
    first, second = (row.cells for row in table.rows)
    # Excel keeps every number as a float: a whole one reads without ".0", so ids and percentages stay whole.
    assert first == {"id": "12", "code": "0012", "progress": "40", "share": "0.25", "due": "2010-07-01 00:00:00",
                     "at": "2010-07-01 10:30:00", "when": "09:15:00", "flag": "True", "note": "NA", "empty": ""}
    assert second == {"id": "3", "code": "1.50", "progress": "100000000000000000000", "share": "-0.5",
                      "due": "2010-07-02 00:00:00", "at": "", "when": "", "flag": "False", "note": "spaced",
                      "empty": ""}


def test_a_workbook_error_cell_reads_as_its_error_and_a_formula_as_a_formula_never_its_cached_value():
    data = _book({"A1": "title", "B1": "due_latest", "C1": "progress", "A2": "x", "B2": "#N/A", "C2": "=40+2"},
                 errors=("B2",))
    row = read_table("plan.xlsx", data, max_rows=10).rows[0]
    assert row.cells == {"title": "x", "due_latest": "#N/A", "progress": "=40+2"}
    assert row.formulas == frozenset({"progress"})


@pytest.mark.parametrize("filename, data", [
    ("plan.csv", b"\n\ntitle,kind\n\nx,promise\n,\ny,request\n"),
    ("plan.xlsx", _book({"A3": "title", "B3": "kind", "A5": "x", "B5": "promise", "A7": "y", "B7": "request"})),
])
def test_blank_rows_are_skipped_and_every_row_keeps_the_number_the_spreadsheet_shows(filename, data):
    table = read_table(filename, data, max_rows=10)
    assert table.columns == ["title", "kind"]
    assert [(row.number, row.cells) for row in table.rows] == [(5, {"title": "x", "kind": "promise"}),
                                                               (7, {"title": "y", "kind": "request"})]


def test_repeated_and_blank_headers_get_names_of_their_own_so_no_column_hides_another():
    table = read_table("plan.csv", b"title,Title,,kind,title\na,b,c,d,e\n", max_rows=10)
    assert table.columns == ["title", "Title.1", "Unnamed: 2", "kind", "title.2"]
    assert table.rows[0].cells == {"title": "a", "title.1": "b", "unnamed: 2": "c", "kind": "d", "title.2": "e"}


def test_csv_cells_are_text_nothing_guessed_and_short_rows_are_padded():
    data = "title,id,note\r\n\"Say \"\"hi\"\", then\nleave\",0012\r\nNA,\r\n".encode("utf-8-sig")
    table = read_table("plan.csv", data, max_rows=10)
    assert [row.cells for row in table.rows] == [{"title": 'Say "hi", then\nleave', "id": "0012", "note": ""},
                                                 {"title": "NA", "id": "", "note": ""}]


def test_csv_in_the_windows_code_page_is_read():
    assert read_table("plan.csv", "title\nCafé\n".encode("cp1252"), max_rows=10).rows[0].cells == {"title": "Café"}


def _zip_of(name: str) -> bytes:
    """A zip holding one member that is not what a workbook needs (a renamed Word document, a truncated book)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<not-a-workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize("filename, data, message", [
    ("open.csv", b'title,kind\nx,"promise\n', "could not be read as .xlsx or .csv: unexpected end of data"),
    ("stray.csv", b'title,kind\nx,"prom"ise\n', "could not be read as .xlsx or .csv"),
    ("wide.csv", b"title,kind\nx,promise,extra\n", "row 2 has cells beyond the 2 columns the first row names"),
    ("empty.csv", b"", "empty.csv is empty"),
    ("blank.csv", b"\n,,\n", "blank.csv is empty"),
    ("empty.xlsx", _book({}), "empty.xlsx is empty"),
    ("words.xlsx", b"PK\x03\x04 but not a zip", "could not be read as .xlsx or .csv"),
    ("nothing.xlsx", b"", "could not be read as .xlsx or .csv"),
    ("renamed.xlsx", _zip_of("word/document.xml"), "could not be read as .xlsx or .csv"),
    ("broken.xlsx", _zip_of("xl/workbook.xml"), "could not be read as .xlsx or .csv"),
])
def test_malformed_files_are_refused_with_a_clear_message(filename, data, message):
    with pytest.raises(InvalidInput) as refused:
        read_table(filename, data, max_rows=10)
    assert message in str(refused.value)


@pytest.mark.parametrize("filename, data", [
    ("many.csv", b"title\n" + b"x\n" * 11),
    ("many.xlsx", sheets.workbook_bytes(["title"], [["x"]] * 11)),
])
def test_more_rows_than_the_cap_are_refused(filename, data):
    with pytest.raises(InvalidInput, match="more than 10 rows"):
        read_table(filename, data, max_rows=10)
    assert len(read_table(filename, data, max_rows=11).rows) == 11


def test_a_sheet_claiming_far_rows_and_columns_is_read_in_moments():
    """A row at the bottom of the sheet and cells in its last column (XFD): neither the gap nor the width is
    walked cell by cell."""
    data = _book({"A1": "title", "B1": "kind", "XFD1": "far right", "A1048576": "x", "B1048576": "promise",
                  "XFD1048576": "ignored"})
    started = time.process_time()
    table = read_table("far.xlsx", data, max_rows=10)
    assert time.process_time() - started < 2
    assert table.columns == ["title", "kind"] and len(table.columns) <= MAX_COLUMNS
    assert [(row.number, row.cells) for row in table.rows] == [(1048576, {"title": "x", "kind": "promise"})]


def test_csv_export_writes_the_bytes_a_spreadsheet_reads():
    records = [dict(id=1, title='=HYPERLINK("x")', quote='He said "soon", twice\nthen left', due=date(2010, 5, 10),
                    slip=0, note=None),
               dict(id=2, title="Plain", quote="", due=None, slip=None, note="ok")]
    data = to_csv(records, ["id", "title", "quote", "due", "slip", "note"])
    assert data == ("\ufeffid,title,quote,due,slip,note\n"
                    "1,\"'=HYPERLINK(\"\"x\"\")\",\"He said \"\"soon\"\", twice\nthen left\",2010-05-10,0,\n"
                    "2,Plain,,,,ok\n").encode()


def test_csv_export_streams_in_chunks_with_one_byte_order_mark():
    records = [dict(id=n, title=f"Commitment {n}") for n in range(CSV_CHUNK_ROWS * 2 + 1)]
    chunks = list(csv_chunks(records, ["id", "title"]))
    assert len(chunks) == 3
    assert chunks[0].startswith(b"\xef\xbb\xbfid,title\n0,Commitment 0\n")
    assert all(b"\xef\xbb\xbf" not in chunk for chunk in chunks[1:])
    assert len(sheets.read_csv(b"".join(chunks))) == len(records)


def test_a_csv_header_naming_more_columns_than_are_read_is_refused_quickly():
    started = time.process_time()
    with pytest.raises(InvalidInput, match=f"at most {MAX_COLUMNS} are read"):
        read_table("wide.csv", b"title," * 200_000 + b"\nx\n", max_rows=10)
    assert time.process_time() - started < 2
    names = read_table("fine.csv", b",".join(b"c%d" % n for n in range(MAX_COLUMNS)) + b"\n1\n", max_rows=10).columns
    assert len(names) == MAX_COLUMNS
