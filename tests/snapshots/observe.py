"""What the pages show of the record on a day, keyed by names so two loads (with different ids) compare equal."""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select

from tracker.commitments.models import Commitment, CommitmentParty, DueWindowChange, timing
from tracker.consultations.models import CommentPeriod, CommentPeriodExtension, Submission
from tracker.events import history
from tracker.letters.models import Letter, LetterFile, LetterLink, LetterParticipant, reply_badge
from tracker.meetings.models import Meeting, MeetingParticipant
from tracker.parties.models import Party, Person
from tracker.snapshots import end_of

DUE_SOON_DAYS = 14


def cutoff_of(day: date) -> datetime:
    return end_of(day, "UTC")


def observed(session, day: date) -> dict:
    """What the pages show of the record on `day`, keyed by names (ids differ between two loads)."""
    parties = dict(session.exec(select(Party.id, Party.short_name)).all())
    letters = {letter.id: letter for letter in session.exec(select(Letter))}
    meetings = {meeting.id: meeting for meeting in session.exec(select(Meeting))}
    sides = {}
    for link in session.exec(select(CommitmentParty)):
        sides.setdefault(link.commitment_id, set()).add((link.side, parties[link.party_id]))
    moves = {}
    for change in session.exec(select(DueWindowChange)):
        moves[change.commitment_id] = moves.get(change.commitment_id, 0) + 1
    people = dict(session.exec(select(Person.id, Person.name)).all())
    commitments = {
        c.title: (people.get(c.owner_id), c.quote, c.baseline_phrase, c.baseline_earliest, c.status, c.progress, c.fulfilled_on, c.due_phrase, c.due_earliest, c.due_latest, c.due_precision,
                  c.baseline_latest, c.outcome, c.evidence_url, letters[c.evidence_letter_id].subject
                  if c.evidence_letter_id else None, letters[c.source_letter_id].subject if c.source_letter_id
                  else None, timing(c, day, DUE_SOON_DAYS), frozenset(sides.get(c.id, ())), moves.get(c.id, 0),
                  tuple(e.kind for e in history(session, "commitment", c.id)))
        for c in session.exec(select(Commitment))}
    participants = {}
    for row in session.exec(select(LetterParticipant)):
        participants.setdefault(row.letter_id, set()).add((row.role, row.party_id and parties[row.party_id]))
    letter_states = {
        letter.subject: (letter.sent_on, letter.date_precision, letter.source_url,
                         len(session.exec(select(LetterFile.id).where(LetterFile.letter_id == letter.id)).all()),
                         letter.direction, letter.reply_state, letter.reply_by,
                         reply_badge(letter, day), frozenset(participants.get(letter.id, ())),
                         tuple(e.kind for e in history(session, "letter", letter.id)))
        for letter in letters.values()}
    links = {(letters[link.from_letter_id].subject, letters[link.to_letter_id].subject, link.kind)
             for link in session.exec(select(LetterLink))}
    periods = {period.title: (period.closes_on, period.summary, period.summary_url,
                              len(session.exec(select(CommentPeriodExtension.id).where(
                                  CommentPeriodExtension.comment_period_id == period.id)).all()),
                              len(session.exec(select(Submission.id).where(
                                  Submission.comment_period_id == period.id)).all()),
                              tuple(e.kind for e in history(session, "comment_period", period.id)))
               for period in session.exec(select(CommentPeriod))}
    meeting_states = {m.title: (m.starts_at, m.ends_at, len(session.exec(select(MeetingParticipant.id).where(
                                    MeetingParticipant.meeting_id == m.id)).all()),
                                tuple(e.kind for e in history(session, "meeting", m.id)))
                      for m in meetings.values()}
    return {"commitments": commitments, "letters": letter_states, "links": links, "periods": periods,
            "meetings": meeting_states}
