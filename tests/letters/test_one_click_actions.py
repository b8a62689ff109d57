"""From a letter page, staff start a commitment or log the reply in one click, with the forms already filled;
readers see neither link, and a hidden or missing letter in a crafted link answers 404."""
from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories
from tests.letters.helpers import text
from tracker.letters import operations
from tracker.letters.forms import reply_direction, reply_subject
from tracker.letters.models import LetterLink


@pytest.fixture()
def exchange(session):
    """The ccNSO chair writes to the CEO; the ccNSO's default owner is a member of staff."""
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    ceo = factories.party(session, name="CEO's office", short_name="CEO", kind="staff", is_internal=True)
    chris = factories.person(session, name="Chris Disspain")
    rod = factories.person(session, name="Rod Beckstrom", is_staff=True)
    bart = factories.person(session, name="Bart Boswinkel", is_staff=True)
    ccnso.default_owner_id = bart.id
    session.add(ccnso)
    letter = operations.log_letter(
        session, sent_on=date(2010, 3, 11), subject="Remarks to the GAC", direction="incoming",
        participants=[operations.ParticipantInput("author", party_id=ccnso.id, person_id=chris.id, title="Chair"),
                      operations.ParticipantInput("recipient", party_id=ceo.id, person_id=rod.id, title="CEO"),
                      operations.ParticipantInput("recipient", party_id=gnso.id)])
    session.commit()
    return dict(ccnso=ccnso, gnso=gnso, ceo=ceo, chris=chris, rod=rod, bart=bart, letter=letter)


def _link(page: str, label: str) -> tuple[str, dict]:
    found = re.search(r'<a class="button[^"]*" href="([^"]+)">' + re.escape(label) + "</a>", page)
    assert found, f"no link “{label}”"
    url = html.unescape(found.group(1))
    return urlsplit(url).path, parse_qs(urlsplit(url).query)


# --- pure decisions ------------------------------------------------------------------------------------------

def test_a_reply_subject_starts_with_re_once():
    assert reply_subject("Remarks to the GAC") == "Re: Remarks to the GAC"
    assert reply_subject("Re: Remarks to the GAC") == "Re: Remarks to the GAC"
    assert reply_subject("RE:Remarks") == "RE:Remarks"
    assert reply_subject("Reply to the ccNSO") == "Re: Reply to the ccNSO"
    assert len(reply_subject("x" * 500)) == 500


def test_a_reply_goes_the_other_way():
    assert [reply_direction(d) for d in ("incoming", "outgoing", "between_others")] == \
        ["outgoing", "incoming", "between_others"]


# --- the letter page -----------------------------------------------------------------------------------------

def test_editors_get_a_new_commitment_link_filled_from_the_letter(editor_client, exchange):
    letter = exchange["letter"]
    path, query = _link(text(editor_client.get(f"/letters/{letter.id}")), "New commitment from this letter")
    assert path == "/commitments/new"
    # An incoming letter asks something of us: a request, made by its authors to its recipients; our signatory
    # who received it owns it.
    assert query == {"source_letter_id": [str(letter.id)], "kind": ["request"],
                     "made_by": [str(exchange["ccnso"].id)],
                     "made_to": [str(exchange["ceo"].id), str(exchange["gnso"].id)],
                     "owner": [str(exchange["rod"].id)]}


def test_an_outgoing_letter_starts_a_promise_owned_by_the_recipients_default_owner(editor_client, session, exchange):
    reply = operations.log_letter(
        session, sent_on=date(2010, 4, 21), subject="Your letter", direction="outgoing",
        participants=[operations.ParticipantInput("author", party_id=exchange["ceo"].id),
                      operations.ParticipantInput("recipient", party_id=exchange["ccnso"].id)])
    session.commit()
    _path, query = _link(text(editor_client.get(f"/letters/{reply.id}")), "New commitment from this letter")
    assert query["kind"] == ["promise"]
    assert query["owner"] == [str(exchange["bart"].id)]


def test_the_new_commitment_form_opens_filled_and_saves_as_shown(editor_client, session, exchange):
    from sqlmodel import select

    from tracker.commitments.models import Commitment

    letter = exchange["letter"]
    page_url = re.search(r'href="([^"]+)">New commitment from this letter',
                         text(editor_client.get(f"/letters/{letter.id}"))).group(1)
    form = text(editor_client.get(html.unescape(page_url)))
    assert '<option selected value="request">' in form
    assert f'name="source_letter_id-id" value="{letter.id}"' in form
    assert re.search(rf'name="made_by" value="{exchange["ccnso"].id}" checked> ccNSO Council', form)
    assert re.search(rf'name="made_to" value="{exchange["gnso"].id}" checked> GNSO Council', form)
    assert f'name="owner_id-id" value="{exchange["rod"].id}"' in form
    response = editor_client.post("/commitments/new", data={
        "kind": "request", "title": "Publish the studies", "source_letter_id": f"#{letter.id}",
        "made_by": [str(exchange["ccnso"].id)], "made_to": [str(exchange["ceo"].id)],
        "owner_id": "Rod Beckstrom", "due_phrase": "by end of April"})
    assert response.status_code == 302, text(response)
    saved = session.exec(select(Commitment).where(Commitment.title == "Publish the studies")).one()
    assert (saved.source_letter_id, saved.owner_id, saved.kind) == (letter.id, exchange["rod"].id, "request")


def test_the_new_commitment_form_takes_the_chosen_partys_default_owner(editor_client, exchange):
    form = text(editor_client.get(f"/commitments/new?kind=promise&made_by={exchange['ceo'].id}"
                                  f"&made_to={exchange['ccnso'].id}"))
    assert f'name="owner_id-id" value="{exchange["bart"].id}"' in form
    assert 'value="Bart Boswinkel"' in form


def test_an_owner_given_in_the_link_wins_and_bad_values_are_ignored(editor_client, exchange):
    form = text(editor_client.get(f"/commitments/new?kind=nonsense&made_to={exchange['ccnso'].id}&made_to=abc"
                                  f"&made_by=999999&owner={exchange['rod'].id}"))
    assert '<option selected value="promise">' in form
    assert f'name="owner_id-id" value="{exchange["rod"].id}"' in form
    assert 'name="made_by" value="999999"' not in form
    assert re.search(rf'name="made_to" value="{exchange["ccnso"].id}" checked>', form)


def test_a_missing_source_letter_or_one_that_is_not_an_id_answers_404(editor_client, exchange):
    assert editor_client.get("/commitments/new?source_letter_id=999999").status_code == 404
    assert editor_client.get("/letters/new?replies_to=999999").status_code == 404
    assert editor_client.get("/commitments/new?source_letter_id=abc").status_code == 404


def test_the_reply_link_fills_the_new_letter_form_the_other_way_round(editor_client, exchange):
    letter = exchange["letter"]
    path, query = _link(text(editor_client.get(f"/letters/{letter.id}")), "Log the reply")
    assert path == "/letters/new"
    assert query == {"replies_to": [str(letter.id)], "subject": ["Re: Remarks to the GAC"],
                     "direction": ["outgoing"], "author_parties": [str(exchange["gnso"].id)],
                     "author_people": [str(exchange["rod"].id)], "recipient_people": [str(exchange["chris"].id)]}


def test_the_reply_form_opens_filled_without_a_date_and_saving_links_the_reply(editor_client, session, exchange):
    letter = exchange["letter"]
    url = html.unescape(re.search(r'href="([^"]+)">Log the reply', text(editor_client.get(f"/letters/{letter.id}")))
                        .group(1))
    form = text(editor_client.get(url))
    assert 'value="Re: Remarks to the GAC"' in form
    assert '<option selected value="outgoing">' in form
    assert f'name="replies_to-id" value="{letter.id}"' in form
    assert re.search(rf'name="recipient_people" value="{exchange["chris"].id}" checked> Chris Disspain', form)
    assert re.search(rf'name="author_people" value="{exchange["rod"].id}" checked> Rod Beckstrom', form)
    sent_on = re.search(r'<input[^>]*name="sent_on"[^>]*>', form).group(0)
    assert not re.search(r'value="[^"]', sent_on), sent_on
    response = editor_client.post("/letters/new", data={
        "replies_to": f"#{letter.id}", "sent_on": "2010-04-21", "subject": "Re: Remarks to the GAC",
        "direction": "outgoing", "author_people": [str(exchange["rod"].id)],
        "recipient_people": [str(exchange["chris"].id)]})
    assert response.status_code == 302, text(response)
    session.refresh(letter)
    assert letter.reply_state == "replied"
    from sqlmodel import select

    link = session.exec(select(LetterLink).where(LetterLink.to_letter_id == letter.id)).one()
    assert link.kind == "replies_to"


def test_a_reply_to_an_unknown_letter_is_refused_beside_the_field_and_nothing_saved(editor_client, session, exchange):
    from sqlmodel import func, select

    from tracker.letters.models import Letter

    before = session.exec(select(func.count()).select_from(Letter)).one()
    response = editor_client.post("/letters/new", data={
        "replies_to": "#999999", "sent_on": "2010-04-21", "subject": "Re: something", "direction": "outgoing",
        "author_people": [str(exchange["rod"].id)]})
    assert response.status_code == 400
    page = text(response)
    assert 'id="replies_to-error"' in page and 'value="Re: something"' in page
    assert session.exec(select(func.count()).select_from(Letter)).one() == before


def test_readers_see_neither_link(viewer_client, exchange):
    page = text(viewer_client.get(f"/letters/{exchange['letter'].id}"))
    assert "Remarks to the GAC" in page
    assert "New commitment from this letter" not in page and "Log the reply" not in page
    assert "/commitments/new" not in page and "/letters/new" not in page


def test_a_limited_reader_opening_a_crafted_form_link_is_refused(signed_in, exchange):
    limited = signed_in("viewer", party_ids=[exchange["ccnso"].id])
    assert limited.get(f"/commitments/new?source_letter_id={exchange['letter'].id}").status_code == 403
    assert limited.get(f"/letters/new?replies_to={exchange['letter'].id}").status_code == 403
