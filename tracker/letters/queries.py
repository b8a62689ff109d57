"""select() builders for letters."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import aliased
from sqlmodel import func, or_, select

from tracker import access, validation
from tracker.access import Viewer
from tracker.letters.models import (DIRECTIONS, REPLY_FILTERS, Letter, LetterFile, LetterLink, LetterParticipant,
                                    reply_late_condition)
from tracker.db import Ref
from tracker.parties.models import Party, Person
from tracker.parties.queries import PARTY_NAME
from tracker.search.queries import (AFTER_SORTING, AS_LISTED, FROM_MATCHES, SearchQuery, checked_after_sorting, read_query,
                                    text_check, text_condition)

# A participant as lists show it: which letter, in what role, under what title.
PARTICIPANT = Ref("participant", LetterParticipant.id, LetterParticipant.letter_id, LetterParticipant.role,
                  LetterParticipant.title)
# The participant's person as PERSON_NAME reads it (id, name), the name looked up by id for each participant: joined,
# PostgreSQL hashed the whole person table (5,000 rows at 100k letters, about 1 ms) for the few dozen participants of
# a page.
PARTICIPANT_PERSON_NAME = Ref("person", LetterParticipant.person_id.label("id"),
                              select(Person.name).where(Person.id == LetterParticipant.person_id)
                              .scalar_subquery().label("name"))


@dataclass(frozen=True)
class LetterFilters:
    """The one reading of a letters query string, shared by the list page, the API, the overview and digests."""
    party_id: int | None = None
    direction: str | None = None
    reply_state: str | None = None   # a stored reply state, or "late" (awaiting a reply past reply_by)
    search: SearchQuery = SearchQuery()  # words looked up in the full-text index (q=): subject, body, files
    sent_after: date | None = None
    sent_before: date | None = None
    viewer: Viewer = access.NOBODY
    # How `search` is checked (search.queries.text_check): from its matches, or row by row when the words are
    # common; set by planned(), never read from the query string.
    search_check: str = field(default=FROM_MATCHES, compare=False)

    # Every query-string key parse() reads; links to the list and the API may carry only these and "page".
    KEYS = ("party", "direction", "reply_state", "q", "sent_after", "sent_before")

    @classmethod
    def parse(cls, args, viewer: Viewer) -> "LetterFilters":
        """From the query string; InvalidInput names the bad value."""
        def text(name):
            return (args.get(name) or "").strip() or None

        def day(name):
            raw = text(name)
            return validation.iso_date(raw, name) if raw else None

        direction, reply_state = text("direction"), text("reply_state")
        if direction:
            validation.choice(direction, DIRECTIONS, "direction")
        if reply_state:
            validation.choice(reply_state, REPLY_FILTERS, "reply_state")
        filters = cls(party_id=validation.query_number(args, "party"), direction=direction,
                      reply_state=reply_state, search=read_query(args.get("q")),
                      sent_after=day("sent_after"), sent_before=day("sent_before"), viewer=viewer)
        if filters.sent_after and filters.sent_before and filters.sent_before < filters.sent_after:
            raise validation.InvalidInput(f"sent_before ({filters.sent_before}) is before sent_after "
                                          f"({filters.sent_after})", "sent_before")
        return filters

    def planned(self, session, rows_wanted: int) -> "LetterFilters":
        """The same filters, with how to check `q=` decided by a bounded probe of the index (no change without
        q=): a list of `rows_wanted` rows then costs about the same whatever the number of matches."""
        if not self.search:
            return self
        return replace(self, search_check=text_check(session, "letter", self.search, Letter, rows_wanted,
                                                     self.read_in_list_order()))

    def checked_row_by_row(self) -> bool:
        """The words are common and checked row by row until the page is full: counting every letter they match
        would cost what reading them all costs, so the page says "more than" instead."""
        return self.search_check != FROM_MATCHES

    def read_in_list_order(self) -> bool:
        """The list is read from the sent_on index in its own order, so checking each row stops at the end of the
        page; a party or reply state gathers its letters and sorts them first, and they are checked after sorting."""
        return self.viewer.sees_everything and self.party_id is None and not self.reply_state


def involving_parties(party_ids):
    """A condition: one of these parties is an author, recipient or cc."""
    # IN over the participant party index rather than a correlated EXISTS probed per letter.
    return Letter.id.in_(select(LetterParticipant.letter_id).where(LetterParticipant.party_id.in_(list(party_ids))))


def listing(viewer: Viewer, party_id: int | None = None, direction: str | None = None,
            reply_state: str | None = None):
    """Letters, newest first, filtered."""
    statement = select(Letter).where(access.letters(viewer))
    if party_id is not None:
        statement = statement.where(involving_parties([party_id]))
    if direction:
        statement = statement.where(Letter.direction == direction)
    if reply_state:
        statement = statement.where(Letter.reply_state == reply_state)
    return statement.order_by(Letter.sent_on.desc(), Letter.id.desc())


def awaiting_reply_late(today: date, viewer: Viewer):
    """Incoming letters still awaiting a reply after their reply-by date, oldest first."""
    statement = select(Letter).where(reply_late_condition(today), access.letters(viewer))
    return statement.order_by(Letter.reply_by, Letter.id)


def first_replies(letter_ids, viewer: Viewer):
    """(letter id, day of its first reply) for these letters, counting only replies the viewer may see: the
    date of a reply the reader may not see is not shown either."""
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


def participant_names_of(letter_ids):
    """(PARTICIPANT, PARTY_NAME|None, PERSON_NAME|None) for a page of letters, as lists name them: one query."""
    return (select(PARTICIPANT, PARTY_NAME, PARTICIPANT_PERSON_NAME)
            .outerjoin(Party, Party.id == LetterParticipant.party_id)
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


def filtered(filters: LetterFilters, today: date):
    """The letters matching the filters, newest first."""
    late = filters.reply_state == "late"
    statement = listing(filters.viewer, party_id=filters.party_id, direction=filters.direction,
                        reply_state=None if late else filters.reply_state)
    if late:
        statement = statement.where(reply_late_condition(today))
    if filters.sent_after:
        statement = statement.where(Letter.sent_on >= filters.sent_after)
    if filters.sent_before:
        statement = statement.where(Letter.sent_on <= filters.sent_before)
    # The words through the full-text index (subject, body, attached files), as text_check chose.
    if filters.search and filters.search_check == AFTER_SORTING:
        return checked_after_sorting(statement, Letter, "letter", filters.search)
    if filters.search:
        statement = statement.where(text_condition("letter", Letter.id, filters.search,
                                                   filters.search_check == AS_LISTED))
    return statement


def count_of(statement):
    """How many rows a listing statement returns (for pagination)."""
    return select(func.count()).select_from(statement.order_by(None).subquery())


def links_touching(letter_ids):
    """Every link from or to one of these letters: one level of a thread in one query."""
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
    # Aliased so that the visibility condition's own LetterParticipant is not correlated with this one.
    mention = aliased(LetterParticipant)
    statement = (select(Letter, mention.role)
                 .join(mention, mention.letter_id == Letter.id)
                 .where(mention.person_id == person_id, access.letters(viewer)))
    return statement.order_by(Letter.sent_on.desc(), Letter.id.desc(), mention.role)
