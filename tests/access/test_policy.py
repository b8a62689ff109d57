"""The policy's decisions on their own: who a user is to it, and what each kind of viewer is shown."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from tracker import access
from tracker.access import NOBODY, Viewer, narrowest, viewer_for
from tracker.commitments.models import Commitment
from tracker.letters.models import Letter


def user(role="viewer", limited=True, active=True, user_id=7):
    return SimpleNamespace(id=user_id, role=role, limited_to_parties=limited, is_authenticated=True,
                           is_active=active)


def test_anonymous_inactive_and_unknown_roles_see_nothing():
    assert viewer_for(None) == NOBODY
    assert viewer_for(SimpleNamespace(is_authenticated=False, is_active=True)) == NOBODY
    assert viewer_for(user(active=False), lambda _id: {1}) == NOBODY
    assert viewer_for(user(role="auditor"), lambda _id: {1}) == NOBODY
    assert NOBODY.sees_nothing and not NOBODY.is_signed_in


def test_staff_and_unlimited_viewers_see_every_party():
    for role in ("admin", "editor"):
        assert viewer_for(user(role=role, limited=True), lambda _id: {1}).sees_everything
    assert viewer_for(user(limited=False), lambda _id: {1}).sees_everything


def test_limited_viewer_sees_its_parties_and_with_none_nothing():
    assert viewer_for(user(), lambda _id: {3, 4}).party_ids == frozenset({3, 4})
    empty = viewer_for(user(), lambda _id: set())
    assert empty.sees_nothing and not empty.may_see_party(3)


def test_only_staff_may_edit_and_only_admins_administer():
    assert [viewer_for(user(role=r, limited=False)).may_edit() for r in ("admin", "editor", "viewer")] == [
        True, True, False]
    assert [viewer_for(user(role=r, limited=False)).may_admin() for r in ("admin", "editor", "viewer")] == [
        True, False, False]


def test_a_person_with_two_accounts_gets_the_stricter_view():
    assert narrowest([Viewer("admin", None), Viewer("viewer", frozenset({1, 2}))]).party_ids == {1, 2}
    assert narrowest([Viewer("viewer", frozenset({1})), Viewer("viewer", frozenset({2}))]).sees_nothing
    assert narrowest([Viewer("viewer", None), NOBODY]) == NOBODY


def test_a_model_the_policy_does_not_know_is_for_staff_only(session):
    from tracker.reminders.models import Digest

    rows = session.exec(select(Digest.id).where(access.condition_for(Digest, Viewer("viewer", None)))).all()
    assert rows == []


@pytest.mark.parametrize("model", [Letter, Commitment])
def test_visible_ids_follow_the_predicates(session, data, model):
    ccnso = Viewer("viewer", frozenset({data.ccnso_id}))
    kind = "letter" if model is Letter else "commitment"
    every = data.visible[kind] | data.hidden[kind]
    assert access.visible_ids(session, ccnso, model, every) == data.visible[kind]
    assert access.visible_ids(session, access.EVERYTHING, model, every) == every
    assert access.visible_ids(session, Viewer("viewer", frozenset()), model, every) == set()


def test_a_viewer_that_is_not_signed_in_matches_no_row_even_without_a_party_list(session, data):
    unsigned = Viewer(role=None, party_ids=None)
    assert session.exec(select(Letter.id).where(access.letters(unsigned))).all() == []
    assert access.get_visible(session, unsigned, Letter, data.visible_args["letter_id"]) is None
