"""The letter page: access, thread, reply links, reply decisions, files, commitments, history, query count, CSRF."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests import factories
from tests.conftest import testing_config
from tests.letters.helpers import cast, text
from tracker import create_app, events
from tracker.commitments.operations import Window
from tracker.db import StatementCounter
from tracker.letters import operations
from tracker.letters.models import Letter, LetterFile, LetterLink
from tracker.letters.routes import THREAD_DEPTH


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_every_role_sees_the_letter_page(signed_in, session, role):
    c = cast(session)
    letter = factories.letter(session, subject="Remarks to the GAC", sent_on=date(2010, 3, 11),
                              authors=[c["chris"]], recipients=[c["rod"]], body="<p>Dear Rod,</p>")
    session.commit()
    response = signed_in(role).get(f"/letters/{letter.id}")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Remarks to the GAC</h1>" in page
    assert ">11 March 2010</time>" in page
    assert "late: awaiting reply since 10 April 2010" in page
    assert "<p>Dear Rod,</p>" in page
    assert "logged the incoming letter “Remarks to the GAC”, dated 11 March 2010" in page
    assert ("Link to another letter" in page) is (role != "viewer")
    assert ("Mark “no reply needed”" in page) is (role != "viewer")


def test_participants_are_shown_with_titles_and_parties(viewer_client, session):
    c = cast(session)
    people = operations.resolve_titles(session, [operations.ParticipantInput("author", person_id=c["chris"].id),
                                                 operations.ParticipantInput("recipient", party_id=c["ceo"].id),
                                                 operations.ParticipantInput("cc", party_id=c["gnso"].id)],
                                       date(2010, 3, 11))
    letter = operations.log_letter(session, sent_on=date(2010, 3, 11), subject="Remarks", direction="incoming",
                                   participants=people)
    session.commit()
    page = text(viewer_client.get(f"/letters/{letter.id}"))
    assert re.search(r"Chris Disspain</a>, Chair, <a href=\"/parties/\d+\">ccNSO Council</a>", page)
    assert re.search(r"<dt>To</dt>\s*<dd><ul><li><a href=\"/parties/\d+\">ICANN CEO</a></li></ul></dd>", page)
    assert re.search(r"<dt>Cc</dt>\s*<dd><ul><li><a href=\"/parties/\d+\">GNSO Council</a></li></ul></dd>", page)


def test_viewer_limited_to_ccnso_gets_404_for_a_gnso_letter_and_its_files(signed_in, session):
    c = cast(session)
    ours = factories.letter(session, authors=[c["ccnso"]], recipients=[c["ceo"]])
    theirs = factories.letter(session, authors=[c["gnso"]], recipients=[c["ceo"]])
    stored = operations.attach_file(session, theirs, filename="gnso.pdf", content_type="application/pdf",
                                    data=b"%PDF", max_bytes=1000)
    session.commit()
    client = signed_in("viewer", party_ids=[c["ccnso"].id])
    assert client.get(f"/letters/{ours.id}").status_code == 200
    assert client.get(f"/letters/{theirs.id}").status_code == 404
    assert client.get(f"/letters/{theirs.id}/files/{stored.id}").status_code == 404


def test_missing_letter_is_404(viewer_client):
    assert viewer_client.get("/letters/999999").status_code == 404


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_reply_link_marks_the_letter_replied_and_both_share_the_thread(signed_in, session, role):
    c = cast(session)
    incoming = factories.letter(session, subject="Joint letter", sent_on=date(2010, 3, 25), authors=[c["ccnso"]])
    reply = factories.letter(session, subject="Thank you for your letter", sent_on=date(2010, 4, 21),
                             direction="outgoing", authors=[c["ceo"]])
    session.commit()
    client = signed_in(role)
    assert "late: awaiting reply" in text(client.get(f"/letters/{incoming.id}"))
    response = client.post(f"/letters/{reply.id}/links", data={"kind": "replies_to", "target": str(incoming.id)})
    assert response.status_code == 302
    session.refresh(incoming)
    assert incoming.reply_state == "replied"
    incoming_page = text(client.get(f"/letters/{incoming.id}"))
    # Reply-by 24 April (30 days after 25 March); the reply came on 21 April.
    assert '<span class="badge replied">replied 21 April 2010, within the reply-by date</span>' in incoming_page
    assert f'<a href="/letters/{reply.id}">Thank you for your letter</a>' in incoming_page
    assert f"replied to by #{reply.id}" in incoming_page
    assert "reply linked: Thank you for your letter" in incoming_page
    reply_page = text(client.get(f"/letters/{reply.id}"))
    assert f'<a href="/letters/{incoming.id}">Joint letter</a>' in reply_page
    assert f"replies to #{incoming.id}" in reply_page


def test_link_target_can_be_typed_by_number(editor_client, session):
    first = factories.letter(session, subject="First")
    second = factories.letter(session, subject="Second", direction="outgoing")
    session.commit()
    response = editor_client.post(f"/letters/{second.id}/links",
                                  data={"kind": "follows_up", "target": f"#{first.id}"})
    assert response.status_code == 302
    link = session.exec(select(LetterLink).where(LetterLink.from_letter_id == second.id)).one()
    assert (link.to_letter_id, link.kind) == (first.id, "follows_up")


@pytest.mark.parametrize("data, message", [
    ({"kind": "replies_to", "target": "999999"}, "there is no letter with id 999999"),
    ({"kind": "replies_to", "target": ""}, "choose a letter: type its subject or its number"),
    ({"kind": "answers", "target": "SELF"}, "Not a valid choice"),
    ({"kind": "refers_to", "target": "SELF"}, "a letter cannot be linked to itself"),
])
def test_bad_link_is_refused_with_400(editor_client, session, data, message):
    letter = factories.letter(session)
    session.commit()
    data = {key: str(letter.id) if value == "SELF" else value for key, value in data.items()}
    response = editor_client.post(f"/letters/{letter.id}/links", data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert session.exec(select(LetterLink)).all() == []


def test_no_reply_needed_with_a_reason_then_reopen(editor_client, session):
    letter = factories.letter(session, subject="For information")
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/no-reply", data={"reason": "copy for information"})
    assert response.status_code == 302
    session.refresh(letter)
    assert letter.reply_state == "no_reply_needed"
    page = text(editor_client.get(f"/letters/{letter.id}"))
    assert "marked “no reply needed”: copy for information" in page
    assert "Reopen: a reply is needed after all" in page
    assert editor_client.post(f"/letters/{letter.id}/reopen").status_code == 302
    session.refresh(letter)
    assert letter.reply_state == "awaiting_reply"
    assert [event.kind for event in events.history(session, "letter", letter.id)] == [
        "letter.logged", "letter.no_reply_needed", "letter.reply_reopened"]


def test_outgoing_letter_cannot_be_marked_no_reply_needed(editor_client, session):
    letter = factories.letter(session, direction="outgoing")
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/no-reply", data={"reason": "x"})
    assert response.status_code == 400
    assert "only incoming letters await replies" in text(response)
    session.refresh(letter)
    assert letter.reply_state is None


def test_reopening_a_letter_that_awaits_a_reply_is_refused(editor_client, session):
    letter = factories.letter(session)
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/reopen")
    assert response.status_code == 400
    assert "only a letter marked &#39;no reply needed&#39; can be reopened" in text(response)


def test_viewer_gets_403_on_letter_actions(viewer_client, session):
    letter = factories.letter(session)
    other = factories.letter(session)
    session.commit()
    assert viewer_client.post(f"/letters/{letter.id}/links",
                              data={"kind": "replies_to", "target": str(other.id)}).status_code == 403
    assert viewer_client.post(f"/letters/{letter.id}/no-reply", data={"reason": "x"}).status_code == 403
    assert viewer_client.post(f"/letters/{letter.id}/reopen").status_code == 403
    assert viewer_client.post(f"/letters/{letter.id}/files", data={"file": (io.BytesIO(b"x"), "a.txt")},
                              content_type="multipart/form-data").status_code == 403
    session.refresh(letter)
    assert letter.reply_state == "awaiting_reply"
    assert session.exec(select(LetterLink)).all() == [] and session.exec(select(LetterFile)).all() == []


def test_uploaded_file_downloads_as_an_attachment_with_its_type(editor_client, session):
    letter = factories.letter(session)
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/files",
                                  data={"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "page.html",
                                                 "text/html")},
                                  content_type="multipart/form-data")
    assert response.status_code == 302
    stored = session.exec(select(LetterFile).where(LetterFile.letter_id == letter.id)).one()
    page = text(editor_client.get(f"/letters/{letter.id}"))
    assert f'href="/letters/{letter.id}/files/{stored.id}">page.html</a>' in page
    download = editor_client.get(f"/letters/{letter.id}/files/{stored.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == "attachment; filename=page.html"
    assert download.headers["Content-Type"].startswith("text/html")
    assert download.headers["Content-Security-Policy"].startswith("sandbox")
    assert download.data == b"<html><script>alert(1)</script></html>"


def test_file_of_another_letter_is_404(viewer_client, session):
    letter = factories.letter(session)
    other = factories.letter(session)
    stored = operations.attach_file(session, other, filename="a.pdf", content_type="application/pdf", data=b"%PDF",
                                    max_bytes=100)
    session.commit()
    assert viewer_client.get(f"/letters/{letter.id}/files/{stored.id}").status_code == 404


def test_oversized_upload_shows_a_message_and_saves_nothing(editor_client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 2048)
    letter = factories.letter(session)
    session.commit()
    response = editor_client.post(f"/letters/{letter.id}/files",
                                  data={"file": (io.BytesIO(b"x" * 2049), "scan.pdf", "application/pdf")},
                                  content_type="multipart/form-data")
    assert response.status_code == 400
    assert "scan.pdf is larger than the limit of 2 KB; nothing was saved" in text(response)
    assert session.exec(select(LetterFile)).all() == []
    assert [event.kind for event in events.history(session, "letter", letter.id)] == ["letter.logged"]


def test_body_larger_than_the_request_limit_gets_413(editor_client, session, app):
    letter = factories.letter(session)
    session.commit()
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    response = editor_client.post(f"/letters/{letter.id}/files",
                                  data={"file": (io.BytesIO(b"x" * too_big), "huge.pdf", "application/pdf")},
                                  content_type="multipart/form-data")
    assert response.status_code == 413
    assert session.exec(select(LetterFile)).all() == []


def test_commitments_made_in_the_letter_link_to_their_page(viewer_client, session):
    c = cast(session)
    reply = factories.letter(session, direction="outgoing", authors=[c["ceo"]])
    commitment = factories.commitment(session, made_by=[c["ceo"]], made_to=[c["ccnso"]], source_letter_id=reply.id,
                                      title="Publish the Concept of Operations",
                                      window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    factories.commitment(session, made_by=[c["ceo"]], made_to=[c["ccnso"]], title="From elsewhere")
    session.commit()
    page = text(viewer_client.get(f"/letters/{reply.id}"))
    assert f'<a href="/commitments/{commitment.id}">Publish the Concept of Operations</a>' in page
    assert "due “in early May”" in page
    assert "From elsewhere" not in page


# --- thread ---------------------------------------------------------------------------------------------------

def _chain(session, length: int, start=date(2010, 1, 1)) -> list[Letter]:
    """letter k+1 follows up letter k."""
    letters = [factories.letter(session, subject=f"Chain {k:02d}", sent_on=start + timedelta(days=k))
               for k in range(length)]
    for earlier, later in zip(letters, letters[1:]):
        operations.link_letters(session, later, earlier, "follows_up")
    return letters


def test_thread_follows_links_both_ways_transitively_in_date_order(viewer_client, session):
    chain = _chain(session, 4)
    unrelated = factories.letter(session, subject="Unrelated")
    session.commit()
    page = text(viewer_client.get(f"/letters/{chain[1].id}"))
    thread = page.split("<h2>Thread</h2>")[1].split("</section>")[0]
    positions = [thread.index(f"Chain {k:02d}") for k in range(4)]
    assert positions == sorted(positions)
    assert "(this letter)" in thread
    assert f"follows up #{chain[0].id}" in thread and f"followed up by #{chain[2].id}" in thread
    assert unrelated.subject not in thread


def test_thread_stops_at_the_depth_bound(viewer_client, session):
    chain = _chain(session, THREAD_DEPTH + 3)
    session.commit()
    page = text(viewer_client.get(f"/letters/{chain[0].id}"))
    thread = page.split("<h2>Thread</h2>")[1].split("</section>")[0]
    assert f"Chain {THREAD_DEPTH:02d}" in thread
    assert f"Chain {THREAD_DEPTH + 1:02d}" not in thread


def test_limited_viewer_does_not_see_other_parties_letters_in_the_thread(signed_in, session):
    c = cast(session)
    ours = factories.letter(session, subject="ccNSO letter", authors=[c["ccnso"]])
    theirs = factories.letter(session, subject="GNSO letter", authors=[c["gnso"]])
    operations.link_letters(session, theirs, ours, "refers_to")
    session.commit()
    page = text(signed_in("viewer", party_ids=[c["ccnso"].id]).get(f"/letters/{ours.id}"))
    assert "GNSO letter" not in page


def test_a_hidden_letter_does_not_connect_two_visible_ones_in_the_thread(signed_in, session):
    c = cast(session)
    first = factories.letter(session, subject="First ccNSO letter", authors=[c["ccnso"]])
    hidden = factories.letter(session, subject="GNSO letter between", authors=[c["gnso"]])
    last = factories.letter(session, subject="Second ccNSO letter", authors=[c["ccnso"]])
    operations.link_letters(session, hidden, first, "refers_to")
    operations.link_letters(session, last, hidden, "refers_to")
    session.commit()
    page = text(signed_in("viewer", party_ids=[c["ccnso"].id]).get(f"/letters/{first.id}"))
    assert "GNSO letter between" not in page and "Second ccNSO letter" not in page
    assert "Second ccNSO letter" in text(signed_in("editor").get(f"/letters/{first.id}"))


def _statements_for_page(client, session, letter_id: int) -> int:
    with StatementCounter(session.get_bind().engine) as counter:
        assert client.get(f"/letters/{letter_id}").status_code == 200
    return counter.count


def test_letter_page_statement_count_does_not_grow_with_a_wide_thread(viewer_client, session):
    root = factories.letter(session, subject="Root")
    for _ in range(2):
        operations.link_letters(session, factories.letter(session, direction="outgoing"), root, "refers_to")
    session.commit()
    small = _statements_for_page(viewer_client, session, root.id)
    assert small > 5
    for _ in range(15):
        operations.link_letters(session, factories.letter(session, direction="outgoing"), root, "refers_to")
    session.commit()
    assert _statements_for_page(viewer_client, session, root.id) == small


def test_letter_page_statement_count_does_not_grow_with_a_chain_beyond_the_depth(viewer_client, session):
    chain = _chain(session, THREAD_DEPTH + 2)
    session.commit()
    bounded = _statements_for_page(viewer_client, session, chain[0].id)
    longer = _chain(session, THREAD_DEPTH + 15, start=date(2009, 1, 1))
    session.commit()
    assert _statements_for_page(viewer_client, session, longer[0].id) == bounded


# --- CSRF -----------------------------------------------------------------------------------------------------

def test_post_without_csrf_token_is_refused_when_csrf_is_on(database_url, session):
    app = create_app(testing_config(database_url, WTF_CSRF_ENABLED=True))
    app.extensions["db"].session_override = session
    user = factories.user(session, role="editor")
    letter = factories.letter(session)
    session.commit()
    client = app.test_client()
    sign_in_page = text(client.get("/sign-in"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in_page).group(1)
    signed = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token})
    assert signed.status_code == 302
    refused = client.post(f"/letters/{letter.id}/no-reply", data={"reason": "no token"})
    assert refused.status_code == 400
    assert "The form expired or was not ours" in text(refused)
    session.refresh(letter)
    assert letter.reply_state == "awaiting_reply"
    page = text(client.get(f"/letters/{letter.id}"))
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(f"/letters/{letter.id}/no-reply", data={"reason": "with token", "csrf_token": form_token})
    assert accepted.status_code == 302
