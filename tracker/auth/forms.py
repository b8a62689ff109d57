from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length

from tracker.auth.models import ROLES


class SignInForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in")


class UserForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)])
    display_name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=10, message="at least 10 characters")])
    role = SelectField("Role", choices=[(r, r) for r in ROLES], default="viewer")
    party_ids = SelectMultipleField("Limit a viewer to these parties (none: all parties)", coerce=int, choices=[])
