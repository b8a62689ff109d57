from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, Form, FieldList, FormField, HiddenField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import Length, Optional

from tracker.commitments.models import DUE_PRECISIONS, KINDS
from tracker.letters.models import DATE_PRECISIONS, DIRECTIONS
from tracker.validation import form_id

ROLES = ("author", "recipient", "cc", "speaker")


class UploadForm(FlaskForm):
    file = FileField("A letter, email or transcript (.txt, .eml, .docx, .pdf, .html)")
    pasted = TextAreaField("…or paste its text", validators=[Optional()])


class ParticipantRow(Form):
    include = BooleanField("Keep", default=True)
    role = SelectField("Role", choices=[(r, r) for r in ROLES])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    person_id = SelectField("Known person", coerce=form_id, choices=[], validate_choice=False)
    party_id = SelectField("Party", coerce=form_id, choices=[], validate_choice=False)
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
    made_by = SelectMultipleField("Made by", coerce=form_id, choices=[], validate_choice=False)
    made_to = SelectMultipleField("Made to", coerce=form_id, choices=[], validate_choice=False)
    owner_id = SelectField("Owner", coerce=form_id, choices=[], validate_choice=False)


class ReviewForm(FlaskForm):
    # The document and what was extracted, signed so it comes back unchanged (see routes.sign_review).
    payload = HiddenField()
    kind = SelectField("This is a", choices=[("letter", "letter"), ("transcript", "transcript")])
    sent_on = StringField("Date (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    # Empty for a transcript; the save route defaults them and the operation checks them.
    date_precision = SelectField("Date precision", choices=[(p, p) for p in DATE_PRECISIONS], validate_choice=False)
    subject = StringField("Subject", validators=[Optional(), Length(max=500)])
    direction = SelectField("Direction", choices=[(d, d.replace("_", " ")) for d in DIRECTIONS],
                            validate_choice=False)
    reply_to = SelectField("Replies to", coerce=form_id, choices=[], validate_choice=False)
    source_url = StringField("Source address (http:// or https://)", validators=[Optional(), Length(max=2000)])
    meeting_id = SelectField("Meeting", coerce=form_id, choices=[], validate_choice=False)
    meeting_title = StringField("or a new meeting: title", validators=[Optional(), Length(max=300)])
    meeting_starts_on = StringField("starts (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    meeting_ends_on = StringField("ends (YYYY-MM-DD)", validators=[Optional(), Length(max=10)])
    meeting_location = StringField("location", validators=[Optional(), Length(max=300)])
    participants = FieldList(FormField(ParticipantRow))
    candidates = FieldList(FormField(CandidateRow))

    def set_choices(self, parties, people, letters, meetings, owners=None) -> None:
        """owners: the people a candidate may be given to (those the document names), a short list."""
        party_choices = [(0, "—")] + [(p.id, p.name) for p in parties]
        people_choices = [(0, "— new or none —")] + [(p.id, p.name) for p in people]
        self.reply_to.choices = [(0, "— none —")] + [(letter.id, f"#{letter.id} {letter.sent_on} {letter.subject[:80]}")
                                                    for letter in letters]
        self.meeting_id.choices = [(0, "— a new meeting —")] + [(m.id, f"{m.title} ({m.starts_at:%d %b %Y})")
                                                               for m in meetings]
        for row in self.participants:
            row.person_id.choices = people_choices
            row.party_id.choices = party_choices
        for row in self.candidates:
            row.made_by.choices = party_choices[1:]
            row.made_to.choices = party_choices[1:]
            row.owner_id.choices = [(0, "— nobody yet —")] + (
                [(p.id, p.name) for p in owners] if owners is not None else people_choices[1:])
