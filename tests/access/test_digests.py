"""Digests and previews list only what the recipient's own account may see."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests import factories
from tests.access.dataset import MARKER, limit_to_no_party
from tracker.reminders import operations as reminders

NOW = datetime(2010, 5, 12, 9, tzinfo=timezone.utc)


def _digest_titles(session, recipient) -> list[str]:
    person = recipient_person(session, recipient)
    view = reminders.view_of(recipient, person, NOW)
    items = reminders.collect_items(session, [view], NOW, {recipient.id: recipient.person_id},
                                    {recipient.id: recipient.include_own})
    return [getattr(item, "title", None) or item.subject for item in items.get(recipient.id, [])]


def recipient_person(session, recipient):
    from tracker.parties.models import Person

    return session.get(Person, recipient.person_id)


def _follower(session, data, email, user=None):
    """A digest following the ccNSO, GNSO and ALAC: set up by its account's owner, or by an admin for an address."""
    parties = [data.ccnso_id, data.record.parties["gnso"].id, data.record.parties["alac"].id]
    if user is not None:
        return reminders.save_own_recipient(session, user, reminders.Preferences(), parties)
    return reminders.save_recipient(session, email=email, name="Follower", preferences=reminders.Preferences(),
                                    party_ids=parties)


def test_an_account_limited_to_the_ccnso_gets_only_ccnso_items_whatever_it_follows(session, data):
    user = factories.user(session, role="viewer", party_ids=[data.ccnso_id])
    titles = _digest_titles(session, _follower(session, data, user.email, user=user))
    assert titles and not [t for t in titles if MARKER in t]


def test_the_account_is_found_through_the_person_too(session, data):
    person = factories.person(session)
    factories.user(session, role="viewer", party_ids=[data.ccnso_id], person_id=person.id)
    titles = _digest_titles(session, _follower(session, data, person.email))
    assert titles and not [t for t in titles if MARKER in t]


def test_an_account_with_no_party_or_a_deactivated_one_gets_nothing(session, data):
    empty = limit_to_no_party(session, factories.user(session, role="viewer"))
    assert _digest_titles(session, _follower(session, data, empty.email, user=empty)) == []
    gone = factories.user(session, role="viewer")
    gone.active = False
    session.add(gone)
    assert _digest_titles(session, _follower(session, data, gone.email, user=gone)) == []


def test_an_admin_set_digest_for_a_limited_accounts_address_is_filtered_by_that_account(session, data):
    user = factories.user(session, role="viewer", party_ids=[data.ccnso_id])
    titles = _digest_titles(session, _follower(session, data, user.email.upper()))
    assert titles and not [t for t in titles if MARKER in t]


def test_staff_accounts_and_recipients_without_an_account_get_what_they_follow(session, data):
    editor = factories.user(session, role="editor")
    assert [t for t in _digest_titles(session, _follower(session, data, editor.email, user=editor))
            if MARKER in t]
    # No account: an editor chose what this person follows, and that is what they get.
    assert [t for t in _digest_titles(session, _follower(session, data, "no.account@example.org")) if MARKER in t]


def test_planned_digests_of_limited_accounts_hold_no_hidden_item(session, data):
    user = factories.user(session, role="viewer", party_ids=[data.ccnso_id])
    recipient = _follower(session, data, user.email, user=user)
    recipient.send_time = "08:00"
    session.add(recipient)
    session.flush()
    rows = reminders.plan_due_digests(session, grace=timedelta(hours=6), now=NOW)
    mine = [row for row in rows if row["recipient_id"] == recipient.id]
    assert mine and mine[0]["item_count"] > 0
    assert MARKER not in mine[0]["text_body"] and MARKER not in mine[0]["html_body"]
