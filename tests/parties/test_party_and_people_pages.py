"""Parties and people pages: who may read and write, bad input, the person page."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests import factories
from tracker import events
from tracker.letters.models import LetterParticipant
from tracker.parties.models import Party, Person, Role


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- parties -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_every_role_sees_the_party_list_with_dashboard_links(signed_in, session, role):
    party = factories.party(session, name="ccNSO Council", short_name="ccNSO", kind="supporting_organisation")
    factories.party(session, name="CEO's office", short_name="CEO", kind="staff", is_internal=True)
    session.commit()
    response = signed_in(role).get("/parties/")
    assert response.status_code == 200
    page = _text(response)
    assert "ccNSO Council" in page and "CEO&#39;s office" in page
    assert f'href="/parties/{party.id}"' in page
    assert "internal" in page
    assert ("New party" in page) is (role != "viewer")


def test_viewer_limited_to_ccnso_sees_only_ccnso_in_party_list(signed_in, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    factories.party(session, name="GNSO Council", short_name="GNSO")
    session.commit()
    page = _text(signed_in("viewer", party_ids=[ccnso.id]).get("/parties/"))
    assert "ccNSO Council" in page
    assert "GNSO Council" not in page


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_staff_create_a_party(signed_in, session, role):
    client = signed_in(role)
    assert client.get("/parties/new").status_code == 200
    response = client.post("/parties/new", data={"name": "At-Large Advisory Committee", "short_name": "ALAC",
                                                 "kind": "advisory_committee"})
    assert response.status_code == 302
    party = session.exec(select(Party).where(Party.short_name == "ALAC")).one()
    assert (party.name, party.kind, party.is_internal) == ("At-Large Advisory Committee", "advisory_committee", False)
    assert [e.kind for e in events.history(session, "party", party.id)] == ["party.created"]


def test_viewer_gets_403_on_party_writes(viewer_client, session):
    party = factories.party(session)
    session.commit()
    assert viewer_client.get("/parties/new").status_code == 403
    assert viewer_client.post("/parties/new", data={"name": "X", "short_name": "X", "kind": "other"}).status_code == 403
    assert viewer_client.post(f"/parties/{party.id}/edit",
                              data={"name": "Renamed", "short_name": "R", "kind": "other"}).status_code == 403
    assert session.exec(select(Party).where(Party.name.in_(["X", "Renamed"]))).all() == []


def test_editing_a_party_records_what_changed(editor_client, session):
    party = factories.party(session, name="GNSO Council", short_name="GNSO", kind="supporting_organisation")
    session.commit()
    assert "GNSO Council" in _text(editor_client.get(f"/parties/{party.id}/edit"))
    response = editor_client.post(f"/parties/{party.id}/edit", data={
        "name": "Generic Names Supporting Organization Council", "short_name": "GNSO",
        "kind": "supporting_organisation", "is_internal": ""})
    assert response.status_code == 302
    session.refresh(party)
    assert party.name == "Generic Names Supporting Organization Council"
    updated = events.history(session, "party", party.id)[-1]
    assert updated.kind == "party.updated"
    assert updated.data == {"changes": {"name": ["GNSO Council", "Generic Names Supporting Organization Council"]}}


def test_party_name_taken_by_another_is_refused_with_400(editor_client, session):
    factories.party(session, name="ccNSO Council", short_name="ccNSO")
    other = factories.party(session, name="GNSO Council", short_name="GNSO")
    session.commit()
    response = editor_client.post(f"/parties/{other.id}/edit",
                                  data={"name": "ccNSO Council", "short_name": "GNSO", "kind": "other"})
    assert response.status_code == 400
    assert "another party is already named" in _text(response)
    session.refresh(other)
    assert other.name == "GNSO Council"


def test_editing_a_missing_party_is_404(editor_client):
    assert editor_client.get("/parties/999999/edit").status_code == 404


# --- people --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_every_role_sees_the_people_list_with_current_roles(signed_in, session, role):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    chris = factories.person(session, name="Chris Disspain", email="chris@example.org", timezone="Australia/Sydney")
    factories.party_operations.add_role(session, person=chris, party=ccnso, title="Chair",
                                        starts_on=date(2004, 1, 1))
    factories.party_operations.add_role(session, person=chris, party=ccnso, title="Member",
                                        starts_on=date(2001, 1, 1), ends_on=date(2003, 12, 31))
    session.commit()
    response = signed_in(role).get("/people/")
    assert response.status_code == 200
    page = _text(response)
    assert "Chris Disspain" in page and "Australia/Sydney" in page
    assert "Chair, ccNSO" in page
    assert "Member, ccNSO" not in page  # ended in 2003: not a role today (12 May 2010)


def test_viewer_limited_to_ccnso_sees_only_people_of_ccnso(signed_in, session):
    ccnso = factories.party(session, short_name="ccNSO")
    gnso = factories.party(session, short_name="GNSO")
    chris = factories.person(session, name="Chris Disspain")
    chuck = factories.person(session, name="Chuck Gomes")
    factories.party_operations.add_role(session, person=chris, party=ccnso, title="Chair")
    factories.party_operations.add_role(session, person=chuck, party=gnso, title="Chair")
    session.commit()
    client = signed_in("viewer", party_ids=[ccnso.id])
    page = _text(client.get("/people/"))
    assert "Chris Disspain" in page and "Chuck Gomes" not in page
    assert client.get(f"/people/{chris.id}").status_code == 200
    assert client.get(f"/people/{chuck.id}").status_code == 404


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_staff_add_a_person_with_normalised_email(signed_in, session, role):
    response = signed_in(role).post("/people/new", data={"name": "Rod Beckstrom", "email": "Rod.Beckstrom@EXAMPLE.org",
                                                         "timezone": "America/Los_Angeles", "is_staff": "y"})
    assert response.status_code == 302
    person = session.exec(select(Person).where(Person.name == "Rod Beckstrom")).one()
    assert response.headers["Location"].endswith(f"/people/{person.id}")
    assert (person.email, person.timezone, person.is_staff) == ("Rod.Beckstrom@example.org", "America/Los_Angeles", True)


def test_malformed_email_shows_the_validators_message_and_saves_nothing(editor_client, session):
    response = editor_client.post("/people/new", data={"name": "Nobody", "email": "nobody@@example",
                                                       "timezone": "UTC"})
    assert response.status_code == 400
    page = _text(response)
    assert "is not a valid email address" in page
    assert "The part after the @-sign contains invalid characters: &#39;@&#39;." in page
    assert session.exec(select(Person).where(Person.name == "Nobody")).all() == []


def test_unknown_timezone_is_refused_with_400(editor_client, session):
    response = editor_client.post("/people/new", data={"name": "Nobody", "email": "", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "&#39;Mars/Olympus&#39; is not a timezone name" in _text(response)
    assert session.exec(select(Person).where(Person.name == "Nobody")).all() == []


def test_editing_a_person_keeps_the_change_in_history(editor_client, session):
    person = factories.person(session, name="Peter Dengate Thrush", email="peter@example.org")
    session.commit()
    assert "Peter Dengate Thrush" in _text(editor_client.get(f"/people/{person.id}/edit"))
    response = editor_client.post(f"/people/{person.id}/edit", data={
        "name": "Peter Dengate Thrush", "email": "peter@example.org", "timezone": "Pacific/Auckland"})
    assert response.status_code == 302
    session.refresh(person)
    assert person.timezone == "Pacific/Auckland"
    page = _text(editor_client.get(f"/people/{person.id}"))
    assert "edited the person" in page


def test_editing_a_person_with_a_bad_timezone_changes_nothing(editor_client, session):
    person = factories.person(session, name="Janis Karklins", timezone="Europe/Riga")
    session.commit()
    response = editor_client.post(f"/people/{person.id}/edit",
                                  data={"name": "Renamed", "email": "", "timezone": "Europe/Atlantis"})
    assert response.status_code == 400
    session.refresh(person)
    assert (person.name, person.timezone) == ("Janis Karklins", "Europe/Riga")


def test_viewer_gets_403_on_people_writes(viewer_client, session):
    person = factories.person(session)
    party = factories.party(session)
    session.commit()
    assert viewer_client.get("/people/new").status_code == 403
    assert viewer_client.post("/people/new", data={"name": "X", "timezone": "UTC"}).status_code == 403
    assert viewer_client.get(f"/people/{person.id}/edit").status_code == 403
    assert viewer_client.post(f"/people/{person.id}/roles/new",
                              data={"party_id": party.id, "title": "Chair"}).status_code == 403
    assert session.exec(select(Role).where(Role.person_id == person.id)).all() == []


def test_person_page_shows_roles_letters_and_history(viewer_client, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    ceo = factories.party(session, name="CEO's office", short_name="CEO", is_internal=True)
    chris = factories.person(session, name="Chris Disspain")
    factories.party_operations.add_role(session, person=chris, party=ccnso, title="Chair", starts_on=date(2004, 1, 1))
    factories.letter(session, subject="Remarks to the GAC", authors=[chris], recipients=[ceo])
    factories.letter(session, subject="Reply on DNS-CERT", authors=[ceo], recipients=[chris])
    factories.letter(session, subject="Someone else's letter", authors=[ceo], recipients=[ccnso])
    session.commit()
    page = _text(viewer_client.get(f"/people/{chris.id}"))
    assert "Chair" in page and "1 January 2004" in page
    assert "Remarks to the GAC" in page and "Reply on DNS-CERT" in page
    assert "Someone else" not in page
    assert "author" in page and "recipient" in page
    assert "Chris Disspain: Chair, ccNSO Council" in page  # the role.assigned event
    assert "Add a role" not in page


def test_person_page_letters_come_from_one_query(viewer_client, session, app):
    from tracker.db import StatementCounter

    chris = factories.person(session, name="Chris Disspain")
    ceo = factories.party(session)

    def count():
        with StatementCounter(session.get_bind().engine) as counter:
            assert viewer_client.get(f"/people/{chris.id}").status_code == 200
        return counter.count

    factories.letter(session, authors=[chris], recipients=[ceo])
    session.commit()
    one = count()
    assert one > 3  # the counter sees the request's statements
    for _ in range(6):
        factories.letter(session, authors=[chris], recipients=[ceo])
    session.commit()
    assert count() == one


def test_editor_adds_a_role_shown_on_the_person_page(editor_client, session):
    party = factories.party(session, name="GNSO Council")
    person = factories.person(session, name="Chuck Gomes")
    session.commit()
    assert editor_client.get(f"/people/{person.id}/roles/new").status_code == 200
    response = editor_client.post(f"/people/{person.id}/roles/new", data={
        "party_id": party.id, "title": "Chair", "starts_on": "2008-06-01", "ends_on": "2011-10-28"})
    assert response.status_code == 302
    role = session.exec(select(Role).where(Role.person_id == person.id)).one()
    assert (role.party_id, role.title, role.starts_on, role.ends_on) == (party.id, "Chair", date(2008, 6, 1),
                                                                         date(2011, 10, 28))
    assert "GNSO Council" in _text(editor_client.get(f"/people/{person.id}"))


def test_role_ending_before_it_starts_is_refused_with_a_clear_message(editor_client, session):
    party = factories.party(session)
    person = factories.person(session)
    session.commit()
    response = editor_client.post(f"/people/{person.id}/roles/new", data={
        "party_id": party.id, "title": "Chair", "starts_on": "2010-06-01", "ends_on": "2010-01-31"})
    assert response.status_code == 400
    assert "the latest day (2010-01-31) is before the earliest (2010-06-01)" in _text(response)
    assert session.exec(select(Role).where(Role.person_id == person.id)).all() == []


def test_role_with_a_nonexistent_date_is_refused(editor_client, session):
    party = factories.party(session)
    person = factories.person(session)
    session.commit()
    response = editor_client.post(f"/people/{person.id}/roles/new",
                                  data={"party_id": party.id, "title": "Chair", "starts_on": "2010-02-30"})
    assert response.status_code == 400
    assert "&#39;2010-02-30&#39; is not a date that exists" in _text(response)


def test_role_for_an_unknown_party_id_posted_by_hand_is_refused(editor_client, session):
    person = factories.person(session)
    session.commit()
    response = editor_client.post(f"/people/{person.id}/roles/new",
                                  data={"party_id": "999999", "title": "Chair"})
    assert response.status_code == 400
    assert "there is no party with id 999999" in _text(response)
    assert session.exec(select(Role).where(Role.person_id == person.id)).all() == []


def test_missing_person_is_404(viewer_client):
    assert viewer_client.get("/people/999999").status_code == 404


def test_letter_participant_rows_are_untouched_by_person_edit(editor_client, session):
    person = factories.person(session, name="Rod Beckstrom")
    letter = factories.letter(session, authors=[person])
    session.commit()
    editor_client.post(f"/people/{person.id}/edit", data={"name": "Rod Beckstrom", "timezone": "UTC", "email": ""})
    rows = session.exec(select(LetterParticipant).where(LetterParticipant.letter_id == letter.id)).all()
    assert [(r.role, r.person_id) for r in rows] == [("author", person.id)]
