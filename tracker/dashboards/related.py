"""Related records for a page of commitments or letters, loaded with one query per kind for the whole page."""
from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session

from tracker import access
from tracker.commitments.queries import parties_of
from tracker.letters.models import Letter
from tracker.letters.queries import participant_names_of
from tracker.meetings.models import Meeting
from tracker.parties.queries import names_of_people


def commitment_parties(session: Session, commitments) -> dict[int, dict[str, list]]:
    """{commitment_id: {"by": [PARTY_NAME], "to": [PARTY_NAME]}} in one query; every commitment given has an entry."""
    found: dict[int, dict[str, list]] = {c.id: {"by": [], "to": []} for c in commitments}
    if found:
        for commitment_id, side, party in session.exec(parties_of(found)):
            found[commitment_id][side].append(party)
    return found


def commitment_people(session: Session, commitments) -> dict[int, object]:
    """{person_id: PERSON_NAME} for the owners and speakers of these commitments, in one query."""
    ids = {pid for c in commitments for pid in (c.owner_id, c.speaker_id) if pid is not None}
    return {person.id: person for person in session.exec(names_of_people(ids))} if ids else {}


def letter_participants(session: Session, letters) -> dict[int, list]:
    """{letter_id: [(PARTICIPANT, PARTY_NAME|None, PERSON_NAME|None)]} in one query."""
    ids = {letter.id for letter in letters}
    found: dict[int, list] = defaultdict(list)
    if ids:
        for participant, party, person in session.exec(participant_names_of(ids)):
            found[participant.letter_id].append((participant, party, person))
    return found


def visible_references(session: Session, viewer, commitments) -> dict[str, set[int]]:
    """{"letter": ids, "meeting": ids}: the source, evidence and anchor records of these commitments that the
    viewer may see, in one query per kind."""
    letter_ids = {i for c in commitments for i in (c.source_letter_id, c.evidence_letter_id)}
    meeting_ids = {i for c in commitments for i in (c.source_meeting_id, c.evidence_meeting_id,
                                                     c.due_anchor_meeting_id)}
    return {"letter": access.visible_ids(session, viewer, Letter, letter_ids),
            "meeting": access.visible_ids(session, viewer, Meeting, meeting_ids)}
