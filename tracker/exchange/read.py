"""Spreadsheets in: .xlsx or .csv to rows of text, within a budget, nothing evaluated.

Every cell is read as text (pandas dtype=str, no NA guessing) so "0012" stays "0012" and an empty cell is "".
A workbook is a zip: its inflated size is checked from the zip directory before anything is decompressed.
Formulas are never evaluated: openpyxl returns a formula cell's text, which is then refused as a value.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from tracker.export import restore
from tracker.validation import InvalidInput

MAX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARACTERS = 20_000
SUPPORTED = ".xlsx or .csv"


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict[str, str]  # header (lower-cased) → cell text
    formulas: frozenset[str]  # headers whose cell holds a formula, not a value


@dataclass(frozen=True)
class Table:
    columns: list[str]  # as written in the header row, stripped
    rows: list[Row]


def read_table(filename: str, data: bytes, max_rows: int) -> Table:
    """The first sheet (or the CSV) as text rows; InvalidInput says what is wrong with the file."""
    import pandas as pd  # heavy: loaded when a spreadsheet is first read

    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            _check_workbook(data)
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl",
                                  nrows=max_rows + 1)
        elif name.endswith(".csv"):
            frame = pd.read_csv(io.StringIO(_decode(data)), dtype=str, keep_default_na=False, nrows=max_rows + 1,
                                skip_blank_lines=True)
        else:
            raise InvalidInput(f"{filename or 'the file'} is not a spreadsheet: upload {SUPPORTED}", "file")
    except InvalidInput:
        raise
    except (ValueError, KeyError, zipfile.BadZipFile, pd.errors.ParserError, UnicodeError) as error:
        raise InvalidInput(f"{filename} could not be read as {SUPPORTED}: {error}", "file") from None
    if len(frame) > max_rows:
        raise InvalidInput(f"{filename} has more than {max_rows:,} rows; split it into smaller files", "file")
    columns = [str(c).strip() for c in frame.columns]
    rows = []
    for number, record in enumerate(frame.itertuples(index=False, name=None), start=2):
        raw = {column.lower(): str(value if value is not None else "").strip()
               for column, value in zip(columns, record)}
        if any(raw.values()):
            rows.append(Row(number, {key: _value(text) for key, text in raw.items()},
                            frozenset(key for key, text in raw.items() if text.startswith("="))))
    return Table(columns, rows)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what spreadsheet programs on Windows write


def _check_workbook(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        inflated = sum(member.file_size for member in members)
        packed = max(1, sum(member.compress_size for member in members))
    if inflated > MAX_INFLATED_BYTES or inflated / packed > MAX_COMPRESSION_RATIO:
        raise InvalidInput(f"the workbook would inflate to {inflated:,} bytes (the limit is "
                           f"{MAX_INFLATED_BYTES:,}, compressed at most {MAX_COMPRESSION_RATIO}:1)", "file")


def _value(text: str) -> str:
    text = text[:MAX_CELL_CHARACTERS]
    # Our exports put a quote before text a spreadsheet would run as a formula; reading it back, drop it.
    return restore(text)
