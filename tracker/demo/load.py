"""The sample record: the 2010 DNS-CERT consultation, from the five seed documents in seeds/.

Every record goes through the same operations staff use, each on the day it happened (the clock is
pinned per step, and the steps run in the order of their days), so the histories read like the real sequence
of events and the record as of any day can be rebuilt from the log. What the seeds leave open
is said in a comment where it is decided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from tracker import clock
from tracker.commitments import operations as commitments
from tracker.commitments.operations import Window
from tracker.consultations import operations as consultations
from tracker.events import Actor
from tracker.letters import operations as letters
from tracker.letters.models import Letter
from tracker.letters.operations import ParticipantInput
from tracker.meetings import operations as meetings
from tracker.parties import operations as parties
from tracker.phases import operations as phase_operations
from tracker.phases import queries as phase_queries

SEEDS = Path(__file__).resolve().parent / "seeds"
DEMO = Actor(None, "demo loader")

REPLY_LETTER = "000_baf48a9fc2b21926.txt"
CHAIRS_LETTER = "001_b2928006187455e9.txt"
CCNSO_LETTER = "002_07fface5c0235766.txt"
COMMENT_SUMMARY = "003_93ae1697505723ef.txt"
NAIROBI_TRANSCRIPT = "004_26ea40bcf093d0fb.txt"


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def at(day: date, hour: int = 12, tz: str = "UTC") -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(tz)).astimezone(timezone.utc)


@dataclass
class SampleRecord:
    """Handles on what was loaded, for tests and for the CLI's summary."""
    parties: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    letters: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    commitments: dict = field(default_factory=dict)
    comment_periods: dict = field(default_factory=dict)


def already_loaded(session: Session) -> bool:
    return session.exec(select(Letter.id).limit(1)).first() is not None


def load_sample_record(session: Session) -> SampleRecord:
    """Load the five seed documents as parties, people, letters, meetings, comment periods and commitments."""
    record = SampleRecord()
    with clock.pinned(at(date(2010, 2, 1))):
        _parties_and_people(session, record)
        _brussels_meeting(session, record)
    _comment_periods(session, record)
    _nairobi_meeting(session, record)
    _ccnso_letter(session, record)
    _chairs_letter(session, record)
    _reply_letter(session, record)
    _outcomes(session, record)
    session.flush()
    return record


def _parties_and_people(session: Session, r: SampleRecord) -> None:
    p = r.parties
    p["ceo"] = parties.create_party(session, name="Office of the CEO (ICANN)", short_name="CEO", kind="staff",
                                    is_internal=True, actor=DEMO)
    p["board"] = parties.create_party(session, name="ICANN Board", short_name="Board", kind="board",
                                      is_internal=True, actor=DEMO)
    p["security"] = parties.create_party(session, name="ICANN Security Team", short_name="SSR", kind="staff",
                                         is_internal=True, actor=DEMO)
    p["ccnso"] = parties.create_party(session, name="ccNSO Council", short_name="ccNSO",
                                      kind="supporting_organisation", actor=DEMO,
                                      description="Country Code Names Supporting Organization")
    p["gnso"] = parties.create_party(session, name="GNSO Council", short_name="GNSO",
                                     kind="supporting_organisation", actor=DEMO,
                                     description="Generic Names Supporting Organization")
    p["alac"] = parties.create_party(session, name="ALAC", short_name="ALAC", kind="advisory_committee",
                                     actor=DEMO, description="At-Large Advisory Committee")

    # Staff own the commitments, so they have addresses (example.org) and timezones for their digests.
    people = [
        ("rod", "Rod Beckstrom", "rod.beckstrom@example.org", "America/Los_Angeles", True,
         "ceo", "CEO and President", date(2009, 7, 1)),
        ("greg", "Greg Rattray", "greg.rattray@example.org", "America/New_York", True,
         "security", "Chief Internet Security Advisor", date(2009, 1, 1)),
        ("yurie", "Yurie Ito", "yurie.ito@example.org", "Asia/Tokyo", True,
         "security", "Security programmes", date(2010, 1, 1)),
        ("peter", "Peter Dengate-Thrush", "peter.dengate-thrush@example.org", "Pacific/Auckland", False,
         "board", "Chair", date(2007, 11, 2)),
        ("chris", "Chris Disspain", "chris.disspain@example.org", "Australia/Melbourne", False,
         "ccnso", "Chair", date(2004, 1, 1)),
        ("chuck", "Chuck Gomes", "chuck.gomes@example.org", "America/New_York", False,
         "gnso", "Chair", date(2008, 1, 1)),
        ("cheryl", "Cheryl Langdon-Orr", "cheryl.langdon-orr@example.org", "Australia/Sydney", False,
         "alac", "Chair", date(2007, 1, 1)),
    ]
    for key, name, email, tz, staff, party_key, title, since in people:
        person = parties.create_person(session, name=name, email=email, timezone=tz, is_staff=staff, actor=DEMO)
        parties.add_role(session, person=person, party=p[party_key], title=title, starts_on=since, actor=DEMO)
        r.people[key] = person


def _comment_periods(session: Session, r: SampleRecord) -> None:
    with clock.pinned(at(date(2010, 2, 12))):
        r.comment_periods["ssr"] = consultations.open_comment_period(
            session, title="Proposed Strategic Initiatives for Improved DNS Security, Stability & Resiliency (SSR)",
            opens_on=date(2010, 2, 12), closes_on=date(2010, 3, 29),
            forum_url="http://www.icann.org/en/public-comment/#strat-ini-ssr", actor=DEMO)
        r.comment_periods["cert"] = consultations.open_comment_period(
            session, title="Global DNS-CERT Business Case", opens_on=date(2010, 2, 12), closes_on=date(2010, 3, 29),
            forum_url="http://www.icann.org/en/public-comment/#dns-cert", actor=DEMO)


def _brussels_meeting(session: Session, r: SampleRecord) -> None:
    r.meetings["brussels"] = meetings.create_meeting(
        session, title="ICANN Brussels meeting", kind="icann_public_meeting",
        starts_at=at(date(2010, 6, 20), 8, "Europe/Brussels"), ends_at=at(date(2010, 6, 25), 18, "Europe/Brussels"),
        timezone="Europe/Brussels", location="Brussels, Belgium", aliases="Brussels, Brussels meeting, ICANN 38",
        actor=DEMO)


def _nairobi_meeting(session: Session, r: SampleRecord) -> None:
    # The transcript is undated; the Nairobi meeting ran 7–12 March 2010 and the session was an afternoon
    # one ("Good afternoon"). 10 March is our reading, not the document's.
    with clock.pinned(at(date(2010, 3, 10), 18)):
        nairobi = meetings.create_meeting(
            session, title="DNS-CERT and SSR consultation session, ICANN Nairobi", kind="consultation_session",
            starts_at=at(date(2010, 3, 10), 14, "Africa/Nairobi"), ends_at=at(date(2010, 3, 10), 16, "Africa/Nairobi"),
            timezone="Africa/Nairobi", location="Nairobi, Kenya", aliases="Nairobi, Nairobi session",
            transcript=seed_text(NAIROBI_TRANSCRIPT), actor=DEMO)
        r.meetings["nairobi"] = nairobi
        for key, role in (("greg", "speaker"), ("yurie", "speaker")):
            meetings.add_participant(session, nairobi, person_id=r.people[key].id, party_id=r.parties["security"].id,
                                     role=role, name_in_transcript=r.people[key].name, actor=DEMO)
        meetings.add_participant(session, nairobi, person_id=r.people["chuck"].id, party_id=r.parties["gnso"].id,
                                 role="remote participant (asked in the chat)", name_in_transcript="Chuck Gomes",
                                 actor=DEMO)
        so_ac = [r.parties[k].id for k in ("ccnso", "gnso", "alac")]
        security = [r.parties["security"].id]
        greg = r.people["greg"].id
        r.commitments["cost_breakdown"] = commitments.make_commitment(
            session, kind="promise", title="Detail the constituent portions of the $2.1 million",
            quote="So we can, you know, detail the constituent portions of that $2.1. … So committing to do that, "
                  "I don’t want to commit at this time to the specific, you know, timing of that but, you know, "
                  "weeks not months.",
            window=Window("weeks not months", None, None, "vague"), made_by=security, made_to=so_ac,
            source_meeting_id=nairobi.id, speaker_id=greg, owner_id=greg, actor=DEMO)
        brussels = r.meetings["brussels"]
        r.commitments["concept_before_brussels"] = commitments.make_commitment(
            session, kind="promise",
            title="Post initial operating requirements and a concept of operations before the Brussels meeting",
            quote="potentially get as far as to, you know, list specific initial operating requirements and a "
                  "concept of operations, hopefully prior to the Brussels meeting.",
            window=Window("hopefully prior to the Brussels meeting", date(2010, 3, 10), date(2010, 6, 19), "day",
                          brussels.id),
            made_by=security, made_to=so_ac, source_meeting_id=nairobi.id, speaker_id=greg, owner_id=greg, actor=DEMO)
        r.commitments["requirements_april"] = commitments.make_commitment(
            session, kind="promise", title="Detail mission requirements and the resources they need",
            quote="We are committed to do that in the April timeframe and try to publish prior to the Brussels "
                  "meeting a more detailed list of requirements, objectives and then, you know, how a resource "
                  "build fits to achieving those objectives.",
            window=Window("in the April timeframe", date(2010, 4, 1), date(2010, 4, 30), "window"),
            made_by=security, made_to=so_ac, source_meeting_id=nairobi.id, speaker_id=greg, owner_id=greg, actor=DEMO)
        r.commitments["workshop_deliberations"] = commitments.make_commitment(
            session, kind="promise", title="Ask the April workshop participants to publish its deliberations",
            quote="I may ask the participants in that workshop to make the deliberations there publicly, you know, "
                  "to be able to publicize in some fashion the nature of those deliberations as well as you know, "
                  "what we find as the output of that.",
            window=Window("", None, None, "vague"), made_by=security, made_to=so_ac,
            source_meeting_id=nairobi.id, speaker_id=greg, owner_id=greg, actor=DEMO)


def _people(*pairs) -> list[ParticipantInput]:
    return [ParticipantInput(role, party_id=party.id, person_id=person.id if person else None, title=title)
            for role, party, person, title in pairs]


def _ccnso_letter(session: Session, r: SampleRecord) -> None:
    p, people = r.parties, r.people
    with clock.pinned(at(date(2010, 3, 11), 9)):
        letter = letters.log_letter(
            session, sent_on=date(2010, 3, 11), date_precision="day", direction="incoming",
            subject="ccNSO Council concerns about the CEO's remarks to the GAC on DNS security",
            body=seed_text(CCNSO_LETTER),
            participants=_people(("author", p["ccnso"], people["chris"], "Chair – ccNSO Council"),
                                 ("recipient", p["ceo"], people["rod"], "ICANN CEO & President")),
            actor=DEMO)
        r.letters["ccnso"] = letter
        r.commitments["underlying_facts"] = commitments.make_commitment(
            session, kind="request", title="Share the underlying facts or studies behind the CEO's statements",
            quote="As a first step, we urge you to share with us and other stakeholders the underlying facts or "
                  "studies that originally led you to make your statements.",
            window=Window("", None, None, "vague"), made_by=[p["ccnso"].id], made_to=[p["ceo"].id],
            source_letter_id=letter.id, speaker_id=people["chris"].id, owner_id=people["rod"].id, actor=DEMO)


def _chairs_letter(session: Session, r: SampleRecord) -> None:
    p, people = r.parties, r.people
    # The letter itself says only "March 2010"; the CEO's reply dates it 25 March. We keep what the
    # document says (month precision) and record the reply link explicitly.
    with clock.pinned(at(date(2010, 3, 25), 9)):
        letter = letters.log_letter(
            session, sent_on=date(2010, 3, 1), date_precision="month", direction="incoming",
            subject="Comments on the establishment of a “DNS-CERT”", body=seed_text(CHAIRS_LETTER),
            participants=_people(("author", p["ccnso"], people["chris"], "Chair – ccNSO Council"),
                                 ("author", p["gnso"], people["chuck"], "Chair – GNSO Council"),
                                 ("author", p["alac"], people["cheryl"], "Chair – ALAC"),
                                 ("recipient", p["board"], people["peter"], "Chair - ICANN Board"),
                                 ("recipient", p["ceo"], people["rod"], "CEO & President")),
            actor=DEMO)
        r.letters["chairs"] = letter
        chairs = [p[k].id for k in ("ccnso", "gnso", "alac")]
        r.commitments["extension"] = commitments.make_commitment(
            session, kind="request", title="Extend both public comment periods by 15 days",
            quote="In order to provide the opportunity for comprehensive stakeholder feedback, at this early stage "
                  "of the process, ICANN extend the current public comment periods on ICANN’s proposed strategic "
                  "initiatives for improved DNS security, stability and resiliency and the global DNS-CERT "
                  "business case document by 15 days.",
            # An extension is only useful before the periods close (29 March 2010).
            window=Window("before the comment periods close", date(2010, 3, 25), date(2010, 3, 29), "day"),
            made_by=chairs, made_to=[p["ceo"].id, p["board"].id], source_letter_id=letter.id,
            owner_id=people["rod"].id, actor=DEMO)
        r.commitments["working_group"] = commitments.make_commitment(
            session, kind="request", title="Establish a joint SO/AC working group on the DNS-CERT",
            quote="at the end of the extended public comment period, ICANN establish a joint SO/AC Working Group "
                  "to draw upon their collective expertise and to solicit their input … could be formed at the "
                  "ICANN meeting in Brussels in June, if not sooner.",
            window=Window("at the ICANN meeting in Brussels in June, if not sooner", date(2010, 4, 14),
                          date(2010, 6, 25), "window", r.meetings["brussels"].id),
            made_by=chairs, made_to=[p["ceo"].id, p["board"].id], source_letter_id=letter.id,
            owner_id=people["rod"].id, actor=DEMO)
    with clock.pinned(at(date(2010, 3, 29), 9)):
        for period in r.comment_periods.values():
            consultations.extend(session, period, new_closes_on=date(2010, 4, 14), current_close=period.closes_on,
                                 reason="Requested by the chairs of the ccNSO, GNSO and ALAC (15 days)",
                                 requested_in_letter_id=letter.id, actor=DEMO)
        commitments.update_progress(
            session, r.commitments["extension"], status="done", fulfilled_on=date(2010, 3, 29),
            outcome="Granted: both comment periods were extended by 15 days, to 14 April 2010.", actor=DEMO)


def _reply_letter(session: Session, r: SampleRecord) -> None:
    p, people = r.parties, r.people
    with clock.pinned(at(date(2010, 4, 21), 17)):
        reply = letters.log_letter(
            session, sent_on=date(2010, 4, 21), date_precision="day", direction="outgoing",
            subject="Re: Comments on the establishment of a DNS-CERT", body=seed_text(REPLY_LETTER),
            participants=_people(("author", p["ceo"], people["rod"], "CEO and President"),
                                 ("recipient", p["ccnso"], people["chris"], "Chair — ccNSO Council"),
                                 ("recipient", p["gnso"], people["chuck"], "Chair — GNSO Council"),
                                 ("recipient", p["alac"], people["cheryl"], "Chair — ALAC")),
            actor=DEMO)
        r.letters["reply"] = reply
        letters.link_letters(session, reply, r.letters["chairs"], "replies_to", actor=DEMO)
        so_ac = [p[k].id for k in ("ccnso", "gnso", "alac")]
        r.commitments["workshop_findings"] = commitments.make_commitment(
            session, kind="promise", title="Publish the workshop findings and the list of consultations",
            quote="The findings from the workshop will be published along with the full list of consultations, "
                  "what we've heard and our analysis of comments by end of April.",
            window=Window("by end of April", date(2010, 4, 21), date(2010, 4, 30), "day"),
            made_by=[p["ceo"].id], made_to=so_ac, source_letter_id=reply.id, speaker_id=people["rod"].id,
            owner_id=people["greg"].id, actor=DEMO)
        r.commitments["concept_of_operations"] = commitments.make_commitment(
            session, kind="promise", title="Publish a Concept of Operations and updated resource analysis",
            quote="We further plan to publish a Concept of Operations and updated resource analysis in early May "
                  "addressing the questions you've raised as basis for continued community consultation.",
            window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"),
            made_by=[p["ceo"].id], made_to=so_ac, source_letter_id=reply.id, speaker_id=people["rod"].id,
            owner_id=people["greg"].id, actor=DEMO)
    with clock.pinned(at(date(2010, 4, 21), 18)):
        commitments.update_progress(
            session, r.commitments["working_group"], status="in_progress", progress=10,
            outcome="The CEO's reply of 21 April 2010 says the suggestion of a working group is among the issues "
                    "that need to be addressed.", evidence_letter_id=reply.id, actor=DEMO)


def _outcomes(session: Session, r: SampleRecord) -> None:
    """What the staff summary of comments says happened afterwards."""
    with clock.pinned(at(date(2010, 5, 24), 18)):
        commitments.update_progress(
            session, r.commitments["workshop_findings"], status="done", fulfilled_on=date(2010, 5, 24),
            evidence_url="http://www.icann.org/en/topics/ssr/dns-cert-collaboration-analysis-24may10-en.pdf",
            outcome="The workshop findings were posted on 24 May 2010, per the staff summary of comments.",
            actor=DEMO)
    with clock.pinned(at(date(2010, 5, 28), 18)):
        ssr, cert = r.comment_periods["ssr"], r.comment_periods["cert"]
        summary = seed_text(COMMENT_SUMMARY)
        consultations.add_submission(session, cert, author="Chairs of the ALAC, ccNSO and GNSO (joint comment)",
                                     submitted_on=date(2010, 3, 25), party_id=r.parties["ccnso"].id, actor=DEMO)
        consultations.record_summary(session, ssr, summary=summary, actor=DEMO)
        consultations.record_summary(session, cert, summary=summary, actor=DEMO)


# The five public phases of ICANN's Board Advice Register, for requests made of us.
ADVICE_PHASES = ("Receive & Acknowledge", "Understand", "Evaluate & Consider", "Implement", "Close")


def load_sample_phases(session: Session, r: SampleRecord) -> bool:
    """Define the register's phases for requests and place the sample's requests where the record leaves them.
    Nothing when request phases are already defined (they are the admin's); True when they were added."""
    if session.exec(phase_queries.of_kind("request")).first() is not None:
        return False
    with clock.pinned(at(date(2010, 5, 25))):
        phases = {name: phase_operations.create_phase(session, kind="request", name=name, actor=DEMO)
                  for name in ADVICE_PHASES}
        # The CEO's reply of 21 April answers the ccNSO letter without the studies it asked for; the working
        # group is being considered (in progress); the extension was granted and is done.
        for key, name in (("underlying_facts", "Receive & Acknowledge"), ("working_group", "Evaluate & Consider"),
                          ("extension", "Close")):
            phase_operations.place_commitment(session, r.commitments[key], phases[name].id, actor=DEMO)
    return True
