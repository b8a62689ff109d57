"""Reminder pages: preferences, the unsubscribe link, Sent mail."""
import html
from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tracker.commitments.operations import Window
from tracker.parties.models import Person
from tracker.reminders import jobs, operations
from tracker.reminders.models import Digest, Recipient, Subscription
from tracker.reminders.render import unsubscribe_token_for

GOOD = dict(email="chair@example.org", name="A Chair", timezone="Pacific/Auckland", frequency="weekly", weekday="2",
            send_time="07:30", due_soon_days="10", include_own="y")


def recipients(session):
    return list(session.exec(select(Recipient)))


def test_admin_saves_a_recipient_following_a_party(admin_client, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    session.commit()
    response = admin_client.post("/reminders/new", data={**GOOD, "party_ids": [str(ccnso.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    (recipient,) = recipients(session)
    person = session.get(Person, recipient.person_id)
    assert (person.email, person.name) == ("chair@example.org", "A Chair")
    assert (recipient.frequency, recipient.weekday, recipient.send_time, recipient.timezone,
            recipient.due_soon_days, recipient.send_when_empty) == ("weekly", 2, "07:30", "Pacific/Auckland", 10, False)
    assert list(session.exec(select(Subscription.party_id))) == [ccnso.id]


@pytest.mark.parametrize("field, value, message", [
    ("email", "chair@@example", "'chair@@example' is not a valid email address: The part after the @-sign contains"),
    ("email", "chair.example.org", "is not a valid email address: An email address must have an @-sign."),
    ("timezone", "Mars/Olympus_Mons", "'Mars/Olympus_Mons' is not a timezone name"),
    ("send_time", "25:00", "'25:00' is not a time of day (00:00 to 23:59)"),
    ("send_time", "8am", "'8am' is not a time of day like 08:00"),
])
def test_bad_preferences_are_refused_with_a_clear_message_and_nothing_saved(admin_client, session, field, value,
                                                                             message):
    response = admin_client.post("/reminders/new", data={**GOOD, field: value})
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert recipients(session) == []
    assert session.exec(select(Person).where(Person.email == "chair@example.org")).first() is None


def test_viewer_sets_up_their_own_digest_and_cannot_open_someone_elses(signed_in, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    other = factories.person(session)
    others = operations.save_recipient(session, email=other.email, name=other.name, party_ids=[],
                                       preferences=operations.Preferences())
    session.commit()
    viewer = signed_in("viewer", party_ids=[ccnso.id])
    page = viewer.get("/reminders/mine")
    assert page.status_code == 200
    assert "GNSO Council" not in page.get_data(as_text=True)
    # The party picker suggests only parties the viewer may see.
    suggested = viewer.get("/pick/parties?q=Council").get_json()["results"]
    assert [party["id"] for party in suggested] == [ccnso.id]
    # A party the viewer may not see cannot be followed, even when posted by hand.
    refused = viewer.post("/reminders/mine", data={**GOOD, "party_ids": [str(ccnso.id), str(gnso.id)]})
    assert refused.status_code == 400 and f"there is no party with id {gnso.id}" in refused.get_data(as_text=True)
    assert session.exec(select(Recipient).where(Recipient.user_id == viewer.user.id)).first() is None
    response = viewer.post("/reminders/mine", data={**GOOD, "party_ids": [str(ccnso.id)]})
    assert response.status_code == 302
    mine = session.exec(select(Recipient).where(Recipient.user_id == viewer.user.id)).one()
    assert list(session.exec(select(Subscription.party_id).where(Subscription.recipient_id == mine.id))) == [ccnso.id]
    assert viewer.get(f"/reminders/{mine.id}").status_code == 200
    assert viewer.get(f"/reminders/{others.id}").status_code == 404
    assert viewer.get("/reminders/new").status_code == 403


def test_unsubscribe_link_works_without_signing_in(client, session):
    person = factories.person(session)
    recipient = operations.save_recipient(session, email=person.email, name=person.name, party_ids=[],
                                          preferences=operations.Preferences())
    session.commit()
    token = unsubscribe_token_for(recipient)
    confirm = client.get(f"/unsubscribe/{token}")
    assert confirm.status_code == 200 and "Stop reminder digests?" in confirm.get_data(as_text=True)
    assert recipient.unsubscribed_at is None
    done = client.post(f"/unsubscribe/{token}")  # also what a mail client's one-click unsubscribe sends
    assert done.status_code == 200 and "will get no more reminder digests" in done.get_data(as_text=True)
    session.refresh(recipient)
    assert recipient.unsubscribed_at is not None


def test_tampered_unsubscribe_link_is_refused(client, session):
    person = factories.person(session)
    recipient = operations.save_recipient(session, email=person.email, name=person.name, party_ids=[],
                                          preferences=operations.Preferences())
    session.commit()
    token = unsubscribe_token_for(recipient)
    response = client.post(f"/unsubscribe/{token[:-2]}xx")
    assert response.status_code == 404
    session.refresh(recipient)
    assert recipient.unsubscribed_at is None


def failed_and_unknown_digests(app, session, pin):
    person = factories.person(session)
    factories.commitment(session, owner_id=person.id, window=Window("by 1 May", None, date(2010, 5, 1), "day"))
    session.commit()
    pin("2010-05-12T08:00:00+00:00")
    jobs.send_due(app)
    digest = session.exec(select(Digest)).one()
    digest.state, digest.last_error = "unknown", "delivery unknown: claimed by host:1 and never confirmed"
    session.add(digest)
    session.commit()
    return digest


def test_admin_sees_every_digest_with_state_attempts_and_error_and_the_exact_message(app, admin_client, session,
                                                                                      outbox, pin):
    digest = failed_and_unknown_digests(app, session, pin)
    page = admin_client.get("/admin/sent-mail").get_data(as_text=True)
    assert "delivery unknown" in page and digest.to_address in page and "never confirmed" in page
    detail = admin_client.get(f"/admin/sent-mail/{digest.id}").get_data(as_text=True)
    assert "Message-ID: &lt;digest-" in detail and "List-Unsubscribe" in detail
    assert admin_client.get("/admin/sent-mail?state=unknown").get_data(as_text=True).count("delivery unknown") >= 2
    assert admin_client.get("/admin/sent-mail?state=bogus").status_code == 400


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_sent_mail_is_for_admins_only(signed_in, role):
    client = signed_in(role)
    assert client.get("/admin/sent-mail").status_code == 403
    assert client.post("/admin/sent-mail/1/resend").status_code == 403


def test_resend_creates_a_new_deliberate_delivery(app, admin_client, session, outbox, pin):
    digest = failed_and_unknown_digests(app, session, pin)
    response = admin_client.post(f"/admin/sent-mail/{digest.id}/resend")
    assert response.status_code == 302
    copy = session.exec(select(Digest).where(Digest.resend_of_id == digest.id)).one()
    assert (copy.period, copy.state, copy.subject) == (f"{digest.period}/resend-1", "pending", digest.subject)
    assert copy.message_id != digest.message_id
    jobs.send_due(app)
    session.refresh(copy)
    session.refresh(digest)
    assert (copy.state, digest.state) == ("sent", "unknown")
    assert outbox.sent[-1].message_id == copy.message_id
    history = admin_client.get(f"/admin/sent-mail/{digest.id}").get_data(as_text=True)
    assert f"resent as a new delivery (#{copy.id})" in history


def test_nav_links_to_reminders_and_sent_mail_for_admins(admin_client):
    admin_page = admin_client.get("/reminders/").get_data(as_text=True)
    assert 'href="/reminders/"' in admin_page and 'href="/admin/sent-mail"' in admin_page


def test_nav_links_to_reminders_but_not_sent_mail_for_viewers(viewer_client):
    viewer_page = viewer_client.get("/reminders/mine").get_data(as_text=True)
    assert 'href="/reminders/"' in viewer_page and "/admin/sent-mail" not in viewer_page


def test_preview_page_shows_what_would_be_sent_now(admin_client, session):
    person = factories.person(session, timezone="UTC")
    factories.commitment(session, title="Publish the findings", owner_id=person.id,
                         window=Window("by 1 May", None, date(2010, 5, 1), "day"))
    recipient = operations.save_recipient(session, email=person.email, name=person.name, party_ids=[],
                                          preferences=operations.Preferences())
    session.commit()
    page = admin_client.get(f"/reminders/{recipient.id}/preview").get_data(as_text=True)
    assert "Reminders for 12 May 2010: 1 overdue" in page
    assert "Publish the findings (11 days late, due “by 1 May”, 1 May 2010)" in html.unescape(page)
    assert session.exec(select(Digest)).first() is None  # a preview stores nothing
