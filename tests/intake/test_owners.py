"""Every candidate comes with an owner prefilled from the document, so nothing saved is orphaned from reminders."""
from dataclasses import replace
from datetime import date

from tests.intake.helpers import CHAIRS, REPLY, known, seed_text
from tracker.intake.extract import Known, extract
from tracker.intake.operations import known_person_named, owner_of

ROD, PETER, GREG = 1, 2, 6


def test_action_item_names_its_owner_and_a_known_one_is_matched():
    text = ("Notes of the security call, 2010-05-04\n\nAction items:\n"
            "Greg Rattray to circulate the revised outline by 12 May 2010.\nAI: Yurie will book the room.\n")
    result = extract(text, known())
    owners = [(c.owner, owner_of(c, result, known())) for c in result.candidates]
    assert owners == [("Greg Rattray", GREG), ("Yurie", 7)]


def test_a_promise_is_owned_by_its_signatory_and_a_request_by_its_addressee_on_our_side():
    reply = extract(seed_text(REPLY), known())
    assert {owner_of(c, reply, known()) for c in reply.promises} == {ROD}
    chairs = extract(seed_text(CHAIRS), known())
    # Addressed to the Board chair and the CEO: the CEO's office is ours, the Board chair is not staff.
    assert [p.person_id for p in chairs.recipients] == [PETER, ROD]
    assert {owner_of(c, chairs, known()) for c in chairs.requests} == {ROD}


def _with_default_owners(owners: dict[str, int], internal_ceo: bool = True) -> Known:
    base = known()
    parties = tuple(replace(p, default_owner_id=owners.get(p.short_name),
                            is_internal=p.is_internal and (internal_ceo or p.short_name != "CEO"))
                    for p in base.parties)
    return replace(base, parties=parties)


def test_a_request_from_a_group_nobody_of_ours_received_goes_to_that_groups_default_owner():
    text = ("11 March 2010\n\nDear Board members,\n\nWe ask that you publish the studies by 30 April 2010.\n\n"
            "Yours sincerely,\n\nChris Disspain\nChair, ccNSO Council\n")
    plain = extract(text, known(), date(2010, 3, 11))
    request = next(c for c in plain.candidates if c.kind == "request")
    assert owner_of(request, plain, known()) is None
    with_owner = _with_default_owners({"ccNSO": GREG})
    result = extract(text, with_owner, date(2010, 3, 11))
    request = next(c for c in result.candidates if c.kind == "request")
    assert owner_of(request, result, with_owner) == GREG


def test_a_named_owner_wins_over_the_signatory_and_the_default_owner():
    text = ("Notes of the security call, 2010-05-04\n\nAction items:\n"
            "Greg Rattray to circulate the revised outline by 12 May 2010.\n")
    with_owner = _with_default_owners({"ccNSO": 7, "CEO": 7})
    result = extract(text, with_owner)
    assert [owner_of(c, result, with_owner) for c in result.candidates] == [GREG]


def test_a_first_name_two_known_people_share_matches_nobody():
    assert known_person_named("Chris Disspain", known()) == 3
    assert known_person_named("Disspain", known()) == 3
    assert known_person_named("Ch", known()) is None
    assert known_person_named("Nobody Known", known()) is None


def test_an_owner_named_but_unknown_falls_back_to_the_signatory():
    text = ("21 April 2010\n\nDear Chris,\n\nOur intern will prepare the list.\nStaff to send the report by "
            "30 April 2010.\n\nYours sincerely,\n\nRod Beckstrom\nCEO and President\n")
    result = extract(text, known(), date(2010, 4, 21))
    staff = next(c for c in result.candidates if c.owner == "Staff")
    assert owner_of(staff, result, known()) == ROD


def test_saved_commitments_keep_the_prefilled_owner(app, session, tmp_path):
    from sqlmodel import select

    from tests.intake.helpers import SEEDS, seed_world
    from tracker.commitments.models import Commitment
    from tracker.parties.models import Person

    seed_world(session)
    session.commit()
    result = app.test_cli_runner().invoke(args=["intake", str(SEEDS / REPLY)])
    assert result.exit_code == 0, result.output
    rod = session.exec(select(Person).where(Person.name == "Rod Beckstrom")).one()
    owners = {c.owner_id for c in session.exec(select(Commitment)).all()}
    assert owners == {rod.id}
