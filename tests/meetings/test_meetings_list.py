"""The meetings list reads a page of past meetings at a time, and the soonest upcoming ones on the first page."""
from datetime import datetime, timedelta, timezone

from tests import factories


def test_past_meetings_come_a_page_at_a_time(app, session, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)  # the app is shared by every test: put it back after
    start = datetime(2009, 1, 5, 9, tzinfo=timezone.utc)
    for number in range(7):
        factories.meeting(session, title=f"Past call {number}", starts_at=start + timedelta(days=number),
                          ends_at=start + timedelta(days=number, hours=1))
    for number in range(5):
        day = datetime(2010, 6, 1, 9, tzinfo=timezone.utc) + timedelta(days=number)
        factories.meeting(session, title=f"Coming call {number}", starts_at=day, ends_at=day + timedelta(hours=1))
    session.commit()

    first = admin_client.get("/meetings/").get_data(as_text=True)
    assert [f"Coming call {n}" in first for n in range(5)] == [True, True, True, False, False]
    assert "The 3 soonest are shown" in first
    assert [f"Past call {n}" in first for n in range(7)] == [False] * 4 + [True] * 3  # most recent first
    assert 'href="/meetings/?page=2"' in first
    third = admin_client.get("/meetings/?page=3").get_data(as_text=True)
    assert "Past call 0" in third and "Coming call 0" not in third and "?page=4" not in third
    assert admin_client.get("/meetings/?page=0").status_code == 400
