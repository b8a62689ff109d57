"""Outlook .msg files → the same header lines and body text read.py makes of an .eml.

An Outlook message is an OLE compound file (olefile reads it; BSD licence) whose MAPI properties are streams
named `__substg1.0_<id><type>`, with the fixed-size ones (dates, recipient kinds) packed in
`__properties_version1.0`. Recipients and attachments are sub-storages; an attached message is a storage of
its own, read the same way one level deeper. The body is the plain-text one, else the HTML one stripped to
text, else the compressed rich-text one (rtf.py).

Bounded like every reader: the number of parts of the compound file (budget.max_zip_members, the cap on the
parts of any container), the number of attachments (budget.max_mime_parts), how deep attached messages nest
(budget.max_mime_depth), the declared size of each part (never more than the file itself) and the characters
read in total (budget.max_characters).
"""
from __future__ import annotations

import email.utils
import io
import re
import struct
from datetime import datetime, timedelta, timezone

from tracker.intake import read, rtf
from tracker.validation import InvalidInput

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# MAPI property ids (MS-OXPROPS) and types (MS-OXCDATA).
SUBJECT, CLIENT_SUBMIT_TIME, MESSAGE_DELIVERY_TIME, TRANSPORT_HEADERS = 0x0037, 0x0039, 0x0E06, 0x007D
SENDER_NAME, SENDER_EMAIL, SENDER_SMTP = 0x0C1A, 0x0C1F, 0x5D01
REPRESENTING_NAME, REPRESENTING_EMAIL = 0x0042, 0x0065
DISPLAY_TO, DISPLAY_CC = 0x0E04, 0x0E03
BODY, BODY_HTML, RTF_COMPRESSED, INTERNET_CODEPAGE, MESSAGE_CODEPAGE = 0x1000, 0x1013, 0x1009, 0x3FDE, 0x3FFD
RECIPIENT_TYPE, RECIPIENT_NAME, RECIPIENT_EMAIL, RECIPIENT_SMTP = 0x0C15, 0x3001, 0x3003, 0x39FE
ATTACH_DATA, ATTACH_FILENAME, ATTACH_LONG_FILENAME = 0x3701, 0x3704, 0x3707
UNICODE, STRING8, BINARY, OBJECT, SYSTIME, LONG = 0x001F, 0x001E, 0x0102, 0x000D, 0x0040, 0x0003

PROPERTIES = "__properties_version1.0"
RECIPIENT_PREFIX, ATTACHMENT_PREFIX = "__recip_version1.0_#", "__attach_version1.0_#"
# The fixed part before the property entries: 32 bytes for the message itself, 24 for an attached message,
# 8 for a recipient or an attachment (MS-OXMSG 2.4).
TOP_HEADER, EMBEDDED_HEADER, CHILD_HEADER = 32, 24, 8
# The attachments read as text; anything else (images, spreadsheets) is named, not read.
READABLE_ATTACHMENTS = ("pdf", "docx", "txt", "eml", "html")


def is_outlook_message(data: bytes) -> bool:
    """An OLE compound file holding MAPI property streams (not a .doc, .xls or .ppt, which are OLE too)."""
    return outlook_parts(data) is not None


def outlook_parts(data: bytes) -> list[str] | None:
    """The top-level entry names of an OLE compound file that is an Outlook message; None otherwise."""
    if not data.startswith(OLE_MAGIC):
        return None
    names = ole_top_names(data)
    if names is None:
        return None
    return names if any(n == PROPERTIES or n.startswith("__substg1.0_") for n in names) else None


def ole_top_names(data: bytes) -> list[str] | None:
    """The names at the root of an OLE compound file, or None when it cannot be opened."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return [entry.name for entry in ole.root.kids]
    except Exception:  # noqa: BLE001 — a damaged compound file is simply not recognised here
        return None


def msg_text(data: bytes, name: str, budget: read.Budget) -> str:
    """Header lines the extractor reads (From, To, Cc, Date, Subject), a blank line, the body, then the text of
    attachments that are documents intake reads."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except RecursionError:
        raise
    except Exception as error:  # noqa: BLE001 — olefile raises OSError and others for damaged files
        raise InvalidInput(f"{name} starts like an Outlook message (.msg) but cannot be read ({str(error)[:120]}). "
                           "It may be damaged: save it again from Outlook, or save it as .eml.", "file") from None
    with ole:
        parts = sum(1 for entry in ole.direntries if entry is not None)
        if parts > budget.max_zip_members:
            raise read.OverBudget(f"{name} holds {parts:,} parts; an Outlook message intake reads holds at most "
                                  f"{budget.max_zip_members:,}.")
        reader = _MessageReader(ole, data, name, budget)
        try:
            return reader.message("", TOP_HEADER, depth=1)
        except InvalidInput:
            raise
        except (OSError, ValueError, struct.error, UnicodeDecodeError, IndexError, KeyError) as error:
            raise InvalidInput(f"{name} is an Outlook message (.msg) that cannot be read ({str(error)[:120]}). "
                               "It may be damaged: save it again from Outlook, or save it as .eml.", "file") from None


class _MessageReader:
    def __init__(self, ole, data: bytes, name: str, budget: read.Budget):
        self.ole, self.size, self.name, self.budget = ole, len(data), name, budget
        self.characters = 0
        self.attachments = 0

    # ------------------------------------------------------------------ one message (top or attached)

    def message(self, path: str, header: int, depth: int) -> str:
        if depth > self.budget.max_mime_depth:
            raise read.OverBudget(f"{self.name} holds messages attached {depth - 1} deep; intake reads attached "
                                  f"messages at most {self.budget.max_mime_depth - 1} deep.")
        fixed = self.fixed(path, header)
        codepage = self.codepage(fixed)
        lines = []
        sender = self.address(self.string(path, SENDER_NAME, codepage) or self.string(path, REPRESENTING_NAME, codepage),
                              self.string(path, SENDER_SMTP, codepage) or self.string(path, SENDER_EMAIL, codepage)
                              or self.string(path, REPRESENTING_EMAIL, codepage))
        if sender:
            lines.append(f"From: {sender}")
        to, cc = self.recipients(path, codepage)
        to = to or self.string(path, DISPLAY_TO, codepage)
        cc = cc or self.string(path, DISPLAY_CC, codepage)
        for key, value in (("To", to), ("Cc", cc)):
            if value:
                lines.append(f"{key}: {' '.join(value.split())}")
        sent = _filetime(fixed.get(CLIENT_SUBMIT_TIME)) or _filetime(fixed.get(MESSAGE_DELIVERY_TIME))
        date_line = email.utils.format_datetime(sent) if sent else self.header_date(path, codepage)
        if date_line:
            lines.append(f"Date: {date_line}")
        subject = self.string(path, SUBJECT, codepage)
        if subject:
            lines.append(f"Subject: {' '.join(subject.split())}")
        text = "\n".join(lines) + "\n\n" + self.body(path, codepage, fixed)
        self.count(len(text))
        return text + self.attached(path, depth)

    def body(self, path: str, codepage: str, fixed: dict) -> str:
        plain = self.string(path, BODY, codepage)
        if plain and plain.strip():
            return plain
        markup = self.raw(path, BODY_HTML, BINARY)
        if markup is None:
            markup_text = self.string(path, BODY_HTML, codepage)
        else:
            internet = fixed.get(INTERNET_CODEPAGE)
            markup_text = _decode(markup, _codepage_name(internet[1]) if internet else _html_charset(markup) or codepage)
        if markup_text:
            return read._strip_html(markup_text)
        return self.rich_text(path)

    def rich_text(self, path: str) -> str:
        """The body kept only as compressed RTF (older Outlook, messages written in rich text)."""
        compressed = self.raw(path, RTF_COMPRESSED, BINARY)
        if compressed is None:
            return ""
        try:
            return rtf.text_of(rtf.decompress(compressed, self.budget.max_inflated_bytes), self.budget.max_characters)
        except rtf.RtfTooLarge as error:
            raise read.OverBudget(f"{self.name}: {error}; intake unpacks at most "
                                  f"{read.size_label(self.budget.max_inflated_bytes)}.") from None
        except ValueError as error:
            raise InvalidInput(f"{self.name} is an Outlook message whose body cannot be read ({error}). Save it "
                               "again from Outlook (as .msg or .eml) and upload that.", "file") from None

    def recipients(self, path: str, codepage: str) -> tuple[str, str]:
        """'Name <address>, …' of the To and Cc recipients (Bcc is left out, as an .eml's headers do)."""
        kinds: dict[int, list[str]] = {1: [], 2: []}
        for storage in self.children(path, RECIPIENT_PREFIX):
            fixed = self.fixed(storage, CHILD_HEADER)
            kind = fixed.get(RECIPIENT_TYPE)
            kind_number = struct.unpack_from("<I", kind[1])[0] & 0x0FFFFFFF if kind else 1
            who = self.address(self.string(storage, RECIPIENT_NAME, codepage),
                               self.string(storage, RECIPIENT_SMTP, codepage)
                               or self.string(storage, RECIPIENT_EMAIL, codepage))
            if who and kind_number in kinds:
                kinds[kind_number].append(who)
        return ", ".join(kinds[1]), ", ".join(kinds[2])

    def attached(self, path: str, depth: int) -> str:
        texts = []
        for storage in self.children(path, ATTACHMENT_PREFIX):
            self.attachments += 1
            if self.attachments > self.budget.max_mime_parts:
                raise read.OverBudget(f"{self.name} has more than {self.budget.max_mime_parts:,} attachments; intake "
                                      f"reads messages of at most {self.budget.max_mime_parts:,}.")
            codepage = self.codepage(self.fixed(storage, CHILD_HEADER))
            filename = read.display_name(self.string(storage, ATTACH_LONG_FILENAME, codepage)
                                         or self.string(storage, ATTACH_FILENAME, codepage) or "attachment")
            embedded = f"{storage}__substg1.0_{ATTACH_DATA:04X}{OBJECT:04X}/"
            if self.ole.exists(embedded.rstrip("/")) and self.ole.get_type(embedded.rstrip("/")) == 1:
                texts.append(f"\n\n--- Attached message: {filename} ---\n\n"
                             + self.message(embedded, EMBEDDED_HEADER, depth + 1))
                continue
            content = self.raw(storage, ATTACH_DATA, BINARY)
            if content is None:
                continue
            texts.append(self.attachment_text(content, filename))
        return "".join(texts)

    def attachment_text(self, content: bytes, filename: str) -> str:
        kind = read.sniff(content) if content.strip() else None
        if kind not in READABLE_ATTACHMENTS:
            what = read.describe_unsupported(content, filename) or "not a document intake reads"
            return f"\n\n--- Attachment {filename}: not read ({what}) ---"
        reader = {"pdf": read.pdf_text, "docx": read.docx_text, "eml": read.eml_text, "html": read.html_text,
                  "txt": read.plain_text}[kind]
        try:
            text = read.normalise(reader(content, filename, self.budget))
        except read.OverBudget:
            raise
        except InvalidInput as error:
            # One damaged attachment does not stop the message from being read; the review says what happened.
            return f"\n\n--- Attachment {filename}: not read ({error}) ---"
        self.count(len(text))
        return f"\n\n--- Attachment: {filename} ---\n\n{text}"

    # ------------------------------------------------------------------ properties

    def children(self, path: str, prefix: str) -> list[str]:
        storage = self.ole.root if not path else self.ole.direntries[self.ole._find(path.rstrip("/"))]
        return [f"{path}{kid.name}/" for kid in sorted(storage.kids, key=lambda k: k.name)
                if kid.name.startswith(prefix) and kid.entry_type == 1]

    def raw(self, path: str, prop: int, kind: int) -> bytes | None:
        return self._stream(f"{path}__substg1.0_{prop:04X}{kind:04X}")

    def _stream(self, stream: str) -> bytes | None:
        """A stream's bytes, None when there is none; refused when it declares more than the file holds."""
        if not self.ole.exists(stream) or self.ole.get_type(stream) != 2:
            return None
        declared = self.ole.get_size(stream)
        if declared > self.size:
            raise self.damaged(declared)
        with self.ole.openstream(stream) as handle:
            content = handle.read(declared)
        if len(content) < declared:  # the file ends before the part does: cut short
            raise self.damaged(declared)
        return content

    def damaged(self, declared: int) -> InvalidInput:
        return InvalidInput(f"{self.name} declares a part of {declared:,} bytes in a file of {self.size:,}: it is "
                            "damaged or cut short. Save it again from Outlook (as .msg or .eml) and upload that.",
                            "file")

    def string(self, path: str, prop: int, codepage: str) -> str | None:
        data = self.raw(path, prop, UNICODE)
        if data is not None:
            text = data.decode("utf-16-le", errors="replace")
        else:
            data = self.raw(path, prop, STRING8)
            if data is None:
                return None
            text = _decode(data, codepage)
        text = text.split("\x00", 1)[0]
        self.count(len(text))
        return text.strip() or None

    def fixed(self, path: str, header: int) -> dict[int, tuple[int, bytes]]:
        """{property id: (type, 8 value bytes)} from the fixed-size entries of a properties stream."""
        data = self._properties(path)
        entries: dict[int, tuple[int, bytes]] = {}
        for offset in range(header, len(data) - 15, 16):
            tag, _flags = struct.unpack_from("<II", data, offset)
            entries.setdefault(tag >> 16, (tag & 0xFFFF, data[offset + 8:offset + 16]))
        return entries

    def _properties(self, path: str) -> bytes:
        return self._stream(f"{path}{PROPERTIES}") or b""

    def codepage(self, fixed: dict) -> str:
        entry = fixed.get(MESSAGE_CODEPAGE) or fixed.get(INTERNET_CODEPAGE)
        return _codepage_name(entry[1]) if entry else "cp1252"

    def header_date(self, path: str, codepage: str) -> str | None:
        headers = self.string(path, TRANSPORT_HEADERS, codepage) or ""
        found = re.search(r"^Date:[ \t]*(.+)$", headers, re.M | re.I)
        return found.group(1).strip() if found else None

    @staticmethod
    def address(name: str | None, address: str | None) -> str:
        if address and address.lower().startswith("/o="):
            address = None  # an Exchange-internal address means nothing outside the organisation
        if name and address and name.strip().lower() != address.strip().lower():
            return f"{name} <{address}>"
        return name or address or ""

    def count(self, characters: int) -> None:
        self.characters += characters
        read.check_characters(self.characters, self.name, self.budget)


def _filetime(entry: tuple[int, bytes] | None) -> datetime | None:
    """A MAPI PT_SYSTIME (100-nanosecond ticks since 1601) as aware UTC; None when absent or absurd."""
    if entry is None or entry[0] != SYSTIME:
        return None
    ticks = struct.unpack("<Q", entry[1])[0]
    if not ticks:
        return None
    try:
        return datetime(1601, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None


def _codepage_name(value: bytes) -> str:
    number = struct.unpack_from("<I", value)[0]
    if number in (1200, 1201):
        return "utf-16-le" if number == 1200 else "utf-16-be"
    if number == 65001:
        return "utf-8"
    if number == 20127:
        return "ascii"
    if number in (28591, 28592, 28605):
        return {28591: "latin-1", 28592: "iso8859-2", 28605: "iso8859-15"}[number]
    return f"cp{number}"


def _html_charset(markup: bytes) -> str | None:
    found = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", markup[:2048])
    return found.group(1).decode("ascii") if found else None


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:  # a code page Python does not know
        return data.decode("cp1252", errors="replace")
