"""Records as JSON-ready dicts: ids, fields, related parties by id and name, dates in ISO 8601, a page url."""
from __future__ import annotations

from datetime import date

from flask import url_for

from tracker.commitments.models import Commitment, timing
from tracker.letters.models import Letter
from tracker.parties.models import Party


def _iso(value):
    return value.isoformat() if value is not None else None


def _party_ref(party: Party, may_see_party=None) -> dict:
    """A party named on a record; its id only when the caller may open the party (may_see_party(id))."""
    shown = may_see_party is None or may_see_party(party.id)
    return {"id": party.id if shown else None, "name": party.name, "short_name": party.short_name}


def party(record: Party) -> dict:
    return {"id": record.id, "name": record.name, "short_name": record.short_name, "kind": record.kind,
            "is_internal": record.is_internal, "url": url_for("dashboards.party", party_id=record.id)}


def letter(record: Letter, participants, may_see_party) -> dict:
    """participants: [(LetterParticipant, Party|None, Person|None)] of this letter."""
    return {"id": record.id, "sent_on": _iso(record.sent_on), "date_precision": record.date_precision,
            "subject": record.subject, "direction": record.direction, "reply_state": record.reply_state,
            "reply_by": _iso(record.reply_by), "source_url": record.source_url,
            "participants": [{"role": p.role, "title": p.title,
                              "party": _party_ref(party_, may_see_party) if party_ is not None else None,
                              "person": {"id": person.id, "name": person.name} if person is not None else None}
                             for p, party_, person in participants],
            "url": url_for("letters.detail", letter_id=record.id)}


def _shown(record_id, visible: set) -> int | None:
    return record_id if record_id in visible else None


def _phase_ref(phase) -> dict | None:
    if phase is None:
        return None
    return {"id": phase.id, "name": phase.name, "retired": phase.is_retired}


def commitment(record: Commitment, parties: dict, people: dict, today: date, within_days: int,
               shown: dict, phases: dict | None = None) -> dict:
    """parties: {"by": [Party], "to": [Party]}; people: {person_id: Person} for owners and speakers;
    shown: {"letter": ids, "meeting": ids, "party": may_see_party} for related records the caller may see
    (others are given as null); phases: {phase_id: Phase} of the commitments given."""
    owner = people.get(record.owner_id) if record.owner_id else None
    letters, meetings = shown.get("letter", set()), shown.get("meeting", set())
    return {"id": record.id, "kind": record.kind, "title": record.title, "quote": record.quote,
            "status": record.status, "progress": record.progress,
            "timing": timing(record, today, within_days),
            "phase": _phase_ref((phases or {}).get(record.phase_id)),
            "due": {"phrase": record.due_phrase, "earliest": _iso(record.due_earliest),
                    "latest": _iso(record.due_latest), "precision": record.due_precision,
                    "anchor_meeting_id": _shown(record.due_anchor_meeting_id, meetings)},
            "baseline": {"phrase": record.baseline_phrase, "earliest": _iso(record.baseline_earliest),
                         "latest": _iso(record.baseline_latest)},
            "fulfilled_on": _iso(record.fulfilled_on), "outcome": record.outcome,
            "evidence_url": record.evidence_url,
            "evidence_letter_id": _shown(record.evidence_letter_id, letters),
            "evidence_meeting_id": _shown(record.evidence_meeting_id, meetings),
            "source_letter_id": _shown(record.source_letter_id, letters),
            "source_meeting_id": _shown(record.source_meeting_id, meetings),
            "owner": {"id": owner.id, "name": owner.name} if owner is not None else None,
            "made_by": [_party_ref(p, shown["party"]) for p in parties["by"]],
            "made_to": [_party_ref(p, shown["party"]) for p in parties["to"]],
            "url": url_for("commitments.show", commitment_id=record.id)}


def party_detail(record: Party) -> dict:
    return {**party(record), "description": record.description}


def person(record) -> dict:
    return {"id": record.id, "name": record.name, "timezone": record.timezone, "is_staff": record.is_staff,
            "url": url_for("parties.person", person_id=record.id)}


def person_detail(record, roles, may_see_party) -> dict:
    """roles: [(Role, Party)] already limited to parties the caller may see."""
    return {**person(record), "roles": [{"title": role.title, "party": _party_ref(party_, may_see_party),
                                         "starts_on": _iso(role.starts_on), "ends_on": _iso(role.ends_on)}
                                        for role, party_ in roles]}


def letter_detail(record: Letter, participants, may_see_party) -> dict:
    return {**letter(record, participants, may_see_party), "body": record.body}


def meeting(record) -> dict:
    return {"id": record.id, "title": record.title, "kind": record.kind, "starts_at": _iso(record.starts_at),
            "ends_at": _iso(record.ends_at), "timezone": record.timezone, "location": record.location,
            "remote": record.remote, "source_url": record.source_url, "url": url_for("meetings.show", meeting_id=record.id)}


def meeting_detail(record, participants, may_see_party) -> dict:
    """participants: [(MeetingParticipant, Person|None, Party|None)]."""
    return {**meeting(record), "transcript": record.transcript,
            "participants": [{"role": p.role, "name_in_transcript": p.name_in_transcript,
                              "person": {"id": person_.id, "name": person_.name} if person_ is not None else None,
                              "party": _party_ref(party_, may_see_party) if party_ is not None else None}
                             for p, person_, party_ in participants]}


def comment_period(record, current_close: date) -> dict:
    return {"id": record.id, "title": record.title, "opens_on": _iso(record.opens_on),
            "closes_on": _iso(record.closes_on), "current_close": _iso(current_close),
            "reply_closes_on": _iso(record.reply_closes_on), "summary_url": record.summary_url,
            "forum_url": record.forum_url, "url": url_for("consultations.show", period_id=record.id)}


def comment_period_detail(record, current_close: date, extensions, visible_letters: set, submissions,
                          may_see_party) -> dict:
    """extensions: [CommentPeriodExtension]; submissions: [(Submission, Party|None)] the caller may see."""
    return {**comment_period(record, current_close), "summary": record.summary,
            "extensions": [{"new_closes_on": _iso(e.new_closes_on), "reason": e.reason,
                            "requested_in_letter_id": _shown(e.requested_in_letter_id, visible_letters)}
                           for e in extensions],
            "submissions": [{"author": s.author, "submitted_on": _iso(s.submitted_on), "url": s.url,
                             "party": _party_ref(party_, may_see_party) if party_ is not None else None}
                            for s, party_ in submissions]}
