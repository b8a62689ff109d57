"""Turns a built digest into an Email (text and HTML parts from templates/emails/), and signs unsubscribe links.

An unsubscribe link names the recipient and the state of their subscription when it was made (its updated-at
time), and is dated: it stops working once the subscription changes (a resubscribe, new preferences: the next
digest carries a new link) and after DIGEST_UNSUBSCRIBE_MAX_AGE_DAYS.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from markupsafe import escape

from tracker import clock
from tracker.mail import Email
from tracker.reminders.digest import DigestContent

# Links of the first kind named only the recipient and never expired; the new salt refuses them.
UNSUBSCRIBE_SALT = "digest-unsubscribe-v2"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# Stand-ins for what differs between recipients of the same content. The random part keeps any text a user
# could type (a title, a name) from ever matching one; the private-use characters are left alone by escaping.
_NONCE = secrets.token_hex(8)
NAME_SLOT = f"\ue000name-{_NONCE}\ue000"
UNSUBSCRIBE_SLOT = f"\ue000unsubscribe-{_NONCE}\ue000"


class _ClockSigner(TimestampSigner):
    """Dates links by the app's clock, like everything else (pinned in demos and tests)."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


@lru_cache(maxsize=8)
def _serializer(secret: str) -> URLSafeTimedSerializer:
    # Stateless once made: one per secret instead of one per token (a pass signs thousands).
    return URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT, signer=_ClockSigner)


def subscription_state(updated_at: datetime | None) -> int:
    """The subscription's state as a link records it: its updated-at time in microseconds."""
    if updated_at is None:
        return 0
    return (updated_at.astimezone(timezone.utc) - _EPOCH) // timedelta(microseconds=1)


def unsubscribe_token(recipient_id: int, state: int, secret: str | None = None) -> str:
    return _serializer(secret or current_app.config["SECRET_KEY"]).dumps([recipient_id, state])


def unsubscribe_token_for(recipient) -> str:
    """The link for a recipient row as it is now."""
    return unsubscribe_token(recipient.id, subscription_state(recipient.updated_at))


@dataclass(frozen=True)
class UnsubscribeClaim:
    """What a link says: whom it unsubscribes, and the state of their subscription when it was made."""
    recipient_id: int
    state: int


class LinkExpired(Exception):
    """A genuine link older than the allowed age."""


def read_unsubscribe_token(token: str, max_age_days: int | None = None,
                           secret: str | None = None) -> UnsubscribeClaim | None:
    """The claim of a genuine, unexpired link; None for anything else; LinkExpired for a genuine old one."""
    if max_age_days is None:
        max_age_days = int(current_app.config["DIGEST_UNSUBSCRIBE_MAX_AGE_DAYS"])
    try:
        value = _serializer(secret or current_app.config["SECRET_KEY"]).loads(token[:500],
                                                                              max_age=max_age_days * 86400)
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(part, int) and not isinstance(part, bool) for part in value)):
        return None
    return UnsubscribeClaim(value[0], value[1])


def mask_address(address: str) -> str:
    """chair@example.org → c•••@e•••.org: enough for its owner to recognise, not enough to harvest."""
    local, _, domain = (address or "").partition("@")
    name, dot, suffix = domain.rpartition(".")
    masked_domain = f"{name[:1]}•••{dot}{suffix}" if dot else f"{domain[:1]}•••"
    return f"{local[:1]}•••@{masked_domain}"


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
        unsubscribe_url = f"{self.base_url}/unsubscribe/{unsubscribe_token(recipient.id, recipient.unsubscribe_state, self.secret)}"
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
