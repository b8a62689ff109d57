"""The digest email's text and HTML parts against reviewed golden files.

After a deliberate change to the templates, regenerate with UPDATE_GOLDEN=1 and review the diff.
"""
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tracker.reminders.digest import CommitmentItem, LetterItem, RecipientView, build_digest
from tracker.reminders.render import compose_email

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2010, 5, 12, 23, 0, tzinfo=timezone.utc)


def sample_email():
    recipient = RecipientView(7, "Greg Rattray", "greg.rattray@example.org", "America/New_York", 7,
                              since=datetime(2010, 5, 11, 23, tzinfo=timezone.utc))
    items = [
        CommitmentItem(9, "Publish a Concept of Operations and updated resource analysis", "open", "ccNSO Council",
                       "in early May", date(2010, 5, 10), "window", "in early May", date(2010, 5, 10)),
        CommitmentItem(3, "Detail mission requirements", "in_progress", "GNSO Council", "end of May",
                       date(2010, 5, 15), "window", "in the April timeframe", date(2010, 4, 30)),
        CommitmentItem(1, "Detail the constituent portions of the $2.1 million", "open", "ccNSO Council",
                       "weeks not months", None, "vague"),
        CommitmentItem(8, "Publish the workshop findings & consultation list", "done", "ALAC", "by end of April",
                       date(2010, 4, 30), "day", done_at=datetime(2010, 5, 12, 14, tzinfo=timezone.utc)),
        LetterItem(2, "Remarks made to the GAC <objection>", "ccNSO Council", date(2010, 3, 11), date(2010, 4, 10)),
    ]
    return compose_email(build_digest(recipient, items, NOW), period="2010-05-12", now=NOW)


@pytest.mark.parametrize("part, filename", [("text", "digest.txt"), ("html", "digest.html")])
def test_digest_parts_match_golden_files(session, part, filename):
    rendered = getattr(sample_email(), part)
    path = GOLDEN / filename
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_digest_headers_carry_unsubscribe_and_stable_message_id(session):
    email = sample_email()
    assert email.subject == ("Reminders for 12 May 2010: 1 overdue, 1 due within 7 days, 1 without a date, "
                             "1 letter awaiting a reply, 1 done")
    assert email.message_id == "<digest-7-2010-05-12@example.org>"
    assert email.headers["List-Unsubscribe"].startswith("<http://tracker.test/unsubscribe/")
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Titles are escaped in HTML, left as written in text.
    assert "&lt;objection&gt;" in email.html and "<objection>" in email.text
