"""Fixtures for the phase tests: the parties of a commitment and the register's phases for requests."""
from __future__ import annotations

import pytest

from tests import factories
from tracker.phases import operations

REGISTER = ("Receive & Acknowledge", "Understand", "Evaluate & Consider", "Implement", "Close")


@pytest.fixture()
def ccnso(session):
    return factories.party(session, name="ccNSO Council", short_name="ccNSO")


@pytest.fixture()
def gnso(session):
    return factories.party(session, name="GNSO Council", short_name="GNSO")


@pytest.fixture()
def ceo(session):
    return factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)


@pytest.fixture()
def register(session):
    """{name: Phase}: the five public phases for requests, in order (committed, with what was made before)."""
    phases = {name: operations.create_phase(session, kind="request", name=name) for name in REGISTER}
    session.commit()
    return phases


def request_of(session, by, to, **overrides):
    """A request made by `by` of `to` (lists of parties)."""
    return factories.commitment(session, kind="request", made_by=by, made_to=to, **overrides)
