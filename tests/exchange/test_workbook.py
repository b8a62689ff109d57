"""The workbook writer (tracker.export.workbook, openpyxl's write-only mode): what openpyxl and the import read back is
what was written, cell by cell and type by type."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter as column_letter

from tracker.exchange.read import read_table
from tracker.export import Sheet, workbook


def test_cells_read_back_with_their_types_formats_and_text():
    rows = [["plain", 3, 2.5, date(2010, 4, 30), datetime(2010, 5, 1, 13, 30), True, None, ""],
            ["  spaced <b>&amp; \"quoted\" ", -7, 0, None, None, False, "Ωмега ≈ 🦄", "=SUM(A1:A2)"]]
    columns = ["text", "int", "float", "day", "moment", "flag", "empty", "formula"]
    data = workbook([Sheet("Weird — name", columns, rows, freeze_header=True, fit_widths=True)],
                    title="A & B — report")
    book = load_workbook(io.BytesIO(data))
    assert book.properties.title == "A & B — report"
    sheet = book.worksheets[0]
    assert sheet.title == "Weird — name"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == columns
    first, second = sheet[2], sheet[3]
    assert [c.value for c in first[:3]] == ["plain", 3, 2.5]
    assert first[3].is_date and first[3].number_format == "YYYY-MM-DD" and first[3].value == datetime(2010, 4, 30)
    assert first[4].is_date and first[4].value == datetime(2010, 5, 1, 13, 30)
    assert first[5].value is True and second[5].value is False
    assert first[6].value is None and first[7].value is None
    assert second[0].value == "  spaced <b>&amp; \"quoted\" "
    assert second[6].value == "Ωмега ≈ 🦄"
    assert second[7].value == "'=SUM(A1:A2)" and second[7].data_type == "s"  # neutralised, never a formula
    assert second[3].value is None
    # Widths fitted to the longest text of each column (10 to 60 characters), as the board reports set them.
    assert sheet.column_dimensions["A"].width == len("  spaced <b>&amp; \"quoted\" ") + 2
    assert sheet.column_dimensions["B"].width == 10
    table = read_table("weird.xlsx", data, max_rows=10)
    assert table.columns == columns and [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].cells == {"text": "plain", "int": "3", "float": "2.5", "day": "2010-04-30 00:00:00",
                                   "moment": "2010-05-01 13:30:00", "flag": "True", "empty": "", "formula": ""}
    # Read back, the quote that kept the formula from running is taken away again, and nothing counts as a formula.
    assert table.rows[1].cells["formula"] == "=SUM(A1:A2)" and table.rows[1].formulas == frozenset()
    assert table.rows[1].cells["float"] == "0" and table.rows[1].cells["text"] == "spaced <b>&amp; \"quoted\""
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_several_sheets_keep_their_order_and_an_empty_sheet_keeps_its_header():
    data = workbook([Sheet("Summary", ["a"], [[1]]), Sheet("Empty", ["x", "y"], []), Sheet("Last", ["b"], [["z"]])])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "Empty", "Last"]
    assert [c.value for c in book["Empty"][1]] == ["x", "y"] and book["Empty"].max_row == 1
    assert book["Last"]["A2"].value == "z"


def test_control_characters_are_dropped_and_columns_beyond_z_are_named_as_excel_names_them():
    data = workbook([Sheet("s", [f"c{n}" for n in range(30)], [["a\x00b\x1fc", *range(29)]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "abc" and sheet["AD2"].value == 28
    assert [column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_rows_made_as_they_are_written_give_the_same_workbook():
    columns = ["name", "count", "day"]
    rows = [[f"row {n}" * (n % 7), n, date(2010, 1, 1 + n % 28)] for n in range(300)]
    listed = workbook([Sheet("s", columns, rows, freeze_header=True, fit_widths=True)])
    made = workbook([Sheet("s", columns, (list(row) for row in rows), freeze_header=True, fit_widths=True)])
    first, second = load_workbook(io.BytesIO(listed)).active, load_workbook(io.BytesIO(made)).active
    assert [[c.value for c in row] for row in first.iter_rows()] == [[c.value for c in row] for row in second.iter_rows()]
    assert [first.column_dimensions[x].width for x in "ABC"] == [second.column_dimensions[x].width for x in "ABC"]
