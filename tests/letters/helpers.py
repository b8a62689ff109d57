"""Shared set-up for the letters page tests."""
from __future__ import annotations

from tests import factories


def text(response) -> str:
    return response.get_data(as_text=True)


def cast(session):
    """The parties and people of the 2010 DNS-CERT letters, committed so a refused form's rollback keeps them."""
    from datetime import date

    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    ceo = factories.party(session, name="ICANN CEO", short_name="CEO", kind="staff", is_internal=True)
    chris = factories.person(session, name="Chris Disspain")
    rod = factories.person(session, name="Rod Beckstrom")
    factories.party_operations.add_role(session, person=chris, party=ccnso, title="Chair", starts_on=date(2004, 1, 1))
    factories.party_operations.add_role(session, person=rod, party=ceo, title="President and CEO",
                                        starts_on=date(2009, 7, 1))
    session.commit()
    return dict(ccnso=ccnso, gnso=gnso, ceo=ceo, chris=chris, rod=rod)
