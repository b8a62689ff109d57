"""The sample record plus records only the GNSO or only the ALAC may see, tied to records the ccNSO may see.

Every hidden record's title, subject or name carries a marker string, so a page that names one is caught by
looking for "ZZHIDDEN" in it; the hidden ids are kept so that links and API ids to them are caught too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlmodel import Session, select

from tests import factories
from tracker import clock
from tracker.accounts.operations import create_api_token
from tracker.auth.models import User, UserParty
from tracker.commitments import operations as commitments
from tracker.commitments.operations import Window
from tracker.consultations import operations as consultations
from tracker.demo.load import SampleRecord, load_sample_record
from tracker.letters import operations as letters
from tracker.letters.operations import ParticipantInput
from tracker.meetings import operations as meetings
from tracker.parties import operations as parties
from tracker.phases import operations as phase_operations
from tracker.reminders import operations as reminders
from tracker.reminders.models import Digest

MARKER = "ZZHIDDEN"


@dataclass
class AccessDataset:
    record: SampleRecord
    # Ids of records the ccNSO-limited viewer may see, and of those it may not, by kind.
    visible: dict[str, set[int]] = field(default_factory=dict)
    hidden: dict[str, set[int]] = field(default_factory=dict)
    # One id per URL argument, for a record the ccNSO viewer may see and for one it may not.
    visible_args: dict[str, object] = field(default_factory=dict)
    hidden_args: dict[str, object] = field(default_factory=dict)
    ccnso_id: int = 0
    owner_ids: set[int] = field(default_factory=set)


def _hidden_group(session: Session, r: SampleRecord, key: str, label: str) -> dict:
    """A letter, commitment, meeting, comment period, people and a party that only `key`'s viewers may see."""
    party = r.parties[key]
    tag = f"{MARKER}-{label}"
    side_party = parties.create_party(session, name=f"{tag} working party", short_name=f"{tag[:30]}-WP",
                                      kind="other")
    speaker = parties.create_person(session, name=f"{tag} speaker", email=f"{label.lower()}.speaker@example.org")
    parties.add_role(session, person=speaker, party=party, title=f"{tag} role", starts_on=date(2009, 1, 1))
    owner = parties.create_person(session, name=f"{tag} owner", email=f"{label.lower()}.owner@example.org",
                                  is_staff=True)
    letter = letters.log_letter(
        session, sent_on=date(2010, 4, 2), date_precision="day", direction="incoming",
        subject=f"{tag} letter subject", body=f"<p>{tag} body</p>",
        participants=[ParticipantInput("author", party_id=party.id, person_id=speaker.id, title=f"{tag} title"),
                      ParticipantInput("author", party_id=side_party.id),
                      ParticipantInput("recipient", party_id=r.parties["ceo"].id)])
    file = letters.attach_file(session, letter, filename=f"{tag}.txt", content_type="text/plain",
                               data=b"hidden", max_bytes=10_000)
    meeting = meetings.create_meeting(
        session, title=f"{tag} meeting", kind="call", starts_at=datetime(2010, 4, 5, 12, tzinfo=timezone.utc),
        ends_at=datetime(2010, 4, 5, 13, tzinfo=timezone.utc))
    meetings.add_participant(session, meeting, person_id=speaker.id, party_id=party.id, role="speaker")
    commitment = commitments.make_commitment(
        session, kind="request", title=f"{tag} commitment title", quote=f"{tag} quote",
        window=Window("by 30 April", None, date(2010, 4, 30), "day"),
        made_by=[party.id, side_party.id], made_to=[r.parties["ceo"].id], source_letter_id=letter.id,
        source_meeting_id=meeting.id, speaker_id=speaker.id, owner_id=owner.id)
    period = consultations.open_comment_period(session, title=f"{tag} comment period", opens_on=date(2010, 3, 1),
                                               closes_on=date(2010, 3, 31))
    submission = consultations.add_submission(session, period, author=f"{tag} submitter",
                                              submitted_on=date(2010, 3, 5), party_id=party.id)
    return dict(party=party, side_party=side_party, speaker=speaker, owner=owner, letter=letter, file=file,
                meeting=meeting, commitment=commitment, period=period, submission=submission)


def build(session: Session) -> AccessDataset:
    """Load the sample record, add the GNSO-only and ALAC-only records and tie them to visible ones."""
    r = load_sample_record(session)
    with clock.pinned(datetime(2010, 4, 6, 9, tzinfo=timezone.utc)):
        gnso = _hidden_group(session, r, "gnso", "GNSO")
        alac = _hidden_group(session, r, "alac", "ALAC")
        ccnso_letter = r.letters["ccnso"]
        # Links between a visible letter and hidden ones: both sides' histories name the other letter.
        letters.link_letters(session, ccnso_letter, gnso["letter"], "refers_to")
        letters.link_letters(session, alac["letter"], ccnso_letter, "replies_to")
        # A visible commitment whose source letter, anchor, evidence and speaker are all hidden. (A meeting
        # where a visible commitment was made is visible by definition, so the source here is a letter.)
        cross = commitments.make_commitment(
            session, kind="promise", title="Cross-referenced promise to the ccNSO",
            window=Window("prior to the hidden meeting", None, date(2010, 4, 4), "day", gnso["meeting"].id),
            made_by=[r.parties["ceo"].id], made_to=[r.parties["ccnso"].id], source_letter_id=alac["letter"].id,
            speaker_id=alac["speaker"].id, owner_id=r.people["rod"].id)
        commitments.update_progress(session, cross, status="done", fulfilled_on=date(2010, 4, 6),
                                    evidence_letter_id=gnso["letter"].id)
        cross.evidence_meeting_id = alac["meeting"].id
        session.add(cross)
        # A visible comment period with a GNSO submission, a visible person with a GNSO role.
        consultations.add_submission(session, r.comment_periods["cert"], author=f"{MARKER}-GNSO second submitter",
                                     submitted_on=date(2010, 3, 20), party_id=r.parties["gnso"].id)
        parties.add_role(session, person=r.people["chris"], party=r.parties["gnso"],
                         title=f"{MARKER}-GNSO liaison title", starts_on=date(2010, 1, 1))
        # A digest recipient (someone else's) and a sent digest, for the reminders and sent-mail routes.
        chris = r.people["chris"]
        recipient = reminders.save_recipient(session, email=chris.email, name=chris.name,
                                             preferences=reminders.Preferences(), party_ids=[r.parties["ccnso"].id])
        now = clock.now()
        digest = Digest(recipient_id=recipient.id, period="2010-04-06", scheduled_for=now, to_address=chris.email,
                        subject="Digest", text_body="Nothing hidden", message_id="<m@example.org>", state="sent",
                        created_at=now)
        session.add(digest)
        session.flush()

    data = AccessDataset(record=r, ccnso_id=r.parties["ccnso"].id)
    groups = (gnso, alac)
    data.hidden = {
        "letter": {g["letter"].id for g in groups}, "commitment": {g["commitment"].id for g in groups},
        "meeting": {g["meeting"].id for g in groups} | {r.meetings["brussels"].id},
        "comment_period": {g["period"].id for g in groups},
        "person": {i for g in groups for i in (g["speaker"].id, g["owner"].id)},
        "party": {p.id for k, p in r.parties.items() if k != "ccnso"} | {g["side_party"].id for g in groups},
        "file": {g["file"].id for g in groups},
    }
    data.visible = {
        "letter": {x.id for x in r.letters.values()},
        "commitment": {x.id for x in r.commitments.values()} | {cross.id},
        "meeting": {r.meetings["nairobi"].id},
        "comment_period": {x.id for x in r.comment_periods.values()},
        "person": {x.id for x in r.people.values()},
        "party": {r.parties["ccnso"].id},
    }
    data.owner_ids = {g["owner"].id for g in groups} | {r.people["rod"].id, r.people["greg"].id}
    from tracker.reminders.render import unsubscribe_token_for

    token = unsubscribe_token_for(recipient)
    file_id = letters.attach_file(session, ccnso_letter, filename="visible.txt", content_type="text/plain",
                                  data=b"visible", max_bytes=10_000).id
    account = factories.user(session, role="viewer", party_ids=[r.parties["ccnso"].id])
    api_token_id = create_api_token(session, account, "matrix")[0].id
    # Phases: the visible promise in one, the GNSO-only and ALAC-only requests in another (counted on no page
    # of the ccNSO viewer's, listed by no phase filter of theirs).
    phase = phase_operations.create_phase(session, kind="promise", name="Under way")
    phase_operations.place_commitment(session, cross, phase.id)
    request_phase = phase_operations.create_phase(session, kind="request", name="Understand")
    for group in groups:
        phase_operations.place_commitment(session, group["commitment"], request_phase.id)
    common = dict(recipient_id=recipient.id, digest_id=digest.id, token=token, filename="tracker.css",
                  user_id=account.id, token_id=api_token_id, phase_id=phase.id)
    data.visible_args = dict(common, letter_id=ccnso_letter.id, file_id=file_id,
                             commitment_id=cross.id, meeting_id=r.meetings["nairobi"].id,
                             period_id=r.comment_periods["cert"].id, party_id=r.parties["ccnso"].id,
                             person_id=chris.id)
    data.hidden_args = dict(common, letter_id=gnso["letter"].id, file_id=gnso["file"].id,
                            commitment_id=gnso["commitment"].id, meeting_id=gnso["meeting"].id,
                            period_id=gnso["period"].id, party_id=r.parties["gnso"].id,
                            person_id=gnso["speaker"].id)
    session.commit()
    return data


def limit_to_no_party(session: Session, user: User) -> User:
    """A viewer limited to parties with none ticked: the fail-closed case."""
    user.limited_to_parties = True
    session.add(user)
    for link in session.exec(select(UserParty).where(UserParty.user_id == user.id)):
        session.delete(link)
    session.commit()
    return user
