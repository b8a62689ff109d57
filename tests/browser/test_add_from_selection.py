"""Intake in a real browser: select a sentence of the CEO's reply that the reading did not propose, press
"Add as commitment", find a new row filled from it (quote, title, due phrase read by the grammar, sides and
owner as for every candidate), save, and find the commitment on the letter's page."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from tests.intake.helpers import REPLY, SEEDS, seed_world
from tracker.commitments.models import Commitment, CommitmentParty

pytestmark = pytest.mark.browser

SENTENCE = ("As you know, the public comment deadline was extended until 14 April and we are continuing to gather "
            "perspectives.")

SELECT_SENTENCE = """(sentence) => {
  const body = document.querySelector("[data-review-text]");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (node.data.indexOf(sentence) >= 0) {
      const at = node.data.indexOf(sentence);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + sentence.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""


@pytest.fixture()
def world(live_server):
    with live_server.session() as session:
        created = seed_world(session)
        return {"ceo": created["parties"]["CEO"].id, "ccnso": created["parties"]["ccNSO"].id,
                "rod": created["people"]["Rod Beckstrom"].id}


def test_editor_selects_a_sentence_adds_it_as_a_commitment_and_saves_it(live_server, signed_in_page, world):
    page = signed_in_page("editor")
    page.goto(f"{live_server.url}/intake/")
    page.set_input_files("input[name=file]", str(SEEDS / REPLY))
    with page.expect_navigation():
        page.click("form[action$='/intake/'] button[type=submit]")
    assert page.locator("fieldset[id^=review-candidate-]").count() == 2
    added_rows = page.locator("fieldset[data-added-row]")
    assert added_rows.count() == 1  # the blank row

    # Nothing selected: the page says so and adds nothing.
    button = page.get_by_role("button", name="Add as commitment")
    assert button.is_visible()
    button.click()
    assert "Select a sentence in the text first." in page.inner_text("[data-add-selection-message]")
    assert added_rows.count() == 1

    assert page.evaluate(SELECT_SENTENCE, SENTENCE)
    button.click()
    assert added_rows.count() == 2
    row = added_rows.nth(0)  # the new row comes before the blank one
    quote = row.locator("textarea[name$='-quote']")
    assert " ".join(quote.input_value().split()) == SENTENCE
    due_phrase = row.locator("input[name$='-due_phrase']")
    page.wait_for_function("el => el.value !== ''", arg=due_phrase.element_handle())
    assert due_phrase.input_value() == "extended until 14 April"
    assert "2010-04-14" in row.locator("[data-due-preview]").inner_text()
    title = row.locator("input[name$='-title']").input_value()
    assert title.startswith("As you know, the public comment deadline") and "14 April" not in title
    # An outgoing letter: a promise by the CEO's office to the chairs' groups, owned by its signatory.
    assert row.locator("select[name$='-kind']").input_value() == "promise"
    assert row.locator(f"input[name$='-made_by'][value='{world['ceo']}']").is_checked()
    assert row.locator(f"input[name$='-made_to'][value='{world['ccnso']}']").is_checked()
    assert row.locator("input[name$='-owner_id-id']").input_value() == str(world["rod"])
    number = re.match(r"candidates-(\d+)-quote", quote.get_attribute("name")).group(1)
    assert int(number) > 2  # after the two candidates and the blank row

    row.locator("input[name$='-title']").fill("Keep gathering perspectives after the deadline")
    with page.expect_navigation():
        page.click("form[action$='/intake/save'] button[type=submit]")
    assert re.search(r"/letters/\d+$", page.url), page.url
    assert "with 3 commitment(s)" in page.inner_text("body")
    assert page.locator("section.commitments li a", has_text="Keep gathering perspectives").count() == 1

    with live_server.session() as session:
        saved = session.exec(select(Commitment).where(
            Commitment.title == "Keep gathering perspectives after the deadline")).one()
        assert (saved.kind, saved.due_phrase, saved.due_latest, saved.due_precision, saved.owner_id) == (
            "promise", "extended until 14 April", date(2010, 4, 14), "day", world["rod"])
        assert " ".join(saved.quote.split()) == SENTENCE
        sides = {(s.side, s.party_id) for s in session.exec(
            select(CommitmentParty).where(CommitmentParty.commitment_id == saved.id))}
        assert ("by", world["ceo"]) in sides and ("to", world["ccnso"]) in sides
