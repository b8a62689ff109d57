import json

import pytest
from sqlmodel import select

from tests.intake.helpers import CCNSO, CHAIRS, NAIROBI, REPLY, SEEDS, seed_world
from tracker.commitments.models import Commitment
from tracker.letters.models import Letter, LetterLink


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


def run(app, *args):
    return app.test_cli_runner().invoke(args=["intake", *args])


def test_json_prints_the_extraction_and_saves_nothing(app, session, world):
    result = run(app, "--json", str(SEEDS / REPLY))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout[result.stdout.index("{"):])
    assert (found["kind"], found["date"], found["date_precision"]) == ("letter", "2010-04-21", "day")
    assert [c["due"]["phrase"] for c in found["candidates"]] == ["by end of April", "in early May"]
    assert found["imported_before"] is None
    assert session.exec(select(Letter)).all() == []


def test_batch_saves_letters_links_the_reply_and_skips_duplicates(app, session, world):
    result = run(app, str(SEEDS / CHAIRS), str(SEEDS / CCNSO), str(SEEDS / REPLY))
    assert result.exit_code == 0, result.output
    assert "saved as letter #" in result.output
    letters = session.exec(select(Letter).order_by(Letter.id)).all()
    assert [letter.sent_on.isoformat() for letter in letters] == ["2010-03-01", "2010-03-11", "2010-04-21"]
    link = session.exec(select(LetterLink)).one()
    assert (link.from_letter_id, link.to_letter_id) == (letters[2].id, letters[0].id)
    assert len(session.exec(select(Commitment)).all()) == 2 + 3 + 2
    again = run(app, str(SEEDS / CCNSO))
    assert again.exit_code == 0
    assert "skipped — 002_07fface5c0235766.txt was imported before (same content) as letter #" in again.output
    assert len(session.exec(select(Letter)).all()) == 3


def test_transcript_needs_a_meeting_and_then_saves_speakers_commitments(app, session, world):
    refused = run(app, str(SEEDS / NAIROBI))
    assert refused.exit_code == 1
    assert "a transcript needs its meeting: add --meeting ID" in refused.output
    nairobi = world["meetings"]["Nairobi"].id
    result = run(app, "--meeting", str(nairobi), "--to", "ccNSO", "--to", "GNSO", str(SEEDS / NAIROBI))
    assert result.exit_code == 0, result.output
    made = session.exec(select(Commitment).where(Commitment.source_meeting_id == nairobi)).all()
    assert len([c for c in made if c.kind == "promise"]) >= 4
    assert "not saved:" in result.output  # requests by speakers of no known party need a person to decide


def test_bad_files_get_messages_and_exit_code_1(app, tmp_path, session, world):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    undated = tmp_path / "undated.txt"
    undated.write_text("Dear Rod,\n\nWe urge you to act.\n\nYours sincerely,\n\nChris Disspain\n")
    result = run(app, str(empty), str(fake), str(undated), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert "empty.txt is empty: there is nothing to read." in result.output
    assert "scan.pdf cannot be read: its name says it is a PDF" in result.output
    assert "No date was found in the letter: enter the date it was sent." in result.output
    assert "missing.txt: there is no such file" in result.output
    assert session.exec(select(Letter)).all() == []


def test_oversized_file_is_refused_before_reading(app, tmp_path, monkeypatch, session):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 1024)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 4096)
    result = run(app, str(big))
    assert result.exit_code == 1
    assert "big.txt: the file is 4 KB; the limit is 1 KB" in result.output


def test_json_reads_numeric_due_dates_in_the_configured_date_order(app, tmp_path, monkeypatch):
    letter = tmp_path / "letter.txt"
    letter.write_text("12 February 2031\n\nDear Ana,\n\nWe will publish the report by 03/04/2031.\n\n"
                      "Best regards,\nTom Kerr\n")
    monkeypatch.setitem(app.config, "DATE_ORDER", "DMY")
    result = run(app, "--json", str(letter))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout[result.stdout.index("{"):])
    assert [c["due"]["latest"] for c in found["candidates"]] == ["2031-04-03"]


def test_received_dates_an_undated_document_for_its_relative_dues(app, tmp_path):
    undated = tmp_path / "undated.txt"
    undated.write_text("Hi all,\n\nI will circulate the revised charter early next week.\n\nBest,\nPriya\n")
    result = run(app, "--json", str(undated))
    found = json.loads(result.stdout[result.stdout.index("{"):])
    assert [(c["due"]["phrase"], c["due"]["latest"], c["due"]["precision"]) for c in found["candidates"]] \
        == [("early next week", None, "vague")]  # the phrase is kept; no day to count from
    result = run(app, "--json", "--received", "2031-07-16", str(undated))
    found = json.loads(result.stdout[result.stdout.index("{"):])
    assert found["date"] is None  # the document still states no date of its own
    assert [c["due"]["latest"] for c in found["candidates"]] == ["2031-07-22"]  # early in the week after


def test_received_must_be_a_day(app, tmp_path):
    result = run(app, "--json", "--received", "next week", str(tmp_path / "x.txt"))
    assert result.exit_code == 2
    assert "next week" in result.output and "%Y-%m-%d" in result.output
