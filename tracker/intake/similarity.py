"""How much of two letters' text is the same: pure functions, no I/O.

A near-duplicate is the same letter taken in again with small differences: a changed signature block, a line
added, a re-typed date, another PDF's text extraction (ligatures, hyphenation, page headers). Exact
duplicates (same bytes, same normalised text) are refused before this is asked; see fingerprint.py.

The measure is the resemblance (Jaccard index) of the two texts' sets of word 3-shingles (every run of three
consecutive words, after the same folding as the fingerprint: lower case, accents and ligatures folded, words
hyphenated across a line end joined, markup and punctuation dropped). Shingles rather than single words, so that
two letters on the same subject in the same vocabulary do not look alike; three words, so that one changed
word costs at most three shingles.

Thresholds, and why (measured on the sample record in tracker/demo/seeds; tests/intake/test_near_duplicates.py
keeps these cases):
- NEAR = 0.80. The CEO's reply (333 words) with its closing and signature block rewritten measures 0.98; with a
  16-word sentence added, 0.94; two PDF extractions of one letter differ by layout only and measure 0.95 or
  more. The five different documents of the sample measure 0.03 at most against each other, and a reply of
  150 words of its own quoting the whole of the CEO's letter measures 0.68: a reply that quotes is not a
  duplicate. 0.80 sits well between the two groups.
- MIN_WORDS = 40: below that a few words decide everything (two short notes "We will publish the plan by end
  of April (1)" and "(2)" measure 0.78, just under the line, and one word fewer would cross it), so short texts
  are never called near-duplicates; the exact fingerprint still catches their true duplicates.
"""
from __future__ import annotations

import html
import re
import unicodedata

SHINGLE_WORDS = 3  # shingles() builds runs of three words
NEAR = 0.80
MIN_WORDS = 40

_TAG = re.compile(r"<[^>]{0,2000}>")
_LINE_END_HYPHEN = re.compile(r"[-‐‑]\s*\n\s*")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same words, found faster, in a lower-cased ASCII text
# The combining marks NFKD splits off letters (é → e + ´), dropped so that accents do not count.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def words(text: str) -> list[str]:
    """The words of a text (plain, or the sanitised HTML a letter's body is stored as), folded for comparing."""
    text = _LINE_END_HYPHEN.sub("", html.unescape(_TAG.sub(" ", text or ""))).lower()
    if not text.isascii():  # hundreds of bodies are compared per lookup: fold only what needs folding
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def shingles(word_list: list[str]) -> frozenset[tuple[str, str, str]]:
    return frozenset(zip(word_list, word_list[1:], word_list[2:]))


def resemblance(first: frozenset, second: frozenset) -> float:
    """The share of all shingles of the two texts that both have (Jaccard index), 0 to 1."""
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def comparable(word_list: list[str]) -> bool:
    return len(word_list) >= MIN_WORDS


def is_near(score: float) -> bool:
    return score >= NEAR


def percent_same(score: float) -> int:
    """Rounded down, so that a near-duplicate is never shown as 100 % the same."""
    return min(99, int(score * 100))


def distinctive_words(word_list: list[str], count: int = 4, parts: int = 3) -> list[tuple[str, ...]]:
    """A few long words from each part of a text (its start, middle and end): full-text probes for letters that
    share this text. Each probe's words must all be in a letter for it to be found, and a near-duplicate
    differs in a few places at most, so at least one part's probe is left intact."""
    probes = []
    size = max(1, -(-len(word_list) // parts))
    for start in range(0, len(word_list), size):
        part = [w for w in dict.fromkeys(word_list[start:start + size]) if len(w) >= 5 and not w.isdigit()]
        chosen = sorted(part, key=lambda w: (-len(w), w))[:count]
        if len(chosen) >= 2:
            probes.append(tuple(chosen))
    return probes
