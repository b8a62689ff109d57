"""The body of an Outlook message stored only as compressed RTF (PR_RTF_COMPRESSED): decompressed (MS-OXRTFCP)
and reduced to its text. Older Outlook versions, and messages written in rich text, keep no plain body.

Only what a letter's text needs: paragraphs, tabs, escaped characters (\\'hh in the document's code page, \\uN)
and, for a message Outlook converted from HTML (\\fromhtml1), the visible text without the HTML tags it keeps
in \\*\\htmltag groups or the RTF-only copies between \\htmlrtf and \\htmlrtf0. Tables of fonts, colours, styles
and embedded pictures are skipped.
"""
from __future__ import annotations

import re
import struct

COMPRESSED, UNCOMPRESSED = 0x75465A4C, 0x414C454D  # "LZFu", "MELA"
_PREBUFFER = (b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
              b"\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
              b"\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx")


class RtfTooLarge(ValueError):
    def __init__(self, declared: int):
        super().__init__(f"its rich-text body would unpack to {declared:,} bytes")
        self.declared = declared


def decompress(data: bytes, max_bytes: int) -> bytes:
    """The RTF of a PR_RTF_COMPRESSED stream; refuses one that declares or grows past max_bytes."""
    if len(data) < 16:
        raise ValueError("the rich-text body is cut short")
    _size, raw_size, kind, _crc = struct.unpack_from("<IIII", data)
    if raw_size > max_bytes:
        raise RtfTooLarge(raw_size)
    if kind == UNCOMPRESSED:
        return data[16:16 + raw_size]
    if kind != COMPRESSED:
        raise ValueError("the rich-text body is in an unknown compression")
    dictionary = bytearray(4096)
    dictionary[:len(_PREBUFFER)] = _PREBUFFER
    write = len(_PREBUFFER)
    out = bytearray()
    position = 16
    while position < len(data):
        control = data[position]
        position += 1
        for bit in range(8):
            if position >= len(data):
                return bytes(out)
            if not control & (1 << bit):
                byte = data[position]
                position += 1
                out.append(byte)
                dictionary[write] = byte
                write = (write + 1) % 4096
                continue
            if position + 1 >= len(data):
                return bytes(out)
            word = (data[position] << 8) | data[position + 1]
            position += 2
            offset, length = word >> 4, (word & 0xF) + 2
            if offset == write:
                return bytes(out)
            for step in range(length):
                byte = dictionary[(offset + step) % 4096]
                out.append(byte)
                dictionary[write] = byte
                write = (write + 1) % 4096
            if len(out) > max_bytes:
                raise RtfTooLarge(len(out))
    return bytes(out)


_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_SKIPPED = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header", b"footer", b"headerl",
            b"headerr", b"footerl", b"footerr", b"listtable", b"listoverridetable", b"rsidtbl", b"generator",
            b"xmlnstbl", b"themedata", b"colorschememapping", b"latentstyles", b"datastore", b"filetbl",
            b"revtbl", b"pntext", b"pntxta", b"pntxtb", b"fldinst"}
_BREAKS = {b"par": "\n", b"line": "\n", b"tab": "\t", b"sect": "\n\n", b"page": "\n\n", b"row": "\n", b"cell": "\t",
           b"lquote": "‘", b"rquote": "’", b"ldblquote": "“", b"rdblquote": "”", b"endash": "–", b"emdash": "—",
           b"bullet": "•"}


def text_of(rtf: bytes, max_characters: int) -> str:
    """The visible text of an RTF document, stopping at max_characters."""
    encoding = "cp1252"
    found = re.search(rb"\\ansicpg(\d{1,5})", rtf[:4096])
    if found:
        encoding = f"cp{int(found.group(1))}"
    skip, htmlrtf, uc = False, False, 1
    stack: list[tuple[bool, bool, int]] = []
    parts: list[str] = []
    characters, pending_skip, group_start = 0, 0, False
    for match in _TOKEN.finditer(rtf):
        word, parameter, hexa, symbol, brace, run = match.groups()
        if brace == b"{":
            stack.append((skip, htmlrtf, uc))
            group_start = True
            continue
        if brace == b"}":
            if stack:
                skip, htmlrtf, uc = stack.pop()
            group_start = False
            continue
        starting, group_start = group_start, False
        if symbol == b"*" and starting:
            skip = True
            continue
        if word is not None:
            if starting and word in _SKIPPED:
                skip = True
            elif word == b"htmlrtf":
                htmlrtf = parameter != b"0"
            elif word == b"uc" and parameter:
                uc = int(parameter)
            elif word == b"u" and parameter and not (skip or htmlrtf):
                parts.append(chr(int(parameter) % 65536))
                pending_skip = uc
            elif word in _BREAKS and not (skip or htmlrtf):
                parts.append(_BREAKS[word])
            continue
        if skip or htmlrtf:
            continue
        if hexa is not None:
            if pending_skip:
                pending_skip -= 1
                continue
            parts.append(bytes([int(hexa, 16)]).decode(encoding, errors="replace"))
        elif symbol is not None:
            if symbol in b"\\{}":
                parts.append(symbol.decode("latin-1"))
            elif symbol == b"~":
                parts.append("\u00a0")
        elif run is not None:
            text = run.decode(encoding, errors="replace")
            if pending_skip:
                text, pending_skip = text[pending_skip:], max(0, pending_skip - len(text))
            parts.append(text)
        else:
            continue
        characters += len(parts[-1])
        if characters > max_characters:
            break
    return "".join(parts)
