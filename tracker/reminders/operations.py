"""Writes for reminders: recipients and subscriptions, the due_soon/overdue sweep, planning digests, and the
delivery state machine (pending → sending → sent | pending again (retry) | failed | unknown). Flush, never commit."""
from __future__ import annotations

import gc
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import insert, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, delete, select

from tracker import access, clock, events, validation
from tracker.commitments.models import Commitment, is_due_soon, is_overdue
from tracker.letters.models import Letter
from tracker.mail import Email
from tracker.parties import operations as party_operations
from tracker.parties.models import Party, Person
from tracker.reminders import queries
from tracker.reminders.digest import (CommitmentItem, LetterItem, RecipientView, Schedule, build_digest,
                                      build_digests, due_occurrence, parse_send_time)
from tracker.reminders.models import FREQUENCIES, NOTICE_CHOICES, Digest, Recipient, Subscription
from tracker.reminders.render import DigestRenderer, message_id, subscription_state
from tracker.validation import InvalidInput


@dataclass(frozen=True)
class DigestSection:
    """A section that a feature built on reminders adds to each digest (tracker.notices: the notices a recipient
    asked to get "in my digest"). Declared here and filled by that feature when the app is made, so reminders
    imports nothing of what builds on it."""
    fold: Callable[[Session, list], tuple[list, dict]]  # (session, contents) → (contents, what each carries)
    mark_sent: Callable[[Session, dict, dict, datetime], None]  # (session, carried, digest id by recipient, now)


DIGEST_SECTIONS: list[DigestSection] = []
# Called in the sweep's transaction with {event id: days late} of the commitments it found newly overdue.
OVERDUE_LISTENERS: list[Callable[[Session, dict[int, int]], None]] = []


def _fold_sections(session: Session, contents: list) -> tuple[list, list[dict]]:
    """The digests' contents with every declared section folded in, and what each section carried."""
    carried = []
    for section in DIGEST_SECTIONS:
        contents, carried_by_section = section.fold(session, contents)
        carried.append(carried_by_section)
    return contents, carried


MAX_BACKOFF = timedelta(hours=6)


# Recipients -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Preferences:
    frequency: str = "daily"
    weekday: int = 0
    send_time: str = "08:00"
    timezone: str = "UTC"
    due_soon_days: int = 7
    include_own: bool = True
    send_when_empty: bool = False
    paused: bool = False
    notify_moves: str = "digest"
    notify_assigned: str = "digest"

    def check(self) -> "Preferences":
        validation.choice(self.frequency, FREQUENCIES, "frequency")
        validation.choice(self.notify_moves, NOTICE_CHOICES, "notify_moves")
        validation.choice(self.notify_assigned, NOTICE_CHOICES, "notify_assigned")
        if not 0 <= int(self.weekday) <= 6:
            raise InvalidInput("the weekday must be Monday to Sunday", "weekday")
        try:
            parse_send_time(self.send_time)
        except ValueError as error:
            raise InvalidInput(str(error), "send_time") from None
        validation.timezone_name(self.timezone)
        if not 1 <= int(self.due_soon_days) <= 90:
            raise InvalidInput("'due soon' is between 1 and 90 days ahead", "due_soon_days")
        return self


def save_recipient(session: Session, *, email: str, name: str, preferences: Preferences, party_ids: list[int],
                   recipient: Recipient | None = None, actor: events.Actor = events.SYSTEM) -> Recipient:
    """An administrator creates or changes anyone's digest: preferences, followed parties, and the address.

    The address is checked against the people already known: re-addressing a digest to an address that belongs
    to someone else is refused, whoever asks (it would send one person's digest to another).
    """
    address = validation.email_address(email or "", "email")
    preferences.check()
    holder = session.exec(queries.person_by_email(address)).first()
    if recipient is None:
        person = holder or party_operations.create_person(session, name=name or address, email=address,
                                                          timezone=preferences.timezone, actor=actor)
        recipient = _recipient_of(session, person)
    else:
        person = session.get(Person, recipient.person_id)
        if holder is not None and holder.id != person.id:
            raise InvalidInput(f"{address} belongs to {holder.name}, not to {person.name}: change their own "
                               "digest instead", "email")
        if person.email != address:
            party_operations.update_person(session, person, name=person.name, email=address,
                                           timezone=person.timezone, is_staff=person.is_staff, actor=actor)
    return update_preferences(session, recipient, preferences, party_ids, actor)


def save_own_recipient(session: Session, user, preferences: Preferences, party_ids: list[int],
                       actor: events.Actor = events.SYSTEM) -> Recipient:
    """A signed-in user sets up or changes their own digest. Whose digest it is comes from the account (its
    person, else the person with the account's address, else a new one), never from an address typed in."""
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        person = session.exec(queries.person_by_email(user.email)).first()
    if person is None:
        preferences.check()
        person = party_operations.create_person(session, name=user.display_name or user.email, email=user.email,
                                                timezone=preferences.timezone, actor=actor)
    recipient = _recipient_of(session, person)
    recipient.user_id = user.id
    return update_preferences(session, recipient, preferences, party_ids, actor)


def _recipient_of(session: Session, person: Person) -> Recipient:
    """The person's recipient row, or a new one (not yet added)."""
    recipient = session.exec(select(Recipient).where(Recipient.person_id == person.id)).first()
    if recipient is None:
        now = clock.now()
        recipient = Recipient(person_id=person.id, created_at=now, updated_at=now)
    return recipient


def update_preferences(session: Session, recipient: Recipient, preferences: Preferences, party_ids: list[int],
                       actor: events.Actor = events.SYSTEM) -> Recipient:
    """Change how and when a recipient gets digests and which parties they follow (not whom it goes to)."""
    preferences.check()
    party_ids = list(dict.fromkeys(party_ids))
    known = set(session.exec(select(Party.id).where(Party.id.in_(party_ids)))) if party_ids else set()
    if set(party_ids) - known:
        raise InvalidInput(f"unknown party id(s): {sorted(set(party_ids) - known)}", "party_ids")
    for key, value in vars(preferences).items():
        setattr(recipient, key, value)
    # A new state: unsubscribe links made before it stop working (render.subscription_state).
    recipient.updated_at = clock.now()
    session.add(recipient)
    session.flush()
    session.exec(delete(Subscription).where(Subscription.recipient_id == recipient.id))
    for party_id in party_ids:
        session.add(Subscription(recipient_id=recipient.id, party_id=party_id))
    session.flush()
    events.record(session, "digest_recipient.saved", "person", recipient.person_id, actor,
                  {**vars(preferences), "parties": list(party_ids)})
    return recipient


def unsubscribe(session: Session, recipient: Recipient, actor: events.Actor = events.SYSTEM) -> None:
    """Stop all digests for this recipient (from the signed link in every email)."""
    if recipient.unsubscribed_at is None:
        recipient.unsubscribed_at = clock.now()
        recipient.updated_at = recipient.unsubscribed_at
        session.add(recipient)
        events.record(session, "digest_recipient.unsubscribed", "person", recipient.person_id, actor)


def resubscribe(session: Session, recipient: Recipient, actor: events.Actor = events.SYSTEM) -> None:
    """Start digests again after an unsubscribe."""
    if recipient.unsubscribed_at is not None:
        recipient.unsubscribed_at = None
        recipient.updated_at = clock.now()
        session.add(recipient)
        events.record(session, "digest_recipient.resubscribed", "person", recipient.person_id, actor)


def ensure_owner_recipients(session: Session, due_soon_days: int) -> int:
    """Every owner of an open commitment gets a digest by default: add the missing recipient rows."""
    return _add_default_recipients(session, session.exec(queries.owners_without_recipient()), due_soon_days)


def ensure_recipients_of(session: Session, person_ids, due_soon_days: int) -> int:
    """These people (new owners) get the default recipient row, if they have an address and no row yet."""
    person_ids = list(set(person_ids))
    if not person_ids:
        return 0
    return _add_default_recipients(session, session.exec(queries.people_without_recipient(person_ids)),
                                   due_soon_days)


def _add_default_recipients(session: Session, people, due_soon_days: int) -> int:
    """(person id, timezone) → recipient rows with the defaults owners get."""
    now = clock.now()
    rows = [dict(person_id=person_id, timezone=tz or "UTC", include_own=True, frequency="daily", weekday=0,
                 send_time="08:00", due_soon_days=due_soon_days, send_when_empty=False, paused=False,
                 notify_moves="digest", notify_assigned="digest", created_at=now, updated_at=now)
            for person_id, tz in people]
    if rows:
        session.execute(insert_ignoring_duplicates(session, Recipient, ["person_id"]), rows)
    return len(rows)


# Time-driven events -----------------------------------------------------------------------------------

def emit_threshold_events(session: Session, due_soon_days: int, default_timezone: str = "UTC") -> dict:
    """commitment.due_soon / commitment.overdue, once per item, threshold and due date (a unique key makes a
    second emission impossible; a reschedule to a new date may emit again)."""
    now = clock.now()
    horizon = max(clock.today_in("Pacific/Kiritimati", now), clock.today_in(default_timezone, now)) \
        + timedelta(days=due_soon_days)
    wanted = {}
    for commitment_id, title, due_latest, status, tz in session.exec(queries.threshold_candidates(horizon)):
        today = clock.today_in(tz or default_timezone, now)
        item = _Threshold(status, due_latest)
        if is_overdue(item, today):
            kind = "commitment.overdue"
        elif is_due_soon(item, today, due_soon_days):
            kind = "commitment.due_soon"
        else:
            continue
        key = f"{kind}:{commitment_id}:{due_latest.isoformat()}"
        wanted[key] = (kind, commitment_id, {"title": title, "due_latest": due_latest,
                                             "days_late": (today - due_latest).days if kind.endswith("overdue")
                                             else None})
    keys = list(wanted)
    existing = set()
    for start in range(0, len(keys), 2000):
        existing.update(session.exec(queries.events_with_keys(keys[start:start + 2000])))
    new_by_kind: dict[str, list] = {"commitment.due_soon": [], "commitment.overdue": []}
    for key in keys:
        if key not in existing:
            kind, commitment_id, data = wanted[key]
            new_by_kind[kind].append((commitment_id, {k: v for k, v in data.items() if v is not None}, key))
    # A concurrent sweep may record some of the same keys first: the database skips those.
    recorded = {kind: events.record_unique_ids(session, kind, "commitment", items)
                for kind, items in new_by_kind.items()}
    # Time-driven kinds have no handlers (record_unique refuses them), so what is built on reminders and wants
    # to hear of promises becoming overdue (tracker.notices) is handed the new events here, in the same
    # transaction, with how many days late each is.
    overdue = {event_id: wanted[key][2]["days_late"] for key, event_id in recorded["commitment.overdue"].items()}
    for listener in OVERDUE_LISTENERS:
        listener(session, overdue)
    return {kind: len(ids) for kind, ids in recorded.items()}


@dataclass(frozen=True)
class _Threshold:
    status: str
    due_latest: object


# Planning digests -------------------------------------------------------------------------------------

def schedule_of(recipient: Recipient) -> Schedule:
    return Schedule(recipient.frequency, recipient.weekday, recipient.send_time, recipient.timezone)


def view_of(recipient: Recipient, person: Person, now: datetime) -> RecipientView:
    default_since = now - (timedelta(days=7) if recipient.frequency == "weekly" else timedelta(days=1))
    return RecipientView(id=recipient.id, name=person.name, email=person.email or "", timezone=recipient.timezone,
                         due_soon_days=recipient.due_soon_days, since=recipient.last_digest_at or default_since,
                         send_when_empty=recipient.send_when_empty, max_per_section=_max_per_section(),
                         unsubscribe_state=subscription_state(recipient.updated_at))


def _max_per_section() -> int:
    return int(current_app.config.get("DIGEST_MAX_ITEMS_PER_SECTION", 10)) if has_app_context() else 10


_new_tuple = tuple.__new__


def collect_items(session: Session, views: list[RecipientView], now: datetime,
                  person_of: dict[int, int] | None = None,
                  include_own: dict[int, bool] | None = None) -> dict[int, list]:
    """Items for many recipients with a fixed number of queries, whatever their number: commitments owned by
    the recipients, commitments and late letters of the parties they follow, done times.

    person_of: recipient id → person id; include_own: recipient id → whether owned items are listed.
    Recipients with the same sources (the same followed parties and nothing of their own) are given the very
    same list, which build_digests uses to sort it once for all of them.

    A recipient with a sign-in account gets only what that account may see (tracker.access), whatever it
    follows or owns; one without an account gets what staff set it up to follow, and what it owns.
    """
    if not views:
        return {}
    person_of = person_of or {}
    include_own = include_own or {}
    wanted = {view.id for view in views}
    horizon = max(clock.today_in(v.timezone, now) + timedelta(days=v.due_soon_days) for v in views)
    latest_today = max(clock.today_in(v.timezone, now) for v in views)
    done_since = min(v.since for v in views)
    owner_recipients = defaultdict(list)     # person id → recipient ids listing what that person owns
    for view in views:
        if include_own.get(view.id, True) and view.id in person_of:
            owner_recipients[person_of[view.id]].append(view.id)
    followed_by = defaultdict(list)          # recipient id → the party ids it follows
    party_names = {}
    # Core rows, not ORM results: the commitments query returns a few hundred thousand of them.
    connection = session.connection()
    for recipient_id, party_id, name in connection.execute(queries.subscriptions()):
        if recipient_id in wanted:
            followed_by[recipient_id].append(party_id)
            party_names[party_id] = name
    if not owner_recipients and not party_names:
        return {}

    # Read by position: id, kind, title, status, due_phrase, due_latest, due_precision, baseline_phrase,
    # baseline_latest (queries.COMMITMENT_COLUMNS), then owner id, party id, side, party name, whether the row
    # serves followers.
    owned_rows, counterparties = {}, defaultdict(set)
    followed_rows = []
    counterparty_side = {"promise": "to"}    # a request's counterparty is the party that asked: "by"
    # all(): one fetch for the whole result, not a fetchone() per row.
    for row in connection.execute(queries.digest_commitments(horizon, done_since, owner_recipients,
                                                             party_names)).all():
        if row[9] in owner_recipients:
            owned_rows[row[0]] = row
            if row[12] and row[11] == counterparty_side.get(row[1], "by"):
                counterparties[row[0]].add(row[12])
        if row[13] and row[10] in party_names:
            followed_rows.append(row)
    finished = ("done", "partly_done")
    done_ids = {row[0] for row in owned_rows.values() if row[3] in finished}
    done_ids.update(row[0] for row in followed_rows if row[3] in finished)
    done_at = ({cid: at for cid, at in connection.execute(queries.done_times(done_since, done_ids))}
               if done_ids else {})

    def as_item(row, party: str) -> CommitmentItem:
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (same value, a few hundred thousand times).
        return _new_tuple(CommitmentItem, (row[0], row[2], row[3], party, row[4], row[5], row[6], row[7], row[8],
                                           done_at.get(row[0]), row[1]))

    own_items = defaultdict(list)            # person id → items
    for commitment_id, row in owned_rows.items():
        own_items[row[9]].append(as_item(row, ", ".join(sorted(counterparties[commitment_id])) or "No party"))
    party_items = defaultdict(list)          # party id → items
    for row in followed_rows:
        party_items[row[10]].append(as_item(row, party_names[row[10]]))
    own_letters = defaultdict(list)
    if owner_recipients:
        for row in connection.execute(queries.letters_to_people(list(owner_recipients), latest_today)):
            own_letters[row.person_id].append(
                LetterItem(row.id, row.subject, row.party or "Unknown sender", row.sent_on, row.reply_by))
    party_letters = defaultdict(list)
    if party_names:
        for row in connection.execute(queries.letters_of_parties(list(party_names), latest_today)):
            party_letters[row.party_id].append(
                LetterItem(row.id, row.subject, party_names[row.party_id], row.sent_on, row.reply_by))

    owner_of = {recipient_id: person_id for person_id, recipient_ids in owner_recipients.items()
                for recipient_id in recipient_ids}
    # Owned items first (their counterparty wording wins over a followed party's name), then followed parties
    # in ascending id, as the rows of one commitment or letter come (the first listing of an item is kept).
    shared, items = {}, {}
    for view in views:
        sources = (owner_of.get(view.id), tuple(sorted(set(followed_by.get(view.id, ())))))
        found = shared.get(sources)
        if found is None:
            person_id, party_ids = sources
            found = []
            if person_id is not None:
                found += own_items.get(person_id, ())
            for party_id in party_ids:
                found += party_items.get(party_id, ())
            if person_id is not None:
                found += own_letters.get(person_id, ())
            for party_id in party_ids:
                found += party_letters.get(party_id, ())
            shared[sources] = found
        if found:
            items[view.id] = found
    return restrict_to_accounts(session, items)


# Ids per IN list when checking which listed items an account may see.
VISIBILITY_BATCH = 2000


def recipient_accounts(session: Session, recipient_ids) -> dict[int, list]:
    """recipient id → the sign-in accounts that are that recipient's (queries.recipients_with_accounts)."""
    wanted = set(recipient_ids)
    accounts = defaultdict(list)
    for recipient_id, user in session.exec(queries.recipients_with_accounts()):
        if recipient_id in wanted:
            accounts[recipient_id].append(user)
    return accounts


def recipient_viewers(session: Session, recipient_ids, accounts: dict[int, list] | None = None
                      ) -> dict[int, access.Viewer]:
    """The Viewer of every recipient that has a sign-in account (recipients without one are left out)."""
    if accounts is None:
        accounts = recipient_accounts(session, recipient_ids)
    limited_users = {user.id for users in accounts.values() for user in users if user.limited_to_parties}
    parties_of = defaultdict(set)
    if limited_users:
        for user_id, party_id in session.exec(queries.parties_of_users(limited_users)):
            parties_of[user_id].add(party_id)
    return {recipient_id: access.narrowest(access.viewer_for(user, lambda user_id: parties_of[user_id])
                                           for user in users)
            for recipient_id, users in accounts.items()}


def restrict_to_accounts(session: Session, items: dict[int, list]) -> dict[int, list]:
    """Drop the items a recipient's own account may not see: one query per kind and distinct scope."""
    if not items:
        return items
    viewers = {rid: viewer for rid, viewer in recipient_viewers(session, items).items()
               if not (viewer.sees_everything and viewer.is_signed_in)}
    if not viewers:
        return items
    allowed: dict[tuple, set] = {}
    for viewer in set(viewers.values()):
        listed = [item for rid, viewer_of in viewers.items() if viewer_of == viewer for item in items[rid]]
        for model, kind in ((Commitment, CommitmentItem), (Letter, LetterItem)):
            ids = sorted({item.id for item in listed if isinstance(item, kind)})
            visible = set()
            for start in range(0, len(ids), VISIBILITY_BATCH):
                visible |= access.visible_ids(session, viewer, model, ids[start:start + VISIBILITY_BATCH])
            allowed[viewer, kind] = visible
    restricted = dict(items)
    for rid, viewer in viewers.items():
        kept = [item for item in items[rid] if item.id in allowed[viewer, type(item)]]
        if kept:
            restricted[rid] = kept
        else:
            del restricted[rid]
    return restricted


def plan_due_digests(session: Session, *, grace: timedelta, now: datetime | None = None) -> list[Digest | dict]:
    """Build and store the digest of every recipient whose local send time has come (once per period).

    Rows are inserted with "ignore duplicates" on (recipient, period): two schedulers planning at the same
    moment end up with one row each. Returns the inserted row values.
    """
    with collection_paused():
        return _plan_due_digests(session, grace, now or clock.now())


@contextmanager
def collection_paused():
    """Pauses Python's cyclic garbage collector for a pass. A pass makes a few hundred thousand long-lived tuples
    (rows, items), and every full collection would walk all of them again: that doubled the time of a pass
    over a million commitments. Reference counting still frees everything that is not a cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _plan_due_digests(session: Session, grace: timedelta, now: datetime) -> list[dict]:
    due = {}
    for recipient, person in session.exec(queries.receiving_recipients()):
        occurrence = due_occurrence(schedule_of(recipient), now, grace)
        if occurrence is not None:
            due[recipient.id] = (recipient, person, occurrence)
    if not due:
        return []
    periods = {occurrence[0] for _r, _p, occurrence in due.values()}
    planned = set(session.exec(queries.existing_periods(periods)))
    due = {rid: value for rid, value in due.items() if (rid, value[2][0]) not in planned}
    if not due:
        return []
    views = {rid: view_of(recipient, person, now) for rid, (recipient, person, _o) in due.items()}
    items = collect_items(session, list(views.values()), now,
                          person_of={rid: recipient.person_id for rid, (recipient, _p, _o) in due.items()},
                          include_own={rid: recipient.include_own for rid, (recipient, _p, _o) in due.items()})
    contents = build_digests(list(views.values()), items, now)
    # Sections added by what is built on reminders (tracker.notices: the notices asked for "in my digest").
    contents, carried = _fold_sections(session, contents)
    renderer = DigestRenderer()
    rows, built = [], []
    for content, (rid, (recipient, person, (period, scheduled_for))) in zip(contents, due.items()):
        row = dict(recipient_id=rid, period=period, scheduled_for=scheduled_for, to_address=person.email,
                   subject=content.subject, headers={}, message_id="", item_count=content.item_count,
                   attempts=0, claimed_by="", last_error="", transport="", created_at=now, text_body="",
                   html_body="", raw_message="")
        if content.should_send:
            email = renderer.compose(content, period=period, now=now)
            # The MIME message is assembled when the digest is claimed for sending (it is slow, and most of
            # a pass's rows are built at once); raw_message then holds exactly the bytes handed to the transport.
            row.update(state="pending", next_attempt_at=now, text_body=email.text, html_body=email.html,
                       headers=email.headers, message_id=email.message_id)
            built.append(rid)
        else:
            row.update(state="skipped", next_attempt_at=None)
        rows.append(row)
    table = Digest.__table__
    inserted = session.execute(insert_ignoring_duplicates(session, Digest, ["recipient_id", "period"])
                               .returning(table.c.recipient_id, table.c.id), rows).all()
    sending = set(built)
    sent_by = {rid: digest_id for rid, digest_id in inserted if rid in sending}
    for section, carried_by_section in zip(DIGEST_SECTIONS, carried):
        if carried_by_section:
            section.mark_sent(session, carried_by_section, sent_by, now)
    if built:
        # On the Table: the ORM's update would evaluate its criteria against every loaded recipient. The loaded
        # ones get the new value as if read from the database.
        session.execute(update(Recipient.__table__).where(Recipient.__table__.c.id.in_(built))
                        .values(last_digest_at=now))
        for rid in built:
            set_committed_value(due[rid][0], "last_digest_at", now)
    session.flush()
    return rows


def insert_ignoring_duplicates(session: Session, model, index_elements: list[str]):
    dialect = session.get_bind().dialect.name
    dialect_insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}.get(dialect)
    if dialect_insert is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return insert(model.__table__)
    # On the Table (Core), not the class: one executemany instead of the ORM's per-row bulk path.
    return dialect_insert(model.__table__).on_conflict_do_nothing(index_elements=index_elements)


def preview(session: Session, email: str, now: datetime | None = None):
    """What this person would get now (built, not stored); None when the address is unknown."""
    now = now or clock.now()
    found = session.exec(queries.recipient_by_email(email)).first()
    if found is None:
        # An owner whose recipient row the next pass would add: add it here (the caller does not commit).
        ensure_owner_recipients(session, int(current_app.config["DIGEST_DUE_SOON_DAYS"]))
        found = session.exec(queries.recipient_by_email(email)).first()
    if found is None:
        person = session.exec(queries.person_by_email(email)).first()
        if person is None:
            return None
        # Not an owner, not subscribed: the defaults, with nothing to list.
        found = (Recipient(id=0, person_id=person.id, timezone=person.timezone,
                           due_soon_days=int(current_app.config["DIGEST_DUE_SOON_DAYS"]),
                           created_at=now, updated_at=now), person)
    recipient, person = found
    view = view_of(recipient, person, now)
    items = (collect_items(session, [view], now, {recipient.id: recipient.person_id},
                           {recipient.id: recipient.include_own}) if recipient.id else {})
    content = build_digest(view, items.get(recipient.id, ()), now)
    if not recipient.id:
        return content
    # The sections the next digest would carry (not marked: nothing is sent).
    (content,), _carried = _fold_sections(session, [content])
    return content


# Delivery ---------------------------------------------------------------------------------------------

def claim_next(session: Session, worker: str, now: datetime | None = None, skip: set[int] = frozenset()) -> int | None:
    """Take one due pending digest for this worker (state → sending). The caller commits before sending.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent workers take different rows without waiting.
    SQLite: a conditional UPDATE … WHERE state='pending' inside BEGIN IMMEDIATE; a row someone else took
    changes 0 rows and we move on.
    """
    now = now or clock.now()
    statement = queries.claimable(now)
    if skip:
        statement = statement.where(Digest.id.not_in(list(skip)))
    if session.get_bind().dialect.name == "postgresql":
        digest_id = session.exec(statement.limit(1).with_for_update(skip_locked=True)).first()
        candidates = [digest_id] if digest_id is not None else []
    else:
        candidates = list(session.exec(statement.limit(20)))
    for digest_id in candidates:
        result = session.execute(update(Digest).where(Digest.id == digest_id, Digest.state == "pending")
                                 .values(state="sending", claimed_at=now, claimed_by=worker[:200],
                                         attempts=Digest.attempts + 1))
        if result.rowcount == 1:
            session.flush()
            return digest_id
    return None


def mark_sent(session: Session, digest: Digest, transport: str, provider_id: str) -> None:
    """Delivery confirmed by the transport."""
    digest.state, digest.sent_at, digest.transport = "sent", clock.now(), transport
    digest.last_error, digest.next_attempt_at = "", None
    session.add(digest)
    events.record(session, "digest.sent", "digest", digest.id,
                  data={"to": digest.to_address, "period": digest.period, "attempt": digest.attempts,
                        "transport": transport, "provider_id": provider_id})


def mark_failed_attempt(session: Session, digest: Digest, error, transport: str, max_attempts: int,
                        base_delay: timedelta) -> None:
    """A transient failure schedules a retry with exponential backoff and jitter; a permanent one, or the
    last allowed attempt, ends in 'failed' (shown on the Sent mail page, never retried by itself)."""
    now = clock.now()
    digest.last_error, digest.transport = str(error)[:2000], transport
    if getattr(error, "permanent", True) or digest.attempts >= max_attempts:
        digest.state, digest.next_attempt_at = "failed", None
        kind = "digest.failed"
    else:
        digest.state = "pending"
        digest.next_attempt_at = now + retry_delay(digest.attempts, base_delay, getattr(error, "retry_after", None))
        kind = "digest.retry_scheduled"
    session.add(digest)
    events.record(session, kind, "digest", digest.id,
                  data={"to": digest.to_address, "attempt": digest.attempts, "error": digest.last_error,
                        "next_attempt_at": digest.next_attempt_at})


def retry_delay(attempts: int, base: timedelta, retry_after: float | None = None,
                rng: random.Random | None = None) -> timedelta:
    """base · 2^(attempts-1), capped, times a random 0.5–1.0 (spreads retries of many rows); never sooner than
    the server's Retry-After."""
    exponential = min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)
    delay = exponential * (rng or random).uniform(0.5, 1.0)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def mark_stuck_as_unknown(session: Session, lease: timedelta) -> list[int]:
    """A row still 'sending' after the lease: its sender died mid-send. We cannot know whether the message
    left, so it becomes 'unknown' (shown, never re-sent automatically)."""
    now = clock.now()
    stuck = list(session.exec(queries.stuck_sending(now - lease)))
    for digest in stuck:
        digest.state = "unknown"
        digest.last_error = (f"delivery unknown: claimed by {digest.claimed_by} at {digest.claimed_at:%Y-%m-%d %H:%M} "
                             "UTC and never confirmed; check the mailbox, then resend if needed")
        session.add(digest)
        events.record(session, "digest.delivery_unknown", "digest", digest.id,
                      data={"to": digest.to_address, "claimed_by": digest.claimed_by})
    session.flush()
    return [digest.id for digest in stuck]


def resend(session: Session, original: Digest, actor: events.Actor = events.SYSTEM) -> Digest:
    """A deliberate new delivery of the same content (new row, new Message-ID)."""
    count = session.exec(queries.resends_of(original.period.split("/")[0], original.recipient_id)).one()
    period = f"{original.period.split('/')[0]}/resend-{count + 1}"
    now = clock.now()
    email = Email(sender=current_app.config["MAIL_FROM"], to=(original.to_address,), subject=original.subject,
                  text=original.text_body, html=original.html_body or None, headers=dict(original.headers),
                  message_id=message_id(original.recipient_id, period, current_app.config["MAIL_FROM"]), date=now)
    if not original.text_body:
        raise InvalidInput("this digest had nothing to send (skipped): there is no message to resend", "digest")
    copy = Digest(recipient_id=original.recipient_id, period=period, scheduled_for=now,
                  to_address=original.to_address, subject=original.subject, text_body=original.text_body,
                  html_body=original.html_body, headers=dict(original.headers), message_id=email.message_id,
                  item_count=original.item_count, state="pending",
                  next_attempt_at=now, resend_of_id=original.id, created_at=now)
    session.add(copy)
    session.flush()
    events.record(session, "digest.resent", "digest", original.id, actor, {"new_digest_id": copy.id})
    return copy
