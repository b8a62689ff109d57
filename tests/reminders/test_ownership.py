"""A digest belongs to its person: only they (or an administrator) change or preview it, nobody takes over an
address, and an unsubscribe link is bound to the subscription it was made for."""
import html

from itsdangerous import URLSafeSerializer
from sqlmodel import select

from tests import factories
from tracker.parties.models import Person
from tracker.reminders import operations
from tracker.reminders.models import Recipient, Subscription
from tracker.reminders.render import unsubscribe_token_for

PREFERENCES = dict(timezone="Pacific/Auckland", frequency="weekly", weekday="4", send_time="23:30",
                   due_soon_days="30", paused="y", send_when_empty="y")


def victim_with_digest(session, signed_in):
    """A GNSO chair with an account and a digest that follows the GNSO Council."""
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    victim_user = signed_in("viewer", party_ids=[gnso.id]).user
    person = factories.person(session, name="Victim Chair", email=victim_user.email, timezone="Europe/Paris")
    victim_user.person_id = person.id
    session.add(victim_user)
    recipient = operations.save_own_recipient(session, victim_user, operations.Preferences(timezone="Europe/Paris"),
                                              [gnso.id])
    session.commit()
    return recipient, person


def snapshot(session, recipient_id):
    session.expire_all()
    recipient = session.get(Recipient, recipient_id)
    person = session.get(Person, recipient.person_id)
    parties = sorted(session.exec(select(Subscription.party_id).where(Subscription.recipient_id == recipient_id)))
    return (recipient.paused, recipient.timezone, recipient.send_time, recipient.frequency, recipient.unsubscribed_at,
            recipient.user_id, recipient.updated_at, person.email, person.name, parties)


def test_a_limited_viewer_cannot_pause_retime_readdress_or_preview_another_persons_digest(signed_in, session):
    recipient, person = victim_with_digest(session, signed_in)
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    session.commit()
    attacker = signed_in("viewer", party_ids=[ccnso.id])
    before = snapshot(session, recipient.id)

    # "My digest" with the victim's address typed in: the address is not a field there, the digest made is the
    # attacker's own, at the attacker's address.
    own = attacker.post("/reminders/mine", data={**PREFERENCES, "email": person.email, "name": "Victim Chair"})
    assert own.status_code == 302
    mine = session.exec(select(Recipient).where(Recipient.user_id == attacker.user.id)).one()
    assert mine.id != recipient.id
    assert session.get(Person, mine.person_id).email == attacker.user.email
    # The victim's digest page, preview, resubscribe, and the administrator's forms.
    attempts = [
        attacker.post(f"/reminders/{recipient.id}", data={**PREFERENCES, "email": attacker.user.email}),
        attacker.get(f"/reminders/{recipient.id}"),
        attacker.get(f"/reminders/{recipient.id}/preview"),
        attacker.post(f"/reminders/{recipient.id}/resubscribe"),
        attacker.get("/reminders/new"),
        attacker.post("/reminders/new", data={**PREFERENCES, "email": person.email}),
    ]
    assert [response.status_code for response in attempts] == [404, 404, 404, 404, 403, 403]
    assert "Victim Chair" not in "".join(response.get_data(as_text=True) for response in attempts)
    assert snapshot(session, recipient.id) == before


def test_a_digest_attached_to_an_attackers_account_earlier_is_still_not_theirs(signed_in, session):
    """Before digests belonged to their person, typing an address in "My digest" set the digest's user to the
    typist's account; such rows must not make the digest theirs."""
    recipient, _person = victim_with_digest(session, signed_in)
    attacker = signed_in("viewer")
    recipient.user_id = attacker.user.id
    session.add(recipient)
    session.commit()
    before = snapshot(session, recipient.id)
    assert attacker.get("/reminders/mine").status_code == 200  # a form for their own, not a redirect to the victim's
    assert attacker.get(f"/reminders/{recipient.id}").status_code == 404
    assert attacker.post(f"/reminders/{recipient.id}", data=PREFERENCES).status_code == 404
    assert snapshot(session, recipient.id) == before


def test_an_editor_cannot_change_someone_elses_digest(signed_in, session, editor_client):
    recipient, _person = victim_with_digest(session, signed_in)
    before = snapshot(session, recipient.id)
    assert editor_client.post(f"/reminders/{recipient.id}", data=PREFERENCES).status_code == 404
    assert editor_client.get(f"/reminders/{recipient.id}/preview").status_code == 404
    assert editor_client.get("/reminders/").status_code == 302  # to their own digest
    assert snapshot(session, recipient.id) == before


def test_owner_changes_their_preferences_but_not_the_address(signed_in, session):
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    owner = signed_in("viewer", party_ids=[gnso.id])
    created = owner.post("/reminders/mine", data={**PREFERENCES, "party_ids": [str(gnso.id)]})
    assert created.status_code == 302
    recipient = session.exec(select(Recipient).where(Recipient.user_id == owner.user.id)).one()
    page = owner.get(f"/reminders/{recipient.id}").get_data(as_text=True)
    assert 'name="email"' not in page and owner.user.email in page
    saved = owner.post(f"/reminders/{recipient.id}", data={**PREFERENCES, "paused": "", "send_time": "06:15",
                                                           "email": "elsewhere@example.org"})
    assert saved.status_code == 302
    state = snapshot(session, recipient.id)
    assert (state[0], state[2], state[7]) == (False, "06:15", owner.user.email)
    assert owner.get(f"/reminders/{recipient.id}/preview").status_code == 200


def test_admin_edits_anyones_digest_but_cannot_readdress_it_to_someone_elses_address(signed_in, session,
                                                                                     admin_client):
    recipient, person = victim_with_digest(session, signed_in)
    other = factories.person(session, name="Someone Else", email="else@example.org")
    session.commit()
    before = snapshot(session, recipient.id)
    refused = admin_client.post(f"/reminders/{recipient.id}", data={**PREFERENCES, "email": other.email})
    assert refused.status_code == 400
    assert "else@example.org belongs to Someone Else, not to Victim Chair" in html.unescape(
        refused.get_data(as_text=True))
    assert snapshot(session, recipient.id) == before
    saved = admin_client.post(f"/reminders/{recipient.id}", data={**PREFERENCES, "email": person.email})
    assert saved.status_code == 302
    assert snapshot(session, recipient.id)[:3] == (True, "Pacific/Auckland", "23:30")
    assert admin_client.get(f"/reminders/{recipient.id}/preview").status_code == 200


def own_digest(session):
    person = factories.person(session, email="chair@example.org")
    recipient = operations.save_recipient(session, email=person.email, name=person.name, party_ids=[],
                                          preferences=operations.Preferences())
    session.commit()
    return recipient


def test_unsubscribe_page_masks_the_address(client, session):
    recipient = own_digest(session)
    page = client.get(f"/unsubscribe/{unsubscribe_token_for(recipient)}").get_data(as_text=True)
    assert "c•••@e•••.org" in page and "chair@example.org" not in page
    done = client.post(f"/unsubscribe/{unsubscribe_token_for(recipient)}").get_data(as_text=True)
    assert "c•••@e•••.org will get no more" in done and "chair@example.org" not in done


def test_unsubscribe_link_stops_working_after_a_resubscribe(client, session, pin):
    pin("2010-05-12T09:00:00+00:00")
    recipient = own_digest(session)
    token = unsubscribe_token_for(recipient)
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    session.refresh(recipient)
    assert recipient.unsubscribed_at is not None
    # Clicked again while still unsubscribed: says so.
    assert "Already unsubscribed" in client.get(f"/unsubscribe/{token}").get_data(as_text=True)
    pin("2010-05-13T10:00:00+00:00")
    operations.resubscribe(session, recipient)
    session.commit()
    again = client.post(f"/unsubscribe/{token}")
    assert again.status_code == 404 and "This link was replaced" in again.get_data(as_text=True)
    session.refresh(recipient)
    assert recipient.unsubscribed_at is None
    # The next digest's link works.
    assert client.post(f"/unsubscribe/{unsubscribe_token_for(recipient)}").status_code == 200


def test_unsubscribe_link_expires(client, session, pin, app):
    recipient = own_digest(session)
    token = unsubscribe_token_for(recipient)
    days = app.config["DIGEST_UNSUBSCRIBE_MAX_AGE_DAYS"]
    pin("2010-05-12T09:00:00+00:00")
    assert client.get(f"/unsubscribe/{token}").status_code == 200
    pin(f"2010-{5 + days // 30 + 1:02d}-20T09:00:00+00:00")
    late = client.post(f"/unsubscribe/{token}")
    assert late.status_code == 404 and "This link has expired" in late.get_data(as_text=True)
    session.refresh(recipient)
    assert recipient.unsubscribed_at is None


def test_links_of_the_old_kind_and_forged_ones_are_refused(client, session, app):
    recipient = own_digest(session)
    old_kind = URLSafeSerializer(app.config["SECRET_KEY"], salt="digest-unsubscribe").dumps(recipient.id)
    forged = URLSafeSerializer("dev-only-not-secret", salt="digest-unsubscribe-v2").dumps([recipient.id, 0])
    for token in (old_kind, forged, "x" * 5000):
        response = client.post(f"/unsubscribe/{token}")
        assert response.status_code == 404 and "chair" not in response.get_data(as_text=True)
    session.refresh(recipient)
    assert recipient.unsubscribed_at is None
