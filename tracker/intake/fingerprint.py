"""The fingerprint of a document's text: the same letter as PDF and as text, or re-wrapped, has the same one.

Only letters and digits count, lower-cased and with accents and ligatures folded (NFKD): line breaks, page
layout, hyphenated line ends, quotes and dashes that differ between a PDF's text and the original vanish.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

# A word hyphenated across a line break in a PDF ("commit-\nment") is the same word.
_LINE_END_HYPHEN = re.compile(r"[-‐‑]\s*\n\s*")


def normalised_text(text: str) -> str:
    text = _LINE_END_HYPHEN.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c.isalnum() and not unicodedata.combining(c))


def text_fingerprint(text: str) -> str | None:
    """sha256 of the normalised text; None for a text with nothing in it to compare."""
    normal = normalised_text(text)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None
