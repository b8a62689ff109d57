"""select() builders for letters."""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from tracker import access
from tracker.access import Viewer
from tracker.letters.models import Letter, LetterFile, LetterLink, LetterParticipant
from tracker.parties.models import Party, Person


def involving_parties(party_ids):
    """A condition: one of these parties is an author, recipient or cc."""
    # IN over the participant party index rather than a correlated EXISTS probed per letter.
    return Letter.id.in_(select(LetterParticipant.letter_id).where(LetterParticipant.party_id.in_(list(party_ids))))


def listing(viewer: Viewer, party_id: int | None = None, direction: str | None = None,
            reply_state: str | None = None, search: str | None = None):
    """Letters, newest first, filtered."""
    statement = select(Letter).where(access.letters(viewer))
    if party_id is not None:
        statement = statement.where(involving_parties([party_id]))
    if direction:
        statement = statement.where(Letter.direction == direction)
    if reply_state:
        statement = statement.where(Letter.reply_state == reply_state)
    if search:
        statement = statement.where(Letter.subject.ilike(f"%{search}%"))
    return statement.order_by(Letter.sent_on.desc(), Letter.id.desc())


def awaiting_reply_late(today: date, viewer: Viewer):
    """Incoming letters still awaiting a reply after their reply-by date, oldest first (the SQL twin of
    tracker.letters.models.reply_badge's "awaiting_reply_late")."""
    statement = select(Letter).where(Letter.reply_state == "awaiting_reply", Letter.reply_by < today,
                                     access.letters(viewer))
    return statement.order_by(Letter.reply_by, Letter.id)


def first_replies(letter_ids, viewer: Viewer):
    """(letter id, day of its first reply) for these letters, counting only replies the viewer may see: the
    date of a reply the reader may not see is not shown either."""
    from sqlmodel import func

    return (select(LetterLink.to_letter_id, func.min(Letter.sent_on))
            .join(Letter, Letter.id == LetterLink.from_letter_id)
            .where(LetterLink.kind == "replies_to", LetterLink.to_letter_id.in_(list(letter_ids)),
                   access.letters(viewer))
            .group_by(LetterLink.to_letter_id))


def participants_of(letter_ids):
    """(LetterParticipant, Party|None, Person|None) for a page of letters: one query."""
    return (select(LetterParticipant, Party, Person)
            .outerjoin(Party, Party.id == LetterParticipant.party_id)
            .outerjoin(Person, Person.id == LetterParticipant.person_id)
            .where(LetterParticipant.letter_id.in_(list(letter_ids)))
            .order_by(LetterParticipant.letter_id, LetterParticipant.id))


def links_of(letter_id: int):
    """(LetterLink, other Letter) in both directions."""
    outgoing = (select(LetterLink, Letter).join(Letter, Letter.id == LetterLink.to_letter_id)
                .where(LetterLink.from_letter_id == letter_id))
    incoming = (select(LetterLink, Letter).join(Letter, Letter.id == LetterLink.from_letter_id)
                .where(LetterLink.to_letter_id == letter_id))
    return outgoing, incoming


def files_of(letter_id: int):
    """Files without their bytes (the list on the letter page)."""
    return (select(LetterFile.id, LetterFile.filename, LetterFile.size, LetterFile.content_type)
            .where(LetterFile.letter_id == letter_id).order_by(LetterFile.id))


def by_content_hash(content_hash: str):
    return select(Letter).where(Letter.content_hash == content_hash)


def with_party_on(party_id: int, sent_on: date, role: str = "author"):
    return (select(Letter).join(LetterParticipant, LetterParticipant.letter_id == Letter.id)
            .where(LetterParticipant.party_id == party_id, LetterParticipant.role == role, Letter.sent_on == sent_on))




def filtered(filters, today: date):
    """The letter list for LetterFilters; "late" means still awaiting a reply after reply_by (today given)."""
    late = filters.reply == "late"
    statement = listing(filters.viewer, party_id=filters.party_id,
                        direction=filters.direction,
                        reply_state="awaiting_reply" if late else filters.reply, search=filters.search)
    if late:
        statement = statement.where(Letter.reply_by < today)
    return statement


def count_of(statement):
    """How many rows a listing statement returns (for pagination)."""
    from sqlmodel import func

    return select(func.count()).select_from(statement.order_by(None).subquery())


def links_touching(letter_ids):
    """Every link from or to one of these letters: one level of a thread in one query."""
    from sqlmodel import or_

    ids = list(letter_ids)
    return select(LetterLink).where(or_(LetterLink.from_letter_id.in_(ids), LetterLink.to_letter_id.in_(ids)))


def by_ids(letter_ids, viewer: Viewer):
    """Letters by id in date order, limited to what the viewer may see."""
    statement = select(Letter).where(Letter.id.in_(list(letter_ids)), access.letters(viewer))
    return statement.order_by(Letter.sent_on, Letter.id)


def recent(limit: int = 100, exclude_id: int | None = None):
    """Latest letters, for choosing a link target."""
    statement = select(Letter.id, Letter.sent_on, Letter.subject).order_by(Letter.sent_on.desc(), Letter.id.desc())
    if exclude_id is not None:
        statement = statement.where(Letter.id != exclude_id)
    return statement.limit(limit)


def file_of(letter_id: int, file_id: int):
    return select(LetterFile).where(LetterFile.id == file_id, LetterFile.letter_id == letter_id)


def of_person(person_id: int, viewer: Viewer):
    """(Letter, participant role) for every letter a person wrote, received or was copied on: one query."""
    from sqlalchemy.orm import aliased

    # Aliased so that the visibility condition's own LetterParticipant is not correlated with this one.
    mention = aliased(LetterParticipant)
    statement = (select(Letter, mention.role)
                 .join(mention, mention.letter_id == Letter.id)
                 .where(mention.person_id == person_id, access.letters(viewer)))
    return statement.order_by(Letter.sent_on.desc(), Letter.id.desc(), mention.role)
