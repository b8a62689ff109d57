"""CSV exports through pandas, safe to open in a spreadsheet."""
from __future__ import annotations

import re

# A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may split a cell again on another separator (a semicolon or tab chosen on import, a pipe, a line
# break), so a formula after one of those, even after spaces, is a cell of its own too.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;|\t\r\n][ \t\r\n]*)(?=[=+\-@])")


def neutralise(value):
    """Prefix a quote to text a spreadsheet would read as a formula, at the start of the cell and after any
    separator it may be split on; other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if value.startswith(FORMULA_PREFIXES) or value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(records: list[dict], columns: list[str]) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs detect the encoding) of the records, columns in this order."""
    import pandas as pd  # heavy (about 60 MB per process): loaded by the first export, not at start

    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame.map(neutralise) if not frame.empty else frame
    return frame.to_csv(index=False).encode("utf-8-sig")
