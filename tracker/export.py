"""CSV exports through pandas, safe to open in a spreadsheet."""
from __future__ import annotations

import pandas as pd

# A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a quote to text a spreadsheet would read as a formula; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(records: list[dict], columns: list[str]) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs detect the encoding) of the records, columns in this order."""
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame.map(neutralise) if not frame.empty else frame
    return frame.to_csv(index=False).encode("utf-8-sig")
