"""Parties and people: lists, forms, and the person page (roles over time, letters, history)."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import access, clock, history, validation
from tracker.db import get_session
from tracker.events import Actor
from tracker.letters import queries as letter_queries
from tracker.parties import operations, queries
from tracker.parties.forms import PartyForm, PersonForm, RoleForm
from tracker.parties.models import Party, Person
from tracker.validation import InvalidInput
from tracker.web import editor_required, one_page, save_or_report

# No url_prefix: the blueprint serves /parties/… and /people/…; the party page itself is the dashboard's.
blueprint = Blueprint("parties", __name__)


@blueprint.route("/parties/")
def index():
    try:
        parties, page, has_next = one_page(queries.all_parties(access.current_viewer()).order_by(Party.id))
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    return render_template("parties/index.html", parties=parties, page=page, has_next=has_next)


@blueprint.route("/parties/new", methods=["GET", "POST"])
@editor_required
def new_party():
    session = get_session()
    form = PartyForm()
    if form.validate_on_submit() and save_or_report(form, lambda: operations.create_party(
            session, name=form.name.data, short_name=form.short_name.data, kind=form.kind.data,
            is_internal=form.is_internal.data, description=form.description.data or "",
            default_owner_id=form.default_owner_id.data, actor=Actor.of(current_user)),
            lambda party: f"Party “{party.name}” created."):
        return redirect(url_for("parties.index"))
    return render_template("parties/party_form.html", form=form, party=None), 400 if request.method == "POST" else 200


@blueprint.route("/parties/<int:party_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_party(party_id: int):
    session = get_session()
    party = access.get_visible(session, access.current_viewer(), Party, party_id)
    if party is None:
        abort(404)
    form = PartyForm(obj=party)
    if form.validate_on_submit() and save_or_report(form, lambda: operations.update_party(
            session, party, name=form.name.data, short_name=form.short_name.data, kind=form.kind.data,
            is_internal=form.is_internal.data, description=form.description.data or "",
            default_owner_id=form.default_owner_id.data, actor=Actor.of(current_user)),
            lambda _: f"Party “{party.name}” saved."):
        return redirect(url_for("parties.index"))
    return render_template("parties/party_form.html", form=form, party=party), 400 if request.method == "POST" else 200


def _visible_person_or_404(session, person_id: int) -> Person:
    """Limited viewers see only people connected to what they may see (tracker.access.people)."""
    person = access.get_visible(session, access.current_viewer(), Person, person_id)
    if person is None:
        abort(404)
    return person


@blueprint.route("/people/")
def people():
    session = get_session()
    viewer = access.current_viewer()
    try:
        listed, page, has_next = one_page(queries.all_people(viewer).order_by(Person.id))
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    current_roles = defaultdict(list)
    if listed:
        for role, party in session.exec(queries.roles_of_people_on([p.id for p in listed], clock.today_in(),
                                                                   viewer)):
            current_roles[role.person_id].append((role, party))
    return render_template("parties/people.html", people=listed, current_roles=current_roles, page=page,
                           has_next=has_next)


@blueprint.route("/people/new", methods=["GET", "POST"])
@editor_required
def new_person():
    session = get_session()
    form = PersonForm()
    saved = form.validate_on_submit() and save_or_report(form, lambda: operations.create_person(
        session, name=form.name.data, email=form.email.data, timezone=form.timezone.data.strip(),
        is_staff=form.is_staff.data, actor=Actor.of(current_user)), lambda person: f"{person.name} added.")
    if saved:
        return redirect(url_for("parties.person", person_id=saved.value.id))
    return render_template("parties/person_form.html", form=form, person=None), 400 if request.method == "POST" else 200


@blueprint.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_person(person_id: int):
    session = get_session()
    person = _visible_person_or_404(session, person_id)
    form = PersonForm(obj=person)

    def write():
        if not form.name.data.strip():
            raise InvalidInput("a person needs a name", "name")
        operations.update_person(session, person, name=form.name.data, email=form.email.data,
                                 timezone=form.timezone.data.strip(), is_staff=form.is_staff.data,
                                 actor=Actor.of(current_user))

    if form.validate_on_submit() and save_or_report(form, write, lambda _: f"{person.name} saved."):
        return redirect(url_for("parties.person", person_id=person.id))
    return render_template("parties/person_form.html", form=form, person=person), 400 if request.method == "POST" else 200


@blueprint.route("/people/<int:person_id>")
def person(person_id: int):
    session = get_session()
    record = _visible_person_or_404(session, person_id)
    return _render_person(session, record)


def _render_person(session, record: Person, role_form: RoleForm | None = None, status: int = 200):
    viewer = access.current_viewer()
    today = clock.today_in()
    roles = list(session.exec(queries.roles_of_person(record.id, viewer)))
    letters = defaultdict(list)
    order = []
    for letter, role in session.exec(letter_queries.of_person(record.id, viewer)):
        if letter.id not in letters:
            order.append(letter)
        letters[letter.id].append(role)
    if current_user.can_edit and role_form is None:
        role_form = _role_form(session, formdata=None)
    return render_template("parties/person.html", person=record, roles=roles, current_day=today, letters=order,
                           letter_roles=letters, role_form=role_form,
                           events=history.timeline(session, viewer, "person", record.id)), status


def _role_form(session, **kwargs) -> RoleForm:
    return RoleForm(**kwargs)


@blueprint.route("/people/<int:person_id>/roles/new", methods=["GET", "POST"])
@editor_required
def new_role(person_id: int):
    session = get_session()
    record = _visible_person_or_404(session, person_id)
    form = _role_form(session)

    def write():
        starts_on = validation.iso_date(form.starts_on.data, "starts_on") if form.starts_on.data else None
        ends_on = validation.iso_date(form.ends_on.data, "ends_on") if form.ends_on.data else None
        if form.party_id.data is None:
            raise InvalidInput("choose a party: type its name or short name", "party_id")
        party = session.get(Party, form.party_id.data)
        operations.add_role(session, person=record, party=party, title=form.title.data, starts_on=starts_on,
                            ends_on=ends_on, actor=Actor.of(current_user))
        return party

    if form.validate_on_submit() and save_or_report(
            form, write, lambda party: f"{record.name}: {form.title.data.strip()}, {party.name}."):
        return redirect(url_for("parties.person", person_id=record.id))
    if request.method == "GET":
        return render_template("parties/role_form.html", form=form, person=record)
    return _render_person(session, record, role_form=form, status=400)
