"""Comment period pages: current close from extensions, submissions, the sanitised summary, editors' forms."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import func, select

from tests import factories
from tracker.consultations import operations
from tracker.consultations.models import CommentPeriod, CommentPeriodExtension, Submission
from tracker.db import StatementCounter


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def row_of(html: str, period_id: int) -> str:
    match = re.search(rf'<tr data-period-id="{period_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for comment period {period_id}"
    return match.group(1)


@pytest.fixture()
def ssr(session):
    period = operations.open_comment_period(session, title="SSR Strategic Initiatives", opens_on=date(2010, 2, 12),
                                            closes_on=date(2010, 3, 29))
    session.commit()
    return period


def test_list_shows_original_and_current_close_and_submission_count(session, viewer_client, ssr):
    operations.extend(session, ssr, new_closes_on=date(2010, 4, 9), current_close=date(2010, 3, 29))
    operations.extend(session, ssr, new_closes_on=date(2010, 4, 14), current_close=date(2010, 4, 9))
    for author in ("Afilias", "Nominet", "JPRS"):
        operations.add_submission(session, ssr, author=author, submitted_on=date(2010, 3, 20))
    plain = operations.open_comment_period(session, title="DNS-CERT Business Case", opens_on=date(2010, 2, 12),
                                           closes_on=date(2010, 3, 29))
    session.commit()

    html = viewer_client.get("/comment-periods/").get_data(as_text=True)

    row = row_of(html, ssr.id)
    assert "<td>12 February 2010</td>" in row and "<td>29 March 2010</td>" in row
    assert '<td class="current-close">14 April 2010 <span class="badge due_soon">extended</span></td>' in row
    assert '<td class="submissions">3</td>' in row
    assert '<td class="current-close">29 March 2010</td>' in row_of(html, plain.id)
    assert '<td class="submissions">0</td>' in row_of(html, plain.id)


def test_list_uses_a_fixed_number_of_queries_however_many_periods(app, session, viewer_client, ssr):
    def statements() -> int:
        with StatementCounter(app.extensions["db"].engine) as counter:
            assert viewer_client.get("/comment-periods/").status_code == 200
        return counter.count

    first = statements()
    for n in range(5):
        period = operations.open_comment_period(session, title=f"Period {n}", opens_on=date(2010, 1, 1),
                                                closes_on=date(2010, 2, 1))
        operations.extend(session, period, new_closes_on=date(2010, 2, 15), current_close=date(2010, 2, 1))
    session.commit()

    assert statements() == first


def test_editor_opens_a_comment_period(session, editor_client):
    response = editor_client.post("/comment-periods/new", data={
        "title": "DNS-CERT Business Case", "opens_on": "2010-02-12", "closes_on": "2010-03-29",
        "reply_closes_on": "", "forum_url": "https://www.icann.org/en/public-comment/dns-cert"})

    assert response.status_code == 302
    period = session.exec(select(CommentPeriod).where(CommentPeriod.title == "DNS-CERT Business Case")).one()
    assert (period.opens_on, period.closes_on) == (date(2010, 2, 12), date(2010, 3, 29))
    page = editor_client.get(f"/comment-periods/{period.id}").get_data(as_text=True)
    assert "opened the comment period (12 February 2010 – 29 March 2010)" in page


@pytest.mark.parametrize("overrides, message", [
    ({"closes_on": "2010-02-01"}, "the latest day (2010-02-01) is before the earliest (2010-02-12)"),
    ({"opens_on": "2010-02-30"}, "is not a date that exists"),
    ({"opens_on": ""}, "say when it opens"),
    ({"title": " "}, "a comment period needs a title"),
])
def test_bad_comment_period_is_refused_and_nothing_saved(session, editor_client, overrides, message):
    before = count(session, CommentPeriod)
    data = {"title": "DNS-CERT Business Case", "opens_on": "2010-02-12", "closes_on": "2010-03-29"}
    data.update(overrides)

    response = editor_client.post("/comment-periods/new", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(session, CommentPeriod) == before


def test_extension_moves_the_current_close(session, editor_client, ssr):
    response = editor_client.post(f"/comment-periods/{ssr.id}/extend", data={
        "new_closes_on": "2010-04-14", "reason": "requested by the three chairs", "requested_in_letter_id": ""})

    assert response.status_code == 302
    page = editor_client.get(f"/comment-periods/{ssr.id}").get_data(as_text=True)
    assert '<td class="current-close">14 April 2010</td>' in page
    assert "to 14 April 2010 — requested by the three chairs" in page
    assert "extended the close from 29 March 2010 to 14 April 2010 — requested by the three chairs" in page


@pytest.mark.parametrize("new_close", ["2010-04-10", "2010-04-14"])
def test_extension_not_later_than_the_current_close_is_refused(session, editor_client, ssr, new_close):
    operations.extend(session, ssr, new_closes_on=date(2010, 4, 14), current_close=date(2010, 3, 29))
    session.commit()

    response = editor_client.post(f"/comment-periods/{ssr.id}/extend", data={"new_closes_on": new_close})

    assert response.status_code == 400
    assert "an extension must close after the current close (2010-04-14)" in response.get_data(as_text=True)
    assert count(session, CommentPeriodExtension) == 1


def test_editor_adds_a_submission_with_its_party(session, editor_client, ssr):
    nominet = factories.party(session, name="Nominet", short_name="Nominet", kind="registry")
    session.commit()

    response = editor_client.post(f"/comment-periods/{ssr.id}/submissions", data={
        "author": "Lesley Cowley", "party_id": str(nominet.id), "submitted_on": "2010-03-25",
        "url": "https://forum.icann.org/lists/ssr/msg1.html"})

    assert response.status_code == 302
    page = editor_client.get(f"/comment-periods/{ssr.id}").get_data(as_text=True)
    assert "<td>Lesley Cowley</td><td>Nominet</td><td>25 March 2010</td>" in page
    assert "Submissions (1)" in page


@pytest.mark.parametrize("data, message", [
    ({"author": "", "submitted_on": "2010-03-25"}, "a submission needs its author"),
    ({"author": "JPRS", "submitted_on": "2010-13-01"}, "is not a date that exists"),
    ({"author": "JPRS", "submitted_on": "2010-03-25", "party_id": "999999"}, "there is no party with id 999999"),
    ({"author": "JPRS", "submitted_on": "2010-03-25", "url": "forum.icann.org"}, "is not a web address"),
])
def test_bad_submission_is_refused_and_nothing_saved(session, editor_client, ssr, data, message):
    response = editor_client.post(f"/comment-periods/{ssr.id}/submissions", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert count(session, Submission) == 0


def test_summary_is_shown_sanitised(session, editor_client, ssr):
    response = editor_client.post(f"/comment-periods/{ssr.id}/summary", data={
        "summary": "<p>13 comments <b>received</b></p><script>alert(1)</script>", "summary_url": ""})

    assert response.status_code == 302
    page = editor_client.get(f"/comment-periods/{ssr.id}").get_data(as_text=True)
    assert '<div class="letter-body summary"><p>13 comments <b>received</b></p></div>' in page
    assert "<script>" not in page


def test_viewer_cannot_extend_or_summarise(session, viewer_client, ssr):
    assert viewer_client.post(f"/comment-periods/{ssr.id}/extend", data={"new_closes_on": "2010-05-01"}
                              ).status_code == 403
    assert viewer_client.post(f"/comment-periods/{ssr.id}/summary", data={"summary": "x"}).status_code == 403
    assert viewer_client.get("/comment-periods/new").status_code == 403
    assert count(session, CommentPeriodExtension) == 0


def test_comment_period_that_does_not_exist_is_404(viewer_client):
    assert viewer_client.get("/comment-periods/999999").status_code == 404


def test_list_comes_a_page_at_a_time_newest_first(app, session, viewer_client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)  # the app is shared by every test: put it back after
    periods = [operations.open_comment_period(session, title=f"Consultation {n}", opens_on=date(2009, 1, 1 + n),
                                              closes_on=date(2009, 3, 1)) for n in range(7)]
    session.commit()

    def shown(page: int) -> list[int]:
        response = viewer_client.get(f"/comment-periods/?page={page}")
        assert response.status_code == 200
        return [p.id for p in periods if f'data-period-id="{p.id}"' in response.get_data(as_text=True)]

    assert shown(1) == [p.id for p in periods[4:]]  # the three opened last
    assert 'href="/comment-periods/?page=2"' in viewer_client.get("/comment-periods/").get_data(as_text=True)
    assert shown(3) == [periods[0].id]
    assert "?page=4" not in viewer_client.get("/comment-periods/?page=3").get_data(as_text=True)
    for bad in ("0", "-1", "x", "9" * 30):
        assert viewer_client.get(f"/comment-periods/?page={bad}").status_code == 400, bad
