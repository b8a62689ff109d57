"""Spreadsheets in: .xlsx or .csv to rows of text, within a budget, nothing evaluated.

Every cell is read as text, nothing guessed: "0012" typed as text stays "0012", "NA" stays "NA", an empty cell is "".
CSV through the csv module; a workbook through openpyxl's read-only mode. A workbook is a zip: its inflated size is
checked from the zip directory before anything is decompressed. Formulas are never evaluated: openpyxl returns a
formula cell's text, which is then refused as a value.
"""
from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tracker.export import restore
from tracker.validation import InvalidInput

MAX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARACTERS = 20_000
# Columns read at most: a CSV header naming more is refused; a workbook's cells right of this column are not read
# (a row claiming a cell in column XFD would otherwise be 16,384 cells wide).
MAX_COLUMNS = 200
# What a malformed workbook raises from the zip, XML and cell readers (an XML parse error is a SyntaxError).
WORKBOOK_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, SyntaxError, EOFError, OSError,
                   UnicodeError, zipfile.BadZipFile, zlib.error)
SUPPORTED = ".xlsx or .csv"


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it (the header, the first row with text, is usually row 1)
    cells: dict[str, str]  # header (lower-cased) → cell text
    formulas: frozenset[str]  # headers whose cell holds a formula, not a value


@dataclass(frozen=True)
class Table:
    columns: list[str]  # as written in the header row, stripped
    rows: list[Row]


def read_table(filename: str, data: bytes, max_rows: int) -> Table:
    """The first sheet (or the CSV) as text rows; InvalidInput says what is wrong with the file."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        _check_workbook(filename, data)
        grid = _workbook_grid(data)
        errors = WORKBOOK_ERRORS
    elif name.endswith(".csv"):
        grid = _csv_grid(_decode(data))
        errors = (csv.Error,)
    else:
        raise InvalidInput(f"{filename or 'the file'} is not a spreadsheet: upload {SUPPORTED}", "file")
    try:
        return _table(filename, grid, max_rows)
    except InvalidInput:
        raise
    except errors as error:
        raise InvalidInput(f"{filename} could not be read as {SUPPORTED}: {error}", "file") from None


def _table(filename: str, grid: Iterator[tuple[int, list[str]]], max_rows: int) -> Table:
    """The first row with text names the columns; each later row with text is a Row, at most max_rows of them."""
    columns: list[str] | None = None
    rows = []
    for number, cells in grid:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue  # a blank row, before the header or between rows
        if columns is None:
            columns = _column_names(cells)
            continue
        if len(cells) > len(columns) and any(cells[len(columns):]):
            raise InvalidInput(f"{filename}: row {number} has cells beyond the {len(columns)} columns the first row "
                               "names; give those columns a name in the first row", "file")
        if len(rows) == max_rows:
            raise InvalidInput(f"{filename} has more than {max_rows:,} rows; split it into smaller files", "file")
        raw = {column.lower(): cells[index] if index < len(cells) else "" for index, column in enumerate(columns)}
        rows.append(Row(number, {key: _value(text) for key, text in raw.items()},
                        frozenset(key for key, text in raw.items() if text.startswith("="))))
    if columns is None:
        raise InvalidInput(f"{filename} is empty: the first row must name the columns", "file")
    return Table(columns, rows)


def _column_names(header: list[str]) -> list[str]:
    """The header's names up to its last one; a blank one is "Unnamed: <position>" and a repeated one gets ".1",
    ".2" (as spreadsheet libraries name them), so no column hides another."""
    width = max(index for index, text in enumerate(header) if text) + 1
    if width > MAX_COLUMNS:
        raise InvalidInput(f"the first row names {width:,} columns; at most {MAX_COLUMNS} are read", "file")
    names: list[str] = []
    taken: set[str] = set()
    for index, text in enumerate(header[:width]):
        name = text or f"Unnamed: {index}"
        repeat = 0
        while (name if not repeat else f"{name}.{repeat}").lower() in taken:
            repeat += 1
        names.append(name if not repeat else f"{name}.{repeat}")
        taken.add(names[-1].lower())
    return names


def _csv_grid(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each record; a blank line is a row, as a spreadsheet program counts them."""
    # strict: a quote left open swallows the rest of the file otherwise, and a stray one is a malformed file
    return enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), start=1)


def _workbook_grid(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet's rows with a value, in openpyxl's read-only mode (parsed as
    iterated). The first such row is the header; the rows under it are read as wide as it is.

    Formulas are read as written, never evaluated and never replaced by a value a program cached with them:
    the import refuses them with a message instead.
    """
    from openpyxl import load_workbook  # heavy: loaded when a workbook is first read, not at start

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        sheet = book.worksheets[0]
        # A sheet's declared size may be wrong (or hostile: a million rows): follow the cells actually there.
        sheet.reset_dimensions()
        header_number, width = 0, 0
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            texts = [cell_text(value).strip() for value in row] if row.count(None) < len(row) else []
            if any(texts):
                header_number, width = number, max(index for index, text in enumerate(texts) if text) + 1
                yield number, texts[:width]
                break
        if not width:
            return
        rows = sheet.iter_rows(min_row=header_number + 1, max_col=width, values_only=True)
        for number, row in enumerate(rows, start=header_number + 1):
            # Rows missing from the file come as a row of None: skipped without looking at each cell.
            if row.count(None) < len(row):
                yield number, [cell_text(value) for value in row]
    finally:
        book.close()


def cell_text(value) -> str:
    """A workbook cell as text, as a person reads it in the spreadsheet: a whole number without ".0" (Excel
    stores every number as a float), a date as "YYYY-MM-DD 00:00:00", an error as "#N/A", an empty cell ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, datetime, date, time, timedelta)):
        return str(value)
    formula = getattr(value, "text", None)  # an array formula: its text, refused like any formula
    return formula if isinstance(formula, str) else "="


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what spreadsheet programs on Windows write


def _check_workbook(filename: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InvalidInput(f"{filename} could not be read as {SUPPORTED}: {error}", "file") from None
    inflated = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if inflated > MAX_INFLATED_BYTES or inflated / packed > MAX_COMPRESSION_RATIO:
        raise InvalidInput(f"the workbook would inflate to {inflated:,} bytes (the limit is "
                           f"{MAX_INFLATED_BYTES:,}, compressed at most {MAX_COMPRESSION_RATIO}:1)", "file")


def _value(text: str) -> str:
    text = text[:MAX_CELL_CHARACTERS]
    # Our exports put a quote before text a spreadsheet would run as a formula; reading it back, drop it.
    return restore(text)
