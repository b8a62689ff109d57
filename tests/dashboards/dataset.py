"""A small, known record around the pinned day (2010-05-12) for the dashboard and API tests."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tests import factories
from tracker.commitments import operations as commitment_operations
from tracker.parties.models import Role

Window = commitment_operations.Window


@dataclass
class Record:
    ceo: object = None
    ccnso: object = None
    gnso: object = None
    owner: object = None
    commitments: dict = field(default_factory=dict)
    letters: dict = field(default_factory=dict)


def promise(session, title, made_to, window, ceo, owner=None, done_on=None, status="done", outcome=None,
            kind="promise", made_by=None):
    commitment = factories.commitment(session, kind=kind, title=title, window=window,
                                      made_by=made_by or [ceo], made_to=made_to,
                                      owner_id=owner.id if owner else None)
    if done_on:
        commitment_operations.update_progress(session, commitment, status=status, fulfilled_on=done_on,
                                              outcome=outcome)
    return commitment


def build(session) -> Record:
    r = Record()
    r.ceo = factories.party(session, name="CEO's office", short_name="CEO", kind="staff", is_internal=True)
    r.ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    r.gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    r.owner = factories.person(session, name="Greg Rattray", email="greg@example.org", timezone="UTC")
    chair = factories.person(session, name="Chris Disspain", email="chris@example.org")
    former = factories.person(session, name="Former Chair", email="former@example.org")
    session.add(Role(person_id=chair.id, party_id=r.ccnso.id, title="Chair", starts_on=date(2009, 1, 1)))
    session.add(Role(person_id=former.id, party_id=r.ccnso.id, title="Chair", starts_on=date(2005, 1, 1),
                     ends_on=date(2008, 12, 31)))
    c = r.commitments
    c["workshop"] = promise(session, "Publish the workshop findings", [r.ccnso],
                            Window("by end of April", None, date(2010, 4, 30), "day"), r.ceo, r.owner)
    c["conops"] = promise(session, "Publish a Concept of Operations", [r.ccnso],
                          Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"), r.ceo, r.owner)
    c["analysis"] = promise(session, "Updated resource analysis", [r.gnso],
                            Window("by 20 May", None, date(2010, 5, 20), "day"), r.ceo)
    c["later"] = promise(session, "Brussels briefing", [r.gnso],
                         Window("end of June", None, date(2010, 6, 30), "day"), r.ceo)
    c["costs"] = promise(session, "Cost breakdown", [r.ccnso], Window("weeks not months"), r.ceo)
    c["list"] = promise(session, "Consultation list", [r.gnso],
                        Window("by end of April", None, date(2010, 4, 30), "day"), r.ceo, done_on=date(2010, 5, 5))
    c["faq"] = promise(session, "Publish an FAQ", [r.ccnso],
                       Window("by 10 May", None, date(2010, 5, 10), "day"), r.ceo, done_on=date(2010, 5, 1))
    c["old"] = promise(session, "Old paper", [r.ccnso],
                       Window("by March", None, date(2010, 3, 31), "day"), r.ceo, done_on=date(2010, 4, 2))
    c["extension"] = promise(session, "Extend the comment periods by 15 days", [r.ceo],
                             Window("before 29 March", None, date(2010, 3, 29), "day"), r.ceo, kind="request",
                             made_by=[r.ccnso], done_on=date(2010, 3, 28), outcome="Extended to 14 April")
    letters = r.letters
    letters["angry"] = factories.letter(session, subject="Remarks to the GAC", sent_on=date(2010, 3, 11),
                                  authors=[r.ccnso], recipients=[r.ceo])
    letters["recent"] = factories.letter(session, subject="Working group membership", sent_on=date(2010, 5, 1),
                                   authors=[r.gnso], recipients=[r.ceo])
    letters["gnso_late"] = factories.letter(session, subject="GNSO questions", sent_on=date(2010, 3, 1),
                                      authors=[r.gnso], recipients=[r.ceo])
    letters["reply"] = factories.letter(session, subject="Thank you for your letter", sent_on=date(2010, 4, 21),
                                  direction="outgoing", authors=[r.ceo], recipients=[r.ccnso, r.gnso])
    session.commit()
    return r


def grow(session, record: Record, times: int = 4) -> None:
    """Several times more of everything: parties, letters, commitments in every state."""
    for n in range(times):
        party = factories.party(session)
        for i in range(3):
            factories.letter(session, sent_on=date(2010, 2, 1 + i), authors=[party], recipients=[record.ceo])
        promise(session, f"More overdue {n}", [party, record.ccnso],
                Window("April", None, date(2010, 4, 1 + n), "day"), record.ceo, record.owner)
        promise(session, f"More soon {n}", [party], Window("May", None, date(2010, 5, 15 + n), "day"), record.ceo,
                record.owner)
        promise(session, f"More vague {n}", [party, record.ccnso], Window("soon"), record.ceo)
        promise(session, f"More done {n}", [party, record.ccnso], Window("May", None, date(2010, 5, 1), "day"),
                record.ceo, done_on=date(2010, 5, 2 + n))
        factories.commitment(session, kind="request", title=f"More asked {n}", made_by=[record.ccnso],
                             made_to=[record.ceo], window=Window("by June", None, date(2010, 6, 1), "day"))
    session.commit()
