"""select() builders for reminders. The digest queries take every due recipient at once (never one per recipient)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, or_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import select

from tracker.auth.models import User, UserParty
from tracker.commitments.models import ACTIVE_STATUSES, Commitment, CommitmentParty
from tracker.events import Event
from tracker.letters.models import Letter, LetterParticipant
from tracker.parties.models import Party, Person
from tracker.reminders.models import Digest, Recipient, Subscription

DONE_EVENT_KINDS = ("commitment.done", "commitment.partly_done")
UNDECIDED_PRECISIONS = ("vague", "unresolved")

COMMITMENT_COLUMNS = (Commitment.id, Commitment.kind, Commitment.title, Commitment.status, Commitment.due_phrase,
                      Commitment.due_latest, Commitment.due_precision, Commitment.baseline_phrase,
                      Commitment.baseline_latest)


def receiving_recipients():
    """(Recipient, Person) for everyone who currently gets digests: not paused, not unsubscribed, with an address."""
    return (select(Recipient, Person).join(Person, Person.id == Recipient.person_id)
            .where(Recipient.paused.is_(False), Recipient.unsubscribed_at.is_(None), Person.email.is_not(None))
            .order_by(Recipient.id))


def recipient_by_email(email: str):
    return (select(Recipient, Person).join(Person, Person.id == Recipient.person_id)
            .where(func.lower(Person.email) == email.strip().lower()))


def person_by_email(email: str):
    return select(Person).where(func.lower(Person.email) == email.strip().lower())


def recipients_with_accounts():
    """(recipient id, User) for every recipient with a sign-in account: the account the recipient row is linked
    to, any account linked to the recipient's person, and any account signing in with the address the digest
    goes to (a digest an administrator set up for a chair's address is filtered by the chair's own account).
    Accounts are few, so this reads them all rather than passing every recipient of a pass as an IN list."""
    linked = or_(User.id == Recipient.user_id, User.person_id == Recipient.person_id,
                 func.lower(User.email) == func.lower(Person.email))
    return (select(Recipient.id, User).select_from(Recipient).join(Person, Person.id == Recipient.person_id)
            .join(User, linked).distinct().order_by(Recipient.id, User.id))


def parties_of_users(user_ids):
    """(user id, party id) of these accounts' user_party rows."""
    return select(UserParty.user_id, UserParty.party_id).where(UserParty.user_id.in_(list(user_ids)))


def all_recipients():
    """(Recipient, Person) for the reminders page, by name; the id orders namesakes so that pages neither skip nor
    repeat a recipient."""
    return (select(Recipient, Person).join(Person, Person.id == Recipient.person_id)
            .order_by(Person.name, Recipient.id))


def subscribed_parties(recipient_ids):
    """(recipient_id, Party) for a page of recipients: one query."""
    return (select(Subscription.recipient_id, Party).join(Party, Party.id == Subscription.party_id)
            .where(Subscription.recipient_id.in_(list(recipient_ids))).order_by(Party.name))


def owners_without_recipient():
    """People who own an open commitment, have an address and no recipient row yet (owners get digests by default)."""
    has_row = select(Recipient.id).where(Recipient.person_id == Person.id).exists()
    owns = (select(Commitment.id).where(Commitment.owner_id == Person.id, Commitment.status.in_(ACTIVE_STATUSES))
            .exists())
    return select(Person.id, Person.timezone).where(Person.email.is_not(None), owns, ~has_row)


def people_without_recipient(person_ids):
    """(person id, timezone) of these people who have an address and no recipient row yet."""
    has_row = select(Recipient.id).where(Recipient.person_id == Person.id).exists()
    return select(Person.id, Person.timezone).where(Person.id.in_(list(person_ids)), Person.email.is_not(None),
                                                    ~has_row)


def existing_periods(periods):
    """(recipient_id, period) already planned for these periods, to skip rebuilding them."""
    return select(Digest.recipient_id, Digest.period).where(Digest.period.in_(list(periods)))


def _open_and_due(horizon: date):
    """Open and due by the horizon (or overdue), or open without a date."""
    return and_(Commitment.status.in_(ACTIVE_STATUSES),
                or_(Commitment.due_latest <= horizon, Commitment.due_precision.in_(UNDECIDED_PRECISIONS)))


def _done_since(done_since: datetime):
    """Marked done (or partly done) since the cutoff."""
    # By kind and time only (the kinds imply the subject type): served by ix_event_kind_occurred_subject.
    done_recently = select(Event.subject_id).where(Event.kind.in_(DONE_EVENT_KINDS), Event.occurred_at >= done_since)
    return and_(Commitment.status.in_(("done", "partly_done")), Commitment.id.in_(done_recently))


# Beyond this many owners and followed parties together, filtering them in SQL costs more (an index probe
# per owner or party, then rows read in a random order) than reading every relevant commitment in table
# order and filtering in Python.
FILTER_LIMIT = 40


def digest_commitments(horizon: date, done_since: datetime, owner_ids, party_ids):
    """Commitment columns + owner id + party id, side and party name + whether the row serves the party's
    followers, for the commitments a digest may list: one row per (commitment, party, side), with NULLs for a
    commitment without parties. The caller keeps the rows of its owners and followed parties.

    For an owner the commitment's counterparty matters: the party on the "to" side of a promise, the "by"
    side of a request; for a follower any side. With no more than FILTER_LIMIT owners and parties together,
    the owners' commitments (counterparty rows only) and the parties' (their own rows only) are read apart;
    beyond, one read of every relevant commitment with all its parties serves everyone.
    """
    owner_ids, party_ids = list(owner_ids), list(party_ids)
    columns = (*COMMITMENT_COLUMNS, Commitment.owner_id, CommitmentParty.party_id, CommitmentParty.side,
               Party.name)
    if len(owner_ids) + len(party_ids) > FILTER_LIMIT:
        return (select(*columns, literal(True).label("followed")).select_from(Commitment)
                .outerjoin(CommitmentParty, CommitmentParty.commitment_id == Commitment.id)
                .outerjoin(Party, Party.id == CommitmentParty.party_id)
                .where(or_(_open_and_due(horizon), _done_since(done_since))))
    # Each branch reads "open and due" and "done since" apart: joined by OR, PostgreSQL charged the "done since"
    # subquery to every probe of a commitment by id, and so read every commitment to keep a few hundred
    # (a digest preview took 135 ms; 2-20 ms apart).
    counterparty_side = case((Commitment.kind == "promise", literal("to")), else_=literal("by"))
    owned = (select(*columns, literal(False).label("followed")).select_from(Commitment)
             .outerjoin(CommitmentParty, and_(CommitmentParty.commitment_id == Commitment.id,
                                              CommitmentParty.side == counterparty_side))
             .outerjoin(Party, Party.id == CommitmentParty.party_id)
             .where(Commitment.owner_id.in_(owner_ids)))
    followed = (select(*columns, literal(True).label("followed")).select_from(Commitment)
                .join(CommitmentParty, CommitmentParty.commitment_id == Commitment.id)
                .join(Party, Party.id == CommitmentParty.party_id)
                .where(CommitmentParty.party_id.in_(party_ids)))
    branches = ([owned] if owner_ids else []) + ([followed] if party_ids else [])
    return union_all(*(branch.where(relevant) for branch in branches
                       for relevant in (_open_and_due(horizon), _done_since(done_since))))


def subscriptions():
    """(recipient_id, party_id, party name) for every subscription: a few rows per follower."""
    return (select(Subscription.recipient_id, Subscription.party_id, Party.name)
            .join(Party, Party.id == Subscription.party_id))


def done_times(done_since: datetime, commitment_ids=None):
    """(commitment_id, when it was last marked done) since the cutoff."""
    statement = (select(Event.subject_id, func.max(Event.occurred_at))
                 .where(Event.kind.in_(DONE_EVENT_KINDS), Event.occurred_at >= done_since))
    if commitment_ids is not None:
        statement = statement.where(Event.subject_id.in_(list(commitment_ids)))
    return statement.group_by(Event.subject_id)


def _first_author_party():
    author = aliased(LetterParticipant)
    return (select(Party.name).join(author, author.party_id == Party.id)
            .where(author.letter_id == Letter.id, author.role == "author")
            .order_by(author.id).limit(1).scalar_subquery())


def letters_to_people(person_ids, before: date):
    """(letter columns, person id, first author's party) for letters addressed to these people in person,
    awaiting a reply past their reply-by date."""
    return (select(Letter.id, Letter.subject, Letter.sent_on, Letter.reply_by, LetterParticipant.person_id,
                   _first_author_party().label("party"))
            .join(LetterParticipant, LetterParticipant.letter_id == Letter.id)
            .where(LetterParticipant.person_id.in_(list(person_ids)), LetterParticipant.role.in_(("recipient", "cc")),
                   Letter.reply_state == "awaiting_reply", Letter.reply_by < before))


def letters_of_parties(party_ids, before: date):
    """(letter columns, party id) for letters involving these parties, awaiting a reply past their reply-by date."""
    return (select(Letter.id, Letter.subject, Letter.sent_on, Letter.reply_by, LetterParticipant.party_id)
            .join(LetterParticipant, LetterParticipant.letter_id == Letter.id)
            .where(LetterParticipant.party_id.in_(list(party_ids)),
                   Letter.reply_state == "awaiting_reply", Letter.reply_by < before))


def threshold_candidates(horizon: date):
    """Open dated commitments due by the horizon, with the owner's timezone (for the due_soon/overdue sweep)."""
    return (select(Commitment.id, Commitment.title, Commitment.due_latest, Commitment.status, Person.timezone)
            .outerjoin(Person, Person.id == Commitment.owner_id)
            .where(Commitment.status.in_(ACTIVE_STATUSES), Commitment.due_latest.is_not(None),
                   Commitment.due_latest <= horizon)
            .order_by(Commitment.id))


def events_with_keys(keys):
    return select(Event.unique_key).where(Event.unique_key.in_(list(keys)))


def claimable(now: datetime):
    """Pending digests whose (next) attempt is due, oldest first."""
    return (select(Digest.id).where(Digest.state == "pending",
                                    or_(Digest.next_attempt_at.is_(None), Digest.next_attempt_at <= now))
            .order_by(Digest.id))


def stuck_sending(before: datetime):
    """Digests claimed before `before` and never marked: their sender died or hung mid-send."""
    return select(Digest).where(Digest.state == "sending", Digest.claimed_at < before).order_by(Digest.id)


def sent_mail(state: str | None = None, limit: int = 200):
    """(Digest, Person) newest first, for the Sent mail page."""
    statement = (select(Digest, Person).join(Recipient, Recipient.id == Digest.recipient_id)
                 .join(Person, Person.id == Recipient.person_id))
    if state:
        statement = statement.where(Digest.state == state)
    return statement.order_by(Digest.id.desc()).limit(limit)


def resends_of(period: str, recipient_id: int):
    return select(func.count()).select_from(Digest).where(Digest.recipient_id == recipient_id,
                                                          Digest.period.like(f"{period}/resend-%"))
