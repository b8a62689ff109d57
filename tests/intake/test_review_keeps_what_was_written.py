"""The review page shows the document's subject and titles as written: "Re: …" stays, and a title with a comma
in it ("Director, Security Coordination") is not cut at the comma into a title and a made-up party."""
from __future__ import annotations

import html as markup
import io
import re

import pytest
from sqlmodel import select

from tests.intake.helpers import known, seed_world
from tests.intake.test_routes import review_fields
from tracker.intake.extract import extract
from tracker.letters.models import Letter, LetterParticipant

LONG_TITLE = "Senior Vice President, Stakeholder Relations and Global Partnerships"
LETTER = f"""21 April 2010

Chris Disspain
Chair, ccNSO Council

Re: Comments on the establishment of a DNS-CERT

Dear Chris,

We will publish the findings of the workshop by end of April.

Yours sincerely,

Yurie Ito
Director, Security Coordination

Jane Example
{LONG_TITLE}
"""


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


def test_a_re_subject_is_kept_as_written():
    assert extract(LETTER, known()).subject == "Re: Comments on the establishment of a DNS-CERT"


def test_a_subject_label_is_not_part_of_the_subject():
    text = LETTER.replace("Re: Comments", "Subject: Comments")
    assert extract(text, known()).subject == "Comments on the establishment of a DNS-CERT"


def test_titles_with_a_comma_are_kept_whole_and_a_party_after_a_comma_still_splits_off():
    result = extract(LETTER, known())
    assert [(a.name, a.title) for a in result.authors] == [("Yurie Ito", "Director, Security Coordination"),
                                                           ("Jane Example", LONG_TITLE)]
    assert [a.party_name for a in result.authors] == ["ICANN staff", ""]
    assert [(r.name, r.title, r.party_name) for r in result.recipients] == [("Chris Disspain", "Chair",
                                                                             "ccNSO Council")]


def test_the_review_page_shows_the_subject_and_full_titles_and_saves_them(editor_client, session, world):
    response = editor_client.post("/intake/", data={"file": (io.BytesIO(LETTER.encode()), "reply.txt")},
                                  content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<input[^>]*name="subject"[^>]*value="Re: Comments on the establishment of a DNS-CERT"', page)
    titles = [markup.unescape(value) for value in
              re.findall(r'<input[^>]*name="participants-\d+-title"[^>]*value="([^"]*)"', page)]
    assert "Director, Security Coordination" in titles and LONG_TITLE in titles
    # Wide enough to read a long title without scrolling inside the box.
    assert re.search(r'<input[^>]*name="participants-\d+-title"[^>]*size="60"', page)
    assert editor_client.post("/intake/save", data=review_fields(page)).status_code == 302
    letter = session.exec(select(Letter)).one()
    assert letter.subject == "Re: Comments on the establishment of a DNS-CERT"
    saved_titles = set(session.exec(select(LetterParticipant.title).where(LetterParticipant.letter_id == letter.id)))
    assert {"Director, Security Coordination", LONG_TITLE} <= saved_titles
