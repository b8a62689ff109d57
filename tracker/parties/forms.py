from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.parties.models import PARTY_KINDS
from tracker.pickers.forms import PickerField


class PartyForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    short_name = StringField("Short name", validators=[DataRequired(), Length(max=40)])
    kind = SelectField("Kind", choices=[(kind, kind.replace("_", " ")) for kind in PARTY_KINDS], default="other")
    is_internal = BooleanField("One of our own offices (promises are made by internal parties)")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    default_owner_id = PickerField("Default owner (the staff member who looks after this group's commitments)",
                                   kind="owners")


class PersonForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    # Checked by email-validator in the operation, so its message is the one shown.
    email = StringField("Email", validators=[Optional(), Length(max=320)])
    timezone = StringField("Timezone (IANA name, e.g. Europe/Brussels)", default="UTC",
                           validators=[DataRequired(), Length(max=64)])
    is_staff = BooleanField("Staff member (can own commitments, receives digests)")


class RoleForm(FlaskForm):
    party_id = PickerField("Party", kind="parties")
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    # Text, not a date widget: a nonexistent day gets our own clear message (validation.iso_date).
    starts_on = StringField("Starts on (YYYY-MM-DD, empty: unknown)", validators=[Optional()])
    ends_on = StringField("Ends on (YYYY-MM-DD, empty: still holds it)", validators=[Optional()])
