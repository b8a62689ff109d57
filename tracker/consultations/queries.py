"""select() builders for comment periods."""
from __future__ import annotations

from sqlmodel import func, select

from tracker import access
from tracker.access import Viewer
from tracker.consultations.models import CommentPeriod, CommentPeriodExtension, Submission
from tracker.parties.models import Party


def current_close():
    """The close in force: the latest extension's day, else the original close (a column expression)."""
    latest_extension = (select(func.max(CommentPeriodExtension.new_closes_on))
                        .where(CommentPeriodExtension.comment_period_id == CommentPeriod.id)
                        .correlate(CommentPeriod).scalar_subquery())
    return func.coalesce(latest_extension, CommentPeriod.closes_on)


def submission_count(viewer: Viewer):
    """Submissions the viewer may see (a hidden submitter is not counted either)."""
    return (select(func.count(Submission.id)).where(Submission.comment_period_id == CommentPeriod.id,
                                                    access.submissions(viewer))
            .correlate(CommentPeriod).scalar_subquery())


def listing(viewer: Viewer):
    """(CommentPeriod, current close, number of submissions), newest first, in one query."""
    return (select(CommentPeriod, current_close().label("current_close"),
                   submission_count(viewer).label("submissions"))
            .where(access.comment_periods(viewer))
            .order_by(CommentPeriod.opens_on.desc(), CommentPeriod.id.desc()))


def current_close_of(period_id: int):
    return select(current_close()).where(CommentPeriod.id == period_id)


def extensions_of(period_id: int):
    return (select(CommentPeriodExtension).where(CommentPeriodExtension.comment_period_id == period_id)
            .order_by(CommentPeriodExtension.new_closes_on, CommentPeriodExtension.id))


def submissions_of(period_id: int, viewer: Viewer):
    """(Submission, Party|None) the viewer may see, in the order they arrived."""
    return (select(Submission, Party).outerjoin(Party, Party.id == Submission.party_id)
            .where(Submission.comment_period_id == period_id, access.submissions(viewer))
            .order_by(Submission.submitted_on, Submission.id))
