"""A party names the staff member who looks after its commitments: chosen by typing, shown, kept in the history."""
from __future__ import annotations

from tests import factories
from tracker import events


def _text(response) -> str:
    return response.get_data(as_text=True)


def _edit(client, party, **extra):
    data = {"name": party.name, "short_name": party.short_name, "kind": party.kind}
    data.update(extra)
    return client.post(f"/parties/{party.id}/edit", data=data)


def test_the_party_form_offers_a_default_owner_picker(editor_client, session):
    party = factories.party(session)
    session.commit()
    page = _text(editor_client.get(f"/parties/{party.id}/edit"))
    assert 'name="default_owner_id"' in page
    assert 'data-picker-url="/pick/owners"' in page


def test_choosing_a_default_owner_saves_it_and_records_before_and_after(editor_client, session):
    party = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    bart = factories.person(session, name="Bart Boswinkel", is_staff=True)
    session.commit()
    response = _edit(editor_client, party, default_owner_id="Bart Boswinkel")
    assert response.status_code == 302, _text(response)
    session.refresh(party)
    assert party.default_owner_id == bart.id
    updated = events.history(session, "party", party.id)[-1]
    assert (updated.kind, updated.data) == ("party.updated", {"changes": {"default_owner_id": [None, bart.id]}})
    history = _text(editor_client.get(f"/parties/{party.id}"))
    assert "default owner nobody → Bart Boswinkel" in history


def test_the_party_page_names_its_default_owner(editor_client, session):
    bart = factories.person(session, name="Bart Boswinkel", is_staff=True)
    party = factories.party(session, name="ccNSO Council", short_name="ccNSO", default_owner_id=bart.id)
    session.commit()
    page = _text(editor_client.get(f"/parties/{party.id}"))
    assert f'Default owner: <a href="/people/{bart.id}">Bart Boswinkel</a>' in page


def test_a_limited_reader_is_not_told_a_default_owner_they_may_not_see(signed_in, session):
    bart = factories.person(session, name="Bart Boswinkel", is_staff=True)
    party = factories.party(session, name="ccNSO Council", short_name="ccNSO", default_owner_id=bart.id)
    session.commit()
    page = _text(signed_in("viewer", party_ids=[party.id]).get(f"/parties/{party.id}"))
    assert "ccNSO Council" in page
    assert "Bart Boswinkel" not in page and "Default owner" not in page


def test_clearing_the_default_owner_is_recorded(editor_client, session):
    bart = factories.person(session, name="Bart Boswinkel", is_staff=True)
    party = factories.party(session, default_owner_id=bart.id)
    session.commit()
    assert _edit(editor_client, party, default_owner_id="").status_code == 302
    session.refresh(party)
    assert party.default_owner_id is None
    assert events.history(session, "party", party.id)[-1].data == {"changes": {"default_owner_id": [bart.id, None]}}


def test_an_unknown_default_owner_is_refused_beside_the_field_and_the_input_kept(editor_client, session):
    party = factories.party(session, name="GNSO Council", short_name="GNSO")
    session.commit()
    response = _edit(editor_client, party, name="GNSO Council (renamed)", default_owner_id="Nobody Known")
    assert response.status_code == 400
    page = _text(response)
    assert 'id="default_owner_id-error"' in page and "no staff member matches" in page
    assert 'value="GNSO Council (renamed)"' in page and 'value="Nobody Known"' in page
    session.refresh(party)
    assert party.name == "GNSO Council"


def test_deleting_the_person_leaves_the_party_without_a_default_owner(session):
    from tracker.parties.models import Person

    bart = factories.person(session, name="Bart Boswinkel", is_staff=True)
    party = factories.party(session, default_owner_id=bart.id)
    session.commit()
    session.delete(session.get(Person, bart.id))
    session.commit()
    session.refresh(party)
    assert party.default_owner_id is None
