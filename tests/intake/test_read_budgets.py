"""Reading a document is bounded: bombs are refused with a message, nothing is saved, the worker stays small.

Peak memory is that of the child process that reads (ru_maxrss, reported on the refusal), and the web
process's own peak is checked not to grow while it refuses.
"""
import html
import io
import resource
import time

import pytest
from sqlmodel import func, select

from tests.intake import bombs, outlook_files
from tracker.events import Event
from tracker.intake import read
from tracker.letters.models import Letter

MB = 1048576
PEAKS = {}


def own_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def refused(data: bytes, name: str, budget: read.Budget | None = None) -> read.OverBudget:
    with pytest.raises(read.OverBudget) as caught:
        read.read_document_bounded(data, name, 20 * MB, budget or read.Budget())
    PEAKS[name] = caught.value.peak_memory
    print(f"\n{name} ({len(data) / MB:.1f} MB): refused with the reader's peak memory at "
          f"{caught.value.peak_memory / MB:.0f} MB: {caught.value}")
    return caught.value


@pytest.mark.parametrize("name, make, message", [
    ("zip-bomb.docx", bombs.docx_zip_bomb, "zip-bomb.docx would unpack to 3000.0 MB; intake unpacks at most 64.0 MB"),
    ("many-parts.docx", bombs.docx_of_many_members, "many-parts.docx holds 20,003 parts"),
    ("paragraphs.docx", lambda: bombs.docx_of_many_paragraphs(8_000_000),
     "holds a part (word/document.xml) compressed 377 to 1; intake refuses more than 100 to 1"),
    ("100000-pages.pdf", bombs.pdf_of_pages, "100000-pages.pdf has 100,000 pages; intake reads at most 500"),
    ("lying-count.pdf", lambda: bombs.pdf_of_pages(100_000, declared=1),
     "lying-count.pdf has 100,000 pages; intake reads at most 500"),
    ("nested-5000.eml", lambda: bombs.nested_email(5000), "nested-5000.eml has 5,001 parts"),
    ("nested-50.eml", lambda: bombs.nested_email(50),
     "nested-50.eml has 51 parts nested 51 deep; intake reads emails of at most 200 parts nested 10 deep"),
    ("nested-100.msg", lambda: outlook_files.nested_messages(100),
     "nested-100.msg holds messages attached 10 deep; intake reads attached messages at most 9 deep"),
    ("attachments.msg", lambda: outlook_files.outlook_message(subject="x", body="y",
                                                              attachments=[("a.txt", b"hello")] * 400),
     "attachments.msg holds 1,605 parts; an Outlook message intake reads holds at most 1,000"),
    ("bomb-attached.msg", lambda: outlook_files.outlook_message(subject="x", body="y",
                                                                attachments=[("plan.docx", bombs.docx_zip_bomb(300))]),
     "plan.docx would unpack to 300.0 MB; intake unpacks at most 64.0 MB"),
])
def test_bombs_are_refused_before_they_inflate(name, make, message):
    data = make()
    before = own_peak()
    error = refused(data, name)
    assert message in str(error) and error.field == "file"
    assert 0 < error.peak_memory < 200 * MB
    # The calling process only ever held the file's bytes.
    assert own_peak() - before < 64 * MB


def test_a_document_past_the_caps_is_stopped_by_the_memory_limit():
    generous = read.Budget(max_inflated_bytes=10**10, max_compression_ratio=10**6, memory_bytes=400 * MB)
    error = refused(bombs.docx_of_many_paragraphs(8_000_000), "memory-hungry.docx", generous)
    assert "memory-hungry.docx needed more than 400 MB to read, the limit for one document" in str(error)


def test_a_document_past_the_caps_is_stopped_by_the_time_limit():
    slow = read.Budget(max_inflated_bytes=10**10, max_compression_ratio=10**6, memory_bytes=2048 * MB, seconds=2)
    started = time.monotonic()
    error = refused(bombs.docx_of_many_paragraphs(1_000_000), "slow.docx", slow)
    assert "slow.docx took longer than 2 s to read, the limit for one document" in str(error)
    assert time.monotonic() - started < 10


def test_text_past_the_character_limit_is_refused():
    error = refused(b"We will publish it by end of April.\n" * 40_000, "long.txt", read.Budget(max_characters=1_000_000))
    assert "long.txt holds 1,440,000 characters of text; intake reads at most 1,000,000" in str(error)


def test_a_document_within_the_budget_is_read_in_the_child():
    document = read.read_document_bounded(b"Dear Chair,\n\nWe will reply by end of April.\n", "letter.txt", MB,
                                          read.Budget())
    assert document.text.startswith("Dear Chair") and document.format == "txt"


def rows(session):
    return (session.exec(select(func.count()).select_from(Letter)).one(),
            session.exec(select(func.count()).select_from(Event)).one())


@pytest.mark.parametrize("name, make, message", [
    ("minutes.docx", bombs.docx_zip_bomb,
     'minutes.docx would unpack to 3000.0 MB; intake unpacks at most 64.0 MB. It may be a "zip bomb"'),
    ("report.pdf", bombs.pdf_of_pages, "report.pdf has 100,000 pages; intake reads at most 500"),
    ("thread.eml", lambda: bombs.nested_email(5000), "thread.eml has 5,001 parts; intake reads emails of at most 200"),
])
def test_a_bomb_upload_gets_the_message_on_the_form_and_saves_nothing(editor_client, session, name, make, message):
    before, peak, bomb = rows(session), own_peak(), make()
    response = editor_client.post("/intake/", data={"file": (io.BytesIO(bomb), name)},
                                  content_type="multipart/form-data")
    assert own_peak() - peak < 64 * MB  # the web process held the file, never what it unpacks to
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert rows(session) == before
    # The worker is still well.
    assert editor_client.get("/intake/").status_code == 200


def test_a_15_mb_paste_is_refused_with_the_shared_limit_and_kept_in_the_form(editor_client, session, app):
    pasted = ("Dear Chair, we will publish the plan by end of April. " * 300_000)[:15 * MB]
    before, peak = rows(session), own_peak()
    response = editor_client.post("/intake/", data={"pasted": pasted})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    limit = app.config["INTAKE_MAX_CHARACTERS"]
    assert f"The pasted text holds {len(pasted.strip()):,} characters of text; intake reads at most {limit:,}" in page
    assert pasted[:2000] in page and pasted.strip()[-200:] in page  # what was typed is still there
    assert rows(session) == before
    PEAKS["15 MB paste (web process growth)"] = own_peak() - peak
    print(f"\n15 MB paste: refused; the web process's peak grew by {(own_peak() - peak) / MB:.0f} MB")
    assert own_peak() - peak < 300 * MB
