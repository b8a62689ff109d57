"""Turns a built digest into an Email (text and HTML parts from templates/emails/), and signs unsubscribe links."""
from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import escape

from tracker.mail import Email
from tracker.reminders.digest import DigestContent

UNSUBSCRIBE_SALT = "digest-unsubscribe"

# Stand-ins for what differs between recipients of the same content. The random part keeps any text a user
# could type (a title, a name) from ever matching one; the private-use characters are left alone by escaping.
_NONCE = secrets.token_hex(8)
NAME_SLOT = f"\ue000name-{_NONCE}\ue000"
UNSUBSCRIBE_SLOT = f"\ue000unsubscribe-{_NONCE}\ue000"


@lru_cache(maxsize=8)
def _serializer(secret: str) -> URLSafeSerializer:
    # Stateless once made: one per secret instead of one per token (a pass signs thousands).
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(recipient_id: int, secret: str | None = None) -> str:
    # No expiry: the link in a month-old email must still work.
    return _serializer(secret or current_app.config["SECRET_KEY"]).dumps(recipient_id)


def recipient_id_from_token(token: str, secret: str | None = None) -> int | None:
    try:
        value = _serializer(secret or current_app.config["SECRET_KEY"]).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def message_id(recipient_id: int, period: str, sender: str) -> str:
    """Stable per recipient and period, so a message can be traced back to its row."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<digest-{recipient_id}-{period.replace('/', '-')}@{domain}>"


class DigestRenderer:
    """Composes the emails of many digests. Digests that share their sections (see digest.build_digests) are
    rendered once, with stand-ins for the recipient's name and unsubscribe link; each email then only fills
    in its own."""

    def __init__(self, config=None):
        config = config or current_app.config
        self.base_url = config["BASE_URL"].rstrip("/")
        self.sender = config["MAIL_FROM"]
        self.secret = config["SECRET_KEY"]
        # Straight from the Jinja environment: emails need no request context processors.
        environment = current_app.jinja_env
        self.text_template = environment.get_template("emails/digest.txt")
        self.html_template = environment.get_template("emails/digest.html")
        self._rendered = {}

    def compose(self, content: DigestContent, *, period: str, now: datetime) -> Email:
        """The digest as a two-part email with List-Unsubscribe headers."""
        recipient = content.recipient
        text, html = self._render(content)
        unsubscribe_url = f"{self.base_url}/unsubscribe/{unsubscribe_token(recipient.id, self.secret)}"
        # The text part is not escaped (the template is plain text), the HTML part is.
        text = text.replace(NAME_SLOT, recipient.name).replace(UNSUBSCRIBE_SLOT, unsubscribe_url)
        html = html.replace(NAME_SLOT, str(escape(recipient.name))).replace(UNSUBSCRIBE_SLOT,
                                                                          str(escape(unsubscribe_url)))
        headers = {"List-Unsubscribe": f"<{unsubscribe_url}>",
                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                   "Auto-Submitted": "auto-generated"}
        return Email(sender=self.sender, to=(recipient.email,), subject=content.subject, text=text, html=html,
                     headers=headers, message_id=message_id(recipient.id, period, self.sender), date=now)

    def _render(self, content: DigestContent) -> tuple[str, str]:
        # Everything the templates show besides the name and link: the sections (shared by identity), the
        # day, the subject and, for an empty digest, the due-soon days.
        key = (id(content.sections), content.today, content.subject, content.recipient.due_soon_days)
        found = self._rendered.get(key)
        if found is None:
            stand_in = replace(content, recipient=replace(content.recipient, name=NAME_SLOT))
            context = dict(content=stand_in, base_url=self.base_url, unsubscribe_url=UNSUBSCRIBE_SLOT,
                           preferences_url=f"{self.base_url}/reminders/mine")
            # The sections are kept with the result so that their id() cannot be reused by another object.
            found = self._rendered[key] = (self.text_template.render(context), self.html_template.render(context),
                                           content.sections)
        return found[0], found[1]


def compose_email(content: DigestContent, *, period: str, now: datetime, config=None) -> Email:
    """The digest as a two-part email with List-Unsubscribe headers."""
    return DigestRenderer(config).compose(content, period=period, now=now)
