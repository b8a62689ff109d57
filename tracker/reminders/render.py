"""Turns a built digest into an Email (text and HTML parts from templates/emails/), and signs unsubscribe links."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from tracker.mail import Email
from tracker.reminders.digest import DigestContent

UNSUBSCRIBE_SALT = "digest-unsubscribe"


def unsubscribe_token(recipient_id: int, secret: str | None = None) -> str:
    # No expiry: the link in a month-old email must still work.
    return URLSafeSerializer(secret or current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(recipient_id)


def recipient_id_from_token(token: str, secret: str | None = None) -> int | None:
    try:
        value = URLSafeSerializer(secret or current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def message_id(recipient_id: int, period: str, sender: str) -> str:
    """Stable per recipient and period, so a message can be traced back to its row."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<digest-{recipient_id}-{period.replace('/', '-')}@{domain}>"


def compose_email(content: DigestContent, *, period: str, now: datetime, config=None) -> Email:
    """The digest as a two-part email with List-Unsubscribe headers."""
    config = config or current_app.config
    base_url = config["BASE_URL"].rstrip("/")
    recipient = content.recipient
    unsubscribe_url = f"{base_url}/unsubscribe/{unsubscribe_token(recipient.id, config['SECRET_KEY'])}"
    context = dict(content=content, base_url=base_url, unsubscribe_url=unsubscribe_url,
                   preferences_url=f"{base_url}/reminders/mine")
    # Straight from the Jinja environment: emails need no request context processors (and a pass renders
    # thousands of them).
    environment = current_app.jinja_env
    text = environment.get_template("emails/digest.txt").render(context)
    html = environment.get_template("emails/digest.html").render(context)
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "Auto-Submitted": "auto-generated"}
    return Email(sender=config["MAIL_FROM"], to=(recipient.email,), subject=content.subject, text=text, html=html,
                 headers=headers, message_id=message_id(recipient.id, period, config["MAIL_FROM"]), date=now)
