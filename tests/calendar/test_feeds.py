"""Calendar feeds: private addresses, what a feed holds (parsed back with icalendar), access and revocation."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from icalendar import Calendar
from sqlmodel import select

from tests import factories
from tracker.auth.models import User
from tracker.calendar import operations
from tracker.calendar.models import CalendarFeed
from tracker.commitments import operations as commitment_operations
from tracker.commitments.operations import Window
from tracker.consultations import operations as consultation_operations
from tracker.meetings import operations as meeting_operations
from tracker.reminders.models import Recipient, Subscription


def _events(response) -> dict[str, object]:
    """{UID: VEVENT} of a feed response, after checking it is a calendar."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _feed_path(session, user) -> str:
    token = operations.feed_for(session, user).token
    session.commit()
    return f"/calendar/{token}.ics"


def _owner(session, **user_overrides):
    person = factories.person(session)
    user = factories.user(session, **user_overrides)
    user.person_id = person.id
    session.add(user)
    session.commit()
    return user, person


def _follow(session, user, person, party) -> None:
    now = datetime(2010, 5, 1, tzinfo=timezone.utc)
    recipient = Recipient(person_id=person.id, user_id=user.id, created_at=now, updated_at=now)
    session.add(recipient)
    session.flush()
    session.add(Subscription(recipient_id=recipient.id, party_id=party.id))
    session.commit()


def test_owned_window_is_an_all_day_event_over_earliest_to_latest_with_a_link_back(client, session):
    user, person = _owner(session, role="editor")
    owned = factories.commitment(session, owner_id=person.id, title="Publish the Concept of Operations",
                                 window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    session.commit()
    events = _events(client.get(_feed_path(session, user)))
    event = events[f"commitment-{owned.id}@tracker.test"]
    assert event.decoded("DTSTART") == date(2010, 5, 1)
    assert event.decoded("DTEND") == date(2010, 5, 11)  # exclusive: the window's last day is 10 May
    assert "Publish the Concept of Operations" in str(event["SUMMARY"])
    assert "in early May" in str(event["DESCRIPTION"])
    assert "State: overdue" in str(event["DESCRIPTION"])  # the clock is pinned to 12 May 2010
    assert str(event["URL"]) == f"http://tracker.test/commitments/{owned.id}"


def test_done_undated_and_unrelated_commitments_are_not_in_the_feed(client, session):
    user, person = _owner(session, role="editor")
    kept = factories.commitment(session, owner_id=person.id)
    done = factories.commitment(session, owner_id=person.id, status="done")
    vague = factories.commitment(session, owner_id=person.id, window=Window("weeks not months"))
    someone_elses = factories.commitment(session, owner_id=factories.person(session).id)
    session.commit()
    uids = set(_events(client.get(_feed_path(session, user))))
    assert f"commitment-{kept.id}@tracker.test" in uids
    for absent in (done, vague, someone_elses):
        assert f"commitment-{absent.id}@tracker.test" not in uids


def test_a_reschedule_updates_the_same_event(client, session):
    user, person = _owner(session, role="editor")
    owned = factories.commitment(session, owner_id=person.id)
    session.commit()
    path = _feed_path(session, user)
    uid = f"commitment-{owned.id}@tracker.test"
    before = _events(client.get(path))[uid]
    commitment_operations.reschedule(session, owned, Window("by 20 June", None, date(2010, 6, 20), "day"),
                                     reason="asked for more time")
    session.commit()
    after = _events(client.get(path))[uid]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == date(2010, 6, 20)


def test_followed_parties_bring_their_commitments_and_meetings_in_the_meetings_timezone(client, session):
    user, person = _owner(session, role="editor")
    followed = factories.party(session)
    promised = factories.commitment(session, made_to=[followed])
    meeting = factories.meeting(session, title="Brussels meeting", timezone="Europe/Brussels")
    meeting_operations.add_participant(session, meeting, party_id=followed.id)
    session.commit()
    _follow(session, user, person, followed)
    events = _events(client.get(_feed_path(session, user)))
    assert f"commitment-{promised.id}@tracker.test" in events
    start = events[f"meeting-{meeting.id}@tracker.test"]["DTSTART"]
    assert start.params["TZID"] == "Europe/Brussels"
    assert start.dt == datetime(2010, 6, 20, 8, tzinfo=timezone.utc)


def test_comment_period_shows_its_close_in_force(client, session):
    user, _person = _owner(session, role="editor")
    period = consultation_operations.open_comment_period(session, title="DNS-CERT business case",
                                                         opens_on=date(2010, 2, 12), closes_on=date(2010, 3, 29))
    consultation_operations.extend(session, period, new_closes_on=date(2010, 4, 14), current_close=date(2010, 3, 29))
    session.commit()
    event = _events(client.get(_feed_path(session, user)))[f"comment-period-{period.id}-close@tracker.test"]
    assert event.decoded("DTSTART") == date(2010, 4, 14)
    assert "extended from 2010-03-29" in str(event["DESCRIPTION"])


def test_a_limited_viewer_sees_only_their_parties_even_when_following_others(client, session):
    mine, hidden = factories.party(session), factories.party(session)
    user, person = _owner(session, role="viewer", party_ids=[mine.id])
    visible = factories.commitment(session, made_to=[mine])
    invisible = factories.commitment(session, made_to=[hidden])
    session.commit()
    _follow(session, user, person, mine)
    _follow_again = Subscription(recipient_id=session.exec(select(Recipient.id).where(
        Recipient.user_id == user.id)).one(), party_id=hidden.id)
    session.add(_follow_again)
    session.commit()
    response = client.get(_feed_path(session, user))
    uids = set(_events(response))
    assert f"commitment-{visible.id}@tracker.test" in uids
    assert f"commitment-{invisible.id}@tracker.test" not in uids
    assert invisible.title.encode() not in response.data


def test_party_feed_for_staff_and_refused_for_a_party_the_reader_may_not_see(client, session):
    editor, _ = _owner(session, role="editor")
    party, other = factories.party(session), factories.party(session)
    promised = factories.commitment(session, made_to=[party])
    viewer, _ = _owner(session, role="viewer", party_ids=[other.id])
    session.commit()
    editor_token = operations.feed_for(session, editor).token
    viewer_token = operations.feed_for(session, viewer).token
    session.commit()
    events = _events(client.get(f"/calendar/{editor_token}/parties/{party.id}.ics"))
    assert f"commitment-{promised.id}@tracker.test" in events
    assert client.get(f"/calendar/{viewer_token}/parties/{party.id}.ics").status_code == 404
    assert client.get(f"/calendar/{viewer_token}/parties/{other.id}.ics").status_code == 200


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 300, "..%2F..%2Fetc"])
def test_unknown_or_malformed_tokens_get_404(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_replacing_or_revoking_the_address_or_deactivating_the_account_stops_the_old_feed(client, session):
    user, _ = _owner(session, role="editor")
    old = _feed_path(session, user)
    operations.replace_feed(session, user)
    session.commit()
    assert client.get(old).status_code == 404
    new = _feed_path(session, user)
    assert client.get(new).status_code == 200
    user.active = False
    session.add(user)
    session.commit()
    assert client.get(new).status_code == 404
    user.active = True
    session.add(user)
    operations.revoke_feed(session, user)
    session.commit()
    assert client.get(new).status_code == 404
    assert session.exec(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first() is None


def test_the_feed_is_bounded(app, client, session, monkeypatch):
    user, person = _owner(session, role="editor")
    for _ in range(4):
        factories.commitment(session, owner_id=person.id)
    session.commit()
    monkeypatch.setitem(app.config, "CALENDAR_MAX_EVENTS", 3)
    events = _events(client.get(_feed_path(session, user)))
    assert len([uid for uid in events if uid.startswith("commitment-")]) == 3


def test_the_page_issues_shows_and_replaces_the_address(signed_in, session):
    client = signed_in("viewer", party_ids=[factories.party(session).id])
    assert b"Make my calendar address" in client.get("/calendar/").data
    client.post("/calendar/address")
    token = session.exec(select(CalendarFeed.token).where(CalendarFeed.user_id == client.user.id)).one()
    assert f"/calendar/{token}.ics".encode() in client.get("/calendar/").data
    client.post("/calendar/address")
    assert session.exec(select(CalendarFeed.token).where(CalendarFeed.user_id == client.user.id)).one() != token
    client.post("/calendar/address/revoke")
    assert session.exec(select(CalendarFeed).where(CalendarFeed.user_id == client.user.id)).first() is None


def test_the_page_needs_a_sign_in(client):
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_cli_prints_the_same_address_until_replaced(app, session):
    user, _ = _owner(session, role="editor")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["calendar", "feed-url", "--email", user.email])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("http://tracker.test/calendar/") and first.output.strip().endswith(".ics")
    again = runner.invoke(args=["calendar", "feed-url", "--email", user.email])
    assert again.output == first.output
    replaced = runner.invoke(args=["calendar", "feed-url", "--email", user.email, "--replace"])
    assert replaced.exit_code == 0 and replaced.output != first.output
    unknown = runner.invoke(args=["calendar", "feed-url", "--email", "nobody@example.org"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
    assert session.get(User, user.id) is not None


def _zone_offsets(calendar, tzid: str) -> list[tuple[datetime, object]]:
    """(local start, UTC offset from then on) of each observance the VTIMEZONE gives, in order."""
    (zone,) = [z for z in calendar.walk("VTIMEZONE") if str(z["TZID"]) == tzid]
    starts = []
    for observance in zone.subcomponents:
        offset = observance["TZOFFSETTO"].td
        starts.append((observance["DTSTART"].dt, offset))
        rdates = observance.get("RDATE", [])
        for listed in rdates if isinstance(rdates, list) else [rdates]:  # one RDATE property or several
            starts += [(rdate.dt, offset) for rdate in listed.dts]
    return sorted(starts, key=lambda start: start[0])


@pytest.mark.parametrize("tzid", ["Europe/Brussels", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney"])
def test_each_meetings_zone_is_described_around_its_meetings_with_the_right_offsets(tzid):
    from zoneinfo import ZoneInfo

    from tracker.calendar.render import TimedEntry, render_calendar

    zone = ZoneInfo(tzid)
    local_starts = [datetime(2010, 1, 14, 9), datetime(2010, 7, 20, 15), datetime(2011, 3, 30, 23, 30)]
    entries = [TimedEntry(uid=f"meeting-{n}@tracker.test", starts_at=start.replace(tzinfo=zone).astimezone(timezone.utc),
                          ends_at=start.replace(tzinfo=zone).astimezone(timezone.utc), timezone=tzid,
                          summary="A meeting", description="", url="http://tracker.test/",
                          modified=datetime(2010, 1, 1, tzinfo=timezone.utc))
               for n, start in enumerate(local_starts)]
    calendar = Calendar.from_ical(render_calendar("Meetings", entries, datetime(2010, 1, 1, tzinfo=timezone.utc)))
    observances = _zone_offsets(calendar, tzid)
    for start in local_starts:
        in_force = [offset for since, offset in observances if since <= start][-1]
        assert in_force == start.replace(tzinfo=zone).utcoffset(), (tzid, start)
    # Described over the meetings' years, not from 1970: a feed stays small and quick to write.
    assert observances[0][0] >= datetime(2009, 1, 1)
    assert len(observances) <= 6
