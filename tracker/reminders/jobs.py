"""Job bodies: each opens an app context, calls operations, commits (write_session), and returns a report."""
from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field, replace
from datetime import timedelta

from flask import Flask

from tracker import mail
from tracker.db import write_session
from tracker.mail import DeliveryError, Email
from tracker.notices import operations as notice_operations
from tracker.reminders import operations
from tracker.reminders.models import Digest

log = logging.getLogger("tracker.reminders")


@dataclass
class PassReport:
    planned: int = 0
    skipped: int = 0
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    due_soon_events: int = 0
    overdue_events: int = 0
    notice_emails: int = 0

    def summary(self) -> str:
        return (f"planned {self.planned} (skipped {self.skipped} with nothing to say), sent {len(self.sent)}, "
                f"retrying {len(self.retrying)}, failed {len(self.failed)}, delivery unknown {len(self.unknown)}; "
                f"events: {self.due_soon_events} due soon, {self.overdue_events} overdue; "
                f"notice emails planned {self.notice_emails}")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def email_of(digest: Digest, sender: str) -> Email:
    """The digest's message; once assembled, byte for byte what was stored on the row."""
    email = Email(sender=sender, to=(digest.to_address,), subject=digest.subject, text=digest.text_body,
                  html=digest.html_body or None, headers=dict(digest.headers), message_id=digest.message_id,
                  date=digest.created_at)
    if digest.raw_message:
        return replace(email, raw=digest.raw_message.encode("utf-8"))
    return email


def sweep(app: Flask, report: PassReport | None = None) -> PassReport:
    """Job: owners get recipient rows; due_soon / overdue events are emitted once per item and threshold."""
    report = report or PassReport()
    with app.app_context():
        days = int(app.config["DIGEST_DUE_SOON_DAYS"])
        with write_session() as session:
            operations.ensure_owner_recipients(session, days)
            emitted = operations.emit_threshold_events(session, days, app.config["DISPLAY_TIMEZONE"])
    report.due_soon_events += emitted["commitment.due_soon"]
    report.overdue_events += emitted["commitment.overdue"]
    return report


def send_due(app: Flask, transport=None, worker: str | None = None, report: PassReport | None = None) -> PassReport:
    """Job: plan the digests whose local send time has come and the emails of notices told immediately, settle
    stuck rows, deliver what is pending."""
    report = report or PassReport()
    worker = worker or worker_name()
    with app.app_context():
        config = app.config
        with write_session() as session:
            operations.ensure_owner_recipients(session, int(config["DIGEST_DUE_SOON_DAYS"]))
            rows = operations.plan_due_digests(session, grace=timedelta(hours=int(config["DIGEST_GRACE_HOURS"])))
        report.planned += len(rows)
        report.skipped += sum(1 for row in rows if row["state"] == "skipped")
        with write_session() as session:
            # Notices asked for "immediately" become emails of their own, delivered below like digests.
            report.notice_emails += len(notice_operations.plan_immediate(session))
        with write_session() as session:
            report.unknown += operations.mark_stuck_as_unknown(
                session, timedelta(minutes=int(config["DIGEST_LEASE_MINUTES"])))
        deliver_pending(app, transport or mail.transport(app), worker, report)
    return report


def deliver_pending(app: Flask, transport, worker: str, report: PassReport) -> PassReport:
    """Claim → commit → send → mark, one digest at a time, until nothing due is left for this pass."""
    config = app.config
    attempted: set[int] = set()
    while True:
        with write_session() as session:
            digest_id = operations.claim_next(session, worker, skip=attempted)
            if digest_id is None:
                break
            digest = session.get(Digest, digest_id, populate_existing=True)
            email = email_of(digest, config["MAIL_FROM"])
            if not digest.raw_message:
                # Stored with the claim, before sending: the Sent mail page shows exactly what went out.
                digest.raw_message = email.as_bytes().decode("utf-8")
                session.add(digest)
                email = replace(email, raw=digest.raw_message.encode("utf-8"))
        # The claim is committed: if this process dies now, the row stays 'sending' and becomes 'unknown'.
        attempted.add(digest_id)
        try:
            provider_id = transport.send(email)
        except DeliveryError as error:
            with write_session() as session:
                digest = session.get(Digest, digest_id, populate_existing=True)
                operations.mark_failed_attempt(session, digest, error, transport.name,
                                               int(config["DIGEST_MAX_ATTEMPTS"]),
                                               timedelta(seconds=int(config["DIGEST_RETRY_SECONDS"])))
                state = digest.state
            (report.failed if state == "failed" else report.retrying).append(digest_id)
            log.warning("digest %s to %s: %s (%s)", digest_id, email.to[0], error, state)
            continue
        with write_session() as session:
            digest = session.get(Digest, digest_id, populate_existing=True)
            operations.mark_sent(session, digest, transport.name, provider_id or "")
        report.sent.append(digest_id)
        log.info("digest %s sent to %s via %s", digest_id, email.to[0], transport.name)
    return report


def run_pass(app: Flask, transport=None) -> PassReport:
    """One full pass by hand (`flask digest send-due`): sweep, then plan and deliver."""
    report = sweep(app)
    return send_due(app, transport, report=report)
