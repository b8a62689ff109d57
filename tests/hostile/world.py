"""A small world of records for hostile-input tests, and a valid submission for every form.

Each hostile request starts from a submission that would be accepted and spoils some of its fields, so the
hostile value travels as deep as a real one would (past the other fields' checks, into the operation and the
database) instead of stopping at the first missing field.
"""
from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from datetime import date, datetime, timezone
from io import BytesIO

from sqlalchemy import func, select, text
from sqlmodel import SQLModel

from tests import factories
from tracker.accounts.operations import create_api_token
from tracker.consultations import operations as consultation_operations
from tracker.letters import operations as letter_operations
from tracker.phases import operations as phase_operations
from tracker.reminders import operations as reminder_operations
from tracker.reminders.models import Digest
from tracker.reminders.render import unsubscribe_token_for


@dataclass
class World:
    party_id: int
    internal_party_id: int
    person_id: int
    letter_id: int
    other_letter_id: int
    file_id: int
    commitment_id: int
    meeting_id: int
    period_id: int
    recipient_id: int
    digest_id: int
    token: str
    person_email: str
    user_id: int
    api_token_id: int
    phase_id: int
    replacement_id: int  # a commitment that may replace the world's one (the progress form's "replaced by")

    def path_values(self) -> dict:
        """Values for every variable part of a rule, by its name."""
        return dict(party_id=self.party_id, person_id=self.person_id, letter_id=self.letter_id, file_id=self.file_id,
                    commitment_id=self.commitment_id, meeting_id=self.meeting_id, period_id=self.period_id,
                    recipient_id=self.recipient_id, digest_id=self.digest_id, token=self.token,
                    filename="style.css", user_id=self.user_id, token_id=self.api_token_id,
                    phase_id=self.phase_id)


def build_world(session, admin=None) -> World:
    """The records; `admin` (the account the requests are sent as) owns the API token the world names."""
    party = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    internal = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
    person = factories.person(session, name="Rod Beckstrom", is_staff=True)
    letter = factories.letter(session, authors=[party], recipients=[person])
    other = factories.letter(session, authors=[party])
    stored = letter_operations.attach_file(session, letter, filename="original.pdf", content_type="application/pdf",
                                           data=b"%PDF-1.4 test", max_bytes=1 << 20)
    commitment = factories.commitment(session, made_by=[internal], made_to=[party], owner_id=person.id)
    replacement = factories.commitment(session, made_by=[internal], made_to=[party], title="Publish the revised plan")
    meeting = factories.meeting(session, title="Brussels meeting")
    period = consultation_operations.open_comment_period(session, title="DNS-CERT", opens_on=date(2010, 2, 12),
                                                         closes_on=date(2010, 3, 29))
    recipient = reminder_operations.save_recipient(
        session, email=person.email, name=person.name, preferences=reminder_operations.Preferences(),
        party_ids=[party.id])
    now = datetime(2010, 5, 12, 9, tzinfo=timezone.utc)
    digest = Digest(recipient_id=recipient.id, period="2010-05-12", scheduled_for=now, to_address=person.email,
                    subject="Due soon", text_body="Hello", message_id="<d@example.org>", state="sent", created_at=now)
    session.add(digest)
    account = factories.user(session, role="viewer", party_ids=[party.id])
    api_token, _secret = create_api_token(session, admin or account, "script")
    # A phase of the commitment's kind (a promise), for the phase routes and the commitment's phase form.
    phase = phase_operations.create_phase(session, kind="promise", name="Under way")
    session.commit()
    return World(party.id, internal.id, person.id, letter.id, other.id, stored.id, commitment.id, meeting.id,
                 period.id, recipient.id, digest.id, unsubscribe_token_for(recipient), person.email, account.id,
                 api_token.id, phase.id, replacement.id)


_serial = itertools.count(1)


def _intake_payload() -> str:
    from tracker.intake.views import sign_review

    # Different text each time: intake refuses a document it has already saved.
    text_ = f"Dear Chair,\n\nWe will publish the plan by end of April. ({next(_serial)})\n"
    return sign_review({"filename": "pasted.txt", "content_type": "text/plain", "format": "txt",
                        "data": base64.b64encode(text_.encode()).decode(), "text": text_, "candidates": [],
                        "warnings": [], "reply_phrase": ""})


def _import_csv(n: int) -> bytes:
    return f"kind,title,made_by,made_to,due_phrase\npromise,Imported plan {n},CEO,ccNSO,by end of June\n".encode()


def _import_letters_csv(n: int) -> bytes:
    return f"sent_on,subject,direction,authors,recipients\n2010-04-01,Imported letter {n},incoming,ccNSO,CEO\n".encode()


def valid_submission(endpoint: str, world: World) -> dict | None:
    """Form data that endpoint accepts (unique where the app wants unique values); None when none is known."""
    n = next(_serial)
    w = world
    due = {"due_phrase": "by end of April", "due_earliest": "", "due_latest": "2010-04-30", "due_precision": "day",
           "due_anchor_meeting_id": ""}
    submissions = {
        "auth.login": {"email": "nobody@example.org", "password": "not the password", "remember": "y"},
        "auth.logout": {},
        "accounts.users": {"email": f"new{n}@example.org", "display_name": f"New {n}", "role": "viewer",
                           "scope": "limited", "party_ids": [str(w.party_id)]},
        "accounts.user": {"display_name": f"Edited {n}", "role": "viewer", "scope": "limited",
                          "party_ids": [str(w.party_id)]},
        "accounts.deactivate": {},
        "accounts.reactivate": {},
        "accounts.send_password_link": {},
        "accounts.forgot_password": {"email": f"nobody{n}@example.org"},
        "accounts.set_password": {"password": "a much longer passphrase 77", "confirm": "a much longer passphrase 77"},
        "accounts.change_password": {"current_password": factories.PASSWORD, "password": f"another long phrase {n}",
                                     "confirm": f"another long phrase {n}"},
        "accounts.create_token": {"name": f"script {n}"},
        "accounts.revoke_token": {},
        "calendar.issue": {},
        "calendar.revoke": {},
        "exchange.commitments": {"file": (_import_csv(n), f"plan{n}.csv")},
        "exchange.apply_commitments": {"filename": f"plan{n}.csv",
                                       "payload": base64.b64encode(_import_csv(n)).decode()},
        "exchange.letters": {"file": (_import_letters_csv(n), f"letters{n}.csv")},
        "exchange.apply_letters": {"filename": f"letters{n}.csv",
                                   "payload": base64.b64encode(_import_letters_csv(n)).decode()},
        "commitments.new": {**due, "kind": "promise", "title": f"Publish plan {n}", "quote": "We will publish.",
                            "source_letter_id": str(w.letter_id), "source_meeting_id": "", "speaker_id": "",
                            "made_by": [str(w.internal_party_id)], "made_to": [str(w.party_id)],
                            "owner_id": str(w.person_id)},
        "commitments.reschedule": {**due, "due_latest": "2010-05-10", "due_phrase": "in early May",
                                   "reason": "moved"},
        # Superseded, so a hostile "replaced by" reaches the picker and the operation (other statuses ignore it).
        "commitments.progress": {"status": "superseded", "progress": "50", "fulfilled_on": "", "evidence_url": "",
                                 "outcome": "", "replaced_by_id": f"#{w.replacement_id}"},
        "commitments.phase": {"phase_id": str(w.phase_id)},
        "phases.index": {"kind": "request", "name": f"Phase {n}"},
        "phases.rename": {f"phase-{w.phase_id}-name": f"Under way {n}"},
        "phases.move": {"direction": "up"},
        "phases.retire": {},
        "phases.reinstate": {},
        "commitments.details": {"title": f"Publish plan {n}", "quote": "q", "made_by": [str(w.internal_party_id)],
                                "made_to": [str(w.party_id)], "owner_id": str(w.person_id)},
        "consultations.new": {"title": f"Consultation {n}", "opens_on": "2010-02-12", "closes_on": "2010-03-29",
                              "reply_closes_on": "", "forum_url": "https://example.org/forum"},
        "consultations.extend": {"new_closes_on": f"{2011 + n % 5000:04d}-04-14", "reason": "asked",
                                 "requested_in_letter_id": str(w.letter_id)},
        "consultations.add_submission": {"author": f"Author {n}", "party_id": str(w.party_id),
                                         "submitted_on": "2010-03-01", "url": "https://example.org/c"},
        "consultations.record_summary": {"summary": "What was said.", "summary_url": "https://example.org/s"},
        "intake.upload": {"pasted": f"Dear Chair,\n\nWe will publish the plan by end of April. ({n})\n", "file": None},
        "intake.save": {"payload": _intake_payload(), "kind": "letter", "sent_on": "2010-04-01",
                        "date_precision": "day", "subject": f"Intake {n}", "direction": "incoming", "reply_to": "0",
                        "source_url": "", "meeting_id": "0", "meeting_title": "", "meeting_starts_on": "",
                        "meeting_ends_on": "", "meeting_location": "",
                        "participants-0-include": "y", "participants-0-role": "author",
                        "participants-0-name": "A Chair", "participants-0-title": "Chair",
                        "participants-0-person_id": "0", "participants-0-party_id": str(w.party_id),
                        "participants-0-party_name": "",
                        "candidates-0-accept": "y", "candidates-0-kind": "promise", "candidates-0-title": "Plan",
                        "candidates-0-quote": "We will publish the plan.", "candidates-0-speaker": "",
                        "candidates-0-due_phrase": "by end of April", "candidates-0-due_earliest": "",
                        "candidates-0-due_latest": "2010-04-30", "candidates-0-due_precision": "day",
                        "candidates-0-anchor": "", "candidates-0-made_by": [str(w.internal_party_id)],
                        "candidates-0-made_to": [str(w.party_id)]},
        "letters.new": {"sent_on": "2010-04-01", "subject": f"Letter {n}", "direction": "incoming",
                        "author_parties": [str(w.party_id)], "recipient_people": [str(w.person_id)],
                        "titles": "", "body": "<p>Dear all</p>", "source_url": "https://example.org/l",
                        "file": None},
        "letters.edit": {"sent_on": "2010-04", "subject": f"Letter {n}", "direction": "incoming",
                         "author_parties": [str(w.party_id)], "recipient_people": [str(w.person_id)],
                         "titles": "", "body": "<p>Dear all</p>", "source_url": ""},
        "letters.link": {"kind": "refers_to", "target": str(w.other_letter_id), "target_number": ""},
        "letters.no_reply": {"reason": "for information"},
        "letters.reopen": {},
        "letters.upload": {"file": (b"%PDF-1.4 body", f"scan{n}.pdf")},
        "meetings.new": {"title": f"Meeting {n}", "kind": "workshop", "timezone": "Europe/Brussels",
                         "aliases": "Brussels", "location": "Brussels", "remote": "",
                         "starts_at": "2010-06-20T09:00", "ends_at": "2010-06-20T17:00", "transcript": "",
                         "source_url": ""},
        "meetings.move": {"starts_at": "2010-06-21T09:00", "ends_at": "2010-06-21T17:00"},
        "meetings.add_participant": {"person_id": str(w.person_id), "party_id": str(w.party_id), "role": "speaker",
                                     "name_in_transcript": "ROD"},
        "parties.new_party": {"name": f"Party {n}", "short_name": f"P{n}", "kind": "other", "description": "d"},
        "parties.edit_party": {"name": "ccNSO Council", "short_name": "ccNSO", "kind": "supporting_organisation",
                               "description": "d"},
        "parties.new_person": {"name": f"Person {n}", "email": f"p{n}@example.org", "timezone": "UTC",
                               "is_staff": "y"},
        "parties.edit_person": {"name": "Rod Beckstrom", "email": "rod@example.org", "timezone": "UTC",
                                "is_staff": "y"},
        "parties.new_role": {"party_id": str(w.party_id), "title": "Chair", "starts_on": "2009-01-01",
                             "ends_on": ""},
        "reminders.new": {"email": f"r{n}@example.org", "name": f"R {n}", "timezone": "Europe/Brussels",
                          "frequency": "weekly", "weekday": "2", "send_time": "07:30", "due_soon_days": "10",
                          "include_own": "y", "party_ids": [str(w.party_id)]},
        "reminders.edit": {"email": w.person_email, "timezone": "UTC", "frequency": "daily", "weekday": "0", "send_time": "08:00",
                           "due_soon_days": "7", "include_own": "y", "party_ids": [str(w.party_id)]},
        "reminders.mine": {"timezone": "UTC", "frequency": "daily", "weekday": "0", "send_time": "08:00",
                           "due_soon_days": "7", "include_own": "y", "party_ids": [str(w.party_id)]},
        "reminders.resubscribe": {},
        "reminders.unsubscribe": {},
        "reminders.resend": {},
        # The JSON API: bodies are sent as JSON (tests/hostile/test_every_input.py sends api.* as JSON).
        "api.create_letter": {"sent_on": "2010-04-01", "subject": f"Letter {n}", "direction": "incoming",
                              "body": "<p>Dear all</p>", "source_url": "https://example.org/l",
                              "participants": [{"role": "author", "party_id": w.party_id},
                                               {"role": "recipient", "person_id": w.person_id}]},
        "api.update_letter": {"sent_on": "2010-04", "subject": f"Letter {n}", "direction": "incoming", "body": "",
                              "participants": [{"role": "author", "party_id": w.party_id}]},
        "api.create_commitment": {**due, "due_earliest": None, "due_anchor_meeting_id": None, "kind": "promise",
                                  "title": f"Publish plan {n}", "quote": "We will publish.",
                                  "source_letter_id": w.letter_id, "made_by": [w.internal_party_id],
                                  "made_to": [w.party_id], "owner_id": w.person_id},
        "api.update_commitment": {"title": f"Publish plan {n}", "quote": "q", "made_by": [w.internal_party_id],
                                  "made_to": [w.party_id], "owner_id": w.person_id},
        "api.reschedule_commitment": {"due_phrase": "in early May", "due_latest": "2010-05-10",
                                      "due_precision": "day", "reason": "moved"},
        "api.commitment_progress": {"status": "in_progress", "progress": 50},
    }
    return submissions.get(endpoint)


def as_request_data(values: dict) -> dict:
    """Form values as the test client posts them; a file is (bytes, name), None for no file."""
    data = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            data[name] = (BytesIO(value[0]), value[1])
        else:
            data[name] = value
    return data


def row_counts(session) -> tuple[int, ...]:
    """The number of rows in every table, in one statement."""
    tables = SQLModel.metadata.sorted_tables
    statement = select(*[select(func.count()).select_from(table).scalar_subquery() for table in tables])
    return tuple(session.execute(statement).one())


def table_names() -> list[str]:
    return [table.name for table in SQLModel.metadata.sorted_tables]


__all__ = ["World", "build_world", "valid_submission", "as_request_data", "row_counts", "table_names", "text"]
