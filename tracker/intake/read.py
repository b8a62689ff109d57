"""Bytes and a file name → plain text. The format is sniffed from the content; the name is only a hint.

PDF (pypdf), Word .docx (python-docx), email (.eml, stdlib email: text/plain preferred, else the HTML
stripped), HTML (stripped to text) and plain text (UTF-8, UTF-16 with a BOM, else detected, else
Windows-1252). Every refusal is an InvalidInput on the "file" field with a message a person can act on.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

from tracker.validation import InvalidInput

FORMATS = ("pdf", "docx", "eml", "html", "txt")
CONTENT_TYPES = {"pdf": "application/pdf", "eml": "message/rfc822", "html": "text/html", "txt": "text/plain",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
NAMES = {"pdf": "a PDF", "docx": "a Word (.docx) document", "eml": "an email (.eml)", "html": "an HTML page",
         "txt": "a text file"}
EXPECTED_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".eml": "eml", ".msg": "eml", ".html": "html", ".htm": "html",
                      ".txt": "txt", ".text": "txt"}


@dataclass(frozen=True)
class Document:
    text: str
    format: str
    filename: str
    content_type: str
    sha256: str
    size: int


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(data: bytes, filename: str, max_bytes: int | None = None) -> Document:
    """The text of an uploaded or pasted document; refuses empty, oversized, encrypted and unknown binary input."""
    name = PurePath(filename or "pasted.txt").name or "pasted.txt"
    if not data or not data.strip():
        raise InvalidInput(f"{name} is empty: there is nothing to read.", "file")
    if max_bytes is not None and len(data) > max_bytes:
        raise InvalidInput(f"{name} is {size_label(len(data))}; the limit is {size_label(max_bytes)}.", "file")
    kind = sniff(data)
    if kind is None:
        expected = EXPECTED_BY_SUFFIX.get(PurePath(name).suffix.lower())
        said = f"its name says it is {NAMES[expected]}, but " if expected else ""
        raise InvalidInput(f"{name} cannot be read: {said}its content is binary data of no format intake reads "
                           "(PDF, .docx, .eml, HTML or text).", "file")
    text = {"pdf": pdf_text, "docx": docx_text, "eml": eml_text, "html": html_text, "txt": plain_text}[kind](data, name)
    text = normalise(text)
    if not text.strip():
        raise InvalidInput(f"{name} holds no text intake can read"
                           + (" (a scanned PDF has only images: run it through OCR first)." if kind == "pdf" else "."),
                           "file")
    return Document(text=text, format=kind, filename=name, content_type=CONTENT_TYPES[kind],
                    sha256=content_hash(data), size=len(data))


def size_label(count: int) -> str:
    return f"{count / 1048576:.1f} MB" if count >= 1048576 else f"{max(1, count // 1024)} KB"


def sniff(data: bytes) -> str | None:
    """The format of the content, whatever the name says; None for binary data we do not read."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    text = _decode(data[:4096], strict=False)
    if text is None:
        return None
    if _looks_like_email(text):
        return "eml"
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("<!doctype html", "<html", "<?xml")) or re.search(r"<(?:body|p|div|br)\b", stripped[:1024]):
        return "html"
    return "txt"


def _looks_like_email(text: str) -> bool:
    header_block = re.split(r"\r?\n\r?\n", text.lstrip(), maxsplit=1)[0]
    keys = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z-]+):", header_block, re.M)}
    return "from" in keys and bool(keys & {"date", "subject", "message-id", "mime-version", "received", "to"}) \
        and bool(re.match(r"^[A-Za-z-]+:", header_block))


def _decode(data: bytes, strict: bool = True) -> str | None:
    """Text from bytes: BOMs, then UTF-8, then detection, then Windows-1252; None when it is binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        return None  # UTF-16 without a BOM is rare in letters; NUL bytes mean binary
    control = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    if control > max(8, len(data) // 100):
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A cut in the middle of a multi-byte character at the end of a sniffing window is not an error.
        if not strict:
            try:
                return data[:-3].decode("utf-8") if len(data) > 3 else None
            except UnicodeDecodeError:
                pass
    try:
        from charset_normalizer import from_bytes  # optional: better guesses for legacy encodings

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except ImportError:
        pass
    return data.decode("cp1252", errors="replace")


def plain_text(data: bytes, name: str) -> str:
    text = _decode(data)
    if text is None:
        raise InvalidInput(f"{name} is not text.", "file")
    return text


def pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many "protected" PDFs open with an empty password
            except Exception:  # noqa: BLE001 — unsupported encryption is the same answer for people
                opened = 0
            if not opened:
                raise InvalidInput(f"{name} is an encrypted PDF: intake cannot read it. Save an unprotected copy "
                                   "(print to PDF without a password) and upload that.", "file")
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except InvalidInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise InvalidInput(f"{name} starts like a PDF but cannot be read ({error}). It may be damaged.", "file") from None


def docx_text(data: bytes, name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 — python-docx raises many kinds for a damaged file
        raise InvalidInput(f"{name} is not a Word document intake can open ({error}).", "file") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def eml_text(data: bytes, name: str) -> str:
    """Header lines the extractor reads (From, To, Cc, Date, Subject), a blank line, then the body."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    lines = []
    for key in ("From", "To", "Cc", "Date", "Subject"):
        value = message.get(key)
        if value:
            lines.append(f"{key}: {' '.join(str(value).split())}")
    body = message.get_body(preferencelist=("plain",))
    if body is not None:
        text = body.get_content()
    else:
        body = message.get_body(preferencelist=("html",))
        text = _strip_html(body.get_content()) if body is not None else ""
    return "\n".join(lines) + "\n\n" + text


def html_text(data: bytes, name: str) -> str:
    text = _decode(data)
    if text is None:
        raise InvalidInput(f"{name} is not an HTML page.", "file")
    return _strip_html(text)


class _TextOfHTML(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre",
              "section", "article", "header", "footer", "address", "hr", "ul", "ol"}
    SKIP = {"script", "style", "head", "title", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("· ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _strip_html(markup: str) -> str:
    parser = _TextOfHTML()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", html.unescape(text))
    return re.sub(r"\n\s*\n\s*(?:\n\s*)+", "\n\n", text)


def normalise(text: str) -> str:
    """One newline convention, no NULs, no trailing spaces at line ends; everything else as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").lstrip("\ufeff")
    return re.sub(r"[ \t]+\n", "\n", text)
