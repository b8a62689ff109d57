import io
import re

import pytest
from sqlmodel import func, select

from tests.intake.helpers import CCNSO, CHAIRS, NAIROBI, REPLY, pdf_bytes, seed_bytes, seed_world
from tracker.commitments.models import Commitment, CommitmentParty
from tracker.letters.models import Letter, LetterFile, LetterLink, LetterParticipant
from tracker.meetings.models import Meeting
from tracker.parties.models import Person


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def upload(client, data: bytes, name: str):
    return client.post("/intake/", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def review_fields(html: str) -> dict:
    """The review form as a browser would post it back: every input, selected option and textarea."""
    fields: dict[str, list[str]] = {}
    for match in re.finditer(r"<input([^>]*)>", html):
        attributes = match.group(1)
        name = re.search(r'name="([^"]+)"', attributes)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', attributes)
        if kind and kind.group(1) == "checkbox" and "checked" not in attributes:
            continue
        value = re.search(r'value="([^"]*)"', attributes)
        fields.setdefault(name.group(1), []).append(_unescape(value.group(1)) if value else "y")
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields.setdefault(match.group(1), []).append(_unescape(match.group(2).lstrip("\r\n")))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        for option in re.finditer(r'<option([^>]*)>', match.group(2)):
            if "selected" in option.group(1):
                fields.setdefault(match.group(1), []).append(re.search(r'value="([^"]*)"', option.group(1)).group(1))
    return fields


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()  # like data entered before: a refused save must not undo it
    return created


def test_viewer_cannot_open_or_post_intake(viewer_client, world):
    assert viewer_client.get("/intake/").status_code == 403
    assert upload(viewer_client, seed_bytes(CCNSO), "ccnso.txt").status_code == 403
    assert viewer_client.post("/intake/save", data={}).status_code == 403


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get("/intake/").status_code == 302


def test_editor_and_admin_see_the_upload_form_and_the_nav_link(editor_client, admin_client):
    for client in (editor_client, admin_client):
        page = client.get("/intake/")
        assert page.status_code == 200
        # On the intake page itself the link is marked as the current section.
        assert 'href="/intake/" aria-current="page">Intake</a>' in page.get_data(as_text=True)


def test_review_page_shows_fields_and_highlights_candidates_in_place(editor_client, world):
    page = upload(editor_client, seed_bytes(CCNSO), "ccnso.txt")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="2010-03-11"' in html
    assert html.count('<mark id="candidate-') == 3
    assert re.search(r'<mark id="candidate-2"[^>]*><sup>3</sup>As a first step, we urge you to share', html)
    assert count(editor_client.application.extensions["db"].session_override, Letter) == 0  # nothing saved yet


def test_review_then_save_creates_letter_participants_file_and_requests(editor_client, session, world):
    html = upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True)
    fields = review_fields(html)
    fields["candidates-1-accept"] = []  # drop the second candidate
    fields["candidates-0-title"] = ["Deal with government letters through the ccNSO first"]
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    letter = session.exec(select(Letter)).one()
    assert (letter.sent_on.isoformat(), letter.direction, letter.reply_state) == ("2010-03-11", "incoming",
                                                                                   "awaiting_reply")
    stored = session.exec(select(LetterFile)).one()
    assert stored.data == seed_bytes(CCNSO) and letter.content_hash == stored.sha256
    rows = session.exec(select(LetterParticipant).where(LetterParticipant.letter_id == letter.id)
                        .order_by(LetterParticipant.id)).all()
    assert [(r.role, r.person_id, r.party_id) for r in rows] == [
        ("author", world["people"]["Chris Disspain"].id, world["parties"]["ccNSO"].id),
        ("recipient", world["people"]["Rod Beckstrom"].id, world["parties"]["CEO"].id)]
    commitments = session.exec(select(Commitment).order_by(Commitment.id)).all()
    assert [c.title for c in commitments] == ["Deal with government letters through the ccNSO first",
                                              "Share with us and other stakeholders the underlying facts or studies "
                                              "that originally led…"]
    assert all(c.kind == "request" and c.source_letter_id == letter.id for c in commitments)
    sides = session.exec(select(CommitmentParty).where(CommitmentParty.commitment_id == commitments[1].id)).all()
    assert {(s.side, s.party_id) for s in sides} == {("by", world["parties"]["ccNSO"].id),
                                                     ("to", world["parties"]["CEO"].id)}
    assert count(session, Person) == 7  # no duplicate of anyone known


def test_reply_is_linked_and_promises_keep_their_windows(editor_client, session, world):
    for name in (CHAIRS, REPLY):
        fields = review_fields(upload(editor_client, seed_bytes(name), name).get_data(as_text=True))
        assert editor_client.post("/intake/save", data=fields).status_code == 302
    chairs, reply = session.exec(select(Letter).order_by(Letter.id)).all()
    assert chairs.date_precision == "month"
    link = session.exec(select(LetterLink)).one()
    assert (link.from_letter_id, link.to_letter_id, link.kind) == (reply.id, chairs.id, "replies_to")
    assert chairs.reply_state == "replied"
    promises = session.exec(select(Commitment).where(Commitment.source_letter_id == reply.id)
                            .order_by(Commitment.id)).all()
    assert [(c.kind, c.due_phrase, str(c.due_earliest), str(c.due_latest), c.due_precision) for c in promises] == [
        ("promise", "by end of April", "2010-04-21", "2010-04-30", "day"),
        ("promise", "in early May", "2010-05-01", "2010-05-10", "window")]


def test_transcript_review_attaches_to_meeting_with_speakers_and_anchor(editor_client, session, world):
    html = upload(editor_client, seed_bytes(NAIROBI), "nairobi.txt").get_data(as_text=True)
    assert "Speakers" in html
    fields = review_fields(html)
    nairobi, ccnso = world["meetings"]["Nairobi"], world["parties"]["ccNSO"]
    fields["meeting_id"] = [str(nairobi.id)]
    numbers = sorted({int(k.split("-")[1]) for k in fields if k.startswith("candidates-")})
    for n in numbers:
        # A picker posts its (empty) text box besides the ids it holds.
        if not any(fields.get(f"candidates-{n}-made_to", [])):
            fields[f"candidates-{n}-made_to"] = [str(ccnso.id)]
        if not any(fields.get(f"candidates-{n}-made_by", [])):
            fields[f"candidates-{n}-accept"] = []  # unknown speakers' requests: dropped in review
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = session.get(Meeting, nairobi.id)
    assert meeting.transcript.startswith(" Greg Rattray: I’m going to move into the two")
    made = session.exec(select(Commitment).where(Commitment.source_meeting_id == nairobi.id)).all()
    greg = world["people"]["Greg Rattray"].id
    assert len([c for c in made if c.speaker_id == greg]) >= 4
    anchored = [c for c in made if c.due_anchor_meeting_id == world["meetings"]["Brussels"].id]
    assert len(anchored) == 2 and all(str(c.due_latest) == "2010-06-19" for c in anchored)


def test_reimporting_the_same_file_is_refused(editor_client, session, world):
    fields = review_fields(upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True))
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    again = upload(editor_client, seed_bytes(CCNSO), "renamed.txt")
    assert again.status_code == 400
    assert "renamed.txt was imported before (same content) as letter #" in again.get_data(as_text=True)
    # A second save of the same review is refused too.
    second = editor_client.post("/intake/save", data=fields)
    assert second.status_code == 400
    assert count(session, Letter) == 1


@pytest.mark.parametrize("data, name, message", [
    (b"", "empty.txt", "empty.txt is empty: there is nothing to read."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)), "letter.pdf",
     "letter.pdf is an image, not a PDF as its name says; intake reads PDF"),
    (pdf_bytes(["locked"], encrypt_with="pw"), "locked.pdf", "locked.pdf is an encrypted PDF"),
])
def test_bad_uploads_get_a_clear_message_and_save_nothing(editor_client, session, data, name, message):
    response = upload(editor_client, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(session, Letter) == 0


def test_whitespace_only_file_is_called_empty(editor_client):
    response = upload(editor_client, b"  \n\n ", "blank.txt")
    assert response.status_code == 400 and "blank.txt is empty" in response.get_data(as_text=True)


def test_upload_over_the_request_limit_is_refused_with_413(editor_client):
    response = upload(editor_client, b"x" * (50 * 1024 * 1024), "huge.txt")
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)


def test_file_over_the_upload_limit_is_refused_without_reading_it_whole(editor_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 1024)
    response = upload(editor_client, b"Dear Rod, " * 500, "long.txt")
    assert response.status_code == 400
    assert "long.txt is larger than the limit" in response.get_data(as_text=True)


def test_pasted_text_without_a_date_must_get_one_before_saving(editor_client, session, world):
    text = "Dear Rod,\n\nWe urge you to publish the studies.\n\nYours sincerely,\n\nChris Disspain\nChair – ccNSO Council\n"
    html = editor_client.post("/intake/", data={"pasted": text}).get_data(as_text=True)
    assert "No date found in the letter: enter the date it was sent." in html
    fields = review_fields(html)
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 400
    assert "No date was found in the letter: enter the date it was sent." in response.get_data(as_text=True)
    assert count(session, Letter) == 0
    fields["sent_on"] = ["2010-03-15"]
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    assert session.exec(select(Letter)).one().sent_on.isoformat() == "2010-03-15"


def test_a_relative_due_in_an_undated_letter_is_dated_from_the_day_staff_enter(editor_client, session, world):
    text = ("Dear Rod,\n\nWe urge you to publish the studies early next week.\n\nYours sincerely,\n\n"
            "Chris Disspain\nChair – ccNSO Council\n")
    html = editor_client.post("/intake/", data={"pasted": text}).get_data(as_text=True)
    fields = review_fields(html)
    assert fields["candidates-0-due_phrase"] == ["early next week"]
    assert fields["candidates-0-due_latest"] == ["2010-05-18"]  # read against today until a date is entered
    fields["sent_on"] = ["2010-03-17"]  # a Wednesday
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    commitment = session.exec(select(Commitment)).one()
    assert (commitment.due_phrase, commitment.due_latest.isoformat()) == ("early next week", "2010-03-23")


def test_a_window_staff_changed_in_an_undated_letter_is_kept(editor_client, session, world):
    text = ("Dear Rod,\n\nWe urge you to publish the studies early next week.\n\nYours sincerely,\n\n"
            "Chris Disspain\nChair – ccNSO Council\n")
    fields = review_fields(editor_client.post("/intake/", data={"pasted": text}).get_data(as_text=True))
    fields["sent_on"] = ["2010-03-17"]
    fields["candidates-0-due_earliest"], fields["candidates-0-due_latest"] = ["2010-03-20"], ["2010-03-31"]
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    assert session.exec(select(Commitment)).one().due_latest.isoformat() == "2010-03-31"


def test_a_refused_candidate_leaves_nothing_half_saved(editor_client, session, world):
    text = ("15 March 2010\n\nDear Rod,\n\nWe urge you to publish the studies.\n\nYours sincerely,\n\n"
            "Jane Newcomer\nChair – Example Council\n")
    fields = review_fields(editor_client.post("/intake/", data={"pasted": text}).get_data(as_text=True))
    fields["candidates-0-due_precision"] = ["day"]  # a dated window without its latest day
    people_before = count(session, Person)
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 400
    assert "Candidate 1: a dated window needs its latest" in response.get_data(as_text=True)
    assert count(session, Letter) == 0 and count(session, Commitment) == 0
    assert count(session, Person) == people_before  # Jane was not created either


def test_tampered_review_payload_is_refused(editor_client, session, world):
    fields = review_fields(upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True))
    fields["payload"] = [fields["payload"][0][:-4] + "AAAA"]
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 400
    assert "was not made here or was changed" in response.get_data(as_text=True)
    assert count(session, Letter) == 0


def test_review_shows_why_each_candidate_was_proposed(editor_client, session, world):
    html = upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True)
    reasons = re.findall(r"<span class=\"muted cue\">\(why: (.*?)\)</span>", html)
    assert len(reasons) == html.count('class="intake-row" id="review-candidate-') > 0
    assert all(reasons)


def test_review_prefills_each_owner_from_people_the_document_names(editor_client, session, world):
    html = upload(editor_client, seed_bytes(REPLY), "reply.txt").get_data(as_text=True)
    picker_html = re.search(r'<span class="picker"[^>]*>(<input[^>]*name="candidates-0-owner_id".*?)</span></span>',
                            html, re.S).group(1)
    rod = world["people"]["Rod Beckstrom"]
    assert re.search(r'name="candidates-0-owner_id"[^>]*value="Rod Beckstrom', picker_html)
    assert f'name="candidates-0-owner_id-id" value="{rod.id}"' in picker_html
