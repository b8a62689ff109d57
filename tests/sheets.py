"""Reading exported spreadsheets back in tests, every cell as text: with the csv module and openpyxl, as a person
would open them, independently of the app's own import reader."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook, load_workbook


@dataclass
class Frame:
    """A sheet: its header and its rows (column → text)."""
    columns: list[str]
    rows: list[dict[str, str]]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, column: str) -> list[str]:
        return [row[column] for row in self.rows]

    def where(self, column: str, value: str) -> Frame:
        return Frame(self.columns, [row for row in self.rows if row[column] == value])

    def to_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([row[column] for column in self.columns] for row in self.rows)
        return buffer.getvalue().encode()


def read_csv(data: bytes) -> Frame:
    """A CSV export: UTF-8 with a byte order mark, "\n" line ends, every line as wide as the header."""
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = lines[0], lines[1:]
    assert all(len(line) == len(header) for line in body)
    return Frame(header, [dict(zip(header, line)) for line in body])


def read_xlsx(data: bytes) -> Frame:
    """The first sheet of a workbook."""
    return _frame(load_workbook(io.BytesIO(data), read_only=True).worksheets[0])


def read_workbook(data: bytes) -> dict[str, Frame]:
    """Every sheet of a workbook by name, in order."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: _frame(sheet) for sheet in book.worksheets}


def _frame(sheet) -> Frame:
    lines = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    header = lines[0]
    return Frame(header, [dict(zip(header, line + [""] * (len(header) - len(line)))) for line in lines[1:]])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return str(value)


def workbook_bytes(columns: list[str], rows: list[list]) -> bytes:
    """A workbook as a spreadsheet program saves one (openpyxl's ordinary mode): typed cells, dates as dates."""
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
