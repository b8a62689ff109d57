"""Writes for notices: who is told about an event (in the writer's transaction), the emails of those told
immediately (digest rows, delivered by the digest jobs), and the notices folded into a digest. Flush, never commit.

Who is told: the owner of the commitment, and, for a promise, the followers of the parties it was made to,
about changes people make and promises becoming overdue; a new owner that it was assigned to them, the previous
owner that it was handed on; never the person who made the change, never someone whose own account may not see
the commitment, never someone who chose "never", paused or stopped their emails. A notice names another record
(the promise that supersedes one, the new owner) only when the recipient may see it.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import case, update
from sqlmodel import Session

from tracker import access, clock
from tracker.commitments.models import Commitment, replacement_named
from tracker.events import Event
from tracker.notices import queries
from tracker.notices.models import Notice
from tracker.notices.render import NoticeLine, compose_notice_email, fold_into_digest, notice_line
from tracker.parties.models import Person
from tracker.reminders import operations as reminder_operations
from tracker.reminders.models import Digest
from tracker.reminders.render import message_id, unsubscribe_token_for

MOVE_KINDS = ("commitment.rescheduled", "commitment.done", "commitment.partly_done", "commitment.dropped",
              "commitment.superseded", "commitment.overdue")
# An item found overdue by more than this many days did not just become overdue: the first sweep over an old
# record, or a sweep after a long outage, found it so. Its owner and followers are not told it as news.
OVERDUE_NEWS_DAYS = 7
# Events handled per round of queries when the sweep hands many over.
EVENT_BATCH = 1000
# Immediate notices put into emails per pass; the rest wait for the next pass (a minute later).
IMMEDIATE_BATCH = 2000


# Who is told --------------------------------------------------------------------------------------------

def notice_event(session: Session, event: Event, reason: str, person_id: int | None = None) -> int:
    """Pending notices for one event (handlers call this); returns how many were made (the database skips one
    that exists already). person_id: tell this person instead of the commitment's owner (the owner it was
    taken from).

    Only a change someone made is told: what the system writes by itself (loading the sample record, a
    command-line import) is bookkeeping, and would tell every owner of a whole record at once. The one change
    the system makes that is news, becoming overdue, comes through notice_overdue.
    """
    if event.actor_user_id is None:
        return 0
    return _notice(session, [event.id], reason, {event.id: event.actor_user_id},
                   {event.id: person_id} if person_id is not None else None)


def notice_overdue(session: Session, event_ids: list[int]) -> int:
    """Pending notices for commitment.overdue events just emitted by the sweep (made by the system, nobody's own)."""
    # In batches: a sweep after a quiet weekend may bring thousands of events, each id a bound parameter.
    return sum(_notice(session, event_ids[start:start + EVENT_BATCH], "moved", {})
               for start in range(0, len(event_ids), EVENT_BATCH))


def _notice(session: Session, event_ids: list[int], reason: str, actor_of: dict[int, int | None],
            people: dict[int, int] | None = None) -> int:
    """people: event id → the person told instead of the commitment's owner."""
    if not event_ids:
        return 0
    wanted: dict[int, set[int]] = defaultdict(set)          # event id → recipient ids
    if people is None:
        owners = list(session.exec(queries.owners_of(event_ids)))
    else:
        recipient_of_person = dict(session.exec(queries.recipients_by_person(set(people.values()))).all())
        owners = [(event_id, person_id, recipient_of_person.get(person_id)) for event_id, person_id in people.items()]
    without_row = {person_id for _e, person_id, recipient_id in owners if recipient_id is None}
    recipient_of = {person_id: recipient_id for _e, person_id, recipient_id in owners if recipient_id is not None}
    if without_row:
        # A new owner may have no recipient row yet: they get the default one, as every owner does.
        reminder_operations.ensure_recipients_of(session, without_row, int(current_app.config["DIGEST_DUE_SOON_DAYS"]))
        recipient_of.update(session.exec(queries.recipients_by_person(without_row)).all())
    for event_id, person_id, _recipient_id in owners:
        if person_id in recipient_of:
            wanted[event_id].add(recipient_of[person_id])
    if reason == "moved":
        for event_id, recipient_id in session.exec(queries.followers_of(event_ids)):
            wanted[event_id].add(recipient_id)
    recipient_ids = {rid for rids in wanted.values() for rid in rids}
    if not recipient_ids:
        return 0
    preference = "notify_moves" if reason == "moved" else "notify_assigned"
    delivery_of = {recipient.id: getattr(recipient, preference)
                   for recipient, person in session.exec(queries.recipients_with_people(recipient_ids))
                   if person.email and not recipient.paused and recipient.unsubscribed_at is None
                   and getattr(recipient, preference) != "never"}
    accounts = reminder_operations.recipient_accounts(session, delivery_of)
    commitment_of = dict(session.exec(queries.subjects_of(event_ids)).all())
    listed = defaultdict(set)                               # recipient id → the commitments it would be told of
    for event_id, rids in wanted.items():
        for rid in rids & delivery_of.keys():
            listed[rid].add(commitment_of[event_id])
    visible = _visible(session, listed, accounts)
    now = clock.now()
    rows = []
    for event_id, rids in wanted.items():
        actor = actor_of.get(event_id)
        for rid in sorted(rids):
            if rid not in delivery_of or commitment_of[event_id] not in visible.get(rid, ()):
                continue
            if actor is not None and any(user.id == actor for user in accounts.get(rid, ())):
                continue  # nobody is told about their own change
            rows.append(dict(recipient_id=rid, event_id=event_id, commitment_id=commitment_of[event_id],
                             reason=reason, delivery=delivery_of[rid], state="pending", created_at=now))
    if rows:
        # The unique (recipient, event) skips a notice already made, even by a concurrent writer.
        session.execute(reminder_operations.insert_ignoring_duplicates(session, Notice, ["recipient_id", "event_id"]),
                        rows)
    return len(rows)


def _visible(session: Session, wanted: dict[int, set[int]], accounts: dict[int, list],
             model=Commitment) -> dict[int, set[int]]:
    """recipient id → the records of `wanted` (commitments, or another model) that recipient may see: everything
    for a recipient without an account (staff set up what it follows), what the account may see otherwise
    (tracker.access)."""
    viewers = reminder_operations.recipient_viewers(session, wanted, accounts)
    result, by_viewer = {}, defaultdict(set)
    for rid, record_ids in wanted.items():
        if rid in viewers:
            by_viewer[viewers[rid]] |= record_ids
        else:
            result[rid] = record_ids
    allowed = {}
    for viewer, ids in by_viewer.items():
        ids = sorted(ids)
        batch = reminder_operations.VISIBILITY_BATCH
        allowed[viewer] = set().union(*(access.visible_ids(session, viewer, model, ids[start:start + batch])
                                        for start in range(0, len(ids), batch)))
    for rid, viewer in viewers.items():
        if rid in wanted:
            result[rid] = wanted[rid] & allowed[viewer]
    return result


# What notices say -----------------------------------------------------------------------------------------

def _lines(session: Session, statement, recipient_ids=None) -> tuple[dict[int, list[NoticeLine]], list[int]]:
    """recipient id → the lines of the notices a queries.details statement reads (of these recipients only, when
    given), and the ids of those withheld (no longer visible to the recipient's account: access may have changed
    since the event)."""
    found = [row for row in session.exec(statement) if recipient_ids is None or row[0].recipient_id in recipient_ids]
    if not found:
        return {}, []
    wanted = defaultdict(set)
    for notice, _event, commitment in found:
        wanted[notice.recipient_id].add(commitment.id)
    accounts = reminder_operations.recipient_accounts(session, wanted)
    visible = _visible(session, wanted, accounts)
    names = _named_records(session, found, accounts)
    sides = defaultdict(lambda: {"to": [], "by": []})
    for commitment_id, side, short_name in session.exec(queries.counterparties({c.id for _n, _e, c in found})):
        sides[commitment_id][side].append(short_name)
    lines, withheld = defaultdict(list), []
    # Links are built for BASE_URL, outside any request (jobs run without one).
    with current_app.test_request_context():
        for notice, event, commitment in found:
            if commitment.id not in visible.get(notice.recipient_id, ()):
                withheld.append(notice.id)
                continue
            kind = notice.reason if notice.reason in ("assigned", "unassigned") else event.kind
            lines[notice.recipient_id].append(notice_line(
                notice_id=notice.id, kind=kind, data={**event.data, **names(notice.recipient_id, event)},
                commitment_id=commitment.id, commitment_kind=commitment.kind, title=commitment.title,
                counterparties=sides[commitment.id]["to" if commitment.kind == "promise" else "by"],
                path=url_for("commitments.show", commitment_id=commitment.id)))
    return lines, withheld


def _other_records(event: Event) -> tuple[int | None, int | None]:
    """(the commitment that replaces the event's commitment, the owner it was handed to), when the event says."""
    data = event.data or {}
    owner_change = (data.get("changes") or {}).get("owner_id") if event.kind == "commitment.updated" else None
    new_owner = owner_change[1] if owner_change else None
    return replacement_named(event.kind, data), new_owner if isinstance(new_owner, int) else None


def _named_records(session: Session, found, accounts: dict[int, list]):
    """A function (recipient id, event) → the names a notice may add to the event's data: the title of the
    commitment that replaces it ("replaced_by") and the new owner's name ("handed_to"), each only when that
    recipient may see that record; a query per model, only when some notice names one."""
    commitments, people = defaultdict(set), defaultdict(set)
    for notice, event, _commitment in found:
        replaced_by, new_owner = _other_records(event)
        if replaced_by is not None:
            commitments[notice.recipient_id].add(replaced_by)
        if new_owner is not None and notice.reason == "unassigned":  # the new owner is told it is theirs
            people[notice.recipient_id].add(new_owner)
    seen_commitments = _visible(session, commitments, accounts) if commitments else {}
    seen_people = _visible(session, people, accounts, Person) if people else {}
    titles = dict(session.exec(queries.titles_of({i for ids in commitments.values() for i in ids})).all()) \
        if commitments else {}
    names = dict(session.exec(queries.names_of({i for ids in people.values() for i in ids})).all()) if people else {}

    def named(recipient_id: int, event: Event) -> dict:
        replaced_by, new_owner = _other_records(event)
        shown = {}
        if replaced_by in seen_commitments.get(recipient_id, ()):
            shown["replaced_by"] = titles.get(replaced_by)
        if new_owner in seen_people.get(recipient_id, ()):
            shown["handed_to"] = names.get(new_owner)
        return shown

    return named


def _withhold(session: Session, notice_ids: list[int]) -> None:
    if notice_ids:
        session.execute(update(Notice).where(Notice.id.in_(notice_ids), Notice.state.in_(("pending", "queued")))
                        .values(state="withheld"))


# Told immediately -------------------------------------------------------------------------------------------

def plan_immediate(session: Session, now: datetime | None = None) -> list[int]:
    """Put the pending immediate notices into emails, one per recipient: digest rows, which the digest delivery
    sends (claimed, sent once, retried on a transient failure, 'unknown' if the sender dies). Returns their ids.

    Each notice is first taken by a conditional UPDATE (pending → queued): of two concurrent passes only one
    takes it, so it goes into one email only.
    """
    now = now or clock.now()
    candidates = list(session.exec(queries.pending_immediate(IMMEDIATE_BATCH)))
    if not candidates:
        return []
    taken = [notice_id for (notice_id,) in session.execute(
        update(Notice).where(Notice.id.in_(candidates), Notice.state == "pending")
        .values(state="queued", delivered_at=now).returning(Notice.id)).all()]
    if not taken:
        return []
    lines, withheld = _lines(session, queries.details(taken))
    _withhold(session, withheld)
    recipients = {recipient.id: (recipient, person)
                  for recipient, person in session.exec(queries.recipients_with_people(lines))}
    config = current_app.config
    with current_app.test_request_context():
        preferences_url = config["BASE_URL"].rstrip("/") + url_for("reminders.mine")
    created = []
    for rid, recipient_lines in lines.items():
        recipient, person = recipients[rid]
        ids = [line.notice_id for line in recipient_lines]
        if recipient.paused or recipient.unsubscribed_at is not None or not person.email:
            _withhold(session, ids)
            continue
        # One email per recipient and pass, named after its first notice (each notice is taken once).
        period = f"notice-{min(ids)}"
        unsubscribe_url = f"{config['BASE_URL'].rstrip('/')}/unsubscribe/{unsubscribe_token_for(recipient)}"
        email = compose_notice_email(recipient_lines, name=person.name, to=person.email,
                                     unsubscribe_url=unsubscribe_url, preferences_url=preferences_url,
                                     message_id=message_id(rid, period, config["MAIL_FROM"]), now=now, config=config)
        digest = Digest(recipient_id=rid, period=period, scheduled_for=now, to_address=person.email,
                        subject=email.subject, text_body=email.text, html_body=email.html, headers=email.headers,
                        message_id=email.message_id, item_count=len(ids), state="pending", next_attempt_at=now,
                        created_at=now)
        session.add(digest)
        session.flush()
        session.execute(update(Notice).where(Notice.id.in_(ids)).values(digest_id=digest.id))
        created.append(digest.id)
    session.flush()
    return created


# Folded into the digest -------------------------------------------------------------------------------------

def fold_pending(session: Session, contents: list) -> tuple[list, dict[int, list[int]]]:
    """Each digest with its recipient's pending "in my digest" notices as a section; and recipient id → the
    notice ids it carries, to mark once the digest row exists (mark_folded)."""
    recipient_ids = {content.recipient.id for content in contents}
    if not recipient_ids:
        return contents, {}
    lines, withheld = _lines(session, queries.details(pending_for_digest_of=recipient_ids), recipient_ids)
    _withhold(session, withheld)
    folded, carried = [], {}
    for content in contents:
        recipient_lines = lines.get(content.recipient.id)
        if recipient_lines:
            content = fold_into_digest(content, recipient_lines)
            carried[content.recipient.id] = [line.notice_id for line in recipient_lines]
        folded.append(content)
    return folded, carried


def mark_folded(session: Session, carried: dict[int, list[int]], digest_of: dict[int, int], now: datetime) -> None:
    """The notices went into these digests (recipient id → digest id): delivered with them, never again. A
    recipient whose digest row was not inserted (another pass planned it first) keeps its notices pending."""
    notice_ids = [notice_id for rid, ids in carried.items() if rid in digest_of for notice_id in ids]
    if notice_ids:
        # One statement for every recipient of the pass: each notice gets its own recipient's digest.
        session.execute(update(Notice).where(Notice.id.in_(notice_ids), Notice.state == "pending")
                        .values(state="folded", delivered_at=now,
                                digest_id=case(digest_of, value=Notice.recipient_id)))
