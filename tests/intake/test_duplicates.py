"""The same letter arriving again — re-wrapped, as a PDF, or its commitments re-read — is never saved twice."""
import pytest
from sqlmodel import select

from tests.intake.helpers import CCNSO, NAIROBI, pdf_bytes, seed_text, seed_world
from tracker.commitments.models import Commitment
from tracker.intake.fingerprint import text_fingerprint
from tracker.letters.models import Letter


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


def run(app, tmp_path, name, data, *options):
    path = tmp_path / name
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["intake", *options, str(path)])


def test_fingerprint_ignores_layout_but_not_words():
    text = "We will publish the report\nby the end of April.\n"
    assert text_fingerprint(text) == text_fingerprint("We  will publish the\n\nreport by the end of April. ")
    assert text_fingerprint(text) == text_fingerprint("We will pub-\nlish the report by the end of April.")
    assert text_fingerprint(text) != text_fingerprint("We will publish the report by the end of May.")
    assert text_fingerprint(" \n ") is None


def test_same_letter_rewrapped_is_recognised(app, session, world, tmp_path):
    text = seed_text(CCNSO)
    assert "saved as letter" in run(app, tmp_path, "first.txt", text.encode()).output
    rewrapped = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n")) + "\n\n"
    again = run(app, tmp_path, "second.txt", rewrapped.encode())
    assert "imported before (same text in another format or layout) as letter #" in again.output
    assert len(session.exec(select(Letter)).all()) == 1


def test_same_letter_as_pdf_is_recognised(app, session, world, tmp_path):
    text = seed_text(CCNSO)
    assert "saved as letter" in run(app, tmp_path, "letter.txt", text.encode()).output
    lines = [line for line in text.splitlines() if line.strip()]
    pages = ["\n".join(lines[i:i + 40]) for i in range(0, len(lines), 40)]
    again = run(app, tmp_path, "letter.pdf", pdf_bytes(pages))
    assert "imported before (same text in another format or layout)" in again.output
    assert len(session.exec(select(Letter)).all()) == 1
    assert len(session.exec(select(Commitment)).all()) == 3


def test_a_second_record_of_a_meeting_adds_no_commitment_already_recorded_from_it(app, session, world, tmp_path):
    nairobi = world["meetings"]["Nairobi"].id
    transcript = seed_text(NAIROBI)
    first = run(app, tmp_path, "nairobi.txt", transcript.encode(), "--meeting", str(nairobi), "--to", "ccNSO")
    assert first.exit_code == 0, first.output
    made = len(session.exec(select(Commitment).where(Commitment.source_meeting_id == nairobi)).all())
    assert made >= 4
    # The same transcript with a corrected speaker line is another document, but holds the same commitments.
    corrected = transcript.replace("Unknown Male:", "Unknown Speaker:", 1) + "\nEnd of transcript.\n"
    second = run(app, tmp_path, "nairobi-corrected.txt", corrected.encode(), "--meeting", str(nairobi),
                 "--to", "ccNSO")
    assert second.exit_code == 0, second.output
    assert "already recorded from this source" in second.output
    assert len(session.exec(select(Commitment).where(Commitment.source_meeting_id == nairobi)).all()) == made
