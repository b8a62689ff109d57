"""Bytes and a file name → plain text. The format is sniffed from the content; the name is only a hint.

PDF (pypdf), Word .docx (python-docx), email (.eml, stdlib email: text/plain preferred, else the HTML
stripped; Outlook .msg, see outlook.py), HTML (stripped to text) and plain text (UTF-8, UTF-16 with a BOM, else detected, else
Windows-1252). Every refusal is an InvalidInput on the "file" field with a message a person can act on.

Reading is bounded (Budget, from config/default.toml): a .docx is refused from its zip directory before
python-docx inflates anything when its members would inflate too far; PDF pages, MIME parts and nesting, and
the characters of the text are capped while reading. read_document_bounded also reads in a child process with
an address-space and CPU limit and a wall-clock timeout, so a file that gets past every cap still cannot take
the web worker down with it.
"""
from __future__ import annotations

import hashlib
import html
import io
import math
import re
import resource
import signal
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

from tracker.validation import InvalidInput

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

FORMATS = ("pdf", "docx", "eml", "msg", "html", "txt")
CONTENT_TYPES = {"pdf": "application/pdf", "eml": "message/rfc822", "html": "text/html", "txt": "text/plain",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "msg": "application/vnd.ms-outlook"}
NAMES = {"pdf": "a PDF", "docx": "a Word (.docx) document", "eml": "an email (.eml)",
         "msg": "an Outlook message (.msg)", "html": "an HTML page", "txt": "a text file"}
EXPECTED_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".eml": "eml", ".msg": "msg", ".html": "html", ".htm": "html",
                      ".txt": "txt", ".text": "txt"}

# What intake reads, said once: the refusal of anything else, the upload form's hint and the CLI's help use these.
SUPPORTED = "PDF, Word (.docx), email (.eml, .msg), web pages (.html) and plain text"
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".eml", ".msg", ".html", ".txt")

# Files people try that intake does not read, by name; what is in them is recognised by content first.
SPREADSHEET, PRESENTATION, OLD_WORD, RICH_TEXT, OPEN_TEXT, IMAGE, ARCHIVE, OLD_OFFICE = (
    "a spreadsheet", "a presentation", "an old Word (.doc) document", "a rich-text (.rtf) document",
    "an OpenDocument text (.odt)", "an image", "an archive of other files", "an older Microsoft Office file")
DAMAGED_OLE = "an Outlook or Office file that cannot be opened"
UNSUPPORTED_BY_SUFFIX = {
    ".xlsx": SPREADSHEET, ".xlsm": SPREADSHEET, ".xls": SPREADSHEET, ".ods": SPREADSHEET, ".numbers": SPREADSHEET,
    ".pptx": PRESENTATION, ".ppt": PRESENTATION, ".odp": PRESENTATION, ".key": PRESENTATION, ".doc": OLD_WORD,
    ".rtf": RICH_TEXT, ".odt": OPEN_TEXT, ".png": IMAGE, ".jpg": IMAGE, ".jpeg": IMAGE, ".gif": IMAGE,
    ".tif": IMAGE, ".tiff": IMAGE, ".bmp": IMAGE, ".heic": IMAGE, ".webp": IMAGE, ".zip": ARCHIVE, ".7z": ARCHIVE,
    ".rar": ARCHIVE, ".gz": ARCHIVE, ".tar": ARCHIVE}
# What to do instead, for the kinds where there is something better to say than the list of what is read.
ADVICE = {OLD_WORD: " Save it as .docx or PDF and upload that.", RICH_TEXT: " Save it as .docx or PDF and upload that.",
          OPEN_TEXT: " Save it as .docx or PDF and upload that.",
          IMAGE: " If it is a scanned letter, run it through OCR and upload the PDF with its text.",
          ARCHIVE: " Unpack it and upload the documents one by one.",
          OLD_OFFICE: " Save it as .docx or PDF and upload that.",
          DAMAGED_OLE: " It may be cut short or damaged: save it again (a message from Outlook as .msg or .eml, "
                       "a document as .docx or PDF) and upload that."}


@dataclass(frozen=True)
class Budget:
    """How much reading one document may take; see the INTAKE_* keys in config/default.toml."""
    max_characters: int = 1_000_000
    max_inflated_bytes: int = 64 * 1048576
    max_zip_members: int = 1000
    max_compression_ratio: int = 100
    max_pdf_pages: int = 500
    max_mime_parts: int = 200
    max_mime_depth: int = 10
    seconds: int = 20
    memory_bytes: int = 1024 * 1048576

    @classmethod
    def from_config(cls, config) -> "Budget":
        return cls(max_characters=int(config["INTAKE_MAX_CHARACTERS"]),
                   max_inflated_bytes=int(config["INTAKE_MAX_INFLATED_BYTES"]),
                   max_zip_members=int(config["INTAKE_MAX_ZIP_MEMBERS"]),
                   max_compression_ratio=int(config["INTAKE_MAX_COMPRESSION_RATIO"]),
                   max_pdf_pages=int(config["INTAKE_MAX_PDF_PAGES"]),
                   max_mime_parts=int(config["INTAKE_MAX_MIME_PARTS"]),
                   max_mime_depth=int(config["INTAKE_MAX_MIME_DEPTH"]),
                   seconds=int(config["INTAKE_PARSE_SECONDS"]),
                   memory_bytes=int(config["INTAKE_PARSE_MEMORY_MB"]) * 1048576)


class OverBudget(InvalidInput):
    """Reading stopped at a limit; peak_memory is the reading process's peak resident size, in bytes."""

    def __init__(self, message: str, field: str | None = "file", peak_memory: int = 0):
        super().__init__(message, field)
        self.peak_memory = peak_memory


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


def read_document(data: bytes, filename: str, max_bytes: int | None = None, budget: Budget | None = None) -> Document:
    """The text of an uploaded or pasted document; refuses empty, oversized, encrypted and unknown binary input,
    and anything that would take more than the budget's caps to read."""
    budget = budget or Budget()
    name = display_name(filename)
    if not data or not data.strip():
        raise InvalidInput(f"{name} is empty: there is nothing to read.", "file")
    if max_bytes is not None and len(data) > max_bytes:
        raise InvalidInput(f"{name} is {size_label(len(data))}; the limit is {size_label(max_bytes)}.", "file")
    kind = sniff(data)
    if kind is None:
        raise InvalidInput(unsupported_message(data, name), "file")
    reader = {"pdf": pdf_text, "docx": docx_text, "eml": eml_text, "msg": _msg_text, "html": html_text,
              "txt": plain_text}[kind]
    text = normalise(reader(data, name, budget))
    check_characters(len(text), name, budget)
    if not text.strip():
        raise InvalidInput(f"{name} holds no text intake can read"
                           + (" (a scanned PDF has only images: run it through OCR first)." if kind == "pdf" else "."),
                           "file")
    return Document(text=text, format=kind, filename=name, content_type=CONTENT_TYPES[kind],
                    sha256=content_hash(data), size=len(data))


def unsupported_message(data: bytes, name: str) -> str:
    """Why a file is not read, naming what it is (by content, else by name) and what intake reads instead."""
    what = describe_unsupported(data, name)
    expected = EXPECTED_BY_SUFFIX.get(PurePath(name).suffix.lower())
    if what:
        said = f", not {NAMES[expected]} as its name says" if expected else ""
        return f"{name} is {what}{said}; intake reads {SUPPORTED}.{ADVICE.get(what, '')}"
    said = f"its name says it is {NAMES[expected]}, but " if expected else ""
    return f"{name} cannot be read: {said}its content is binary data of no format intake reads; intake reads {SUPPORTED}."


def describe_unsupported(data: bytes, name: str) -> str | None:
    """What kind of file this is when intake does not read it ("a spreadsheet"): from the content's magic bytes
    and parts, else from the name; None when neither says."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                opendocument = archive.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            names, opendocument = [], b""
        if opendocument:
            for marker, what in ((b"spreadsheet", SPREADSHEET), (b"presentation", PRESENTATION),
                                 (b"text", OPEN_TEXT)):
                if marker in opendocument:
                    return what
        if any(n.startswith("xl/") for n in names):
            return SPREADSHEET
        if any(n.startswith("ppt/") for n in names):
            return PRESENTATION
        return UNSUPPORTED_BY_SUFFIX.get(PurePath(name).suffix.lower(), ARCHIVE if names else None)
    if head.startswith(OLE_MAGIC):
        # outlook.py reads a message's parts with this module's readers: it is imported where a file needs it.
        from tracker.intake.outlook import ole_top_names

        names = ole_top_names(data)
        if names is None:
            return DAMAGED_OLE
        parts = set(names)
        if "WordDocument" in parts:
            return OLD_WORD
        if parts & {"Workbook", "Book"}:
            return SPREADSHEET
        if "PowerPoint Document" in parts:
            return PRESENTATION
        return UNSUPPORTED_BY_SUFFIX.get(PurePath(name).suffix.lower(), OLD_OFFICE)
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")) \
            or (head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00") \
            or head[4:12] in (b"ftypheic", b"ftypheix") or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return IMAGE
    if head.startswith(b"{\\rtf"):
        return RICH_TEXT
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x1f\x8b")):
        return ARCHIVE
    return UNSUPPORTED_BY_SUFFIX.get(PurePath(name).suffix.lower())


def display_name(filename: str | None) -> str:
    """The last part of an uploaded file's name, without control characters; 'pasted.txt' when there is none."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", PurePath(filename or "").name)[:200]
    return name or "pasted.txt"


def check_characters(count: int, name: str, budget: Budget) -> None:
    """Pasted text and the text read from a file share one limit (INTAKE_MAX_CHARACTERS)."""
    if count > budget.max_characters:
        raise OverBudget(f"{name} holds {count:,} characters of text; intake reads at most "
                         f"{budget.max_characters:,} (about {budget.max_characters // 3000:,} pages). Split it into "
                         "parts and take in each one.")


def read_document_bounded(data: bytes, filename: str, max_bytes: int | None, budget: Budget) -> Document:
    """read_document in a child process limited to budget.memory_bytes of address space and budget.seconds of CPU
    and wall-clock time. Whatever happens in the child, this process only receives a Document or a refusal."""
    if sniff(data) == "txt":
        # Plain text is only decoded and tidied, in time linear in its (already capped) size: no parser runs
        # that a crafted file could drive, so it is read here rather than paying for a process.
        return read_document(data, filename, max_bytes, budget)
    name = display_name(filename)
    context = _child_context()
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(sending, data, filename, max_bytes, budget), daemon=True)
    child.start()
    sending.close()
    outcome, timed_out = None, False
    try:
        timed_out = not receiving.poll(budget.seconds)
        if not timed_out:
            outcome = receiving.recv()
    except (EOFError, OSError):
        outcome = None  # the child died before answering: a limit ended it
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiving.close()
    if outcome is None:
        if timed_out or child.exitcode == -signal.SIGXCPU:
            raise OverBudget(f"{name} took longer than {budget.seconds} s to read, the limit for one document. "
                             "Save it again as plain text or PDF, or split it, and upload that.")
        raise OverBudget(f"{name} needed more than {budget.memory_bytes // 1048576} MB to read, the limit for one "
                         "document. Save it again as plain text or PDF, or split it, and upload that.")
    kind, value, peak_memory = outcome
    if kind == "read":
        return value
    if kind == "refused":
        message, field = value
        raise OverBudget(message, field, peak_memory)
    if kind == "memory":
        raise OverBudget(f"{name} needed more than {budget.memory_bytes // 1048576} MB to read, the limit for one "
                         "document. Save it again as plain text or PDF, or split it, and upload that.",
                         peak_memory=peak_memory)
    raise OverBudget(f"{name} cannot be read ({value}). It may be damaged.", peak_memory=peak_memory)


_context = None


def _child_context():
    """A forkserver: children are forked from a small single-threaded process that has imported the readers,
    not from the web worker (its threads, sockets and database connections stay out of the child)."""
    # multiprocessing (with email's parsers below, about 0.6 MB) loads with the first document read: this module is
    # imported by every web worker (search indexes attachments), most of which never read one.
    import multiprocessing

    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["tracker.intake.read", "tracker.intake.outlook", "olefile", "pypdf", "docx"])
        _context = context
    return _context


def _read_in_child(connection, data: bytes, filename: str, max_bytes: int | None, budget: Budget) -> None:
    memory = budget.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = math.ceil(budget.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        outcome = ("read", read_document(data, filename, max_bytes, budget), peak_resident_bytes())
    except InvalidInput as error:
        outcome = ("refused", (str(error), error.field), peak_resident_bytes())
        if not isinstance(error, OverBudget) and _near_memory_limit(budget):
            # Parsers report running out of memory as damage ("unknown error"): say what really happened.
            outcome = ("memory", None, peak_resident_bytes())
    except MemoryError:
        outcome = ("memory", None, peak_resident_bytes())
    except RecursionError:
        outcome = ("refused", (f"{display_name(filename)} is nested too deeply to read.", "file"),
                   peak_resident_bytes())
    except Exception as error:  # noqa: BLE001 — a parser's own failure is reported, the child then ends
        outcome = ("memory", None, peak_resident_bytes()) if _near_memory_limit(budget) else (
            "failed", f"{type(error).__name__}: {str(error)[:200]}", peak_resident_bytes())
    connection.send(outcome)
    connection.close()


def _near_memory_limit(budget: Budget) -> bool:
    return peak_resident_bytes() > 0.8 * budget.memory_bytes


def peak_resident_bytes() -> int:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def size_label(count: int) -> str:
    return f"{count / 1048576:.1f} MB" if count >= 1048576 else f"{max(1, count // 1024)} KB"


def sniff(data: bytes) -> str | None:
    """The format of the content, whatever the name says; None for binary data we do not read."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(OLE_MAGIC):
        from tracker.intake.outlook import is_outlook_message

        return "msg" if is_outlook_message(data) else None
    if describe_unsupported(head, "") in (IMAGE, ARCHIVE):
        return None  # by their magic bytes, even when the first bytes happen to look like text
    if head.startswith(b"{\\rtf"):
        return None  # rich text is text, but its markup would be read as the letter: refused with advice
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


def plain_text(data: bytes, name: str, budget: Budget) -> str:
    text = _decode(data)
    if text is None:
        raise InvalidInput(f"{name} is not text.", "file")
    check_characters(len(text), name, budget)
    return text


def pdf_text(data: bytes, name: str, budget: Budget) -> str:
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
        pages = _declared_pages(reader)
        if pages <= budget.max_pdf_pages:
            pages = len(reader.pages)  # walks the whole page tree: only once the declared count is reasonable
        if pages > budget.max_pdf_pages:
            raise OverBudget(f"{name} has {pages:,} pages; intake reads at most {budget.max_pdf_pages:,}. Take in "
                             "the part that matters (print those pages to PDF).")
        texts, characters = [], 0
        for number, page in enumerate(reader.pages, start=1):
            if number > budget.max_pdf_pages:  # a page tree may hold more pages than its /Count says
                raise OverBudget(f"{name} has more than {budget.max_pdf_pages:,} pages; intake reads at most "
                                 f"{budget.max_pdf_pages:,}. Take in the part that matters (print those pages to PDF).")
            texts.append(page.extract_text() or "")
            characters += len(texts[-1])
            check_characters(characters, name, budget)
        return "\n\n".join(texts)
    except InvalidInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise InvalidInput(f"{name} starts like a PDF but cannot be read ({error}). It may be damaged.", "file") from None


def _declared_pages(reader) -> int:
    """The page count the PDF's page tree declares (0 when it declares none), read without walking the tree."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except Exception:  # noqa: BLE001 — a damaged tree is walked (and capped) by len(reader.pages)
        return 0


def docx_text(data: bytes, name: str, budget: Budget) -> str:
    import docx

    check_zip(data, name, budget)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 — python-docx raises many kinds for a damaged file
        raise InvalidInput(f"{name} is not a Word document intake can open ({error}).", "file") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def check_zip(data: bytes, name: str, budget: Budget) -> None:
    """Refuse a zip bomb from the zip's directory, before anything is inflated. The declared sizes can be
    trusted this far: zipfile stops inflating a member at its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InvalidInput(f"{name} is not a Word document intake can open ({error}).", "file") from None
    if len(members) > budget.max_zip_members:
        raise OverBudget(f"{name} holds {len(members):,} parts; a Word document intake reads holds at most "
                         f"{budget.max_zip_members:,}.")
    inflated = sum(member.file_size for member in members)
    if inflated > budget.max_inflated_bytes:
        raise OverBudget(f"{name} would unpack to {size_label(inflated)}; intake unpacks at most "
                         f"{size_label(budget.max_inflated_bytes)}. It may be a \"zip bomb\"; if it is a real "
                         "document, save it as PDF and upload that.")
    for member in members:
        # Small members may compress very well (empty styles); only large ones can do harm.
        if member.file_size > 1048576 and member.file_size > budget.max_compression_ratio * max(1, member.compress_size):
            raise OverBudget(f"{name} holds a part ({member.filename[:80]}) compressed "
                             f"{member.file_size // max(1, member.compress_size):,} to 1; intake refuses more than "
                             f"{budget.max_compression_ratio} to 1 (a \"zip bomb\"). If it is a real document, "
                             "save it as PDF and upload that.")


def _msg_text(data: bytes, name: str, budget: Budget) -> str:
    from tracker.intake.outlook import msg_text

    return msg_text(data, name, budget)


def eml_text(data: bytes, name: str, budget: Budget) -> str:
    """Header lines the extractor reads (From, To, Cc, Date, Subject), a blank line, then the body."""
    # Every part announces its type; counting the announcements bounds parts and nesting before parsing.
    declared = len(re.findall(rb"(?im)^content-type:", data))
    if declared > budget.max_mime_parts:
        raise OverBudget(f"{name} has {declared:,} parts; intake reads emails of at most {budget.max_mime_parts:,}.")
    import email.policy  # see _child_context()

    message = email.message_from_bytes(data, policy=email.policy.default)
    parts, depth = _mime_shape(message)
    if parts > budget.max_mime_parts or depth > budget.max_mime_depth:
        raise OverBudget(f"{name} has {parts:,} parts nested {depth} deep; intake reads emails of at most "
                         f"{budget.max_mime_parts:,} parts nested {budget.max_mime_depth} deep.")
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


def _mime_shape(message) -> tuple[int, int]:
    """(number of parts, deepest nesting) of a parsed message, without recursion."""
    parts, deepest, stack = 0, 0, [(message, 1)]
    while stack:
        part, depth = stack.pop()
        parts, deepest = parts + 1, max(deepest, depth)
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload)
    return parts, deepest


def html_text(data: bytes, name: str, budget: Budget) -> str:
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
