from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.commitments.models import DUE_PRECISIONS, KINDS
from tracker.intake.operations import MAX_REVIEW_ROWS, SEPARATE_ANYWAY
from tracker.intake.read import SUPPORTED, SUPPORTED_SUFFIXES
from tracker.letters.models import DATE_PRECISIONS, DIRECTIONS
from tracker.pickers.forms import MultiPickerField, PickerField

ROLES = ("author", "recipient", "cc", "speaker", "attendee")


class UploadForm(FlaskForm):
    file = FileField(f"A letter, email or transcript ({', '.join(SUPPORTED_SUFFIXES)})",
                     description=f"Intake reads {SUPPORTED}.")
    pasted = TextAreaField("…or paste its text", validators=[Optional()])


class ParticipantRow(Form):
    include = BooleanField("Keep", default=True)
    role = SelectField("Role", choices=[(r, r) for r in ROLES])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    person_id = PickerField("Known person (empty: a new person, or none)", kind="people", empty=0)
    party_id = PickerField("Party", kind="parties", empty=0)
    party_name = StringField("or a new party", validators=[Optional(), Length(max=200)])


class CandidateRow(Form):
    accept = BooleanField("Accept", default=True)
    kind = SelectField("Kind", choices=[(k, k) for k in KINDS])
    title = StringField("Title", validators=[Optional(), Length(max=300)])
    quote = TextAreaField("Quoted sentence", validators=[Optional()])
    speaker = StringField("Speaker", validators=[Optional(), Length(max=200)])
    due_phrase = StringField("Due (as written)", validators=[Optional(), Length(max=300)])
    due_earliest = StringField("Earliest (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    due_latest = StringField("Latest (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    due_precision = SelectField("Precision", choices=[(p, p) for p in DUE_PRECISIONS])
    anchor = HiddenField()
    made_by = MultiPickerField("Made by", kind="parties")
    made_to = MultiPickerField("Made to", kind="parties")
    owner_id = PickerField("Owner (empty: nobody yet)", kind="people", empty=0)
    # "y" on a commitment staff added by hand (selected in the text, or typed in the blank row): saved when filled,
    # its due window read from its phrase on save.
    added = HiddenField()




class ReviewForm(FlaskForm):
    # The document and what was extracted, signed so it comes back unchanged (see routes.sign_review).
    payload = HiddenField()
    kind = SelectField("This is a", choices=[("letter", "letter"), ("transcript", "transcript"),
                                             ("notes", "meeting notes (minutes, action items)")])
    sent_on = StringField("Date (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    # Empty for a transcript; the save route defaults them and the operation checks them.
    date_precision = SelectField("Date precision", choices=[(p, p) for p in DATE_PRECISIONS], validate_choice=False)
    subject = StringField("Subject", validators=[Optional(), Length(max=500)])
    direction = SelectField("Direction", choices=[(d, d.replace("_", " ")) for d in DIRECTIONS],
                            validate_choice=False)
    reply_to = PickerField("Replies to", kind="letters", empty=0)
    source_url = StringField("Source address (http:// or https://)", validators=[Optional(), Length(max=2000)])
    meeting_id = PickerField("Meeting (empty: a new meeting)", kind="meetings", empty=0)
    meeting_title = StringField("or a new meeting: title", validators=[Optional(), Length(max=300)])
    meeting_starts_on = StringField("starts (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    meeting_ends_on = StringField("ends (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    meeting_location = StringField("location", validators=[Optional(), Length(max=300)])
    participants = FieldList(FormField(ParticipantRow), max_entries=MAX_REVIEW_ROWS + 1)
    candidates = FieldList(FormField(CandidateRow), max_entries=MAX_REVIEW_ROWS + 1)
    # Shown, and needed, only when the letter looks like one already recorded (operations.near_duplicates).
    separate_anyway = BooleanField(SEPARATE_ANYWAY, default=False)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for rows, what in ((self.participants, "people"), (self.candidates, "commitments")):
            if len(rows.entries) > MAX_REVIEW_ROWS:
                self.form_errors.append(f"A review holds at most {MAX_REVIEW_ROWS:,} {what}; nothing was saved. "
                                        "Import a longer document with `flask intake FILE`.")
                valid = False
        return valid
