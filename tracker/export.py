"""Exports as CSV (through the csv module) or Excel workbooks (through openpyxl), safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice

# A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may split a cell again on another separator (a semicolon or tab chosen on import, a pipe, a line
# break), so a formula after one of those, even after spaces, is a cell of its own too. Quotes already there
# before a formula get one more, so that restore() can take exactly one away: export → import is the identity.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;|\t\r\n][ \t\r\n]*)(?='*[=+\-@])")
_QUOTED_AFTER_SEPARATOR = re.compile(r"([,;|\t\r\n][ \t\r\n]*)'(?='*[=+\-@])")
_FORMULA_CHARACTER = re.compile("[" + re.escape("".join(FORMULA_PREFIXES)) + "]")


def _may_run(value: str) -> bool:
    """Whether the rules below could change this text: only with one of the characters a formula starts with.
    Most text has none (a busy party's export has tens of thousands of text cells), and this test is much quicker
    than the regular expressions."""
    return _FORMULA_CHARACTER.search(value) is not None


def _runs_at_start(value: str) -> bool:
    """A spreadsheet would run this cell (possibly behind quotes already written by hand)."""
    rest = value.lstrip(" '")
    return value.startswith(FORMULA_PREFIXES) or rest.startswith(FORMULA_PREFIXES)


def neutralise(value):
    """Prefix a quote to text a spreadsheet would read as a formula, at the start of the cell and after any
    separator it may be split on; other values pass unchanged."""
    if not isinstance(value, str) or not _may_run(value):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if _runs_at_start(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo neutralise(): a cell of one of our exports read back is the value that was exported."""
    if text.startswith("'") and _runs_at_start(text[1:]):
        text = text[1:]
    return _QUOTED_AFTER_SEPARATOR.sub(r"\1", text)


# Rows written per chunk of a streamed CSV download.
CSV_CHUNK_ROWS = 500


def csv_chunks(records: Iterable[dict], columns: Sequence[str]) -> Iterator[bytes]:
    """UTF-8 CSV of the records, columns in this order, a few hundred rows per chunk: a BOM first (so spreadsheet
    programs detect the encoding), "\n" line ends, a cell quoted only when it must be, text a spreadsheet would run
    as a formula neutralised, None as an empty cell, dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    rows = 0
    for record in records:
        writer.writerow([csv_cell(record.get(column)) for column in columns])
        rows += 1
        if rows % CSV_CHUNK_ROWS == 0:
            yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def csv_cell(value) -> str:
    """A value as a CSV cell: text neutralised (see neutralise()), None empty, anything else as str() writes it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def to_csv(records: Iterable[dict], columns: Sequence[str]) -> bytes:
    """The whole CSV at once (see csv_chunks())."""
    return b"".join(csv_chunks(records, columns))


# Characters a workbook cannot hold (XML 1.0 forbids them); a stored value with one is written without it.
_NOT_IN_WORKBOOKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SPREADSHEET_TYPES = {"csv": "text/csv",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def to_xlsx(records: Iterable[dict], columns: list[str], sheet_name: str = "export") -> bytes:
    """An Excel workbook of the records, columns in this order: dates are date cells, text that a spreadsheet
    would run as a formula is neutralised as in the CSV. Records made as they are read (records.in_batches) are
    written as they come: the workbook holds one batch of them at a time beside the rows written so far."""
    return workbook([Sheet(sheet_name, columns, ([record.get(column) for column in columns] for record in records))])


# Dates are written as days, the way the CSV writes them.
DATE_FORMAT = "YYYY-MM-DD"
# Column widths are fitted to the header and the rows below it up to this row.
WIDTH_SAMPLE_ROWS = 200


@dataclass(frozen=True)
class Sheet:
    """One tab of a workbook: a header row and the rows under it, values in the header's order (rows may be made
    as they are written)."""
    name: str
    columns: Sequence[str]
    rows: Iterable[Sequence]
    freeze_header: bool = False  # the header stays in view while scrolling
    fit_widths: bool = False     # each column as wide as its first rows' text (10 to 60 characters)


def workbook_value(value):
    """A value as a workbook cell holds it: text neutralised (see neutralise()) and without the characters a
    workbook cannot hold; other values unchanged."""
    if not isinstance(value, str):
        return value
    value = neutralise(value)
    return value if value.isprintable() else _NOT_IN_WORKBOOKS.sub("", value)


def workbook(sheets: Sequence[Sheet], title: str | None = None) -> bytes:
    """An Excel workbook of these sheets, written row by row as the rows come (openpyxl's write-only mode): memory
    grows with the rows written, not with a copy of them per cell, and rows made as they are read are not all held."""
    from openpyxl import Workbook  # loaded by the first export, not at start
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    if title:
        book.properties.title = title
    for sheet in sheets:
        worksheet = book.create_sheet(sheet.name[:31])
        rows = ([workbook_value(value) for value in row] for row in sheet.rows)
        if sheet.fit_widths:
            first = list(islice(rows, WIDTH_SAMPLE_ROWS - 1))
            for number, width in enumerate(_fitted_widths(sheet.columns, first), start=1):
                worksheet.column_dimensions[get_column_letter(number)].width = width
            rows = chain(first, rows)
        if sheet.freeze_header:
            worksheet.freeze_panes = "A2"
        worksheet.append(list(sheet.columns))
        for row in rows:
            for index, value in enumerate(row):
                if isinstance(value, date) and not isinstance(value, datetime):
                    cell = row[index] = WriteOnlyCell(worksheet, value)
                    cell.number_format = DATE_FORMAT
            worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fitted_widths(columns: Sequence[str], first_rows: list[list]) -> list[int]:
    sample = [list(columns), *first_rows]
    return [min(max(10, max(len(str(row[index])) if row[index] is not None else 0 for row in sample) + 2), 60)
            for index in range(len(columns))]


def spreadsheet(records: Iterable[dict], columns, file_format: str, stem: str, today: date):
    """The records as a download in this format (csv or xlsx), named stem-YYYY-MM-DD. Records may be made as they
    are read (records.in_batches): the file then holds one batch of records at a time beside what was written so far.
    The file is complete before the answer starts, so the request's session (and an as_of view) close as usual."""
    from flask import Response

    columns = list(columns)
    # The CSV's chunks are sent as they are, not joined into one more copy of the file.
    data = list(csv_chunks(records, columns)) if file_format == "csv" else to_xlsx(records, columns, stem)
    return Response(data, mimetype=SPREADSHEET_TYPES[file_format], headers={
        "Content-Disposition": f"attachment; filename={stem}-{today.isoformat()}.{file_format}"})
