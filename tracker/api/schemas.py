"""The shapes of the JSON API: what each request body holds and what each answer holds (pydantic models).

Request bodies are validated here before an operation sees them, so a wrong type, an unknown field or an id
past what a column holds is a 400 naming the field; the operations then apply the same rules as the forms.
The OpenAPI document (tracker.api.spec) is generated from these models.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, WrapValidator, create_model

from tracker.commitments.models import DUE_PRECISIONS, KINDS, STATUSES
from tracker.letters.models import DIRECTIONS, PARTICIPANT_ROLES, REPLY_STATES
from tracker.phases.models import MAX_NAME as MAX_PHASE_NAME
from tracker.validation import MAX_ID, control_character_in


def _no_control_characters(value: str) -> str:
    # The forms refuse these before any route reads them (tracker.web's input guards); JSON bodies are checked
    # here. PostgreSQL refuses NUL in text.
    character = control_character_in(value)
    if character is not None:
        raise ValueError(f"holds a control character (U+{ord(character):04X})")
    return value


def text(max_length: int | None = None, **extra):
    """A string without control characters, at most max_length long (the column's size)."""
    return Annotated[str, Field(max_length=max_length, **extra), AfterValidator(_no_control_characters)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _phase_choice(value, _handler):
    # Checked here in one piece: a union of types would answer a bad name with "should be a valid integer".
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("a phase name cannot be empty (send null for no phase)")
        if len(value) > MAX_PHASE_NAME:
            raise ValueError(f"a phase name has at most {MAX_PHASE_NAME} characters")
        return _no_control_characters(value)
    raise ValueError(f"a phase id (a whole number from 1 to {MAX_ID}), a phase name (a string) or null")


# A phase by id (a JSON number) or by name (a JSON string): "3" is a name, true is refused.
PhaseChoice = Annotated[int | str | None, WrapValidator(_phase_choice), WithJsonSchema({"anyOf": [
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    {"type": "string", "minLength": 1, "maxLength": MAX_PHASE_NAME}, {"type": "null"}]})]
PHASE_DESCRIPTION = ("The phase it sits in: a phase of its kind, by id (a number) or by name (a string, any case), "
                     "not a retired one (one it already sits in may be kept); null: in no phase")
Kind = Literal[KINDS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Precision = Literal[DUE_PRECISIONS]  # type: ignore[valid-type]
Direction = Literal[DIRECTIONS]  # type: ignore[valid-type]
ParticipantRole = Literal[PARTICIPANT_ROLES]  # type: ignore[valid-type]
ReplyState = Literal[REPLY_STATES]  # type: ignore[valid-type]
Timing = Literal["overdue", "due_soon", "needs_decision", "done_late", "on_time", "open", "closed"]


class RequestBody(BaseModel):
    # A misspelt field is refused, not silently ignored.
    model_config = ConfigDict(extra="forbid")


# Requests ------------------------------------------------------------------------------------------------------

class ParticipantIn(RequestBody):
    role: ParticipantRole
    party_id: Id | None = None
    person_id: Id | None = None
    title: text(200) | None = Field(default=None, description="The person's title then; empty: the role held "
                                                              "on the letter's date")


class LetterIn(RequestBody):
    """A letter as logged or edited (an edit replaces every field, like the edit form)."""
    sent_on: text(40, description="YYYY-MM-DD, or YYYY-MM when only the month is known")
    subject: text(500)
    direction: Direction
    body: text(1_000_000) = ""
    source_url: text(2000) | None = None
    participants: list[ParticipantIn] = Field(max_length=500, description="authors, recipients and cc; "
                                                                         "at least one author")


class DueWindowIn(RequestBody):
    due_phrase: text(300) = Field(default="", description="As written (\"in early May\"); parsed like the form does")
    due_earliest: date | None = None
    due_latest: date | None = Field(default=None, description="The last on-time day; typed dates win over the phrase")
    due_precision: Precision | None = None
    due_anchor_meeting_id: Id | None = None


class CommitmentIn(DueWindowIn):
    kind: Kind
    title: text(300)
    quote: text(100_000) = ""
    made_by: list[Id] = Field(min_length=1, max_length=100)
    made_to: list[Id] = Field(min_length=1, max_length=100)
    owner_id: Id | None = None
    speaker_id: Id | None = None
    source_letter_id: Id | None = None
    source_meeting_id: Id | None = None
    phase: PhaseChoice = Field(default=None, description=PHASE_DESCRIPTION)


class CommitmentDetailsIn(RequestBody):
    """What the commitment is, who it binds and the phase it sits in (not its window or status)."""
    title: text(300)
    quote: text(100_000) = ""
    made_by: list[Id] = Field(min_length=1, max_length=100)
    made_to: list[Id] = Field(min_length=1, max_length=100)
    owner_id: Id | None = None
    phase: PhaseChoice = Field(default=None, description=PHASE_DESCRIPTION + "; left out: unchanged")


class RescheduleIn(DueWindowIn):
    reason: text(1000, min_length=1, description="Why the window moves")


class ProgressIn(RequestBody):
    status: Status
    progress: int | None = Field(default=None, ge=0, le=100)
    fulfilled_on: date | None = Field(default=None, description="Needed for done and partly_done")
    evidence_url: text(2000) | None = None
    outcome: text(100_000) | None = None
    replaced_by_id: Id | None = Field(default=None, description="With status superseded: the commitment that "
                                                                "replaces it (its owner and followers are told)")


# Answers -------------------------------------------------------------------------------------------------------

class Error(BaseModel):
    error: str
    field: str | None = Field(default=None, description="The body field a message belongs to")
    parameter: str | None = Field(default=None, description="The query parameter a message belongs to")


class PartyRef(BaseModel):
    """A party named on a record; id null when the caller may not open that party."""
    id: int | None
    name: str
    short_name: str


class PersonRef(BaseModel):
    id: int
    name: str


class Party(BaseModel):
    id: int
    name: str
    short_name: str
    kind: str
    is_internal: bool
    url: str


class PartyDetail(Party):
    description: str


class RoleOut(BaseModel):
    title: str
    party: PartyRef
    starts_on: date | None
    ends_on: date | None


class Person(BaseModel):
    id: int
    name: str
    timezone: str
    is_staff: bool
    url: str


class PersonDetail(Person):
    roles: list[RoleOut] = Field(description="Roles in parties the caller may see")


class LetterParticipant(BaseModel):
    role: ParticipantRole
    title: str | None
    party: PartyRef | None
    person: PersonRef | None


class Letter(BaseModel):
    id: int
    sent_on: date
    date_precision: Literal["day", "month"]
    subject: str
    direction: Direction
    reply_state: ReplyState | None
    reply_by: date | None
    source_url: str | None
    participants: list[LetterParticipant]
    url: str


class LetterDetail(Letter):
    body: str = Field(description="Sanitised HTML or plain text")


class DueWindow(BaseModel):
    phrase: str
    earliest: date | None
    latest: date | None
    precision: Precision
    anchor_meeting_id: int | None


class Baseline(BaseModel):
    phrase: str
    earliest: date | None
    latest: date | None


class PhaseRef(BaseModel):
    """The admin-defined phase a commitment sits in (tracker.phases); retired ones can no longer be chosen."""
    id: int
    name: str
    retired: bool


class Commitment(BaseModel):
    id: int
    kind: Kind
    title: str
    quote: str
    status: Status
    progress: int
    timing: Timing
    phase: PhaseRef | None = Field(description="null when it sits in no phase (or no phase is defined)")
    due: DueWindow
    baseline: Baseline
    fulfilled_on: date | None
    outcome: str
    evidence_url: str | None
    evidence_letter_id: int | None
    evidence_meeting_id: int | None
    source_letter_id: int | None
    source_meeting_id: int | None
    owner: PersonRef | None
    made_by: list[PartyRef]
    made_to: list[PartyRef]
    url: str


class MeetingParticipant(BaseModel):
    role: str
    name_in_transcript: str | None
    person: PersonRef | None
    party: PartyRef | None


class Meeting(BaseModel):
    id: int
    title: str
    kind: str
    starts_at: str = Field(description="ISO 8601, UTC")
    ends_at: str = Field(description="ISO 8601, UTC")
    timezone: str
    location: str
    remote: bool
    source_url: str | None
    url: str


class MeetingDetail(Meeting):
    participants: list[MeetingParticipant]
    transcript: str


class Extension(BaseModel):
    new_closes_on: date
    reason: str
    requested_in_letter_id: int | None


class Submission(BaseModel):
    author: str
    submitted_on: date
    url: str | None
    party: PartyRef | None


class CommentPeriod(BaseModel):
    id: int
    title: str
    opens_on: date
    closes_on: date
    current_close: date = Field(description="The latest extension's day, else closes_on")
    reply_closes_on: date | None
    summary_url: str | None
    forum_url: str | None
    url: str


class CommentPeriodDetail(CommentPeriod):
    summary: str
    extensions: list[Extension]
    submissions: list[Submission] = Field(description="Submissions of parties the caller may see")


def page_of(item: type[BaseModel]) -> type[BaseModel]:
    """The envelope of a list: a page of items and how to ask for the next one."""
    return create_model(
        f"{item.__name__}Page",
        __doc__=(f"A page of {item.__name__} records. `next` is the URL of the next page (null on the last), "
                 "`next_cursor` its cursor; `offset` and `next_offset` are null when paging by cursor."),
        items=(list[item], ...), limit=(int, ...), offset=(int | None, ...), next_offset=(int | None, ...),
        next_cursor=(str | None, ...), next=(str | None, ...),
        as_of=(date | None, Field(description="The day the page shows the record as of (the as_of asked for); "
                                              "null for today's record")))
