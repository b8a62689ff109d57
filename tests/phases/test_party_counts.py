"""The party page counts the party's commitments per phase, as the Board Advice Register does; each count opens
the commitments list of that party and phase, and nothing a reader may not see is counted."""
from __future__ import annotations

import html as html_text
import re

from flask import url_for

from tests import factories
from tests.phases.conftest import request_of
from tracker import access
from tracker.phases import operations
from tracker.phases import queries as phase_queries
from tracker.phases.related import counts_for_party


def counts_on(page: str) -> dict[str, tuple[int, str]]:
    """{phase name: (count, link)} from the party page's phase line."""
    block = re.search(r'<nav class="summary phase-counts" id="phase-counts".*?</nav>', page, re.S)
    assert block, "no phase counts on the page"
    found = {}
    for href, name, count in re.findall(r'<a href="([^"]*)" data-phase-id="\d+">([^<]*?) <strong>(\d+)</strong></a>',
                                        block.group(0)):
        found[html_text.unescape(name)] = (int(count), html_text.unescape(href))
    return found


def place(session, phase, *commitments):
    for commitment in commitments:
        operations.place_commitment(session, commitment, phase.id)


def test_the_party_page_counts_its_commitments_per_phase_and_links_each_count(app, editor_client, session, register,
                                                                             ccnso, gnso, ceo):
    place(session, register["Receive & Acknowledge"], *[request_of(session, [ccnso], [ceo]) for _ in range(3)])
    place(session, register["Understand"], request_of(session, [ccnso], [ceo]))
    place(session, register["Understand"], request_of(session, [gnso], [ceo]))  # another party's
    request_of(session, [ccnso], [ceo])  # in no phase: not counted
    session.commit()

    counts = counts_on(editor_client.get(f"/parties/{ccnso.id}").get_data(as_text=True))

    assert {name: count for name, (count, _link) in counts.items()} == {
        "Receive & Acknowledge": 3, "Understand": 1, "Evaluate & Consider": 0, "Implement": 0, "Close": 0}
    assert list(counts) == list(register)  # in the register's order
    with app.test_request_context():
        expected = url_for("commitments.index", party=ccnso.id, phase=register["Understand"].id)
    assert counts["Understand"][1] == expected
    # The link opens exactly the rows it counted.
    listed = editor_client.get(counts["Receive & Acknowledge"][1]).get_data(as_text=True)
    assert len(re.findall(r'data-commitment-id="\d+"', listed)) == 3


def test_a_retired_phase_is_counted_only_while_it_holds_commitments(editor_client, session, register, ccnso, ceo):
    place(session, register["Close"], request_of(session, [ccnso], [ceo]))
    operations.retire_phase(session, register["Implement"])
    operations.retire_phase(session, register["Close"])
    session.commit()
    counts = counts_on(editor_client.get(f"/parties/{ccnso.id}").get_data(as_text=True))
    assert "Implement" not in counts and "Implement (retired)" not in counts
    assert counts["Close (retired)"][0] == 1


def test_both_kinds_are_counted_on_their_own_lines(editor_client, session, register, ccnso, ceo):
    under_way = operations.create_phase(session, kind="promise", name="Under way")
    place(session, under_way, factories.commitment(session, made_by=[ceo], made_to=[ccnso]))
    session.commit()
    page = editor_client.get(f"/parties/{ccnso.id}").get_data(as_text=True)
    assert "Requests by phase:" in page and "Promises by phase:" in page
    assert page.index("Requests by phase:") < page.index("Promises by phase:")
    assert counts_on(page)["Under way"][0] == 1


def test_a_limited_viewer_never_sees_a_hidden_partys_commitments_counted_or_listed(signed_in, session, register,
                                                                                  ccnso, gnso, ceo):
    mine = request_of(session, [ccnso], [ceo], title="ccNSO request")
    hidden = request_of(session, [gnso], [ceo], title="ZZHIDDEN GNSO request")
    joint = request_of(session, [ccnso, gnso], [ceo], title="Joint request")
    place(session, register["Understand"], mine, hidden, joint)
    session.commit()
    viewer = signed_in("viewer", party_ids=[ccnso.id])
    understand = register["Understand"].id

    counts = counts_on(viewer.get(f"/parties/{ccnso.id}").get_data(as_text=True))
    assert counts["Understand"][0] == 2  # its own and the joint one, never the GNSO's alone

    assert viewer.get(f"/parties/{gnso.id}").status_code == 404
    for url in (f"/commitments/?phase={understand}", f"/commitments/?phase={understand}&party={gnso.id}",
                f"/api/commitments?phase={understand}", f"/commitments/export.csv?phase={understand}",
                f"/api/commitments?phase={understand}&party={gnso.id}"):
        body = viewer.get(url).get_data(as_text=True)
        assert "ZZHIDDEN" not in body and f"/commitments/{hidden.id}\"" not in body, url
    listed = viewer.get(f"/api/commitments?phase={understand}").get_json()
    assert sorted(item["id"] for item in listed["items"]) == sorted([mine.id, joint.id])
    # The GNSO's commitments as this viewer may count them: the joint one only; nobody signed in counts nothing.
    as_ccnso = access.Viewer(role="viewer", party_ids=frozenset({ccnso.id}))
    assert dict(session.exec(phase_queries.counts_for_party(gnso.id, as_ccnso)).all()) == {understand: 1}
    assert [count for _kind, rows in counts_for_party(session, ccnso.id, access.NOBODY) for _p, count in rows
            ] == [0] * 5
