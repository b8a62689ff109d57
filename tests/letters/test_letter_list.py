"""The letter list: roles, limited viewers, filters, pagination, bad filters, one query for participants."""
from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.letters.helpers import cast, text
from tracker.db import StatementCounter
from tracker.letters import operations


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_every_role_sees_letters_with_date_precision_participants_and_reply_badge(signed_in, session, role):
    c = cast(session)
    factories.letter(session, subject="Joint letter on DNS-CERT", sent_on=date(2010, 3, 25), date_precision="month",
                     authors=[c["chris"], c["gnso"]], recipients=[c["ceo"]])
    factories.letter(session, subject="Remarks to the GAC", sent_on=date(2010, 3, 11), authors=[c["ccnso"]],
                     recipients=[c["rod"]])
    session.commit()
    response = signed_in(role).get("/letters/")
    assert response.status_code == 200
    page = text(response)
    assert "Joint letter on DNS-CERT" in page and "Remarks to the GAC" in page
    assert "<td>March 2010</td>" in page and "<td>11 March 2010</td>" in page
    assert "Chris Disspain" in page and "GNSO" in page and "Rod Beckstrom" in page
    # 11 March + 30 days = 10 April, before today (12 May 2010): late
    assert "late: awaiting reply since 10 April 2010" in page
    assert ("Log a letter" in page) is (role != "viewer")


def test_viewer_limited_to_ccnso_does_not_see_a_gnso_letter_in_the_list(signed_in, session):
    c = cast(session)
    factories.letter(session, subject="ccNSO objection", authors=[c["ccnso"]], recipients=[c["ceo"]])
    factories.letter(session, subject="GNSO request", authors=[c["gnso"]], recipients=[c["ceo"]])
    session.commit()
    page = text(signed_in("viewer", party_ids=[c["ccnso"].id]).get("/letters/"))
    assert "ccNSO objection" in page
    assert "GNSO request" not in page


def test_filters_by_party_direction_and_subject(viewer_client, session):
    c = cast(session)
    factories.letter(session, subject="ccNSO objection", authors=[c["ccnso"]], recipients=[c["ceo"]])
    factories.letter(session, subject="Reply to the ccNSO", direction="outgoing", authors=[c["ceo"]],
                     recipients=[c["ccnso"]])
    factories.letter(session, subject="GNSO request", authors=[c["gnso"]], recipients=[c["ceo"]])
    session.commit()
    page = text(viewer_client.get(f"/letters/?party={c['ccnso'].id}"))
    assert "ccNSO objection" in page and "Reply to the ccNSO" in page and "GNSO request" not in page
    page = text(viewer_client.get(f"/letters/?party={c['ccnso'].id}&direction=outgoing"))
    assert "Reply to the ccNSO" in page and "ccNSO objection" not in page
    page = text(viewer_client.get("/letters/?q=REQUEST"))
    assert "GNSO request" in page and "ccNSO objection" not in page


def test_reply_filter_separates_awaiting_late_replied_and_no_reply_needed(viewer_client, session):
    c = cast(session)
    # Today is 12 May 2010; reply-by is 30 days after the letter date.
    factories.letter(session, subject="Late one", sent_on=date(2010, 3, 1), authors=[c["ccnso"]])
    factories.letter(session, subject="Still in time", sent_on=date(2010, 5, 1), authors=[c["ccnso"]])
    answered = factories.letter(session, subject="Answered one", sent_on=date(2010, 3, 2), authors=[c["gnso"]])
    reply = factories.letter(session, subject="Our reply", direction="outgoing", authors=[c["ceo"]])
    operations.link_letters(session, reply, answered, "replies_to")
    skipped = factories.letter(session, subject="Courtesy copy", authors=[c["gnso"]])
    operations.mark_no_reply_needed(session, skipped, "for information")
    session.commit()
    subjects = ["Late one", "Still in time", "Answered one", "Courtesy copy", "Our reply"]

    def shown(reply_filter):
        page = text(viewer_client.get(f"/letters/?reply_state={reply_filter}"))
        return [subject for subject in subjects if subject in page]

    assert shown("late") == ["Late one"]
    assert shown("awaiting_reply") == ["Late one", "Still in time"]
    assert shown("replied") == ["Answered one"]
    assert shown("no_reply_needed") == ["Courtesy copy"]


def test_pages_of_page_size_keep_the_filters(viewer_client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    c = cast(session)
    for day in (1, 2, 3, 4, 5):
        factories.letter(session, subject=f"Letter of {day} April", sent_on=date(2010, 4, day), authors=[c["ccnso"]])
    factories.letter(session, subject="Other party", sent_on=date(2010, 4, 6), authors=[c["gnso"]])
    session.commit()
    first = text(viewer_client.get(f"/letters/?party={c['ccnso'].id}"))
    assert "Letter of 5 April" in first and "Letter of 4 April" in first and "Letter of 3 April" not in first
    assert "5 letters, page 1 of 3" in first
    assert f"party={c['ccnso'].id}" in first and "page=2" in first
    third = text(viewer_client.get(f"/letters/?party={c['ccnso'].id}&page=3"))
    assert "Letter of 1 April" in third and "Letter of 2 April" not in third


@pytest.mark.parametrize("query, message", [
    ("direction=sideways", "direction must be one of: incoming, outgoing, between_others (got &#39;sideways&#39;)"),
    ("reply_state=soon", "reply_state must be one of: awaiting_reply, replied, no_reply_needed, late (got &#39;soon&#39;)"),
    ("party=ccnso", "party must be a number from 1 to 2147483647, got &#39;ccnso&#39;"),
    ("page=0", "page must be a number from 1 to 2147483647, got &#39;0&#39;"),
])
def test_bad_filter_value_is_400_with_a_message(viewer_client, query, message):
    response = viewer_client.get(f"/letters/?{query}")
    assert response.status_code == 400
    assert message in text(response)


def test_list_loads_participants_of_the_whole_page_in_one_query(viewer_client, session):
    c = cast(session)

    def statements():
        with StatementCounter(session.get_bind().engine) as counter:
            assert viewer_client.get("/letters/").status_code == 200
        return counter.count

    factories.letter(session, authors=[c["chris"]], recipients=[c["ceo"]])
    session.commit()
    few = statements()
    assert few > 3
    for _ in range(8):
        factories.letter(session, authors=[c["ccnso"], c["chris"]], recipients=[c["rod"]])
    session.commit()
    assert statements() == few
