"""select() builders for intake: what is already known, to match extracted names against."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_
from sqlmodel import select

from tracker import access
from tracker.access import Viewer
from tracker.commitments.models import Commitment
from tracker.duedates.calendar_math import month_span
from tracker.events import Event
from tracker.letters.models import Letter, LetterParticipant
from tracker.meetings.models import Meeting, MeetingParticipant
from tracker.parties.models import Party, Person, Role
from tracker.search.queries import SearchQuery, some_matching_ids


def people_with_roles():
    """(Person, Role | None) for everyone: one query."""
    return select(Person, Role).outerjoin(Role, Role.person_id == Person.id).order_by(Person.id, Role.id)


def parties():
    return select(Party).order_by(Party.name)


def letters_with_authors():
    """(Letter, LetterParticipant | None) for author rows of every letter: one query."""
    return (select(Letter, LetterParticipant)
            .outerjoin(LetterParticipant, (LetterParticipant.letter_id == Letter.id)
                       & (LetterParticipant.role == "author"))
            .order_by(Letter.sent_on.desc(), Letter.id.desc()))


def person_names():
    """(id, name) of everyone: two narrow columns, to pick the few people a document can name."""
    return select(Person.id, Person.name).order_by(Person.id)


def person_names_among(person_ids):
    """(id, name) of the given people."""
    return select(Person.id, Person.name).where(Person.id.in_(list(person_ids))).order_by(Person.id)


def people_with_roles_among(person_ids):
    """(Person, Role | None) for the given people only."""
    return people_with_roles().where(Person.id.in_(list(person_ids)))


def sent_then(on, precision: str):
    """Letters sent when a reply says: extract.sent_then in SQL (the same day when both are dated to the day, the
    same month otherwise)."""
    in_month = Letter.sent_on.between(*month_span(on.year, on.month))
    if precision != "day":
        return in_month
    return or_(and_(Letter.date_precision == "day", Letter.sent_on == on),
               and_(Letter.date_precision != "day", in_month))


REPLY_COLUMNS = (Letter.id, Letter.sent_on, Letter.date_precision, Letter.subject)


def letters_written_by_then(on, precision: str, person_ids, party_ids, viewer: Viewer):
    """(id, sent_on, date_precision, subject) of the letters the viewer may see sent then with an author among these
    people or parties: a reply's candidates when its recipients are known."""
    authors = select(LetterParticipant.letter_id).where(
        LetterParticipant.role == "author",
        or_(LetterParticipant.person_id.in_(sorted(person_ids)), LetterParticipant.party_id.in_(sorted(party_ids))))
    return (select(*REPLY_COLUMNS).where(sent_then(on, precision), Letter.id.in_(authors), access.letters(viewer))
            .order_by(Letter.id))


def letters_sent_then(on, precision: str, same_precision: bool, limit: int, viewer: Viewer):
    """(id, sent_on, date_precision, subject) of `limit` letters the viewer may see sent then, dated as precisely as
    the reply says (or not): whether there is one such letter, or more."""
    precise = Letter.date_precision == precision
    return (select(*REPLY_COLUMNS).where(sent_then(on, precision), precise if same_precision else ~precise,
                                         access.letters(viewer))
            .order_by(Letter.id).limit(limit))


def authors_of(letter_ids):
    """(letter_id, person_id, party_id) of the authors of these letters."""
    return (select(LetterParticipant.letter_id, LetterParticipant.person_id, LetterParticipant.party_id)
            .where(LetterParticipant.letter_id.in_(sorted(letter_ids)), LetterParticipant.role == "author")
            .order_by(LetterParticipant.id))


def recent_letters(limit: int = 300):
    return select(Letter).order_by(Letter.sent_on.desc(), Letter.id.desc()).limit(limit)


def meetings():
    return select(Meeting).order_by(Meeting.starts_at.desc())


def meeting_participants(meeting_id: int):
    return select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting_id)


def letter_by_hash(content_hash: str):
    return select(Letter).where(Letter.content_hash == content_hash)


def import_event(content_hash: str):
    """The event that a transcript with this content was imported (its unique key carries the hash)."""
    return select(Event).where(Event.unique_key == import_key(content_hash))


def person_named(name: str):
    return select(Person).where(func.lower(Person.name) == name.strip().lower()).order_by(Person.id)


def party_named(name: str):
    key = name.strip().lower()
    return select(Party).where((func.lower(Party.name) == key) | (func.lower(Party.short_name) == key))


def import_key(content_hash: str) -> str:
    return f"intake:{content_hash}"


def text_key(fingerprint: str) -> str:
    return f"intake-text:{fingerprint}"


def text_import_event(fingerprint: str):
    """The event that a document with this normalised text was imported (letter or meeting)."""
    return select(Event).where(Event.unique_key == text_key(fingerprint))


def commitment_quoted(quote: str, *, source_letter_id=None, source_meeting_id=None):
    """A commitment already recorded from this source with this quote."""
    query = select(Commitment.id).where(Commitment.quote == quote)
    if source_letter_id is not None:
        return query.where(Commitment.source_letter_id == source_letter_id)
    return query.where(Commitment.source_meeting_id == source_meeting_id)


MEETINGS_ON_A_DAY = 20


def meetings_starting_between(first: datetime, last: datetime):
    """Meetings starting in [first, last): the few of one day a notes document may belong to (starts_at index)."""
    return (select(Meeting).where(Meeting.starts_at >= first, Meeting.starts_at < last)
            .order_by(Meeting.starts_at, Meeting.id).limit(MEETINGS_ON_A_DAY))


def participant_parties(meeting_ids: list[int]):
    """(meeting id, party id) of every participant that is a party or for a party, of these meetings."""
    return (select(MeetingParticipant.meeting_id, MeetingParticipant.party_id)
            .where(MeetingParticipant.meeting_id.in_(meeting_ids), MeetingParticipant.party_id.is_not(None))
            .distinct())


# --------------------------------------------------------------------------- near-duplicate candidates
# Each is an indexed lookup with a LIMIT, so finding the letters a document may repeat costs the same with ten
# letters recorded or a hundred thousand (operations.near_duplicates reads the bodies of these few only).


def letters_sent_near(on, days: int, viewer, limit: int):
    """Ids of letters the viewer may see sent within `days` of a day (the sent_on index)."""
    statement = (select(Letter.id).where(Letter.sent_on >= on - timedelta(days=days),
                                         Letter.sent_on <= on + timedelta(days=days))
                 .order_by(Letter.sent_on, Letter.id).limit(limit))
    return access.visible(statement, Letter, viewer)


def letters_with_words(dialect: str, words: tuple[str, ...], viewer, limit: int):
    """Ids of letters the viewer may see whose indexed text holds every one of these words (the search index)."""
    found = some_matching_ids(dialect, "letter", SearchQuery(words=tuple(words)), limit)
    return access.visible(select(Letter.id).where(Letter.id.in_(found)), Letter, viewer)


def letter_texts(letter_ids, shortest: int, longest: int):
    """(id, subject, sent_on, date_precision, body) of the given letters whose body's length is within bounds:
    texts of very different lengths cannot be near-duplicates, and their bodies need not be read."""
    return (select(Letter.id, Letter.subject, Letter.sent_on, Letter.date_precision, Letter.body)
            .where(Letter.id.in_(sorted(letter_ids)), func.length(Letter.body).between(shortest, longest))
            .order_by(Letter.id))
