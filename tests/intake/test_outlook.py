"""Outlook .msg files: read like an .eml (headers, body, readable attachments), bounded, refused clearly when
damaged; and every file intake does not read is named with what intake reads instead."""
import io
import zipfile
from datetime import date, datetime, timezone

import pytest
from sqlmodel import func, select

from tests.intake import outlook_files
from tests.intake.helpers import known, pdf_bytes, seed_world
from tests.intake.test_routes import review_fields, upload
from tracker.intake import read
from tracker.intake.extract import extract
from tracker.letters.models import Letter, LetterFile
from tracker.validation import InvalidInput

MB = 1048576
SENT = datetime(2010, 4, 21, 16, 5, tzinfo=timezone.utc)
REPLY_BODY = ("Dear Chris, Chuck and Cheryl,\n\nThank you for your letter of 25 March 2010.\n\n"
              "We will publish a revised proposal by end of April.\n\nYours sincerely,\n\nRod Beckstrom\n"
              "President and CEO\n")


def reply_message(**overrides) -> bytes:
    fields = dict(subject="DNS-CERT business case", sender=("Rod Beckstrom", "rod@example.org"),
                  to=[("Chris Disspain", "chris@example.org"), ("Chuck Gomes", "chuck@example.org")],
                  cc=[("Cheryl Langdon-Orr", "cheryl@example.org")], sent=SENT, body=REPLY_BODY)
    fields.update(overrides)
    return outlook_files.outlook_message(**fields)


def refused(data: bytes, name: str, budget: read.Budget | None = None) -> str:
    with pytest.raises(InvalidInput) as caught:
        read.read_document_bounded(data, name, 20 * MB, budget or read.Budget())
    assert caught.value.field == "file"
    return str(caught.value)


def test_a_msg_gives_sender_recipients_date_subject_and_body_as_an_eml_does():
    document = read.read_document(reply_message(), "reply.msg")
    assert (document.format, document.content_type) == ("msg", "application/vnd.ms-outlook")
    assert document.text.splitlines()[:6] == [
        "From: Rod Beckstrom <rod@example.org>",
        "To: Chris Disspain <chris@example.org>, Chuck Gomes <chuck@example.org>",
        "Cc: Cheryl Langdon-Orr <cheryl@example.org>",
        "Date: Wed, 21 Apr 2010 16:05:00 +0000",
        "Subject: DNS-CERT business case",
        ""]
    assert "We will publish a revised proposal by end of April." in document.text


def test_the_extractor_reads_the_sent_date_subject_and_promise_of_a_msg():
    extraction = extract(read.read_document(reply_message(), "reply.msg").text, known(), None)
    assert (extraction.kind, extraction.date, extraction.subject) == ("letter", date(2010, 4, 21),
                                                                      "DNS-CERT business case")
    assert [c.due.phrase for c in extraction.candidates if c.due] == ["by end of April"]


def test_a_msg_in_windows_1252_strings_is_decoded_by_its_code_page():
    document = read.read_document(reply_message(subject="Réponse – DNS-CERT", body="We’ll reply soon.",
                                                string8=True), "old.msg")
    assert "Subject: Réponse – DNS-CERT" in document.text and "We’ll reply soon." in document.text


def test_a_msg_with_only_an_html_body_is_stripped_to_text():
    html = b"<html><head><style>p{}</style></head><body><p>We will reply <b>soon</b>.</p></body></html>"
    document = read.read_document(reply_message(body=None, html=html), "html.msg")
    assert "We will reply soon." in document.text and "<b>" not in document.text and "p{}" not in document.text


RICH = (b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}{\\colortbl;\\red0\\green0\\blue0;}"
        b"{\\*\\generator Riched20;}\\pard Dear Chris,\\par\\par We\\rquote ll publish the \\'93Concept of "
        b"Operations\\'94 in early May \\u8212\\'97 as promised.\\par}")


@pytest.mark.parametrize("reference_first", [False, True])
def test_a_msg_with_only_a_compressed_rich_text_body_is_read(reference_first):
    rtf = outlook_files.compressed_rtf(RICH, reference_first)
    document = read.read_document(reply_message(body=None, rtf=rtf), "rich.msg")
    body = document.text.split("\n\n", 1)[1]
    assert body.startswith("Dear Chris,\n\nWe’ll publish")
    assert "publish the “Concept of Operations” in early May — as promised." in body
    assert "Calibri" not in body and "Riched20" not in body and "red0" not in body


def test_rich_text_converted_from_html_keeps_the_text_not_the_tags():
    from tracker.intake import rtf

    encapsulated = (b"{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}\\htmlrtf {\\b RTF copy}\\htmlrtf0 "
                    b"We will reply.{\\*\\htmltag72 </p>}\\par}")
    assert rtf.text_of(encapsulated, 1000) == "We will reply.\n"


def test_a_rich_text_body_that_would_unpack_too_far_is_refused():
    import struct

    bomb = struct.pack("<IIII", 100, 500 * MB, 0x75465A4C, 0) + bytes(88)
    assert "would unpack to 524,288,000 bytes; intake unpacks at most 64.0 MB" in \
        refused(reply_message(body=None, rtf=bomb), "bomb.msg")


def test_readable_attachments_are_appended_and_others_are_named():
    attachments = [("letter.pdf", pdf_bytes(["We will hold a consultation in early May."])),
                   ("notes.txt", b"The Board asks for a business case by mid-June."),
                   ("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))]
    document = read.read_document(reply_message(attachments=attachments), "covering.msg")
    assert "--- Attachment: letter.pdf ---" in document.text
    assert "We will hold a consultation in early May." in document.text
    assert "The Board asks for a business case by mid-June." in document.text
    assert "--- Attachment logo.png: not read (an image) ---" in document.text
    assert "\x89PNG" not in document.text


def test_an_attached_message_is_read_one_level_deeper():
    forwarded = outlook_files.message_tree(subject="Original request", sender=("Chris Disspain", "chris@example.org"),
                                           body="Please share the studies.", embedded=True)
    document = read.read_document(reply_message(attachments=[("original.msg", forwarded)]), "fwd.msg")
    assert "--- Attached message: original.msg ---" in document.text
    assert "Subject: Original request" in document.text and "Please share the studies." in document.text


def test_a_large_body_is_read_from_regular_sectors():
    body = "We will publish the plan. " * 400  # over the 4096-byte mini-stream cutoff
    assert read.read_document(reply_message(body=body), "long.msg").text.count("We will publish the plan.") == 400


# --------------------------------------------------------------------------- hostile .msg files


def test_a_truncated_msg_is_refused_as_damaged():
    data = reply_message(body="We will publish the plan. " * 400)
    for cut in (600, len(data) // 2, len(data) - 700):
        message = refused(data[:cut], "cut.msg")
        assert "cut.msg" in message and ("damaged" in message or "cut short" in message), message


def test_a_huge_declared_size_is_refused_before_reading():
    data = outlook_files.cfb(outlook_files.message_tree(subject="x", body="We will. " * 600),
                             declared_sizes={"__substg1.0_1000001F": 2 ** 31})
    assert "huge.msg declares a part of 2,147,483,648 bytes in a file of" in refused(data, "huge.msg")


def test_bytes_that_are_not_ole_named_msg_are_refused_with_what_intake_reads():
    message = refused(b"\x00\x01\x02 not an outlook message " * 40, "letter.msg")
    assert message == ("letter.msg cannot be read: its name says it is an Outlook message (.msg), but its content is "
                       f"binary data of no format intake reads; intake reads {read.SUPPORTED}.")


def test_attached_messages_nested_too_deeply_are_refused():
    assert "nested.msg holds messages attached 10 deep; intake reads attached messages at most 9 deep." in \
        refused(outlook_files.nested_messages(40), "nested.msg")


def test_too_many_parts_or_attachments_are_refused():
    many = outlook_files.outlook_message(subject="x", body="y", attachments=[("a.txt", b"hello")] * 30)
    assert "parts.msg holds 125 parts; an Outlook message intake reads holds at most 100." in \
        refused(many, "parts.msg", read.Budget(max_zip_members=100))
    assert "attachments.msg has more than 20 attachments" in \
        refused(many, "attachments.msg", read.Budget(max_mime_parts=20))


def test_the_characters_of_body_and_attachments_share_one_limit():
    data = reply_message(attachments=[("long.txt", b"We will publish the plan. " * 400)])
    assert "holds 1" in refused(data, "long.msg", read.Budget(max_characters=5000))


# --------------------------------------------------------------------------- what intake does not read


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "commitments"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("data, name, what", [
    (_xlsx(), "report.xlsx", "a spreadsheet"),
    (_xlsx(), "report.pdf", "a spreadsheet, not a PDF as its name says"),  # by content first
    (_zip({"ppt/presentation.xml": b"<p/>"}), "slides.pptx", "a presentation"),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "l.odt",
     "an OpenDocument text (.odt)"),
    (_zip({"a.txt": b"x"}), "bundle.zip", "an archive of other files"),
    (outlook_files.cfb({"WordDocument": b"x" * 100}), "letter.doc", "an old Word (.doc) document"),
    (outlook_files.cfb({"Workbook": b"x" * 100}), "sheet.xls", "a spreadsheet"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "scan.png", "an image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "scan", "an image"),
    (b"{\\rtf1\\ansi Dear Rod,\\par We will reply.}", "letter.rtf", "a rich-text (.rtf) document"),
    (b"\x00\x01\x02\x03" * 64, "figures.xls", "a spreadsheet"),  # unknown content: the name says
])
def test_an_unsupported_file_is_named_with_what_intake_reads(data, name, what):
    message = refused(data, name)
    assert message.startswith(f"{name} is {what}; intake reads PDF, Word (.docx), email (.eml, .msg), web pages "
                              "(.html) and plain text.")


def test_the_form_hint_and_the_cli_help_say_the_same_supported_types(app, editor_client):
    html = editor_client.get("/intake/").get_data(as_text=True)
    assert f"Intake reads {read.SUPPORTED}." in html
    assert ".pdf, .docx, .eml, .msg, .html, .txt" in html
    result = app.test_cli_runner().invoke(args=["intake", "--help"])
    assert read.SUPPORTED in " ".join(result.output.split())


# --------------------------------------------------------------------------- through the upload form


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


def test_a_msg_upload_is_reviewed_and_saved_as_a_letter_with_its_file(editor_client, session, world):
    html = upload(editor_client, reply_message(), "reply.msg").get_data(as_text=True)
    fields = review_fields(html)
    assert fields["sent_on"] == ["2010-04-21"] and fields["subject"] == ["DNS-CERT business case"]
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    letter = session.exec(select(Letter)).one()
    stored = session.exec(select(LetterFile).where(LetterFile.letter_id == letter.id)).one()
    assert letter.subject == "DNS-CERT business case"
    assert (stored.filename, stored.content_type) == ("reply.msg", "application/vnd.ms-outlook")


@pytest.mark.parametrize("data, name, message", [
    (reply_message()[:700], "cut.msg", "cut.msg is an Outlook or Office file that cannot be opened"),
    (b"\x00garbage" * 100, "mail.msg", "its name says it is an Outlook message (.msg)"),
    (_xlsx(), "report.xlsx", "report.xlsx is a spreadsheet; intake reads PDF"),
])
def test_a_bad_msg_or_unsupported_upload_answers_400_and_saves_nothing(editor_client, session, world, data, name,
                                                                        message):
    response = upload(editor_client, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(Letter)).one() == 0


def test_text_that_happens_to_start_like_a_magic_number_is_still_text():
    for text in (b"BMW Group letter of 2 May: we will reply.", b"Rar! said the chair. We will reply.",
                 b"GIF policy note: we will reply."):
        assert read.read_document(text, "note.txt").format == "txt"


def test_a_directory_that_points_to_itself_neither_hangs_nor_fails_the_worker():
    import struct

    data = bytearray(reply_message())
    directory = 512 + struct.unpack_from("<I", data, 48)[0] * 512
    child = struct.unpack_from("<I", data, directory + 76)[0]
    struct.pack_into("<II", data, directory + child * 128 + 68, child, child)  # its own left and right sibling
    try:
        document = read.read_document_bounded(bytes(data), "cycle.msg", 20 * MB, read.Budget(seconds=5))
    except InvalidInput as error:
        assert "took longer" not in str(error) and "needed more than" not in str(error), str(error)
    else:
        assert document.format == "msg"
