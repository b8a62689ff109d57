from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.letters.models import DIRECTIONS, LINK_KINDS
from tracker.pickers.forms import MultiPickerField, PickerField
from tracker.validation import InvalidInput



class LetterForm(FlaskForm):
    # Only on the new-letter form ("Log the reply" fills it): the letter this one answers.
    replies_to = PickerField("Replies to", kind="letters")
    sent_on = StringField("Date (YYYY-MM-DD, or YYYY-MM when only the month is known)",
                          validators=[DataRequired(), Length(max=40)])
    subject = StringField("Subject", validators=[DataRequired(), Length(max=500)])
    direction = SelectField("Direction", choices=[(d, d.replace("_", " ")) for d in DIRECTIONS], default="incoming")
    author_parties = MultiPickerField("Authors: parties", kind="parties")
    author_people = MultiPickerField("Authors: people", kind="people")
    recipient_parties = MultiPickerField("Recipients: parties", kind="parties")
    recipient_people = MultiPickerField("Recipients: people", kind="people")
    cc_parties = MultiPickerField("Cc: parties", kind="parties")
    cc_people = MultiPickerField("Cc: people", kind="people")
    titles = TextAreaField("Titles of people, one per line as “Name: Title” (empty: the role held on the letter date)",
                           validators=[Optional(), Length(max=5000)])
    body = TextAreaField("Text (HTML allowed; scripts and styles are removed)", validators=[Optional()])
    source_url = StringField("Source address (http:// or https://)", validators=[Optional(), Length(max=2000)])
    file = FileField("Original file (PDF, Word…)")


class UploadForm(FlaskForm):
    file = FileField("Original file")


class LinkForm(FlaskForm):
    kind = SelectField("This letter", choices=[(k, k.replace("_", " ")) for k in LINK_KINDS], default="replies_to")
    target = PickerField("Letter (subject or #number)", kind="letters")


class NoReplyForm(FlaskForm):
    reason = StringField("Why no reply is needed", validators=[Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button with only the CSRF token (reopen)."""


REPLY_PREFIX = re.compile(r"^\s*re\s*:", re.I)
SUBJECT_LIMIT = 500


def reply_subject(subject: str) -> str:
    """"Re: <subject>", once: a subject that already starts with Re: is kept as it is."""
    subject = (subject or "").strip()
    if REPLY_PREFIX.match(subject):
        return subject[:SUBJECT_LIMIT]
    return f"Re: {subject}"[:SUBJECT_LIMIT]


def reply_direction(direction: str) -> str:
    """A reply travels the other way: incoming ↔ outgoing; between others stays between others."""
    return {"incoming": "outgoing", "outgoing": "incoming"}.get(direction, direction)


def parse_letter_date(text: str) -> tuple[date, str]:
    """'2010-03-25' → (that day, 'day'); '2010-03' → (1 March 2010, 'month'); InvalidInput otherwise."""
    text = (text or "").strip()
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12:
            raise InvalidInput(f"{text!r} is not a month that exists (use YYYY-MM, e.g. 2010-03)", "sent_on")
        return date(year, number, 1), "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text), "day"
        except ValueError:
            raise InvalidInput(f"{text!r} is not a date that exists", "sent_on") from None
    raise InvalidInput(f"{text!r} is not a date: use YYYY-MM-DD, or YYYY-MM when only the month is known", "sent_on")


def parse_titles(text: str, people: dict[int, str]) -> dict[int, str]:
    """'Chris Disspain: Chair' lines → {person id: title}, for the people chosen on the form (by name)."""
    by_name = {name.strip().lower(): person_id for person_id, name in people.items()}
    titles = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, separator, title = line.partition(":")
        if not separator or not title.strip():
            raise InvalidInput(f"line {number}: write “Name: Title” (got {line.strip()!r})", "titles")
        person_id = by_name.get(name.strip().lower())
        if person_id is None:
            raise InvalidInput(f"line {number}: {name.strip()!r} is not one of the people chosen above", "titles")
        titles[person_id] = title.strip()[:200]
    return titles
