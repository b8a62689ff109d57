"""Forms for commitments, and the pure decision of which due window a filled-in form means."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from tracker.commitments.models import DUE_PRECISIONS, KINDS, STATUSES
from tracker.commitments.operations import Window
from tracker.duedates import impossible_dates
from tracker.pickers.forms import MultiPickerField, PickerField
from tracker.validation import InvalidInput, WholeNumberField, form_id


class IsoDateField(DateField):
    """A date input (YYYY-MM-DD) whose error says plainly that the day does not exist."""

    def process_formdata(self, valuelist):
        raw = " ".join(valuelist).strip() if valuelist else ""
        if not raw:
            self.data = None
            if valuelist:
                # Optional() clears this for optional fields; required ones keep it.
                raise ValueError("enter a date (YYYY-MM-DD)")
            return
        try:
            self.data = date.fromisoformat(raw)
        except ValueError:
            self.data = None
            raise ValueError(f"{raw!r} is not a date that exists (use YYYY-MM-DD)") from None


def optional_id(value) -> int | None:
    """'' or None → None; '12' → 12 (select fields whose first choice is 'none'). 0 names no record: None."""
    if value in (None, "", "None"):
        return None
    return form_id(value) or None


PRECISION_CHOICES = [("", "from the phrase or the dates")] + [(p, p) for p in DUE_PRECISIONS]


class _DueWindowFields(FlaskForm):
    due_phrase = StringField("Due, as written", validators=[Optional(), Length(max=300)],
                             render_kw={"autocomplete": "off"})
    due_earliest = IsoDateField("Earliest", validators=[Optional()])
    due_latest = IsoDateField("Latest (last on-time day)", validators=[Optional()])
    due_precision = SelectField("Precision", choices=PRECISION_CHOICES, default="", validate_choice=False)
    due_anchor_meeting_id = PickerField("Anchor meeting", kind="meetings")


class CommitmentForm(_DueWindowFields):
    kind = SelectField("Kind", choices=[(k, k) for k in KINDS], default="promise")
    title = StringField("Title", validators=[DataRequired(message="a commitment needs a short title"),
                                             Length(max=300)])
    quote = TextAreaField("Quoted sentence", validators=[Optional()])
    source_letter_id = PickerField("Source letter", kind="letters")
    source_meeting_id = PickerField("Source meeting", kind="meetings")
    speaker_id = PickerField("Speaker", kind="people")
    made_by = MultiPickerField("Made by", kind="parties")
    made_to = MultiPickerField("Made to", kind="parties")
    owner_id = PickerField("Owner", kind="owners")


class DetailsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="a commitment needs a short title"),
                                             Length(max=300)])
    quote = TextAreaField("Quoted sentence", validators=[Optional()])
    made_by = MultiPickerField("Made by", kind="parties")
    made_to = MultiPickerField("Made to", kind="parties")
    owner_id = PickerField("Owner", kind="owners")


class RescheduleForm(_DueWindowFields):
    reason = StringField("Why it moves", validators=[DataRequired(message="say why the window moves"),
                                                     Length(max=1000)])


class OnlyWithStatus:
    """A field that counts only with one status: with any other, what it holds is ignored, errors and all.

    The progress form shows the current replacement in "Replaced by"; choosing another status must not be refused
    for it (and without JavaScript the field is always on the page).
    """

    def __init__(self, status: str):
        self.status = status

    def __call__(self, form, field):
        if form.status.data != self.status:
            field.errors[:] = []
            field.data = field.empty
            raise StopValidation()


class ProgressForm(FlaskForm):
    status = SelectField("Status", choices=[(s, s.replace("_", " ")) for s in STATUSES])
    progress = WholeNumberField("Progress (%)", validators=[Optional()])
    fulfilled_on = IsoDateField("Fulfilled on", validators=[Optional()])
    evidence_url = StringField("Evidence (web address)", validators=[Optional(), Length(max=2000)])
    outcome = TextAreaField("Outcome", validators=[Optional()])
    replaced_by_id = PickerField("Replaced by", kind="commitments", validators=[OnlyWithStatus("superseded")])


def infer_precision(earliest: date | None, latest: date | None) -> str:
    """Precision implied by typed dates alone."""
    if latest is None and earliest is None:
        return "vague"
    if latest is not None and (earliest is None or earliest == latest):
        return "day"
    return "window"


def impossible_date_message(phrase: str) -> str | None:
    """'31 April does not exist' when the phrase names a day that no calendar has; else None."""
    written = impossible_dates(phrase or "")
    if not written:
        return None
    return f"{written[0]} does not exist: check the day and month"


def resolve_window(phrase: str, earliest: date | None, latest: date | None, precision: str,
                   anchor_meeting_id: int | None, computed, anchor_ids: dict[str, int]) -> Window:
    """The window a form means: the phrase as typed; typed dates win over those parse_due computed.

    `computed` is parse_due's DueWindow (or None); `anchor_ids` maps anchor names to meeting ids.
    A phrase whose only date does not exist ("by 31 April") is refused rather than recorded as vague.
    """
    phrase = (phrase or "").strip()
    typed_dates = earliest is not None or latest is not None
    if not typed_dates and computed is None and not precision:
        impossible = impossible_date_message(phrase)
        if impossible:
            raise InvalidInput(impossible, "due_phrase")
    if not typed_dates and computed is not None:
        # Dates from the phrase take their anchor from the phrase too; a meeting picked by hand only
        # stands in when the phrase names a meeting we could not match.
        anchor = anchor_ids.get(computed.anchor) if computed.anchor else None
        if anchor is None and computed.anchor:
            anchor = anchor_meeting_id
        if precision and precision != computed.precision:
            # A precision chosen by hand without dates (e.g. "vague") is kept, and so are no dates.
            return Window(phrase, None, None, precision, anchor)
        return Window(phrase, computed.earliest, computed.latest, computed.precision, anchor)
    return Window(phrase, earliest, latest, precision or infer_precision(earliest, latest), anchor_meeting_id)

