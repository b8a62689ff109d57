from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tracker import clock, events, validation
from tracker.consultations.models import CommentPeriod, CommentPeriodExtension, Submission
from tracker.validation import InvalidInput


def open_comment_period(session: Session, *, title: str, opens_on: date, closes_on: date,
                        reply_closes_on: date | None = None, forum_url: str | None = None,
                        actor: events.Actor = events.SYSTEM) -> CommentPeriod:
    """Record a public comment period."""
    if not title.strip():
        raise InvalidInput("a comment period needs a title", "title")
    validation.window(opens_on, closes_on, "closes_on")
    validation.window(closes_on, reply_closes_on, "reply_closes_on")
    now = clock.now()
    period = CommentPeriod(title=title.strip(), opens_on=opens_on, closes_on=closes_on,
                           reply_closes_on=reply_closes_on, forum_url=validation.url(forum_url, "forum_url"),
                           created_at=now, updated_at=now)
    session.add(period)
    session.flush()
    events.record(session, "comment_period.opened", "comment_period", period.id, actor,
                  {"title": period.title, "opens_on": opens_on, "closes_on": closes_on})
    return period


def extend(session: Session, period: CommentPeriod, *, new_closes_on: date, current_close: date, reason: str = "",
           requested_in_letter_id: int | None = None, actor: events.Actor = events.SYSTEM) -> CommentPeriodExtension:
    """Extend the period to a later close."""
    if new_closes_on <= current_close:
        raise InvalidInput(f"an extension must close after the current close ({current_close})", "new_closes_on")
    extension = CommentPeriodExtension(comment_period_id=period.id, new_closes_on=new_closes_on, reason=reason.strip(),
                                       requested_in_letter_id=requested_in_letter_id, created_at=clock.now())
    session.add(extension)
    session.flush()
    events.record(session, "comment_period.extended", "comment_period", period.id, actor,
                  {"from": current_close, "to": new_closes_on, "reason": reason})
    return extension


def add_submission(session: Session, period: CommentPeriod, *, author: str, submitted_on: date,
                   party_id: int | None = None, url: str | None = None,
                   actor: events.Actor = events.SYSTEM) -> Submission:
    """A comment received in the forum."""
    if not author.strip():
        raise InvalidInput("a submission needs its author", "author")
    submission = Submission(comment_period_id=period.id, author=author.strip(), submitted_on=submitted_on,
                            party_id=party_id, url=validation.url(url, "url"))
    session.add(submission)
    session.flush()
    events.record(session, "comment_period.submission_received", "comment_period", period.id, actor,
                  {"author": submission.author, "submitted_on": submitted_on, "party_id": party_id,
                   "submission_id": submission.id})
    return submission


def record_summary(session: Session, period: CommentPeriod, *, summary: str, summary_url: str | None = None,
                   actor: events.Actor = events.SYSTEM) -> None:
    """The staff summary and analysis of comments."""
    summary_url = validation.url(summary_url, "summary_url")
    previous_summary, previous_url = period.summary, period.summary_url
    period.summary = summary
    period.summary_url = summary_url
    period.updated_at = clock.now()
    session.add(period)
    events.record(session, "comment_period.summarised", "comment_period", period.id, actor,
                  {"summary_url": period.summary_url, "from_summary": previous_summary,
                   "from_summary_url": previous_url})
