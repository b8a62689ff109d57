"""The admin's phases page: define, rename, reorder, retire and reinstate the phases of each commitment kind."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker import history
from tracker.commitments.models import KINDS
from tracker.db import get_session
from tracker.events import Actor
from tracker.phases import operations, queries
from tracker.phases.forms import ConfirmForm, MovePhaseForm, NewPhaseForm, RenamePhaseForm
from tracker.phases.models import Phase
from tracker.web import admin_required, save_or_report

blueprint = Blueprint("phases", __name__, url_prefix="/admin/phases")


def _phase_or_404(phase_id: int) -> Phase:
    phase = get_session().get(Phase, phase_id)
    if phase is None:
        abort(404)
    return phase


def _render(new_form: NewPhaseForm | None = None, failed: tuple[int, RenamePhaseForm] | None = None,
            status: int = 200):
    session = get_session()
    phases = list(session.exec(queries.all_phases()))
    rename_forms = {p.id: RenamePhaseForm(formdata=None, data={"name": p.name}, prefix=f"phase-{p.id}")
                    for p in phases}
    if failed is not None:
        rename_forms[failed[0]] = failed[1]
    by_kind = {kind: [p for p in phases if p.kind == kind] for kind in KINDS}
    # Phases are not records a reader is kept from: every admin sees every line, in plain words.
    changes = [history.Line(e.occurred_at, e.actor_name, e.kind, history.describe(e))
               for e in session.exec(queries.history())]
    return render_template("phases/index.html", title="Phases", by_kind=by_kind,
                           new_form=new_form or NewPhaseForm(formdata=None), rename_forms=rename_forms,
                           confirm=ConfirmForm(formdata=None), changes=changes), status


@blueprint.route("/", methods=["GET", "POST"])
@admin_required
def index():
    form = NewPhaseForm()
    if form.is_submitted():
        if form.validate() and save_or_report(form, lambda: operations.create_phase(
                get_session(), kind=form.kind.data, name=form.name.data, actor=Actor.of(current_user)),
                lambda phase: f"Phase “{phase.name}” added to the {phase.kind}s."):
            return redirect(url_for("phases.index"))
        return _render(new_form=form, status=400)
    return _render()


@blueprint.route("/<int:phase_id>/rename", methods=["POST"])
@admin_required
def rename(phase_id: int):
    phase = _phase_or_404(phase_id)
    form = RenamePhaseForm(prefix=f"phase-{phase.id}")
    if form.validate() and save_or_report(form, lambda: operations.rename_phase(
            get_session(), phase, form.name.data, actor=Actor.of(current_user)),
            lambda changed: f"Renamed to “{phase.name}”." if changed else "The name is unchanged."):
        return redirect(url_for("phases.index"))
    return _render(failed=(phase_id, form), status=400)


@blueprint.route("/<int:phase_id>/move", methods=["POST"])
@admin_required
def move(phase_id: int):
    phase = _phase_or_404(phase_id)
    form = MovePhaseForm()
    if form.validate() and save_or_report(form, lambda: operations.move_phase(
            get_session(), phase, form.direction.data, actor=Actor.of(current_user)),
            lambda moved: f"Moved “{phase.name}” {form.direction.data}." if moved
            else f"“{phase.name}” is already {'first' if form.direction.data == 'up' else 'last'}."):
        return redirect(url_for("phases.index"))
    for error in [*form.form_errors, *form.direction.errors]:
        flash(f"“{phase.name}” was not moved: {error}")
    return _render(status=400)


def _toggle(phase_id: int, operation, done: str, unchanged: str):
    phase = _phase_or_404(phase_id)
    form = ConfirmForm()
    if form.validate() and save_or_report(form, lambda: operation(get_session(), phase, actor=Actor.of(current_user)),
                                          lambda changed: (done if changed else unchanged).format(name=phase.name)):
        return redirect(url_for("phases.index"))
    return _render(status=400)


@blueprint.route("/<int:phase_id>/retire", methods=["POST"])
@admin_required
def retire(phase_id: int):
    return _toggle(phase_id, operations.retire_phase,
                   "“{name}” is retired: its commitments keep it, it can no longer be chosen.",
                   "“{name}” was already retired.")


@blueprint.route("/<int:phase_id>/reinstate", methods=["POST"])
@admin_required
def reinstate(phase_id: int):
    return _toggle(phase_id, operations.reinstate_phase, "“{name}” can be chosen again.",
                   "“{name}” was not retired.")
