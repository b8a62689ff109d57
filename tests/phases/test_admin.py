"""The admin's phases page: define, rename, reorder, retire, reinstate; every write an event with before and
after; admins only."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tracker.events import Event
from tracker.phases.models import Phase
from tracker.phases.queries import of_kind


def names(session, kind="request") -> list[str]:
    return [p.name for p in session.exec(of_kind(kind))]


def events_of(session, phase_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.subject_type == "phase", Event.subject_id == phase_id)
                             .order_by(Event.id)))


def add(client, name: str, kind: str = "request"):
    return client.post("/admin/phases/", data={"kind": kind, "name": name})


def test_admin_defines_phases_in_order_and_each_is_recorded(admin_client, session):
    for name in ("Receive & Acknowledge", "Understand", "Close"):
        assert add(admin_client, name).status_code == 302
    assert names(session) == ["Receive & Acknowledge", "Understand", "Close"]
    assert names(session, "promise") == []
    first = session.exec(select(Phase).where(Phase.name == "Understand")).one()
    (created,) = events_of(session, first.id)
    assert created.kind == "phase.created" and created.actor_name == admin_client.user.display_name
    assert created.data["before"] == {} and created.data["after"] == {"kind": "request", "name": "Understand",
                                                                      "position": 2}
    page = admin_client.get("/admin/phases/").get_data(as_text=True)
    assert re.search(r"Receive &amp; Acknowledge.*Understand.*Close", page, re.S)
    assert "added the phase “Understand” for requests" in page


def test_rename_move_retire_and_reinstate_record_before_and_after(admin_client, session, register):
    understand = register["Understand"]
    prefix = f"phase-{understand.id}-name"
    assert admin_client.post(f"/admin/phases/{understand.id}/rename", data={prefix: "Understand the advice"}
                             ).status_code == 302
    assert admin_client.post(f"/admin/phases/{understand.id}/move", data={"direction": "up"}).status_code == 302
    assert admin_client.post(f"/admin/phases/{understand.id}/retire").status_code == 302
    assert admin_client.post(f"/admin/phases/{understand.id}/reinstate").status_code == 302
    session.expire_all()
    assert names(session) == ["Understand the advice", "Receive & Acknowledge", "Evaluate & Consider", "Implement",
                              "Close"]
    created, renamed, moved, retired, reinstated = events_of(session, understand.id)
    assert (renamed.kind, renamed.data["before"], renamed.data["after"]) == (
        "phase.renamed", {"name": "Understand"}, {"name": "Understand the advice"})
    assert moved.kind == "phase.reordered"
    assert moved.data["before"]["order"][:2] == ["Receive & Acknowledge", "Understand the advice"]
    assert moved.data["after"]["order"][:2] == ["Understand the advice", "Receive & Acknowledge"]
    assert (retired.kind, retired.data["before"], retired.data["after"]) == (
        "phase.retired", {"retired": False}, {"retired": True})
    assert (reinstated.kind, reinstated.data["after"]) == ("phase.reinstated", {"retired": False})
    page = admin_client.get("/admin/phases/").get_data(as_text=True)
    assert "renamed the phase of requests “Understand” to “Understand the advice”" in page
    assert "moved the phase “Understand the advice” up: Understand the advice → Receive &amp; Acknowledge" in page


def test_moving_the_first_phase_up_changes_nothing_and_records_nothing(admin_client, session, register):
    first = register["Receive & Acknowledge"]
    response = admin_client.post(f"/admin/phases/{first.id}/move", data={"direction": "up"}, follow_redirects=True)
    assert "is already first" in response.get_data(as_text=True)
    assert [e.kind for e in events_of(session, first.id)] == ["phase.created"]
    assert names(session)[0] == "Receive & Acknowledge"


def test_a_name_the_kind_already_has_is_refused_on_its_field_and_the_input_is_kept(admin_client, session,
                                                                                  register):
    response = add(admin_client, "  understand ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "the requests already have a phase named &#39;understand&#39;" in page
    assert re.search(r'<input[^>]*name="name"[^>]*value="  understand "', page)
    assert names(session).count("Understand") == 1 and len(names(session)) == 5
    # The same name for the other kind is another phase.
    assert add(admin_client, "Understand", kind="promise").status_code == 302


def test_renaming_to_nothing_or_to_a_sibling_keeps_the_name(admin_client, session, register):
    close = register["Close"]
    field = f"phase-{close.id}-name"
    empty = admin_client.post(f"/admin/phases/{close.id}/rename", data={field: "   "})
    taken = admin_client.post(f"/admin/phases/{close.id}/rename", data={field: "Implement"})
    assert (empty.status_code, taken.status_code) == (400, 400)
    assert "a phase needs a name" in empty.get_data(as_text=True)
    taken_page = taken.get_data(as_text=True)
    assert "already have a phase named &#39;Implement&#39;" in taken_page
    assert re.search(rf'<input[^>]*name="{field}"[^>]*value="Implement"', taken_page)
    session.expire_all()
    assert session.get(Phase, close.id).name == "Close"
    assert [e.kind for e in events_of(session, close.id)] == ["phase.created"]


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_are_refused_every_phase_admin_route(signed_in, session, register, role):
    client = signed_in(role)
    phase_id = register["Understand"].id
    assert client.get("/admin/phases/").status_code == 403
    assert add(client, "Another").status_code == 403
    for action, data in (("rename", {f"phase-{phase_id}-name": "X"}), ("move", {"direction": "up"}),
                         ("retire", {}), ("reinstate", {})):
        assert client.post(f"/admin/phases/{phase_id}/{action}", data=data).status_code == 403, action
    session.expire_all()
    assert names(session) == list(register)
    assert all(not p.is_retired for p in register.values())
    assert "/admin/phases" not in client.get("/").get_data(as_text=True)


def test_a_phase_that_does_not_exist_is_not_found(admin_client):
    for action in ("rename", "move", "retire", "reinstate"):
        assert admin_client.post(f"/admin/phases/424242/{action}", data={"direction": "up"}).status_code == 404
