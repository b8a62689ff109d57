"""A letter almost the same as one already recorded is shown as such on review and saved only when staff say
it is a separate letter; its commitments are never recorded twice without that."""
import re
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import func, select

from tests.intake.helpers import CCNSO, CHAIRS, REPLY, pdf_bytes, seed_text, seed_world
from tests.intake.test_routes import review_fields, upload
from tracker import access
from tracker.commitments.models import Commitment
from tracker.intake import operations, similarity
from tracker.letters.models import Letter

SEEDS = sorted((Path(__file__).resolve().parents[2] / "tracker" / "demo" / "seeds").glob("*.txt"))


def with_new_signature(text: str) -> str:
    return (text.replace("Warmly,", "Best regards,")
            .replace("Rod Beckstrom   ", "Rod Beckstrom\nPresident and CEO, ICANN\n4676 Admiralty Way, Marina del Rey"))


def with_a_line_added(text: str) -> str:
    return text.replace("Thank you again", "We will also brief the Board at its next meeting on the outcome of "
                                           "these consultations. Thank you again")


def score(first: str, second: str) -> float:
    return similarity.resemblance(similarity.shingles(similarity.words(first)),
                                  similarity.shingles(similarity.words(second)))


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


# --------------------------------------------------------------------------- the measure (the docstring's cases)


def test_the_same_letter_with_small_changes_is_near_and_different_letters_are_far():
    reply = seed_text(REPLY)
    assert score(reply, with_new_signature(reply)) >= 0.97
    assert 0.90 <= score(reply, with_a_line_added(reply)) < 0.97
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    across = [score(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]]
    assert len(across) == 10 and max(across) < 0.05


def test_a_reply_quoting_a_whole_letter_is_not_a_near_duplicate():
    reply = seed_text(REPLY)
    own_words = " ".join(similarity.words(seed_text(CCNSO))[:150])
    assert not similarity.is_near(score(reply, f"Dear Rod, {own_words}\n> {reply}"))


def test_short_texts_are_never_compared():
    note = "We will publish the plan by end of April ({})"
    assert 0.7 < score(note.format(1), note.format(2)) < 1
    assert not similarity.comparable(similarity.words(note.format(1)))


def test_markup_hyphenation_and_accents_do_not_count():
    text = "We will pub-\nlish the Concept of Opérations &amp; <b>resource</b> analysis in early May"
    assert similarity.words(text) == ["we", "will", "publish", "the", "concept", "of", "operations", "resource",
                                      "analysis", "in", "early", "may"]


def test_another_pdf_extraction_with_page_headers_is_near(app, session, world, tmp_path):
    text = seed_text(CCNSO)
    lines = [line for line in text.splitlines() if line.strip()]
    pages = [f"ccNSO Council — page {n + 1}\n" + "\n".join(lines[i:i + 30])
             for n, i in enumerate(range(0, len(lines), 30))]
    from tracker.intake.read import read_document

    assert score(text, read_document(pdf_bytes(pages), "letter.pdf").text) >= 0.95


# --------------------------------------------------------------------------- the lookup


def _saved(app, tmp_path, name: str, text: str, *options) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["intake", *options, str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_lookup_finds_the_letter_by_date_or_by_its_words(app, session, world, tmp_path):
    _saved(app, tmp_path, "reply.txt", seed_text(REPLY))
    letter = session.exec(select(Letter)).one()
    changed = with_new_signature(seed_text(REPLY))
    by_date = operations.near_duplicates(session, changed, letter.sent_on, access.EVERYTHING)
    without_date = operations.near_duplicates(session, changed, None, access.EVERYTHING)
    assert [(n.letter_id, n.percent) for n in by_date] == [(letter.id, 97)]
    assert [n.letter_id for n in without_date] == [letter.id]  # found through the search index
    assert operations.near_duplicates(session, seed_text(CHAIRS), letter.sent_on, access.EVERYTHING) == []


def test_the_lookup_runs_a_bounded_number_of_queries(app, session, world, tmp_path):
    _saved(app, tmp_path, "reply.txt", seed_text(REPLY))
    letter = session.exec(select(Letter)).one()
    engine = session.get_bind()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        operations.near_duplicates(session, with_new_signature(seed_text(REPLY)), letter.sent_on, access.EVERYTHING)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # One by date, at most three by words (start, middle, end), one for the bodies; each with a LIMIT or by id.
    assert 3 <= len(statements) <= 5
    assert all(re.search(r"\bLIMIT\b", s) or "letter.id IN" in s for s in statements)


def test_letters_a_viewer_may_not_see_are_not_candidates(app, session, world, tmp_path):
    _saved(app, tmp_path, "reply.txt", seed_text(REPLY))
    letter = session.exec(select(Letter)).one()
    stranger = access.Viewer(role="viewer", party_ids=frozenset({999_999}))
    assert operations.near_duplicates(session, with_new_signature(seed_text(REPLY)), letter.sent_on, stranger) == []
    assert operations.near_duplicates(session, with_new_signature(seed_text(REPLY)), letter.sent_on,
                                      access.NOBODY) == []


# --------------------------------------------------------------------------- re-importing never duplicates


def test_reimporting_a_letter_adds_no_commitment_unless_staff_say_it_is_separate(app, session, world, tmp_path):
    text = seed_text(REPLY)
    assert "saved as letter" in _saved(app, tmp_path, "reply.txt", text)
    made = count(session, Commitment)
    assert made == 2
    rewrapped = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))
    assert "imported before" in _saved(app, tmp_path, "rewrapped.txt", rewrapped)
    output = _saved(app, tmp_path, "signed.txt", with_new_signature(text))
    assert re.search(r"skipped — it looks like letter #\d+ “.+” \(97 % of its text is the same\); "
                     r"--separate-anyway saves it", output), output
    assert (count(session, Letter), count(session, Commitment)) == (1, made)
    assert "saved as letter" in _saved(app, tmp_path, "signed.txt", with_new_signature(text), "--separate-anyway")
    assert (count(session, Letter), count(session, Commitment)) == (2, 2 * made)


def test_review_names_the_near_duplicate_and_save_needs_the_tick(editor_client, app, session, world, tmp_path):
    _saved(app, tmp_path, "reply.txt", seed_text(REPLY))
    original = session.exec(select(Letter)).one()
    made = count(session, Commitment)
    html = upload(editor_client, with_new_signature(seed_text(REPLY)).encode(), "signed.txt").get_data(as_text=True)
    assert (f'This looks like <a href="/letters/{original.id}">letter #{original.id} “{original.subject}”</a> of '
            "21 April 2010: 97 % of its text is the same.") in html
    assert "Save as a separate letter anyway" in html
    fields = review_fields(html)
    assert "separate_anyway" not in fields  # not ticked by default

    refused = editor_client.post("/intake/save", data=fields)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert (f"This looks like letter #{original.id} “{original.subject}” of 21 April 2010: 97 % of its text is the "
            "same. Nothing was saved: tick “Save as a separate letter anyway”") in page
    assert 'id="separate_anyway-error"' in page
    assert review_fields(page)["subject"] == fields["subject"]  # what was reviewed is kept
    assert (count(session, Letter), count(session, Commitment)) == (1, made)

    saved = editor_client.post("/intake/save", data={**fields, "separate_anyway": "y"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert (count(session, Letter), count(session, Commitment)) == (2, 2 * made)


def test_a_different_letter_is_reviewed_without_the_notice(editor_client, app, session, world, tmp_path):
    _saved(app, tmp_path, "reply.txt", seed_text(REPLY))
    html = upload(editor_client, seed_text(CHAIRS).encode(), "chairs.txt").get_data(as_text=True)
    assert "This looks like" not in html and "Save as a separate letter anyway" not in html
    assert editor_client.post("/intake/save", data=review_fields(html)).status_code == 302
