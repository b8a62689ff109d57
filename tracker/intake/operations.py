"""Saving what staff reviewed: a letter (participants, original file, reply link, commitments) or a transcript
(attached to a meeting, speakers, commitments) — in the caller's one transaction, so nothing is half-saved.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlmodel import Session

from tracker import access, events
from tracker.commitments import operations as commitment_operations
from tracker.commitments.models import Commitment
from tracker.commitments.owners import Signatory, prefilled_owner
from tracker.duedates import parse_due
from tracker.intake import queries, similarity
from tracker.intake.extract import (Extraction, Known, KnownLetter, KnownParty, KnownPerson, KnownRole,
                                    attendees_in, match_reply, name_words, notes_meeting)
from tracker.formatting import format_day
from tracker.intake.fingerprint import text_fingerprint
from tracker.intake.read import Document
from tracker.letters import operations as letter_operations
from tracker.letters.models import Letter
from tracker.meetings import operations as meeting_operations
from tracker.meetings.models import Meeting
from tracker.parties import operations as party_operations
from tracker.parties.models import Party, Person
from tracker.search import queries as search_queries
from tracker.validation import InvalidInput


# --------------------------------------------------------------------------- what is known


def known_from(session: Session, text: str | None = None) -> Known:
    """What the tracker knows that a document can refer to, as plain values for extract().

    With the document's text, only what it can name is looked up: the people sharing a word with it, and no
    letter (the one it replies to is looked up after extract(), by resolve_reply()) — so an upload costs the same
    with ten letters recorded or a million. Without text, everyone and every letter (small databases and tests).
    """
    if text is None:
        people_rows = session.exec(queries.people_with_roles())
        letter_rows = session.exec(queries.letters_with_authors())
    else:
        words = name_words(text)
        # The index narrows everyone down to the people sharing a word with the text; their names then decide.
        indexed = session.execute(search_queries.titled_with_any(session.get_bind().dialect.name, "person",
                                                                 words, MAX_PEOPLE_LOOKED_UP)).scalars().all()
        ids = [pid for pid, name in session.exec(queries.person_names_among(indexed)) if name_words(name) & words]
        people_rows = session.exec(queries.people_with_roles_among(ids)) if ids else []
        letter_rows = []  # the letter it replies to is looked up once its recipients are known: resolve_reply()
    people: dict[int, tuple[Person, list[KnownRole]]] = {}
    for person, role in people_rows:
        entry = people.setdefault(person.id, (person, []))
        if role is not None:
            entry[1].append(KnownRole(role.party_id, role.title, role.starts_on, role.ends_on))
    parties = tuple(KnownParty(p.id, p.name, p.short_name, p.is_internal, p.default_owner_id)
                    for p in session.exec(queries.parties()))
    letters: dict[int, tuple[Letter, list, list]] = {}
    for letter, participant in letter_rows:
        entry = letters.setdefault(letter.id, (letter, [], []))
        if participant is not None:
            if participant.person_id:
                entry[1].append(participant.person_id)
            if participant.party_id:
                entry[2].append(participant.party_id)
    return Known(
        people=tuple(KnownPerson(p.id, p.name, tuple(roles)) for p, roles in people.values()),
        parties=parties,
        letters=tuple(KnownLetter(letter.id, letter.sent_on, letter.date_precision, letter.subject, tuple(a),
                                  tuple(b))
                      for letter, a, b in letters.values()),
        anchors=meeting_operations.meetings_as_anchors(session))


def resolve_reply(session: Session, extraction: Extraction, viewer: access.Viewer) -> None:
    """Which recorded letter an extracted letter answers ("your letter of 3 May"), of those the viewer may see,
    looked up among as few letters as give the answer every such letter of that date would (extract.match_reply):
    those its recipients wrote then, and two of each precision sent then, in case its recipients are not known. A
    month of letters is never read."""
    reference = extraction.reply_to
    if reference is None or reference.letter_id is not None:
        return
    people = {r.person_id for r in extraction.recipients if r.person_id}
    parties = {r.party_id for r in extraction.recipients if r.party_id}
    rows = {}
    if people or parties:
        rows.update((row.id, row) for row in session.exec(
            queries.letters_written_by_then(reference.on, reference.precision, people, parties, viewer)))
    for same_precision in (True, False):
        rows.update((row.id, row) for row in session.exec(
            queries.letters_sent_then(reference.on, reference.precision, same_precision, 2, viewer)))
    if not rows:
        return
    authors: dict[int, tuple[list, list]] = {letter_id: ([], []) for letter_id in rows}
    for letter_id, person_id, party_id in session.exec(queries.authors_of(rows)):
        if person_id:
            authors[letter_id][0].append(person_id)
        if party_id:
            authors[letter_id][1].append(party_id)
    reference.letter_id = match_reply(extraction, [
        KnownLetter(row.id, row.sent_on, row.date_precision, row.subject, tuple(authors[row.id][0]),
                    tuple(authors[row.id][1])) for row in rows.values()])


# More people than this sharing a word with one document means the words are too common to tell them apart.
MAX_PEOPLE_LOOKED_UP = 2000

SAME_CONTENT = "same content"
SAME_TEXT = "same text in another format or layout"


def previous_import(session: Session, content_hash: str, text: str | None = None) -> tuple[str, int, str] | None:
    """('letter' | 'meeting', id, why) when this document was imported before: the same bytes, or the same text
    in another layout or format (a PDF of a letter already imported as text, re-wrapped lines)."""
    letter = session.exec(queries.letter_by_hash(content_hash)).first()
    if letter is not None:
        return "letter", letter.id, SAME_CONTENT
    event = session.exec(queries.import_event(content_hash)).first()
    if event is not None:
        return event.subject_type, event.subject_id, SAME_CONTENT
    fingerprint = text_fingerprint(text) if text else None
    if fingerprint:
        event = session.exec(queries.text_import_event(fingerprint)).first()
        if event is not None:
            return event.subject_type, event.subject_id, SAME_TEXT
    return None


def duplicate_message(filename: str, previous: tuple) -> str:
    why = previous[2] if len(previous) > 2 else SAME_CONTENT
    return f"{filename} was imported before ({why}) as {previous[0]} #{previous[1]}; nothing was saved."


@dataclass(frozen=True)
class NearDuplicate:
    letter_id: int
    subject: str
    sent_on: date
    date_precision: str
    percent: int  # of the two texts' shingles, how many both have (similarity.resemblance), rounded down


# Bounds of the candidate lookup: letters sent within a week of the document's date, and letters holding the
# distinctive words of each part of its text. Only these few bodies are read and compared.
NEAR_DAYS = 3
NEAR_BY_DATE = 200
NEAR_BY_WORDS = 20


def near_duplicates(session: Session, text: str, sent_on: date | None, viewer: access.Viewer,
                    limit: int = 3) -> list[NearDuplicate]:
    """Letters the viewer may see whose text is almost this one (similarity.NEAR), most alike first. Letters the
    viewer may not see are never candidates: they are not named, counted or linked, and do not stop a save."""
    own_words = similarity.words(text)
    if not similarity.comparable(own_words) or not viewer.is_signed_in or viewer.sees_nothing:
        return []
    own = similarity.shingles(own_words)
    candidates: set[int] = set()
    if sent_on is not None:
        candidates.update(session.exec(queries.letters_sent_near(sent_on, NEAR_DAYS, viewer, NEAR_BY_DATE)))
    dialect = session.get_bind().dialect.name
    for probe in similarity.distinctive_words(own_words):
        candidates.update(session.exec(queries.letters_with_words(dialect, probe, viewer, NEAR_BY_WORDS)))
    found = []
    # Two texts that share 80 % of their shingles have word counts within 80 % of each other; a stored body also
    # carries markup. Half to twice the length leaves room for both and still skips what cannot match.
    shortest, longest = len(text) // 2, len(text) * 2 + 200
    for letter_id, subject, on, precision, body in (session.exec(queries.letter_texts(candidates, shortest, longest))
                                                     if candidates else ()):
        other_words = similarity.words(body)
        if not similarity.comparable(other_words):
            continue
        score = similarity.resemblance(own, similarity.shingles(other_words))
        if similarity.is_near(score):
            found.append(NearDuplicate(letter_id, subject, on, precision, similarity.percent_same(score)))
    return sorted(found, key=lambda n: (-n.percent, -n.letter_id))[:limit]


def near_duplicate_message(nears: list[NearDuplicate]) -> str:
    first = nears[0]
    others = f" (and {len(nears) - 1} more shown above)" if len(nears) > 1 else ""
    return (f"This looks like letter #{first.letter_id} “{first.subject}” of {_day_label(first)}: {first.percent} % "
            f"of its text is the same{others}. Nothing was saved: tick “{SEPARATE_ANYWAY}” to save it as "
            "another letter, or cancel.")


SEPARATE_ANYWAY = "Save as a separate letter anyway"

# Rows a review may post back: far more than the reading of a document proposes, few enough to check at once.
# WTForms drops rows past max_entries without a word; one more is read, so that too many is refused with a message.
MAX_REVIEW_ROWS = 1000


def reviewable(extraction: Extraction, limit: int = MAX_REVIEW_ROWS) -> Extraction:
    """What a review page can hold: at most `limit` candidates and as many people, with a warning for each list
    cut short (a review posts every row back, and more rows than that are refused)."""
    warnings = list(extraction.warnings)
    candidates = extraction.candidates
    if len(candidates) > limit:
        warnings.append(f"The first {limit:,} of {len(candidates):,} commitments found are shown; import the "
                        "whole document with `flask intake FILE`.")
        candidates = candidates[:limit]
    room, kept = limit, {}
    for name in ("authors", "recipients", "speakers"):
        kept[name] = getattr(extraction, name)[:room]
        room -= len(kept[name])
    people = len(extraction.authors) + len(extraction.recipients) + len(extraction.speakers)
    if people > limit:
        warnings.append(f"The first {limit:,} of {people:,} people named are shown.")
    return replace(extraction, candidates=candidates, warnings=warnings, **kept)


def _day_label(near: NearDuplicate) -> str:
    return format_day(near.sent_on, near.date_precision)


def _record_text(session: Session, subject_type: str, subject_id: int, reviewed: "Reviewed", actor) -> None:
    """Remember the document's text fingerprint, so the same text in another file is recognised next time."""
    fingerprint = text_fingerprint(reviewed.text)
    if fingerprint:
        events.record(session, "intake.text_imported", subject_type, subject_id, actor,
                      {"filename": reviewed.filename, "fingerprint": fingerprint},
                      unique_key=queries.text_key(fingerprint))


# --------------------------------------------------------------------------- what staff reviewed


@dataclass
class ReviewedParticipant:
    role: str  # author | recipient | cc | speaker
    name: str = ""
    title: str = ""
    person_id: int | None = None
    party_id: int | None = None
    party_name: str = ""  # a party to create when no known one was chosen


@dataclass
class ReviewedCommitment:
    kind: str
    title: str
    quote: str
    window: commitment_operations.Window
    made_by: list[int] = field(default_factory=list)
    made_to: list[int] = field(default_factory=list)
    speaker: str | None = None
    anchor: str | None = None  # parse_due's anchor name; resolved to a meeting on save
    owner_id: int | None = None  # the person responsible, so reminders reach someone


@dataclass
class NewMeeting:
    title: str
    starts_on: date
    ends_on: date
    location: str = ""


@dataclass
class Reviewed:
    kind: str  # letter | transcript | notes (minutes, "notes and action items")
    filename: str
    content_type: str
    data: bytes
    text: str
    sent_on: date | None = None
    date_precision: str = "day"
    subject: str = ""
    direction: str = "between_others"
    participants: list[ReviewedParticipant] = field(default_factory=list)
    reply_to_letter_id: int | None = None
    commitments: list[ReviewedCommitment] = field(default_factory=list)
    meeting_id: int | None = None
    new_meeting: NewMeeting | None = None
    source_url: str | None = None
    separate_anyway: bool = False  # saved even though it looks like a letter already recorded


@dataclass
class Saved:
    kind: str  # letter | meeting
    id: int
    commitment_ids: list[int]
    skipped: list[str] = field(default_factory=list)


def window_of(due) -> commitment_operations.Window:
    """A Window for make_commitment from parse_due's DueWindow (or nothing found: vague)."""
    if due is None:
        return commitment_operations.Window("", None, None, "vague")
    earliest, latest = due.earliest, due.latest
    if due.precision == "vague":
        earliest = latest = None
    return commitment_operations.Window(due.phrase, earliest, latest, due.precision)


def dated_at_review(window: commitment_operations.Window, read_against: date | None, written_on: date | None, *,
                    date_order: str = "MDY") -> commitment_operations.Window:
    """The window of a due phrase, read again against the day staff entered for a document that states no date
    of its own (intake read it against a stand-in: today, or nothing). A window staff changed stays theirs."""
    if not window.phrase or written_on is None or written_on == read_against:
        return window
    as_read = window_of(parse_due(window.phrase, read_against, date_order=date_order)) if read_against else \
        commitment_operations.Window(window.phrase, None, None, "vague")
    if (as_read.earliest, as_read.latest, as_read.precision) != (window.earliest, window.latest, window.precision):
        return window
    due = parse_due(window.phrase, written_on, date_order=date_order)
    return window_of(due) if due is not None else window


def accept_all(extraction: Extraction, document: Document, data: bytes, *, meeting_id: int | None = None,
               made_to: list[int] | None = None, known: Known | None = None) -> Reviewed:
    """Every extracted field and candidate as staff would accept them without edits (the CLI's batch)."""
    reviewed = Reviewed(kind=extraction.kind, filename=document.filename, content_type=document.content_type,
                        data=data, text=document.text,
                        sent_on=extraction.date, date_precision=extraction.date_precision,
                        subject=extraction.subject, direction=extraction.direction, meeting_id=meeting_id)
    if extraction.kind == "letter":
        reviewed.participants = [ReviewedParticipant(p.role, p.name, p.title, p.person_id, p.party_id, p.party_name)
                                 for p in extraction.authors + extraction.recipients]
        reviewed.reply_to_letter_id = extraction.reply_to.letter_id if extraction.reply_to else None
        by = _party_ids(extraction.authors)
        to = _party_ids(extraction.recipients)
        for candidate in extraction.candidates:
            reviewed.commitments.append(ReviewedCommitment(candidate.kind, candidate.title, candidate.sentence,
                                                           window_of(candidate.due), by, to, None,
                                                           candidate.due.anchor if candidate.due else None,
                                                           owner_of(candidate, extraction, known, by, to)))
        return reviewed
    reviewed.participants = [ReviewedParticipant("speaker", s.name, s.title, s.person_id, s.party_id, "")
                             for s in extraction.speakers]
    speakers = {s.name: s for s in extraction.speakers}
    internal = [p.id for p in (known.parties if known else ()) if p.is_internal]
    internal_speaking = list(dict.fromkeys(s.party_id for s in extraction.speakers
                                           if s.party_id in internal)) or internal[:1]
    for candidate in extraction.candidates:
        speaker = speakers.get(candidate.speaker)
        party = [speaker.party_id] if speaker and speaker.party_id else []
        if candidate.kind == "promise":
            by, to = party, list(made_to or [])
        else:
            by, to = party, internal_speaking
        reviewed.commitments.append(ReviewedCommitment(candidate.kind, candidate.title, candidate.sentence,
                                                       window_of(candidate.due), by, to, candidate.speaker,
                                                       candidate.due.anchor if candidate.due else None,
                                                       owner_of(candidate, extraction, known, by, to)))
    return reviewed


def owner_of(candidate, extraction: Extraction, known: Known | None, made_by=None, made_to=None) -> int | None:
    """The person to prefill as a candidate's owner: owner_for with what the candidate names and who said it."""
    return owner_for(candidate.kind, extraction, known, named=candidate.owner, speaker=candidate.speaker,
                     made_by=made_by, made_to=made_to)


def owner_for(kind: str, extraction: Extraction, known: Known | None, *, named: str = "", speaker: str | None = None,
              made_by=None, made_to=None) -> int | None:
    """The person to prefill as owner (the rule and its order: tracker.commitments.owners.prefilled_owner): the one
    the item names, else a signatory or speaker of ours on the acting side, else a party's default owner — people
    the tracker knows, never a guess among namesakes. made_by / made_to default to the authors' and recipients'
    parties."""
    named_id = known_person_named(named, known) if named and known is not None else None
    if speaker:
        # In a transcript the speaker makes the promise or the request; nobody is named as its addressee.
        by_people = [Signatory(s.person_id, s.party_id) for s in extraction.speakers
                     if s.name == speaker and s.person_id]
        to_people = []
    else:
        by_people = [Signatory(p.person_id, p.party_id) for p in extraction.authors if p.person_id]
        to_people = [Signatory(p.person_id, p.party_id) for p in extraction.recipients if p.person_id]
    parties = known.parties if known is not None else ()
    return prefilled_owner(
        kind, named=named_id, by_people=by_people, to_people=to_people,
        made_by=_party_ids(extraction.authors) if made_by is None else made_by,
        made_to=_party_ids(extraction.recipients) if made_to is None else made_to,
        internal={p.id for p in parties if p.is_internal},
        default_owners={p.id: p.default_owner_id for p in parties if p.default_owner_id})


def added_row_defaults(extraction: Extraction, known: Known | None) -> dict:
    """What a commitment staff add by hand on the review page starts with: a promise for an outgoing letter or a
    transcript, a request for an incoming letter; the letter's authors and recipients as its sides; the owner by
    the same rule as every candidate."""
    kind = "request" if extraction.kind == "letter" and extraction.direction == "incoming" else "promise"
    made_by, made_to = ((_party_ids(extraction.authors), _party_ids(extraction.recipients))
                        if extraction.kind == "letter" else ([], []))
    return {"kind": kind, "made_by": made_by, "made_to": made_to,
            "owner_id": owner_for(kind, extraction, known, made_by=made_by, made_to=made_to) or 0}


def known_person_named(name: str, known: Known) -> int | None:
    """A known person by full name, or by a first or last name only one known person has."""
    words = name_words(name)
    if not words:
        return None
    exact = [p.id for p in known.people if name_words(p.name) == words]
    if len(exact) == 1:
        return exact[0]
    if len(words) == 1:
        partial = [p.id for p in known.people if words <= name_words(p.name)]
        if len(partial) == 1:
            return partial[0]
    return None


def _party_ids(participants) -> list[int]:
    return list(dict.fromkeys(p.party_id for p in participants if p.party_id))


# --------------------------------------------------------------------------- saving


def save_intake(session: Session, reviewed: Reviewed, *, max_bytes: int, actor: events.Actor = events.SYSTEM,
                skip_unattributed: bool = False, viewer: access.Viewer = access.EVERYTHING) -> Saved:
    """Create the letter or attach the transcript, with its people, link and accepted commitments; flushes only.
    A letter almost the same as one the viewer can see is saved only when reviewed.separate_anyway says so."""
    if not reviewed.data:
        raise InvalidInput("the original document is missing: upload it again", "file")
    content_hash = hashlib.sha256(reviewed.data).hexdigest()
    previous = previous_import(session, content_hash, reviewed.text)
    if previous:
        raise InvalidInput(duplicate_message(reviewed.filename, previous), "file")
    if reviewed.kind == "letter" and not reviewed.separate_anyway:
        nears = near_duplicates(session, reviewed.text, reviewed.sent_on, viewer)
        if nears:
            raise InvalidInput(near_duplicate_message(nears), "separate_anyway")
    if reviewed.kind == "letter":
        return _save_letter(session, reviewed, content_hash, max_bytes, actor, skip_unattributed)
    if reviewed.kind in ("transcript", "notes"):
        return _save_transcript(session, reviewed, content_hash, actor, skip_unattributed)
    raise InvalidInput(f"unknown kind of document: {reviewed.kind!r}", "kind")


def _save_letter(session, reviewed: Reviewed, content_hash: str, max_bytes: int, actor, skip_unattributed) -> Saved:
    if reviewed.sent_on is None:
        raise InvalidInput("No date was found in the letter: enter the date it was sent.", "sent_on")
    participants = []
    created_people: dict[str, Person] = {}
    for row in reviewed.participants:
        person_id, party_id = _resolve(session, row, reviewed.sent_on, created_people, actor)
        if person_id or party_id:
            participants.append(letter_operations.ParticipantInput(row.role, party_id=party_id, person_id=person_id,
                                                                   title=row.title.strip() or None))
    letter = letter_operations.log_letter(
        session, sent_on=reviewed.sent_on, date_precision=reviewed.date_precision, subject=reviewed.subject,
        direction=reviewed.direction, body=reviewed.text, participants=participants, source_url=reviewed.source_url,
        content_hash=content_hash, actor=actor)
    letter_operations.attach_file(session, letter, filename=reviewed.filename, content_type=reviewed.content_type,
                                  data=reviewed.data, max_bytes=max_bytes, actor=actor)
    if reviewed.reply_to_letter_id:
        target = session.get(Letter, reviewed.reply_to_letter_id)
        if target is None:
            raise InvalidInput(f"there is no letter #{reviewed.reply_to_letter_id} to reply to", "reply_to")
        letter_operations.link_letters(session, letter, target, "replies_to", actor=actor)
    author_parties = [p.party_id for p in participants if p.role == "author" and p.party_id]
    recipient_parties = [p.party_id for p in participants if p.role == "recipient" and p.party_id]
    made, skipped = _make_commitments(session, reviewed, actor, skip_unattributed, source_letter_id=letter.id,
                                      default_by=author_parties, default_to=recipient_parties)
    _record_text(session, "letter", letter.id, reviewed, actor)
    return Saved("letter", letter.id, made, skipped)


def _save_transcript(session, reviewed: Reviewed, content_hash: str, actor, skip_unattributed) -> Saved:
    meeting = session.get(Meeting, reviewed.meeting_id) if reviewed.meeting_id else None
    if reviewed.meeting_id and meeting is None:
        raise InvalidInput(f"there is no meeting #{reviewed.meeting_id}", "meeting_id")
    if meeting is None:
        new = reviewed.new_meeting
        if new is None or not new.title.strip():
            raise InvalidInput("Choose the meeting this transcript belongs to, or give a new meeting's title and "
                               "dates.", "meeting_id")
        meeting = meeting_operations.create_meeting(
            session, title=new.title, location=new.location,
            kind=notes_meeting_kind(new.title) if reviewed.kind == "notes" else "consultation_session",
            starts_at=datetime.combine(new.starts_on, time(0), timezone.utc),
            ends_at=datetime.combine(new.ends_on, time(23, 59), timezone.utc), actor=actor)
    meeting_operations.update_transcript(session, meeting, _record_of_meeting(meeting, reviewed), actor=actor)
    on = meeting.starts_at.date()
    known_participants = {(p.person_id, p.name_in_transcript) for p in session.exec(queries.meeting_participants(meeting.id))}
    speaker_ids: dict[str, int | None] = {}
    created_people: dict[str, Person] = {}
    for row in reviewed.participants:
        # An attendee listed by full name is recorded as a person (once); a speaker only when chosen.
        if not (row.person_id or row.party_id) and not (reviewed.kind == "notes" and " " in row.name.strip()):
            speaker_ids[row.name] = None
            continue
        person_id, party_id = _resolve(session, row, on, created_people, actor)
        speaker_ids[row.name] = person_id
        if (person_id, row.name) not in known_participants:
            meeting_operations.add_participant(session, meeting, person_id=person_id, party_id=party_id,
                                               role=row.role, name_in_transcript=row.name[:200], actor=actor)
    events.record(session, "meeting.transcript_imported", "meeting", meeting.id, actor,
                  {"filename": reviewed.filename, "characters": len(reviewed.text), "as": reviewed.kind},
                  unique_key=queries.import_key(content_hash))
    if reviewed.kind == "notes":
        # An action item's owner is its speaker: the person it names, whether or not they are listed as attending.
        for item in reviewed.commitments:
            if item.speaker and item.owner_id and not speaker_ids.get(item.speaker):
                speaker_ids[item.speaker] = item.owner_id
    made, skipped = _make_commitments(session, reviewed, actor, skip_unattributed, source_meeting_id=meeting.id,
                                      speaker_ids=speaker_ids)
    _record_text(session, "meeting", meeting.id, reviewed, actor)
    return Saved("meeting", meeting.id, made, skipped)


def _record_of_meeting(meeting: Meeting, reviewed: Reviewed) -> str:
    """The meeting's transcript or minutes: notes attached to a meeting that already has a record are added after
    it, never put in its place."""
    if reviewed.kind == "notes" and meeting.transcript.strip() and reviewed.text.strip() not in meeting.transcript:
        return f"{meeting.transcript.rstrip()}\n\n— {reviewed.filename} —\n\n{reviewed.text}"
    return reviewed.text


def _resolve(session: Session, row: ReviewedParticipant, on: date | None, created: dict[str, Person],
             actor) -> tuple[int | None, int | None]:
    """The person and party of a reviewed row: known ones by id or exact name, else created once."""
    party_id = row.party_id
    if not party_id and row.party_name.strip():
        party = session.exec(queries.party_named(row.party_name)).first()
        if party is None:
            party = party_operations.create_party(session, name=row.party_name.strip()[:200],
                                                  short_name=_short_name(session, row.party_name), actor=actor)
        party_id = party.id
    person_id = row.person_id
    name = row.name.strip()
    if not person_id and name and " " in name:
        # Never a second record for someone known: an exact name match is that person.
        person = created.get(name.lower()) or session.exec(queries.person_named(name)).first()
        if person is None:
            person = party_operations.create_person(session, name=name, actor=actor)
            created[name.lower()] = person
            if party_id and row.title.strip():
                party_operations.add_role(session, person=person, party=session.get(Party, party_id),
                                          title=row.title.strip(), actor=actor)
        person_id = person.id
    return person_id, party_id


def _short_name(session: Session, name: str) -> str:
    words = [w for w in name.split() if w[:1].isupper()]
    base = ("".join(w[0] for w in words) if len(words) >= 2 else name.strip())[:36] or "Party"
    candidate, n = base, 1
    while session.exec(queries.party_named(candidate)).first() is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _make_commitments(session, reviewed: Reviewed, actor, skip_unattributed: bool, *, source_letter_id=None,
                      source_meeting_id=None, default_by=(), default_to=(), speaker_ids=None):
    anchors = meeting_operations.anchor_meeting_ids(session) if any(c.anchor for c in reviewed.commitments) else {}
    made, skipped = [], []
    for number, item in enumerate(reviewed.commitments, start=1):
        # Minutes of a meeting already recorded may repeat what it holds: never the same commitment twice.
        if item.quote and session.exec(queries.commitment_quoted(
                item.quote, source_letter_id=source_letter_id, source_meeting_id=source_meeting_id)).first():
            skipped.append(f"candidate {number} (“{item.title[:60]}”): already recorded from this source")
            continue
        made_by = list(item.made_by) or list(default_by)
        made_to = list(item.made_to) or list(default_to)
        if not made_by or not made_to:
            if skip_unattributed:
                skipped.append(f"candidate {number} (“{item.title[:60]}”): say who made it and to whom")
                continue
            raise InvalidInput(f"Candidate {number} (“{item.title[:60]}”): choose who made it and to whom.",
                               f"candidates-{number - 1}-made_by")
        window = item.window
        if item.anchor and item.anchor in anchors:
            window = commitment_operations.Window(window.phrase, window.earliest, window.latest, window.precision,
                                                  anchors[item.anchor])
        try:
            commitment: Commitment = commitment_operations.make_commitment(
                session, kind=item.kind, title=item.title, window=window, made_by=made_by, made_to=made_to,
                quote=item.quote, source_letter_id=source_letter_id, source_meeting_id=source_meeting_id,
                speaker_id=(speaker_ids or {}).get(item.speaker) if item.speaker else None,
                owner_id=item.owner_id, actor=actor)
        except InvalidInput as error:
            raise InvalidInput(f"Candidate {number}: {error}", f"candidates-{number - 1}-{error.field or 'title'}") \
                from None
        made.append(commitment.id)
    return made, skipped


# --------------------------------------------------------------------------- meeting notes and minutes


def accept_as_notes(session: Session, extraction: Extraction, document: Document, data: bytes, *,
                    known: Known) -> Reviewed:
    """Notes or minutes as staff would accept them: the meeting they record (one recorded that day with a party
    in common, else a new one titled and dated from the document), who attended, and every action item a
    commitment of its owner to the meeting's parties."""
    title, day = notes_meeting(document.text, extraction)
    attendees = attendees_in(document.text, known, day) or [s for s in extraction.speakers if s.person_id]
    reviewed = Reviewed(kind="notes", filename=document.filename, content_type=document.content_type, data=data,
                        text=document.text, sent_on=day, subject=title)
    reviewed.participants = [ReviewedParticipant("attendee", a.name, a.title, a.person_id, a.party_id, "")
                             for a in attendees]
    named = [p.id for p in known.parties if _names_party(title, p)]
    attending = _party_ids(attendees) + [party for a in attendees if a.person_id and not a.party_id
                                         for party in _parties_of_person(a.person_id, known, day)]
    meeting = matching_meeting(session, day, named + attending) if day else None
    meeting_parties = list(dict.fromkeys(named + attending))
    if meeting is not None:
        reviewed.meeting_id = meeting.id
        meeting_parties = list(dict.fromkeys(
            meeting_parties + [party for _id, party in session.exec(queries.participant_parties([meeting.id]))]))
    elif day is not None:
        reviewed.new_meeting = NewMeeting(title, day, day)
    for candidate in extraction.candidates:
        reviewed.commitments.append(notes_commitment(candidate, extraction, known, day, meeting_parties))
    return reviewed


def notes_commitment(candidate, extraction: Extraction, known: Known, day: date | None,
                     meeting_parties: list[int]) -> ReviewedCommitment:
    """An action item as a commitment: its owner (a known person, else the name as written, kept as the speaker
    and in the title), made by the owner's party (the group's own when the owner is no one known) to the
    meeting's parties."""
    owner_id = owner_of(candidate, extraction, known)
    by = _parties_of_person(owner_id, known, day) if owner_id else []
    if not by and candidate.owner:
        by = [p.id for p in known.parties if _names_party(candidate.owner, p)][:1]
    by = by or list(meeting_parties)
    to = list(meeting_parties) or list(by)
    title = candidate.title
    if candidate.owner and owner_id is None and candidate.owner.lower() not in title.lower():
        title = f"{candidate.owner}: {title}"[:300]
    return ReviewedCommitment(candidate.kind, title, candidate.sentence, window_of(candidate.due), by, to,
                              candidate.owner or candidate.speaker, candidate.due.anchor if candidate.due else None,
                              owner_id)


def matching_meeting(session: Session, day: date, party_ids: list[int]) -> Meeting | None:
    """The meeting recorded on ``day`` that notes of that day belong to: the one with a party in common, else the
    only one that day; None when there is none or several without a party to tell them apart."""
    start = datetime.combine(day, time(0), timezone.utc)
    # A day in any timezone starts within 14 hours of UTC midnight, either way.
    nearby = list(session.exec(queries.meetings_starting_between(start - timedelta(hours=14),
                                                                 start + timedelta(hours=38))))
    same_day = [m for m in nearby if _local_day(m) == day]
    if not same_day:
        return None
    parties: dict[int, set[int]] = {}
    for meeting_id, party_id in session.exec(queries.participant_parties([m.id for m in same_day])):
        parties.setdefault(meeting_id, set()).add(party_id)
    shared = [m for m in same_day if parties.get(m.id, set()) & set(party_ids)]
    if len(shared) == 1:
        return shared[0]
    return same_day[0] if len(same_day) == 1 and not shared else None


def _local_day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).date()


def _parties_of_person(person_id: int | None, known: Known, day: date | None) -> list[int]:
    person = next((p for p in known.people if p.id == person_id), None)
    if person is None:
        return []
    return list(dict.fromkeys(role.party_id for role in person.roles if role.held_on(day)))


def _names_party(text: str, party: KnownParty) -> bool:
    """The text names the party by its name or short name, as whole words ("GNSO Council call", "Staff to …")."""
    return any(re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text, re.I)
               for label in (party.name, party.short_name) if label and len(label) >= 2)


def notes_meeting_kind(title: str) -> str:
    """A call when the notes say so, else a meeting of no particular kind."""
    return "call" if re.search(r"\b(?:call|teleconference|telechat|webinar)\b", title, re.I) else "other"
