"""Work shared between recipients of the same items (followers of one party): each still gets exactly what
build_digest would give them alone, with their own day, name and unsubscribe link."""
from datetime import date, datetime, timedelta, timezone

from tests import factories
from tracker.commitments.operations import Window
from tracker.parties.models import Person
from tracker.reminders import operations, queries
from tracker.reminders.digest import CommitmentItem, LetterItem, RecipientView, build_digest, build_digests
from tracker.reminders.render import DigestRenderer, compose_email, read_unsubscribe_token

UTC = timezone.utc
# 23:00 UTC on 12 May: already 11:00 on 13 May in Auckland, still 16:00 on 12 May in Los Angeles.
NOW = datetime(2010, 5, 12, 23, 0, tzinfo=UTC)
SINCE = datetime(2010, 5, 11, 23, 0, tzinfo=UTC)


def follower(id, tz, name=None, **kw):
    return RecipientView(id, name or f"Follower {id}", f"follower{id}@example.org", tz, 7, since=SINCE, **kw)


def commitment(id, title, latest, status="open", **kw):
    return CommitmentItem(id, title, status, "ccNSO Council", kw.pop("phrase", "by then"), latest,
                          kw.pop("precision", "day"), **kw)


CCNSO_ITEMS = [commitment(1, "Due 12 May", date(2010, 5, 12)), commitment(2, "Due 13 May", date(2010, 5, 13)),
               commitment(3, "Due 20 May", date(2010, 5, 20)),
               commitment(4, "Weeks not months", None, precision="vague", phrase="weeks not months"),
               LetterItem(5, "Angry letter", "ccNSO Council", date(2010, 4, 1), date(2010, 5, 12))]


def listed(content):
    return {section.key: [(line.title, line.badge) for group in section.groups for line in group.lines]
            for section in content.sections}


def test_followers_of_one_party_in_auckland_and_los_angeles_get_their_own_overdue_and_due_soon_split():
    auckland, los_angeles = follower(1, "Pacific/Auckland"), follower(2, "America/Los_Angeles")
    shared = list(CCNSO_ITEMS)
    first, second = build_digests([auckland, los_angeles], {1: shared, 2: shared}, NOW)
    assert first.today == date(2010, 5, 13) and second.today == date(2010, 5, 12)
    assert listed(first) == {"overdue": [("Due 12 May", "1 day late")],
                             "due_soon": [("Due 13 May", "today"), ("Due 20 May", "in 7 days")],
                             "needs_decision": [("Weeks not months", "")],
                             "letters": [("Angry letter", "1 day late")]}
    assert listed(second) == {"due_soon": [("Due 12 May", "today"), ("Due 13 May", "in 1 day")],
                              "needs_decision": [("Weeks not months", "")]}
    assert first.subject == ("Reminders for 13 May 2010: 1 overdue, 2 due within 7 days, 1 without a date, "
                             "1 letter awaiting a reply")
    assert second.subject == "Reminders for 12 May 2010: 2 due within 7 days, 1 without a date"


def test_shared_building_gives_each_recipient_what_building_alone_gives():
    recipients = [follower(1, "Pacific/Auckland"), follower(2, "America/Los_Angeles"), follower(3, "UTC"),
                  follower(4, "UTC", max_per_section=1), RecipientView(5, "Other", "o@example.org", "UTC", 2),
                  follower(6, "Pacific/Auckland", send_when_empty=True)]
    shared = list(CCNSO_ITEMS)
    items_of = {1: shared, 2: shared, 3: shared, 4: shared, 5: shared}
    together = build_digests(recipients, items_of, NOW)
    alone = [build_digest(r, items_of.get(r.id, ()), NOW) for r in recipients]
    assert together == alone
    assert [content.recipient.id for content in together] == [1, 2, 3, 4, 5, 6]


def test_followers_with_the_same_day_share_sections_but_not_their_recipient():
    first, second, capped = build_digests([follower(1, "UTC"), follower(2, "Africa/Abidjan"),
                                           follower(3, "UTC", max_per_section=1)],
                                          {1: CCNSO_ITEMS, 2: CCNSO_ITEMS, 3: CCNSO_ITEMS}, NOW)
    assert first.sections is second.sections
    assert (first.recipient.id, second.recipient.id) == (1, 2)
    assert capped.sections is not first.sections
    assert [section.more for section in capped.sections] == [1, 0]


def test_done_day_follows_each_followers_timezone_when_their_today_is_the_same():
    # 23:30 UTC on 11 May is 01:30 on 12 May in Brussels; at noon UTC on 12 May it is the 12th in both.
    done = [commitment(7, "Published the findings", date(2010, 4, 30), status="done",
                       done_at=datetime(2010, 5, 11, 23, 30, tzinfo=UTC))]
    now = datetime(2010, 5, 12, 12, 0, tzinfo=UTC)
    in_utc, in_brussels = build_digests([follower(1, "UTC"), follower(2, "Europe/Brussels")], {1: done, 2: done}, now)
    assert in_utc.today == in_brussels.today == date(2010, 5, 12)
    assert in_utc.sections[0].groups[0].lines[0].note == "done on 11 May 2010"
    assert in_brussels.sections[0].groups[0].lines[0].note == "done on 12 May 2010"


def test_shared_rendering_fills_in_each_recipients_name_and_unsubscribe_link(session):
    chris = follower(11, "UTC", name="Chris O'Neil & <Co>")
    bart = follower(12, "UTC", name="Bart")
    contents = build_digests([chris, bart], {11: CCNSO_ITEMS, 12: CCNSO_ITEMS}, NOW)
    renderer = DigestRenderer()
    emails = [renderer.compose(content, period="2010-05-12", now=NOW) for content in contents]
    assert emails[0].text.startswith("Hello Chris O'Neil & <Co>,\n")
    assert "<p>Hello Chris O&#39;Neil &amp; &lt;Co&gt;,</p>" in emails[0].html
    assert emails[1].text.startswith("Hello Bart,\n") and "Chris" not in emails[1].text + emails[1].html
    for email, recipient_id in zip(emails, (11, 12)):
        url = email.headers["List-Unsubscribe"][1:-1]
        assert read_unsubscribe_token(url.rpartition("/")[2]).recipient_id == recipient_id
        assert f"Stop these emails: {url}" in email.text and f'<a href="{url}">Stop these emails</a>' in email.html
        assert email.message_id == f"<digest-{recipient_id}-2010-05-12@example.org>"
    # The same bytes as composing each digest on its own.
    for content, email in zip(contents, emails):
        alone = compose_email(build_digest(content.recipient, CCNSO_ITEMS, NOW), period="2010-05-12", now=NOW)
        assert (email.text, email.html, email.headers, email.subject) == (alone.text, alone.html, alone.headers,
                                                                          alone.subject)


def follow(session, person, party_ids, tz, include_own=False):
    return operations.save_recipient(session, email=person.email, name=person.name, party_ids=party_ids,
                                     preferences=operations.Preferences(timezone=tz, include_own=include_own))


def test_followers_of_one_party_are_given_one_list_and_planned_with_their_own_day(app, session, pin):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    factories.commitment(session, title="Report to the ccNSO", made_to=[ccnso],
                         window=Window("by 12 May", None, date(2010, 5, 12), "day"))
    auckland = follow(session, factories.person(session, timezone="Pacific/Auckland"), [ccnso.id],
                      "Pacific/Auckland")
    los_angeles = follow(session, factories.person(session, timezone="America/Los_Angeles"), [ccnso.id],
                         "America/Los_Angeles")
    pin(NOW.isoformat())
    views = [operations.view_of(r, session.get(Person, r.person_id), NOW) for r in (auckland, los_angeles)]
    items = operations.collect_items(session, views, NOW,
                                     person_of={r.id: r.person_id for r in (auckland, los_angeles)},
                                     include_own={r.id: r.include_own for r in (auckland, los_angeles)})
    assert items[auckland.id] is items[los_angeles.id]
    assert [item.title for item in items[auckland.id]] == ["Report to the ccNSO"]
    rows = {row["recipient_id"]: row for row in operations.plan_due_digests(session, grace=timedelta(hours=12))}
    assert rows[auckland.id]["subject"] == "Reminders for 13 May 2010: 1 overdue"
    assert "Report to the ccNSO (1 day late, due “by 12 May”, 12 May 2010)" in rows[auckland.id]["text_body"]
    assert rows[los_angeles.id]["subject"] == "Reminders for 12 May 2010: 1 due within 7 days"
    assert "Report to the ccNSO (today, due “by 12 May”, 12 May 2010)" in rows[los_angeles.id]["text_body"]


def test_reading_everything_or_only_the_recipients_commitments_collects_the_same_items(app, session, monkeypatch):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    owner = factories.person(session, timezone="UTC")
    late = Window("by 1 May", None, date(2010, 5, 1), "day")
    factories.commitment(session, title="Owned, to both", owner_id=owner.id, made_to=[ccnso, gnso], window=late)
    factories.commitment(session, title="Owned, asked by the GNSO", kind="request", owner_id=owner.id,
                         made_by=[gnso], made_to=[factories.party(session, is_internal=True)], window=late)
    factories.commitment(session, title="Someone else's, to the ccNSO", made_to=[ccnso], window=late)
    factories.commitment(session, title="Unrelated", made_to=[factories.party(session)], window=late)
    owner_recipient = follow(session, owner, [gnso.id], "UTC", include_own=True)
    chair = follow(session, factories.person(session), [ccnso.id, gnso.id], "UTC")
    person_of = {owner_recipient.id: owner.id, chair.id: chair.person_id}
    views = [operations.view_of(r, session.get(Person, r.person_id), NOW) for r in (owner_recipient, chair)]

    def collected():
        items = operations.collect_items(session, views, NOW, person_of)
        return {rid: [(item.title, item.party) for item in found] for rid, found in items.items()}

    narrow = collected()
    monkeypatch.setattr(queries, "FILTER_LIMIT", 0)  # as with thousands of recipients: one read of everything
    wide = collected()
    # The order within a list is the database's; what counts is its content, and the owner's own items first.
    assert {rid: sorted(found) for rid, found in wide.items()} == {rid: sorted(found) for rid, found in narrow.items()}
    for found in (narrow, wide):
        assert sorted(found[owner_recipient.id][:2]) == [("Owned, asked by the GNSO", "GNSO Council"),
                                                         ("Owned, to both", "GNSO Council, ccNSO Council")]
        assert sorted(found[owner_recipient.id][2:]) == [("Owned, asked by the GNSO", "GNSO Council"),
                                                         ("Owned, to both", "GNSO Council")]
        assert sorted(found[chair.id]) == [("Owned, asked by the GNSO", "GNSO Council"),
                                           ("Owned, to both", "GNSO Council"), ("Owned, to both", "ccNSO Council"),
                                           ("Someone else's, to the ccNSO", "ccNSO Council")]
