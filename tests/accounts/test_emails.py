"""Invitation and reset emails against reviewed golden files (the link's secret replaced by <token>).

After a deliberate change to the templates, regenerate with UPDATE_GOLDEN=1 and review the diff.
"""
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tracker.accounts.emails import link_email
from tracker.accounts.operations import IssuedLink
from tracker.auth.models import User

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("purpose", ["invite", "reset"])
def test_link_emails_match_golden_files(app, purpose):
    user = User(id=4, email="chris@example.org", display_name="Chris Disspain", role="viewer", password_hash="",
                created_at=datetime(2010, 5, 12, tzinfo=timezone.utc))
    with app.app_context():
        email = link_email(IssuedLink(user, purpose, "<token>", datetime(2010, 5, 19, 9, tzinfo=timezone.utc)))
    assert email.to == ("chris@example.org",) and email.sender == app.config["MAIL_FROM"]
    rendered = f"Subject: {email.subject}\n\n{email.text}"
    path = GOLDEN / f"account_{purpose}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")
