"""Commitments the reading missed: one blank row on the review page (no script needed), saved only when filled,
through the same checks as every candidate; and the owner rule prefills every row."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.intake.helpers import CCNSO, REPLY, seed_bytes, seed_world
from tests.intake.test_routes import review_fields, upload
from tracker.commitments.models import Commitment, CommitmentParty

SENTENCE = "We will send you the list of attendees by 30 April 2010."


@pytest.fixture()
def world(session):
    created = seed_world(session)
    session.commit()
    return created


def _added_number(html: str) -> int:
    found = re.findall(r'name="candidates-(\d+)-added"[^>]*value="y"', html)
    assert len(found) == 1, found
    return int(found[0])


def test_the_review_page_offers_one_blank_row_with_quote_title_kind_and_due_phrase(editor_client, world):
    html = upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True)
    n = _added_number(html)
    assert n == html.count('class="intake-row" id="review-candidate-')
    row = re.search(r'<fieldset class="intake-row intake-added".*?</fieldset>', html, re.S).group(0)
    for name in ("quote", "title", "kind", "due_phrase", "made_by", "made_to", "owner_id"):
        assert f'name="candidates-{n}-{name}"' in row, name
    assert re.search(rf'<textarea[^>]*name="candidates-{n}-quote"[^>]*>\s*</textarea>', row)
    # An incoming letter: a request by the ccNSO of the CEO, owned by the CEO who received it.
    assert '<option selected value="request">' in row
    assert re.search(rf'name="candidates-{n}-made_by" value="{world["parties"]["ccNSO"].id}" checked', row)
    assert re.search(rf'name="candidates-{n}-made_to" value="{world["parties"]["CEO"].id}" checked', row)
    assert f'name="candidates-{n}-owner_id-id" value="{world["people"]["Rod Beckstrom"].id}"' in row
    # The button that adds a selection is the script's; without it the page says nothing about it.
    assert re.search(r'<p class="intake-select-hint" data-add-selection-tools hidden>', html)
    assert '/static/review.js' in html


def test_a_blank_row_left_blank_saves_nothing_more(editor_client, session, world):
    html = upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True)
    fields = review_fields(html)
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    assert len(session.exec(select(Commitment)).all()) == 3


def test_a_filled_row_is_saved_with_its_window_read_from_the_phrase_and_a_title_from_the_quote(
        editor_client, session, world):
    html = upload(editor_client, seed_bytes(REPLY), "reply.txt").get_data(as_text=True)
    n = _added_number(html)
    fields = review_fields(html)
    assert fields[f"candidates-{n}-kind"] == ["promise"]  # an outgoing letter
    fields[f"candidates-{n}-quote"] = [SENTENCE]
    fields[f"candidates-{n}-due_phrase"] = ["by 30 April 2010"]
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    added = session.exec(select(Commitment).where(Commitment.quote == SENTENCE)).one()
    assert (added.kind, added.due_phrase, str(added.due_latest), added.due_precision) == (
        "promise", "by 30 April 2010", "2010-04-30", "day")
    assert added.title == "We will send you the list of attendees"  # the due phrase left out
    assert added.owner_id == world["people"]["Rod Beckstrom"].id
    sides = {(s.side, s.party_id) for s in session.exec(
        select(CommitmentParty).where(CommitmentParty.commitment_id == added.id))}
    assert ("by", world["parties"]["CEO"].id) in sides and ("to", world["parties"]["ccNSO"].id) in sides


def test_an_added_row_without_an_owner_gets_one_by_the_owner_rule_on_save(editor_client, session, world):
    html = upload(editor_client, seed_bytes(REPLY), "reply.txt").get_data(as_text=True)
    n = _added_number(html)
    fields = review_fields(html)
    fields[f"candidates-{n}-title"] = ["Send the list of attendees"]
    fields[f"candidates-{n}-owner_id"] = [""]
    fields[f"candidates-{n}-owner_id-id"] = [""]
    assert editor_client.post("/intake/save", data=fields).status_code == 302
    added = session.exec(select(Commitment).where(Commitment.title == "Send the list of attendees")).one()
    assert added.owner_id == world["people"]["Rod Beckstrom"].id
    assert (added.due_phrase, added.due_precision) == ("", "vague")


def test_an_added_row_goes_through_the_same_checks_and_a_refusal_keeps_every_input(editor_client, session, world):
    html = upload(editor_client, seed_bytes(REPLY), "reply.txt").get_data(as_text=True)
    n = _added_number(html)
    fields = review_fields(html)
    fields[f"candidates-{n}-quote"] = ["We will report back by 31 April 2010."]
    fields[f"candidates-{n}-title"] = ["Report back"]
    fields[f"candidates-{n}-due_phrase"] = ["by 31 April 2010"]
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="candidates-{n}-due_phrase-error"' in page and "31 April 2010 does not exist" in page
    assert 'value="by 31 April 2010"' in page and "We will report back by 31 April 2010." in page
    assert session.exec(select(Commitment)).all() == []
    # Still one blank row to add another, after the one that was refused.
    assert re.findall(r'name="candidates-(\d+)-added"[^>]*value="y"', page) == [str(n), str(n + 1)]


def test_an_added_row_of_an_unknown_kind_is_refused_like_any_candidate(editor_client, session, world):
    html = upload(editor_client, seed_bytes(REPLY), "reply.txt").get_data(as_text=True)
    n = _added_number(html)
    fields = review_fields(html)
    fields[f"candidates-{n}-title"] = ["Report back"]
    fields[f"candidates-{n}-kind"] = ["nonsense"]
    response = editor_client.post("/intake/save", data=fields)
    assert response.status_code == 400
    assert session.exec(select(Commitment)).all() == []


def test_candidates_take_the_default_owner_of_the_group_when_nobody_of_ours_signed(editor_client, session, world):
    from tracker.parties.operations import create_person

    bart = create_person(session, name="Bart Boswinkel", is_staff=True)
    world["parties"]["ccNSO"].default_owner_id = bart.id
    world["parties"]["CEO"].is_internal = False  # nobody on the receiving side is ours
    session.add_all([world["parties"]["ccNSO"], world["parties"]["CEO"]])
    session.commit()
    html = upload(editor_client, seed_bytes(CCNSO), "ccnso.txt").get_data(as_text=True)
    owners = re.findall(r'name="candidates-\d+-owner_id-id" value="(\d*)"', html)
    assert owners and set(owners) == {str(bart.id)}
