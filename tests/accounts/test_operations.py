from datetime import timedelta

import pytest
from sqlmodel import select

from tests import factories
from tracker import clock
from tracker.accounts import operations
from tracker.accounts.models import AccountLink, ApiToken
from tracker.auth.models import User, UserParty
from tracker.events import Actor, Event
from tracker.history import describe
from tracker.validation import InvalidInput

NEW_PASSWORD = "purple walrus umbrella"


def events_of(session, user, kind=None):
    statement = select(Event).where(Event.subject_type == "user", Event.subject_id == user.id).order_by(Event.id)
    return [e for e in session.exec(statement) if kind is None or e.kind == kind]


def party_ids(session, user):
    return sorted(session.exec(select(UserParty.party_id).where(UserParty.user_id == user.id)))


def test_a_viewer_created_without_parties_is_limited_to_none(session):
    user = operations.create_user(session, email="v@example.org", display_name="V", password=NEW_PASSWORD)
    assert user.role == "viewer" and user.limited_to_parties is True and party_ids(session, user) == []


def test_a_viewer_may_be_given_every_party_explicitly(session):
    user = operations.create_user(session, email="v@example.org", display_name="V", password=NEW_PASSWORD,
                                  all_parties=True)
    assert user.limited_to_parties is False


def test_repeated_party_ids_count_once(session):
    party = factories.party(session)
    user = operations.create_user(session, email="v@example.org", display_name="V", password=NEW_PASSWORD,
                                  party_ids=[party.id, party.id, str(party.id)])
    assert party_ids(session, user) == [party.id]


@pytest.mark.parametrize("bad", [999999, 2**40, "x", "²", "-1"])
def test_unknown_or_malformed_party_ids_are_refused_on_the_party_field(session, bad):
    with pytest.raises(InvalidInput) as error:
        operations.create_user(session, email="v@example.org", display_name="V", password=NEW_PASSWORD,
                               party_ids=[bad])
    assert error.value.field == "party_ids"


def test_weak_password_is_refused_by_the_policy(session):
    with pytest.raises(InvalidInput) as error:
        operations.create_user(session, email="v@example.org", display_name="V", password="aaaaaaaaaa")
    assert error.value.field == "password"


def test_created_event_records_the_state_after(session):
    party = factories.party(session)
    user = operations.create_user(session, email="v@example.org", display_name="V", password=NEW_PASSWORD,
                                  party_ids=[party.id])
    (event,) = events_of(session, user, "user.created")
    assert event.data["before"] == {}
    assert event.data["after"] == {"email": "v@example.org", "display_name": "V", "role": "viewer", "active": True,
                                   "limited_to_parties": True, "parties": [party.id]}
    assert "hash" not in str(event.data) and NEW_PASSWORD not in str(event.data)


def test_update_records_only_changed_fields_before_and_after(session):
    ccnso, gnso = factories.party(session, short_name="ccNSO"), factories.party(session, short_name="GNSO")
    user = factories.user(session, party_ids=[ccnso.id])
    event = operations.update_user(session, user, display_name=user.display_name, role="editor",
                                   party_ids=[ccnso.id, gnso.id], all_parties=False)
    assert event.kind == "user.updated"
    assert event.data["before"] == {"role": "viewer", "parties": [ccnso.id]}
    assert event.data["after"] == {"role": "editor", "parties": sorted([ccnso.id, gnso.id])}
    assert describe(event) == "changed the account: role viewer → editor; parties ccNSO → " + \
        ", ".join(p.short_name for p in sorted([ccnso, gnso], key=lambda p: p.id))


def test_an_update_that_changes_nothing_records_nothing(session):
    user = factories.user(session)
    assert operations.update_user(session, user, display_name=user.display_name, role=user.role) is None


def test_scope_change_replaces_the_party_rows(session):
    a, b = factories.party(session), factories.party(session)
    user = factories.user(session, party_ids=[a.id])
    operations.set_parties(session, user, [b.id, b.id])
    assert party_ids(session, user) == [b.id] and user.limited_to_parties
    operations.set_parties(session, user, [], all_parties=True)
    assert party_ids(session, user) == [] and not user.limited_to_parties


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(session):
    for existing in session.exec(select(User).where(User.role == "admin")):
        existing.active = False
    admin = factories.user(session, role="admin")
    with pytest.raises(InvalidInput):
        operations.set_role(session, admin, "editor")
    with pytest.raises(InvalidInput):
        operations.deactivate_user(session, admin)
    factories.user(session, role="admin")
    operations.set_role(session, admin, "editor")
    assert admin.role == "editor"


def test_deactivation_revokes_tokens_closes_links_and_ends_sessions(session):
    user = factories.user(session)
    token, _secret = operations.create_api_token(session, user, "script")
    operations.issue_link(session, user, "reset")
    version = user.session_version
    operations.deactivate_user(session, user, Actor(None, "Admin"))
    assert not user.active and token.revoked_at is not None and user.session_version > version
    assert all(link.used_at is not None for link in session.exec(select(AccountLink)
                                                                 .where(AccountLink.user_id == user.id)))
    (event,) = events_of(session, user, "user.deactivated")
    assert event.data["before"] == {"active": True} and event.data["after"] == {"active": False}
    assert event.data["tokens_revoked"] == 1 and event.actor_name == "Admin"
    operations.reactivate_user(session, user)
    assert user.active and token.revoked_at is not None
    assert events_of(session, user)[-1].data["after"] == {"active": True}


def test_link_token_is_kept_only_as_a_hash_and_works_once(session):
    user = factories.user(session)
    issued = operations.issue_link(session, user, "reset")
    link = session.exec(select(AccountLink).where(AccountLink.user_id == user.id)).one()
    assert issued.token not in link.secret_hash and len(link.secret_hash) == 64
    operations.use_link(session, issued.token, NEW_PASSWORD)
    with pytest.raises(InvalidInput):
        operations.use_link(session, issued.token, "another fine passphrase")
    assert [e.kind for e in events_of(session, user)][-2:] == ["user.password_reset_sent", "user.password_reset"]


def test_link_expires(session, app, monkeypatch):
    user = factories.user(session)
    issued = operations.issue_link(session, user, "reset")
    later = clock.now() + operations.LINK_LIFETIMES["reset"] + timedelta(seconds=1)
    monkeypatch.setitem(app.config, "NOW", later.isoformat())
    assert operations.link_from_token(session, issued.token) is None


def test_a_newer_link_replaces_the_older(session):
    user = factories.user(session)
    first = operations.issue_link(session, user, "reset")
    second = operations.issue_link(session, user, "reset")
    assert operations.link_from_token(session, first.token) is None
    assert operations.link_from_token(session, second.token) is not None


@pytest.mark.parametrize("token", ["", "garbage", "eyJ4IjoxfQ.forged"])
def test_forged_link_tokens_name_nothing(session, token):
    assert operations.link_from_token(session, token) is None


def test_a_token_signed_for_another_purpose_or_key_is_refused(session, app, monkeypatch):
    user = factories.user(session)
    issued = operations.issue_link(session, user, "reset")
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-key-of-at-least-32-characters-long")
    assert operations.link_from_token(session, issued.token) is None


def test_reset_request_for_unknown_or_deactivated_address_leaves_no_trace(session):
    user = factories.user(session)
    user.active = False
    before = len(session.exec(select(Event.id)).all())
    assert operations.request_password_reset(session, "nobody@example.org") is None
    assert operations.request_password_reset(session, "not an address") is None
    assert operations.request_password_reset(session, user.email) is None
    assert len(session.exec(select(Event.id)).all()) == before
    assert session.exec(select(AccountLink)).all() == []


def test_change_own_password_needs_the_current_one(session):
    user = factories.user(session)
    with pytest.raises(InvalidInput) as error:
        operations.change_own_password(session, user, "wrong password!!", NEW_PASSWORD)
    assert error.value.field == "current_password"
    version = user.session_version
    operations.change_own_password(session, user, factories.PASSWORD, NEW_PASSWORD)
    assert user.session_version > version
    assert events_of(session, user)[-1].kind == "user.password_changed"


def test_api_token_is_hashed_at_rest_and_shown_once(session):
    user = factories.user(session)
    token, secret = operations.create_api_token(session, user, "nightly export")
    stored = session.get(ApiToken, token.id)
    assert secret.startswith("trk_") and len(secret) > 40
    assert stored.token_hash == operations.token_hash(secret) and secret not in stored.token_hash
    assert secret not in str([e.data for e in events_of(session, user)])


def test_api_token_owner_lookup_stops_when_revoked_or_owner_deactivated(session):
    user, other = factories.user(session), factories.user(session)
    token, secret = operations.create_api_token(session, user, "a")
    assert operations.user_for_api_token(session, secret)[1].id == user.id
    assert operations.user_for_api_token(session, secret + "x") is None
    operations.revoke_api_token(session, token)
    assert operations.user_for_api_token(session, secret) is None
    _token, other_secret = operations.create_api_token(session, other, "b")
    operations.deactivate_user(session, other)
    assert operations.user_for_api_token(session, other_secret) is None
