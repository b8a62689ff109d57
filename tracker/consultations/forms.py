"""Forms for comment periods."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.commitments.forms import IsoDateField
from tracker.pickers.forms import PickerField


class CommentPeriodForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="a comment period needs a title"),
                                             Length(max=300)])
    opens_on = IsoDateField("Opens", validators=[InputRequired(message="say when it opens")])
    closes_on = IsoDateField("Closes", validators=[InputRequired(message="say when it closes")])
    reply_closes_on = IsoDateField("Reply period closes", validators=[Optional()])
    forum_url = StringField("Forum (web address)", validators=[Optional(), Length(max=2000)])


class ExtensionForm(FlaskForm):
    new_closes_on = IsoDateField("New close", validators=[InputRequired(message="give the new closing day")])
    reason = StringField("Why", validators=[Optional(), Length(max=1000)])
    requested_in_letter_id = PickerField("Requested in letter", kind="letters")


class SubmissionForm(FlaskForm):
    author = StringField("Author", validators=[DataRequired(message="a submission needs its author"),
                                               Length(max=300)])
    party_id = PickerField("Party", kind="parties")
    submitted_on = IsoDateField("Submitted on", validators=[InputRequired(message="say when it was submitted")])
    url = StringField("Link", validators=[Optional(), Length(max=2000)])


class SummaryForm(FlaskForm):
    summary = TextAreaField("Staff summary", validators=[DataRequired(message="write the summary")])
    summary_url = StringField("Summary document (web address)", validators=[Optional(), Length(max=2000)])
