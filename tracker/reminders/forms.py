from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.reminders.models import FREQUENCIES, WEEKDAYS
from tracker.pickers.forms import MultiPickerField
from tracker.validation import WholeNumberField, form_id


# Moves: rescheduled, delivered, dropped or overdue.
NOTICE_OPTIONS = [("immediately", "immediately"), ("digest", "in my digest"), ("never", "never")]


class PreferencesForm(FlaskForm):
    """How and when a digest comes, and what it follows; whom it goes to is not part of it (see RecipientForm)."""
    timezone = StringField("Timezone", default="UTC", validators=[DataRequired(), Length(max=64)])
    frequency = SelectField("How often", choices=[(f, f) for f in FREQUENCIES], default="daily")
    weekday = SelectField("Day (weekly digests)", choices=list(enumerate(WEEKDAYS)), coerce=form_id, default=0)
    send_time = StringField("Local send time (HH:MM)", default="08:00", validators=[DataRequired()])
    due_soon_days = WholeNumberField("'Due soon' means within (days)", default=7, lowest=1, highest=90,
                                     validators=[InputRequired(message="say how many days ahead")])
    include_own = BooleanField("Items this person owns", default=True)
    send_when_empty = BooleanField("Send even when there is nothing to report", default=False)
    paused = BooleanField("Pause these digests", default=False)
    notify_moves = SelectField("Tell me when a promise to a party I follow, or one I own, moves",
                               choices=NOTICE_OPTIONS, default="digest")
    notify_assigned = SelectField("Tell me when something is assigned to me, or handed from me to someone else",
                                  choices=NOTICE_OPTIONS,
                                  default="digest")
    party_ids = MultiPickerField("Follow these parties (what was promised to them or asked by them)",
                                 kind="parties")


class RecipientForm(PreferencesForm):
    """An administrator's form: anyone's digest, including the address it goes to."""
    # The address is checked by the operation (email-validator), whose message is clearer than WTForms'.
    email = StringField("Email", validators=[DataRequired(message="an email address is required"), Length(max=320)])
    name = StringField("Name (for someone new)", validators=[Optional(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A button with CSRF protection (resend, resubscribe)."""
