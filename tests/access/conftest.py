"""Fixtures for the access tests: the dataset and a signed-in client per kind of account."""
from __future__ import annotations

import pytest

from tests import factories
from tests.access import dataset as access_dataset

# The kinds of account every route is tried with.
ROLES = ("anonymous", "ccnso_viewer", "no_party_viewer", "all_parties_viewer", "editor", "admin")


@pytest.fixture()
def data(session):
    return access_dataset.build(session)


def sign_in(app, session, user):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.user = user
    return client


@pytest.fixture()
def clients(app, session, data):
    """{role: client}; sign_in_again(role) replaces a client that signed out."""
    def make(role):
        if role == "anonymous":
            return app.test_client()
        if role == "ccnso_viewer":
            user = factories.user(session, role="viewer", party_ids=[data.ccnso_id])
        elif role == "no_party_viewer":
            user = access_dataset.limit_to_no_party(session, factories.user(session, role="viewer"))
        elif role == "all_parties_viewer":
            user = factories.user(session, role="viewer")
        else:
            user = factories.user(session, role=role)
        return sign_in(app, session, user)

    made = {role: make(role) for role in ROLES}
    made["sign_in_again"] = lambda role: made.__setitem__(role, make(role))
    return made
