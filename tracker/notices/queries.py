"""select() builders for notices: who is told about an event, and the notices waiting to go out."""
from __future__ import annotations

from sqlalchemy import and_
from sqlmodel import select

from tracker.commitments.models import Commitment, CommitmentParty
from tracker.events import Event
from tracker.notices.models import Notice
from tracker.parties.models import Party, Person
from tracker.reminders.models import Recipient, Subscription


def subjects_of(event_ids):
    """(event id, commitment id) for these commitment events."""
    return select(Event.id, Event.subject_id).where(Event.id.in_(list(event_ids)))


def owners_of(event_ids):
    """(event id, owner's person id, owner's recipient id or None) for these commitment events whose commitment
    has an owner."""
    return (select(Event.id, Commitment.owner_id, Recipient.id).join(Commitment, Commitment.id == Event.subject_id)
            .outerjoin(Recipient, Recipient.person_id == Commitment.owner_id)
            .where(Event.id.in_(list(event_ids)), Event.subject_type == "commitment",
                   Commitment.owner_id.is_not(None)))


def followers_of(event_ids):
    """(event id, recipient id) for the followers of the parties a promise was made to. Bounded by the
    subscriptions of those parties: a few rows per follower."""
    return (select(Event.id, Subscription.recipient_id).join(Commitment, Commitment.id == Event.subject_id)
            .join(CommitmentParty, and_(CommitmentParty.commitment_id == Commitment.id, CommitmentParty.side == "to"))
            .join(Subscription, Subscription.party_id == CommitmentParty.party_id)
            .where(Event.id.in_(list(event_ids)), Event.subject_type == "commitment",
                   Commitment.kind == "promise"))


def recipients_by_person(person_ids):
    """(person id, recipient id) for these people's recipient rows."""
    return select(Recipient.person_id, Recipient.id).where(Recipient.person_id.in_(list(person_ids)))


def recipients_with_people(recipient_ids):
    """(Recipient, Person) for these recipients."""
    return (select(Recipient, Person).join(Person, Person.id == Recipient.person_id)
            .where(Recipient.id.in_(list(recipient_ids))))


def pending_immediate(limit: int):
    """Ids of notices waiting for an email of their own, oldest first."""
    return (select(Notice.id).where(Notice.state == "pending", Notice.delivery == "immediately")
            .order_by(Notice.id).limit(limit))


# Beyond this many recipients (a pass of thousands of digests), every pending digest notice is read and the
# caller keeps its recipients' ones: fewer than one IN list parameter per recipient.
RECIPIENT_FILTER_LIMIT = 2000


def details(notice_ids=None, *, pending_for_digest_of=None):
    """(Notice, Event, Commitment) for these notices, or for the pending "in my digest" notices of these
    recipients, in notice order."""
    statement = (select(Notice, Event, Commitment).join(Event, Event.id == Notice.event_id)
                 .join(Commitment, Commitment.id == Notice.commitment_id))
    if pending_for_digest_of is not None:
        statement = statement.where(Notice.state == "pending", Notice.delivery == "digest")
        if len(pending_for_digest_of) <= RECIPIENT_FILTER_LIMIT:
            statement = statement.where(Notice.recipient_id.in_(list(pending_for_digest_of)))
    else:
        statement = statement.where(Notice.id.in_(list(notice_ids)))
    return statement.order_by(Notice.id)


def counterparties(commitment_ids):
    """(commitment id, side, party short name) for these commitments, to say whom a promise was made to."""
    return (select(CommitmentParty.commitment_id, CommitmentParty.side, Party.short_name)
            .join(Party, Party.id == CommitmentParty.party_id)
            .where(CommitmentParty.commitment_id.in_(list(commitment_ids))).order_by(Party.short_name))


def of_recipient(recipient_id: int, limit: int = 50):
    """A recipient's latest notices, newest first."""
    return select(Notice).where(Notice.recipient_id == recipient_id).order_by(Notice.id.desc()).limit(limit)


def titles_of(commitment_ids):
    """(commitment id, title) for these commitments (a notice naming the one that replaces another)."""
    return select(Commitment.id, Commitment.title).where(Commitment.id.in_(list(commitment_ids)))


def names_of(person_ids):
    """(person id, name) for these people (a notice naming a new owner)."""
    return select(Person.id, Person.name).where(Person.id.in_(list(person_ids)))
