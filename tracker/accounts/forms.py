from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.auth.models import ROLES
from tracker.pickers.forms import MultiPickerField

SCOPES = [("limited", "Only the parties chosen below (none: nothing)"), ("all", "Every party")]


class _ScopeFields(FlaskForm):
    role = SelectField("Role", choices=[(r, r) for r in ROLES], default="viewer")
    scope = RadioField("A viewer sees", choices=SCOPES, default="limited")
    party_ids = MultiPickerField("Parties", kind="parties")

    @property
    def all_parties(self) -> bool:
        return self.scope.data == "all"


class InviteForm(_ScopeFields):
    email = StringField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)])
    display_name = StringField("Name", validators=[DataRequired(), Length(max=200)])


class EditUserForm(_ScopeFields):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token."""


class ForgotPasswordForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Length(max=320)])


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField("New password again", validators=[DataRequired(), EqualTo("password", "The two differ.")])


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])


class ApiTokenForm(FlaskForm):
    name = StringField("Token name (what uses it)", validators=[DataRequired(), Length(max=100)])
