from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from tracker.commitments.models import KINDS
from tracker.phases.models import MAX_NAME, Phase, display_name
from tracker.phases.operations import DIRECTIONS


class NewPhaseForm(FlaskForm):
    kind = SelectField("For", choices=[(kind, f"{kind}s") for kind in KINDS], default="request")
    name = StringField("Name", validators=[DataRequired(message="a phase needs a name"), Length(max=MAX_NAME)])


class RenamePhaseForm(FlaskForm):
    name = StringField("New name", validators=[DataRequired(message="a phase needs a name"), Length(max=MAX_NAME)])


class MovePhaseForm(FlaskForm):
    direction = SelectField("Move", choices=[(d, d) for d in DIRECTIONS])


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token."""


class CommitmentPhaseForm(FlaskForm):
    # Choices are set per commitment (phase_choices); the value is checked by the operation, so a stale page
    # or a crafted post gets a message on this field rather than WTForms' "not a valid choice".
    phase_id = SelectField("Phase", choices=[], validate_choice=False)


def phase_choices(phases: list[Phase], current_id: int | None) -> list[tuple[str, str]]:
    """No phase, then the kind's phases in order: retired ones only when the commitment sits in one."""
    return [("", "no phase")] + [(str(p.id), display_name(p)) for p in phases
                                 if not p.is_retired or p.id == current_id]
