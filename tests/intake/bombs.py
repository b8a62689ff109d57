"""Hostile documents, built in memory: zip bombs dressed as .docx, a PDF of 100,000 pages, deeply nested email."""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/'
                 b'word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 b'document.main+xml"/></Types>')
RELATIONSHIPS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOCUMENT_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                 b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
DOCUMENT_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def _deflated_repeat(head: bytes, chunk: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, inflated size) of head + chunk * times + tail, without deflating it all:
    after a full flush the compressor starts afresh, so the same chunk always deflates to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * times + end, crc, len(head) + len(chunk) * times + len(tail)


def zip_archive(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already-deflated members: (name, deflated bytes, crc32, inflated size)."""
    body, directory = b"", b""
    for name, deflated, crc, size in members:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), size,
                            len(encoded), 0) + encoded + deflated
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(deflated), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    return body + directory + end


def _member(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


@lru_cache(maxsize=2)
def docx_zip_bomb(megabytes: int = 3000) -> bytes:
    """About 2.9 MB that unpacks to about 3 GB of document.xml (one run of text)."""
    deflated, crc, size = _deflated_repeat(DOCUMENT_HEAD, b"A" * 1048576, megabytes, DOCUMENT_TAIL)
    return zip_archive([_member("[Content_Types].xml", CONTENT_TYPES), _member("_rels/.rels", RELATIONSHIPS),
                        ("word/document.xml", deflated, crc, size)])


def docx_of_many_paragraphs(paragraphs: int) -> bytes:
    """A small file whose document.xml holds this many empty paragraphs (memory for python-docx, not bytes)."""
    deflated, crc, size = _deflated_repeat(DOCUMENT_HEAD.replace(b"<w:p><w:r><w:t>", b""), b"<w:p/>" * 4096,
                                           paragraphs // 4096, DOCUMENT_TAIL.replace(b"</w:t></w:r></w:p>", b""))
    return zip_archive([_member("[Content_Types].xml", CONTENT_TYPES), _member("_rels/.rels", RELATIONSHIPS),
                        ("word/document.xml", deflated, crc, size)])


def docx_of_many_members(count: int = 20000) -> bytes:
    """Thousands of tiny parts."""
    members = [_member("[Content_Types].xml", CONTENT_TYPES), _member("_rels/.rels", RELATIONSHIPS),
               _member("word/document.xml", DOCUMENT_HEAD + b"Hi" + DOCUMENT_TAIL)]
    members += [_member(f"word/media/part{n}.xml", b"<x/>") for n in range(count)]
    return zip_archive(members)


def pdf_of_pages(pages: int = 100_000, declared: int | None = None) -> bytes:
    """A PDF whose page tree lists the same blank page `pages` times (a few hundred KB); /Count says `declared`."""
    declared = pages if declared is None else declared
    kids = b" ".join([b"3 0 R"] * pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count " + str(declared).encode() + b" /Kids [" + kids + b"] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def nested_email(depth: int) -> bytes:
    """An email whose body is a multipart inside a multipart … `depth` deep, with a line of text at the bottom."""
    head = (b"From: Chair <chair@example.org>\r\nTo: CEO <ceo@example.org>\r\nSubject: Nested\r\n"
            b"Date: Thu, 25 Mar 2010 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")
    opening, closing = [], []
    for level in range(depth):
        boundary = f"b{level}".encode()
        opening.append(b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary + b"\r\n")
        closing.append(b"\r\n--" + boundary + b"--\r\n")
    leaf = b"Content-Type: text/plain\r\n\r\nWe will reply by end of April.\r\n"
    return head + b"".join(opening) + leaf + b"".join(reversed(closing))
