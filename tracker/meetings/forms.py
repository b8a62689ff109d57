"""Forms for meetings. Times are typed as local date-times in the meeting's own timezone."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker import validation
from tracker.clock import UTC
from tracker.pickers.forms import PickerField
from tracker.meetings.models import MEETING_KINDS

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time without a zone; its error says what shape is expected."""

    def process_formdata(self, valuelist):
        raw = " ".join(valuelist).strip() if valuelist else ""
        if not raw:
            self.data = None
            if valuelist:
                raise ValueError("enter a date and time (YYYY-MM-DDTHH:MM)")
            return
        for fmt in LOCAL_FORMATS:
            try:
                self.data = datetime.strptime(raw, fmt)
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(f"{raw!r} is not a date and time that exists (use YYYY-MM-DDTHH:MM)")


class _TimesFields(FlaskForm):
    starts_at = LocalDateTimeField("Starts (local time)", format=LOCAL_FORMATS,
                                   validators=[InputRequired(message="say when the meeting starts")])
    ends_at = LocalDateTimeField("Ends (local time)", format=LOCAL_FORMATS,
                                 validators=[InputRequired(message="say when the meeting ends")])


class MeetingForm(_TimesFields):
    title = StringField("Title", validators=[DataRequired(message="a meeting needs a title"), Length(max=300)])
    kind = SelectField("Kind", choices=[(k, k.replace("_", " ")) for k in MEETING_KINDS], default="other")
    timezone = StringField("Timezone (IANA, e.g. Africa/Nairobi)", default="UTC",
                           validators=[DataRequired(message="give the meeting's timezone"), Length(max=64)])
    aliases = StringField("Other names, comma separated (e.g. Brussels, ICANN 38)",
                          validators=[Optional(), Length(max=300)])
    location = StringField("Location", validators=[Optional(), Length(max=300)])
    remote = BooleanField("Remote")
    transcript = TextAreaField("Transcript or minutes", validators=[Optional()])
    source_url = StringField("Source (web address)", validators=[Optional(), Length(max=2000)])


class MoveForm(_TimesFields):
    """Times are read in the meeting's own timezone."""


class ParticipantForm(FlaskForm):
    person_id = PickerField("Person", kind="people")
    party_id = PickerField("Party", kind="parties")
    role = StringField("Role", default="participant", validators=[Optional(), Length(max=100)])
    name_in_transcript = StringField("Name in the transcript", validators=[Optional(), Length(max=200)])


def aware_utc(local: datetime, timezone_name: str) -> datetime:
    """A wall-clock time in a timezone → aware UTC."""
    validation.timezone_name(timezone_name)
    return local.replace(tzinfo=ZoneInfo(timezone_name)).astimezone(UTC)


def local_value(moment: datetime, timezone_name: str) -> datetime:
    """Aware UTC → naive wall-clock time in the meeting's timezone, for prefilling a form."""
    return moment.astimezone(ZoneInfo(timezone_name)).replace(tzinfo=None)
