"""The one access policy: who may see and change what. Every route, query, API list, export, history line,
related-record link and digest asks this module; nothing else decides visibility.

A Viewer is built once per request from the signed-in user (or once per digest recipient):

- anonymous, an inactive account or an unknown role: sees nothing and may change nothing;
- admin and editor (staff): see every record; editors change records, admins also manage accounts and mail;
- viewer with ``limited_to_parties`` off: sees every party's records (an explicit "all parties" grant);
- viewer with ``limited_to_parties`` on: sees only records that involve the parties in ``user_party``;
  with no party there, nothing at all (no letters, commitments, meetings, comment periods, people, parties).

What "involves a visible party" means for each kind of record (the SQL predicates below):

- party: it is one of the viewer's parties;
- letter: one of the viewer's parties is an author, recipient or cc;
- commitment: one of the viewer's parties made it or it was made to one of them (its source letter alone does
  not make it visible: a joint letter may carry requests of several groups, each visible to its own group);
- meeting: one of the viewer's parties took part, or a commitment visible to the viewer was made there
  (so a visible commitment's source meeting is always visible); being the anchor or the evidence of a visible
  commitment is not enough: the due window's phrase is shown, not the meeting;
- comment period: one of the viewer's parties made a submission, or an extension was requested in a letter
  the viewer may see; inside a visible period only submissions of the viewer's parties are shown;
- person: holds or held a role in one of the viewer's parties, takes part in a visible letter or meeting, or
  owns a visible commitment (owners are named in lists and the owner filter); on a person's page only roles
  in the viewer's parties are listed. Speaking a visible commitment is not enough: a speaker who is not
  visible otherwise is not named on it;
- role: its party is one of the viewer's parties;
- event: a record's history is shown only with the record; a line that names another record names it only
  when that record is visible too, otherwise it is a neutral sentence without name or id (tracker.history).

Parties that take part in a visible record (the co-signatories of a joint letter, the office a promise was
made by) are named as part of that record but not linked unless the viewer may open their page.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import false, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

STAFF_ROLES = ("admin", "editor")
KNOWN_ROLES = ("admin", "editor", "viewer")


@dataclass(frozen=True)
class Viewer:
    """Who is looking, reduced to what access decisions need. party_ids None means every party."""

    role: str | None = None
    party_ids: frozenset[int] | None = frozenset()
    user_id: int | None = None

    @property
    def sees_everything(self) -> bool:
        return self.party_ids is None

    @property
    def sees_nothing(self) -> bool:
        return self.party_ids is not None and not self.party_ids

    @property
    def is_signed_in(self) -> bool:
        return self.role is not None

    def may_see_party(self, party_id: int | None) -> bool:
        return party_id is not None and (self.party_ids is None or party_id in self.party_ids)

    def may_edit(self) -> bool:
        """Create and change records (letters, commitments, meetings, comment periods, parties, people)."""
        return self.role in STAFF_ROLES

    def may_admin(self) -> bool:
        """Manage accounts, other people's digests and the mail log."""
        return self.role == "admin"


NOBODY = Viewer()
# Jobs and command-line tools act for the organisation itself.
EVERYTHING = Viewer(role="admin", party_ids=None)


def viewer_for(user, party_ids_of_user=None) -> Viewer:
    """The Viewer of a user account. party_ids_of_user(user_id) → its user_party ids, read only when needed."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NOBODY
    role = getattr(user, "role", None)
    if role not in KNOWN_ROLES:
        return NOBODY
    if role in STAFF_ROLES or getattr(user, "limited_to_parties", True) is False:
        return Viewer(role=role, party_ids=None, user_id=user.id)
    party_ids = frozenset(party_ids_of_user(user.id)) if party_ids_of_user is not None else frozenset()
    return Viewer(role=role, party_ids=party_ids, user_id=user.id)


def viewer_of_user(session, user) -> Viewer:
    """viewer_for with the user's parties read from the database."""
    from tracker.auth.models import UserParty

    return viewer_for(user, lambda user_id: session.execute(
        select(UserParty.party_id).where(UserParty.user_id == user_id)).scalars().all())


def narrowest(viewers) -> Viewer:
    """What every one of these viewers may see (a person with two accounts gets the stricter one's view)."""
    viewers = list(viewers)
    if not viewers:
        return NOBODY
    if any(not v.is_signed_in for v in viewers):
        return NOBODY
    limited = [v.party_ids for v in viewers if v.party_ids is not None]
    party_ids = frozenset.intersection(*limited) if limited else None
    role = next((v.role for v in viewers if v.role == "viewer"), viewers[0].role)
    return Viewer(role=role, party_ids=party_ids, user_id=viewers[0].user_id)


def current_viewer() -> Viewer:
    """The Viewer of this request's signed-in user (built once per request)."""
    if not has_request_context():
        return NOBODY
    cached = g.get("_access_viewer")
    if cached is None:
        from tracker.db import get_session

        cached = viewer_of_user(get_session(), current_user)
        g._access_viewer = cached
    return cached


def init_app(app) -> None:
    """Templates ask the policy too: a party is linked only when the viewer may open its page."""
    app.jinja_env.globals.update(may_see_party=lambda party_id: current_viewer().may_see_party(party_id))


# SQL predicates: a condition to put in a WHERE clause, one per kind of record --------------------------------

def _limited(viewer: Viewer, condition_for_parties) -> ColumnElement:
    if not viewer.is_signed_in:
        return false()
    if viewer.party_ids is None:
        return true()
    if not viewer.party_ids:
        return false()
    return condition_for_parties(sorted(viewer.party_ids))


def parties(viewer: Viewer) -> ColumnElement:
    from tracker.parties.models import Party

    return _limited(viewer, lambda ids: Party.id.in_(ids))


def roles(viewer: Viewer) -> ColumnElement:
    from tracker.parties.models import Role

    return _limited(viewer, lambda ids: Role.party_id.in_(ids))


def letter_ids(viewer: Viewer):
    """select() of the ids of letters the viewer may see (None: every letter)."""
    from tracker.letters.models import LetterParticipant

    if viewer.party_ids is None:
        return None
    # IN over the participant party index rather than a correlated EXISTS probed per letter.
    return select(LetterParticipant.letter_id).where(LetterParticipant.party_id.in_(sorted(viewer.party_ids)))


def letters(viewer: Viewer) -> ColumnElement:
    from tracker.letters.models import Letter

    return _limited(viewer, lambda _ids: Letter.id.in_(letter_ids(viewer)))


def commitment_ids(viewer: Viewer):
    """select() of the ids of commitments the viewer may see (None: every commitment)."""
    from tracker.commitments.models import CommitmentParty

    if viewer.party_ids is None:
        return None
    # An IN over the link table's party index, not a correlated EXISTS: the planner reads the few matching
    # links first instead of probing the links of every commitment in a long list.
    return select(CommitmentParty.commitment_id).where(CommitmentParty.party_id.in_(sorted(viewer.party_ids)))


def commitments(viewer: Viewer) -> ColumnElement:
    from tracker.commitments.models import Commitment

    return _limited(viewer, lambda _ids: Commitment.id.in_(commitment_ids(viewer)))


def meetings(viewer: Viewer) -> ColumnElement:
    from tracker.commitments.models import Commitment
    from tracker.meetings.models import Meeting, MeetingParticipant

    def condition(ids):
        took_part = select(MeetingParticipant.meeting_id).where(MeetingParticipant.party_id.in_(ids))
        committed_there = select(Commitment.source_meeting_id).where(
            Commitment.source_meeting_id.is_not(None), Commitment.id.in_(commitment_ids(viewer)))
        return or_(Meeting.id.in_(took_part), Meeting.id.in_(committed_there))

    return _limited(viewer, condition)


def submissions(viewer: Viewer) -> ColumnElement:
    from tracker.consultations.models import Submission

    return _limited(viewer, lambda ids: Submission.party_id.in_(ids))


def comment_periods(viewer: Viewer) -> ColumnElement:
    from tracker.consultations.models import CommentPeriod, CommentPeriodExtension, Submission

    def condition(ids):
        submitted = select(Submission.comment_period_id).where(Submission.party_id.in_(ids))
        requested = select(CommentPeriodExtension.comment_period_id).where(
            CommentPeriodExtension.requested_in_letter_id.in_(letter_ids(viewer)))
        return or_(CommentPeriod.id.in_(submitted), CommentPeriod.id.in_(requested))

    return _limited(viewer, condition)


def people(viewer: Viewer) -> ColumnElement:
    from tracker.commitments.models import Commitment
    from tracker.letters.models import LetterParticipant
    from tracker.meetings.models import Meeting, MeetingParticipant
    from tracker.parties.models import Person, Role

    def condition(ids):
        visible_meetings = select(Meeting.id).where(meetings(viewer))
        return or_(
            Person.id.in_(select(Role.person_id).where(Role.party_id.in_(ids))),
            Person.id.in_(select(LetterParticipant.person_id).where(
                LetterParticipant.person_id.is_not(None), LetterParticipant.letter_id.in_(letter_ids(viewer)))),
            Person.id.in_(select(MeetingParticipant.person_id).where(
                MeetingParticipant.person_id.is_not(None), MeetingParticipant.meeting_id.in_(visible_meetings))),
            Person.id.in_(select(Commitment.owner_id).where(
                Commitment.owner_id.is_not(None), Commitment.id.in_(commitment_ids(viewer)))))

    return _limited(viewer, condition)


def _models():
    from tracker.commitments.models import Commitment
    from tracker.consultations.models import CommentPeriod, Submission
    from tracker.letters.models import Letter
    from tracker.meetings.models import Meeting
    from tracker.parties.models import Party, Person

    return {Party: parties, Person: people, Letter: letters, Commitment: commitments, Meeting: meetings,
            CommentPeriod: comment_periods, Submission: submissions}


def condition_for(model, viewer: Viewer) -> ColumnElement:
    """The predicate of a model; a model the policy does not know is visible to staff only (fail closed)."""
    predicate = _models().get(model)
    if predicate is None:
        return true() if viewer.may_edit() else false()
    return predicate(viewer)


def involving(model, party_ids) -> ColumnElement:
    """The records of a model that involve one of these parties, by the same rule that decides visibility:
    what a viewer limited to exactly these parties would see (filters "of this party" use it)."""
    return condition_for(model, Viewer(role="viewer", party_ids=frozenset(int(i) for i in party_ids)))


def visible(statement, model, viewer: Viewer):
    """Restrict any select() over a model to the rows the viewer may see."""
    return statement.where(condition_for(model, viewer))


def visible_ids(session, viewer: Viewer, model, ids) -> set[int]:
    """Which of these ids of a model the viewer may see: one query (none when the viewer sees everything)."""
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return set()
    if viewer.sees_everything and viewer.is_signed_in:
        return wanted
    if viewer.sees_nothing or not viewer.is_signed_in:
        return set()
    statement = select(model.id).where(model.id.in_(sorted(wanted)), condition_for(model, viewer))
    return set(session.execute(statement).scalars().all())


def get_visible(session, viewer: Viewer, model, record_id: int | None):
    """The record when it exists and the viewer may see it, else None (the caller answers 404)."""
    if record_id is None or not viewer.is_signed_in or viewer.sees_nothing:
        return None
    if viewer.sees_everything:
        return session.get(model, record_id)
    statement = select(model).where(model.id == record_id, condition_for(model, viewer))
    return session.execute(statement).scalars().first()
