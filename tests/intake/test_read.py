import io
from email.message import EmailMessage

import pytest

from tests.intake.helpers import pdf_bytes
from tracker.intake.read import read_document, sniff
from tracker.validation import InvalidInput


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        read_document(data, name, **kwargs)
    assert caught.value.field == "file"
    return str(caught.value)


def test_utf8_text_is_read_as_written():
    document = read_document("Dear Rod,\r\nWe urge you – now.\r\n".encode(), "letter.txt")
    assert (document.format, document.text) == ("txt", "Dear Rod,\nWe urge you – now.\n")
    assert len(document.sha256) == 64


def test_windows_1252_text_falls_back_to_detection():
    document = read_document("Dear Rod,\nWe’re concerned about the “DNS-CERT” proposal.\n".encode("cp1252"), "l.txt")
    assert "We’re concerned about the “DNS-CERT” proposal." in document.text


def test_utf16_with_bom():
    document = read_document("Dear Rod,\nThank you.".encode("utf-16"), "l.txt")
    assert document.text == "Dear Rod,\nThank you."


def test_html_is_stripped_to_text_without_scripts():
    page = b"<html><head><title>x</title><script>alert(1)</script></head><body><p>Dear Rod,</p>" \
           b"<p>We will publish it &amp; more.</p></body></html>"
    document = read_document(page, "page.txt")  # sniffed by content, not name
    assert document.format == "html"
    assert "alert" not in document.text
    assert "Dear Rod," in document.text and "We will publish it & more." in document.text


def test_email_prefers_the_plain_text_part_and_keeps_headers():
    message = EmailMessage()
    message["From"] = "Chris Disspain <chris@example.org>"
    message["To"] = "Rod Beckstrom <rod@example.org>"
    message["Date"] = "Thu, 11 Mar 2010 09:30:00 +0000"
    message["Subject"] = "Remarks"
    message.set_content("Plain: we urge you to share the studies.")
    message.add_alternative("<p>HTML version</p>", subtype="html")
    document = read_document(message.as_bytes(), "mail.eml")
    assert document.format == "eml"
    assert document.text.startswith("From: Chris Disspain <chris@example.org>\nTo: Rod Beckstrom <rod@example.org>\n")
    assert "Subject: Remarks" in document.text
    assert "Plain: we urge you" in document.text and "HTML version" not in document.text


def test_email_with_only_html_is_stripped():
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["Subject"] = "Only HTML"
    message.set_content("<p>We will reply <b>soon</b>.</p>", subtype="html")
    document = read_document(message.as_bytes(), "mail.eml")
    assert "We will reply soon." in document.text and "<b>" not in document.text


def test_docx_paragraphs_are_read():
    import docx

    document = docx.Document()
    document.add_paragraph("11 March 2010")
    document.add_paragraph("Dear Rod,")
    document.add_paragraph("We urge you to share the underlying facts.")
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_document(buffer.getvalue(), "letter.bin")
    assert read.format == "docx"
    assert read.text.splitlines()[:3] == ["11 March 2010", "Dear Rod,", "We urge you to share the underlying facts."]


def test_pdf_text_is_read_from_every_page():
    document = read_document(pdf_bytes(["11 March 2010", "Dear Rod, we urge you."]), "letter.pdf")
    assert document.format == "pdf"
    assert "11 March 2010" in document.text and "Dear Rod, we urge you." in document.text


def test_empty_file_is_refused():
    assert refused(b"", "letter.pdf") == "letter.pdf is empty: there is nothing to read."
    assert refused(b" \n\t\n", "letter.txt") == "letter.txt is empty: there is nothing to read."


def test_binary_that_is_not_what_its_name_says_is_refused():
    message = refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "letter.pdf")
    assert message == ("letter.pdf is an image, not a PDF as its name says; intake reads PDF, Word (.docx), email "
                       "(.eml, .msg), web pages (.html) and plain text. If it is a scanned letter, run it through OCR "
                       "and upload the PDF with its text.")


def test_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "letter.docx is an archive of other files, not a Word (.docx) document as its name says" in \
        refused(buffer.getvalue(), "letter.docx")


def test_encrypted_pdf_is_refused_with_what_to_do():
    message = refused(pdf_bytes(["secret text"], encrypt_with="password"), "locked.pdf")
    assert message.startswith("locked.pdf is an encrypted PDF: intake cannot read it.")


def test_damaged_pdf_is_refused():
    assert "cannot be read" in refused(b"%PDF-1.4\nthis is not really a pdf at all\n", "broken.pdf")


def test_pdf_without_text_says_it_may_be_a_scan():
    assert "scanned PDF" in refused(pdf_bytes([""]), "scan.pdf")


def test_oversized_input_is_refused():
    assert refused(b"x" * 2048, "big.txt", max_bytes=1024) == "big.txt is 2 KB; the limit is 1 KB."


def test_sniff_ignores_the_name():
    assert sniff(b"%PDF-1.4 ...") == "pdf"
    assert sniff(b"From: a@example.org\nSubject: x\n\nbody") == "eml"
    assert sniff(b"just words") == "txt"
    assert sniff(b"\x00\x01\x02\x03binary") is None
