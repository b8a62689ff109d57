"""A superseded promise and a change of owner are told: the owner and the followers that a promise was
superseded (naming the promise that replaces it when the reader may see it), the new owner that it was
assigned to them and the previous one that it was handed on (only while they may still see it, naming the new
owner only when they may see that person). Delivered once, over a real SMTP server and in the digest."""
import email
import email.policy
from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tests.conftest import PASSWORD
from tests.notices.test_who_is_told import told
from tracker import events
from tracker.accounts.operations import create_api_token
from tracker.commitments import operations as commitments
from tracker.notices.models import Notice
from tracker.reminders import jobs
from tracker.validation import InvalidInput

# After 20:00 UTC: the 08:00 digests of the day are past their grace, the 23:30 ones not yet due.
EVENING = "2010-05-12T20:30:00+00:00"
SUPERSEDED = ("The promise “Publish the Concept of Operations” to the ccNSO was superseded by “Publish the revised "
              "Concept of Operations”.")


def parsed(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def texts_to(smtp_server, address) -> list[str]:
    return [parsed(raw).get_body(("plain",)).get_content() for _sender, recipients, raw in smtp_server.messages
            if recipients == [address]]


def replacement_of(world, made_to=None):
    return factories.commitment(world.session, title="Publish the revised Concept of Operations",
                                made_by=[world.office], made_to=made_to or [world.ccnso])


def supersede(world, replaced_by=None, **changes):
    commitments.update_progress(world.session, world.promise, status="superseded",
                                replaced_by_id=replaced_by.id if replaced_by else None, actor=world.actor, **changes)


def hand_over(world, new_owner_id):
    commitments.update_details(world.session, world.promise, title=world.promise.title, quote="",
                               owner_id=new_owner_id, made_by=[world.office.id], made_to=[world.ccnso.id],
                               actor=world.actor)


def tell_greg_at_once(world):
    return world.follower("greg@example.org", "Greg Rattray", [], notify_assigned="immediately",
                          notify_moves="immediately")


# Who is told --------------------------------------------------------------------------------------------------

def test_superseding_tells_the_owner_and_the_followers_of_the_party(session, world):
    supersede(world, replacement_of(world))
    assert told(session, "commitment.superseded") == [("chris@example.org", "moved", "immediately"),
                                                      ("greg@example.org", "moved", "digest")]


def test_a_change_of_owner_tells_the_previous_owner_it_was_handed_on_and_the_new_one_it_is_theirs(session, world):
    rod = factories.person(session, name="Rod Beckstrom", email="rod@example.org")
    hand_over(world, rod.id)
    assert told(session, "commitment.updated") == [("greg@example.org", "unassigned", "digest"),
                                                   ("rod@example.org", "assigned", "digest")]


def test_a_previous_owner_who_may_no_longer_see_it_is_not_told(session, world):
    # Greg's own account now sees the GNSO only: the promise to the ccNSO is no longer his to see.
    factories.user(session, role="viewer", email="greg@example.org", party_ids=[world.gnso.id])
    rod = factories.person(session, name="Rod Beckstrom", email="rod@example.org")
    hand_over(world, rod.id)
    assert told(session, "commitment.updated") == [("rod@example.org", "assigned", "digest")]


def test_the_previous_owner_who_hands_it_on_is_not_told_of_their_own_change(session, world):
    greg = factories.user(session, role="editor", email="greg@example.org", display_name="Greg")
    rod = factories.person(session, name="Rod Beckstrom", email="rod@example.org")
    commitments.update_details(session, world.promise, title=world.promise.title, quote="", owner_id=rod.id,
                               made_by=[world.office.id], made_to=[world.ccnso.id],
                               actor=events.Actor(greg.id, "Greg"))
    assert told(session, "commitment.updated") == [("rod@example.org", "assigned", "digest")]


@pytest.mark.parametrize("changes, field", [
    (dict(status="dropped"), "replaced_by_id"),
    (dict(status="superseded", replaced_by_id="itself"), "replaced_by_id"),
    (dict(status="superseded", replaced_by_id=2**31 - 1), "replaced_by_id"),
])
def test_only_a_superseded_commitment_names_another_existing_one_as_its_replacement(session, world, changes, field):
    replacement = replacement_of(world)
    changes = {"replaced_by_id": replacement.id, **changes}
    if changes["replaced_by_id"] == "itself":
        changes["replaced_by_id"] = world.promise.id
    with pytest.raises(InvalidInput) as refused:
        commitments.update_progress(session, world.promise, actor=world.actor, **changes)
    assert refused.value.field == field
    assert session.exec(select(Notice)).all() == []


# Delivered once -----------------------------------------------------------------------------------------------

@pytest.mark.smtp_allowed
def test_a_superseded_promise_arrives_over_smtp_once_naming_its_replacement(app, session, world, smtp_server,
                                                                           smtp_transport, pin):
    pin(EVENING)
    supersede(world, replacement_of(world))
    first, second = jobs.run_pass(app), jobs.run_pass(app)
    (text,) = texts_to(smtp_server, "chris@example.org")
    assert SUPERSEDED in text
    (message,) = [parsed(raw) for _s, to, raw in smtp_server.messages if to == ["chris@example.org"]]
    assert message["Subject"] == "“Publish the Concept of Operations”: superseded"
    assert (first.notice_emails, second.notice_emails, second.sent) == (1, 0, [])
    # Greg folds his notices into his digest: the next morning's, once; the one after says nothing of it.
    pin("2010-05-13T08:00:00+00:00")
    jobs.run_pass(app)
    jobs.run_pass(app)
    (digest,) = texts_to(smtp_server, "greg@example.org")
    moved = digest.split("== What moved since your last digest (1) ==")[1].split("\n== ")[0]
    assert "- Publish the Concept of Operations (superseded by “Publish the revised Concept of Operations”)" in moved
    pin("2010-05-14T08:00:00+00:00")
    jobs.run_pass(app)
    assert all("superseded" not in text for text in texts_to(smtp_server, "greg@example.org")[1:])
    assert len(smtp_server.messages) == len(texts_to(smtp_server, "chris@example.org")) + len(
        texts_to(smtp_server, "greg@example.org"))
    states = sorted((n.reason, n.state) for n in session.exec(select(Notice)))
    assert states == [("moved", "folded"), ("moved", "queued")]


@pytest.mark.smtp_allowed
def test_a_replacement_the_reader_may_not_see_is_not_named(app, session, world, smtp_server, smtp_transport, pin):
    pin(EVENING)
    # Chris's account sees the ccNSO only; the replacing promise is made to the GNSO alone.
    factories.user(session, role="viewer", email="chris@example.org", party_ids=[world.ccnso.id])
    hidden = factories.commitment(session, title="A GNSO-only plan", made_by=[world.office], made_to=[world.gnso])
    supersede(world, hidden)
    jobs.run_pass(app)
    jobs.run_pass(app)
    (text,) = texts_to(smtp_server, "chris@example.org")
    assert "The promise “Publish the Concept of Operations” to the ccNSO was superseded." in text
    assert "GNSO-only" not in text and f"/commitments/{hidden.id}" not in text


@pytest.mark.smtp_allowed
def test_a_handover_arrives_over_smtp_once_to_each_owner(app, session, world, smtp_server, smtp_transport, pin):
    pin(EVENING)
    tell_greg_at_once(world)
    rod = factories.person(session, name="Rod Beckstrom", email="rod@example.org")
    world.follower("rod@example.org", "Rod Beckstrom", [], notify_assigned="immediately")
    hand_over(world, rod.id)
    first, second = jobs.run_pass(app), jobs.run_pass(app)
    (to_greg,) = texts_to(smtp_server, "greg@example.org")
    (to_rod,) = texts_to(smtp_server, "rod@example.org")
    assert ("The promise “Publish the Concept of Operations” to the ccNSO was handed from you to Rod Beckstrom."
            in to_greg)
    assert "The promise “Publish the Concept of Operations” to the ccNSO was assigned to you." in to_rod
    (subject,) = [parsed(raw)["Subject"] for _s, to, raw in smtp_server.messages if to == ["greg@example.org"]]
    assert subject == "“Publish the Concept of Operations”: no longer yours"
    assert (first.notice_emails, second.notice_emails, len(smtp_server.messages)) == (2, 0, 2)


@pytest.mark.smtp_allowed
def test_a_new_owner_the_previous_one_may_not_see_is_not_named(app, session, world, smtp_server, smtp_transport,
                                                             pin):
    pin(EVENING)
    tell_greg_at_once(world)
    # Greg's account sees the ccNSO. A new owner is someone he may see while they own the promise; handed on
    # again before the notice goes out, the first new owner is nobody Greg may see any more.
    factories.user(session, role="viewer", email="greg@example.org", party_ids=[world.ccnso.id])
    stranger = factories.person(session, name="Someone Of The GNSO", email="stranger@example.org")
    rod = factories.person(session, name="Rod Beckstrom", email="rod@example.org")
    hand_over(world, stranger.id)
    hand_over(world, rod.id)
    greg = app.test_client()
    assert greg.post("/sign-in", data={"email": "greg@example.org", "password": PASSWORD}).status_code == 302
    assert greg.get(f"/api/people/{stranger.id}").status_code == 404  # not his to see
    assert greg.get(f"/api/people/{rod.id}").status_code == 200
    jobs.run_pass(app)
    (text,) = texts_to(smtp_server, "greg@example.org")
    assert "The promise “Publish the Concept of Operations” to the ccNSO was handed from you to someone else." in text
    assert "Someone Of The GNSO" not in text


@pytest.mark.smtp_allowed
def test_an_owner_taken_off_with_nobody_in_their_place_is_told_so(app, session, world, smtp_server, smtp_transport,
                                                                pin):
    pin(EVENING)
    tell_greg_at_once(world)
    hand_over(world, None)
    jobs.run_pass(app)
    jobs.run_pass(app)
    (text,) = texts_to(smtp_server, "greg@example.org")
    assert ("The promise “Publish the Concept of Operations” to the ccNSO is no longer assigned to you: it has no "
            "owner now.") in text


# The API and the history --------------------------------------------------------------------------------------

def test_the_api_supersedes_naming_the_replacement_and_the_history_says_so(app, admin_client, session, world):
    replacement = replacement_of(world)
    session.commit()
    editor = factories.user(session, role="editor", display_name="Ed Itor")
    _token, secret = create_api_token(session, editor, "script")
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    url = f"/api/commitments/{world.promise.id}/progress"
    for body, message in (({"status": "dropped", "replaced_by_id": replacement.id}, "only a superseded commitment"),
                          ({"status": "superseded", "replaced_by_id": world.promise.id}, "cannot replace itself"),
                          ({"status": "superseded", "replaced_by_id": 2**31 - 1}, "there is no commitment"),
                          ({"status": "superseded", "replaced_by_id": 2**31}, "replaced_by_id: Input should be")):
        refused = client.post(url, json=body, headers=headers)
        assert refused.status_code == 400 and refused.get_json()["field"] == "replaced_by_id", refused.get_json()
        assert message in refused.get_json()["error"]
    assert session.exec(select(Notice)).all() == []
    answer = client.post(url, json={"status": "superseded", "replaced_by_id": replacement.id}, headers=headers)
    assert answer.status_code == 200 and answer.get_json()["status"] == "superseded"
    page = admin_client.get(f"/commitments/{world.promise.id}").get_data(as_text=True)
    assert "replaced by “Publish the revised Concept of Operations”" in page
    assert told(session, "commitment.superseded") == [("chris@example.org", "moved", "immediately"),
                                                      ("greg@example.org", "moved", "digest")]


def test_superseding_keeps_the_replacement_in_the_event_for_the_record_as_of_a_day(session, world):
    replacement = replacement_of(world)
    supersede(world, replacement, outcome="folded into the revised plan")
    (event,) = [e for e in events.history(session, "commitment", world.promise.id)
                if e.kind == "commitment.superseded"]
    assert event.data["replaced_by_id"] == replacement.id and event.data["from_status"] == "open"
    assert (world.promise.status, world.promise.due_latest) == ("superseded", date(2010, 4, 30))
