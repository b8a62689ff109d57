"""The owner prefilled on a new commitment: the named person, else our signatory on the acting side, else the
default owner of the other side's party, else of the acting side's — and nobody rather than a guess."""
from tracker.commitments.owners import Signatory, acting_side, prefilled_owner

CEO_OFFICE, CCNSO, GNSO = 10, 20, 30
ROD, CHRIS, BART, TERESA, NAMED = 1, 2, 3, 4, 5
INTERNAL = {CEO_OFFICE}
ROD_FOR_CEO = Signatory(ROD, CEO_OFFICE)
CHRIS_FOR_CCNSO = Signatory(CHRIS, CCNSO)


def test_the_acting_side_is_who_promised_or_who_was_asked():
    assert (acting_side("promise"), acting_side("request")) == ("by", "to")


def test_the_named_owner_wins_over_everything():
    assert prefilled_owner("promise", named=NAMED, by_people=[ROD_FOR_CEO], made_by=[CEO_OFFICE], made_to=[CCNSO],
                           internal=INTERNAL, default_owners={CCNSO: BART}) == NAMED


def test_a_promise_is_owned_by_our_signatory():
    assert prefilled_owner("promise", by_people=[ROD_FOR_CEO], to_people=[CHRIS_FOR_CCNSO], made_by=[CEO_OFFICE],
                           made_to=[CCNSO], internal=INTERNAL, default_owners={CCNSO: BART}) == ROD


def test_a_request_is_owned_by_whoever_of_ours_received_it_not_by_the_outside_author():
    assert prefilled_owner("request", by_people=[CHRIS_FOR_CCNSO], to_people=[Signatory(9, None), ROD_FOR_CEO],
                           made_by=[CCNSO], made_to=[CEO_OFFICE], internal=INTERNAL) == ROD


def test_an_outside_signatory_is_never_the_owner():
    assert prefilled_owner("promise", by_people=[CHRIS_FOR_CCNSO], made_by=[CCNSO], made_to=[GNSO],
                           internal=INTERNAL) is None


def test_without_a_signatory_of_ours_the_other_sides_default_owner_comes_first():
    owners = {CEO_OFFICE: TERESA, CCNSO: BART}
    assert prefilled_owner("promise", made_by=[CEO_OFFICE], made_to=[CCNSO], internal=INTERNAL,
                           default_owners=owners) == BART
    assert prefilled_owner("request", made_by=[CCNSO], made_to=[CEO_OFFICE], internal=INTERNAL,
                           default_owners=owners) == BART


def test_then_the_acting_sides_default_owner():
    assert prefilled_owner("promise", made_by=[CEO_OFFICE], made_to=[CCNSO], internal=INTERNAL,
                           default_owners={CEO_OFFICE: TERESA}) == TERESA


def test_parties_are_tried_in_the_order_given():
    owners = {CCNSO: BART, GNSO: TERESA}
    assert prefilled_owner("promise", made_by=[CEO_OFFICE], made_to=[GNSO, CCNSO], default_owners=owners) == TERESA
    assert prefilled_owner("promise", made_by=[CEO_OFFICE], made_to=[CCNSO, GNSO], default_owners=owners) == BART


def test_nothing_known_means_nobody():
    assert prefilled_owner("request") is None
    assert prefilled_owner("promise", made_by=[CEO_OFFICE], made_to=[CCNSO], internal=INTERNAL) is None
