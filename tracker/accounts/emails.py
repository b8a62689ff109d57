"""The emails that carry invitation and password-reset links (text only, from templates/emails/)."""
from __future__ import annotations

from flask import Flask, Response, current_app, render_template

from tracker import clock, mail
from tracker.accounts.operations import IssuedLink
from tracker.mail import DeliveryError, Email

SUBJECTS = {"invite": "You are invited to the commitment tracker",
            "reset": "Set a new password for the commitment tracker"}


def link_email(issued: IssuedLink) -> Email:
    """The email for a just-issued link; the link is absolute, on BASE_URL."""
    config = current_app.config
    # Built from the URL map, not url_for: the command line has no request to take a host from.
    path = current_app.url_map.bind("localhost").build("accounts.set_password", {"token": issued.token})
    link = config["BASE_URL"].rstrip("/") + path
    text = render_template(f"emails/account_{issued.purpose}.txt", user=issued.user, link=link,
                           expires_at=issued.expires_at)
    return Email(sender=config["MAIL_FROM"], to=(issued.user.email,), subject=SUBJECTS[issued.purpose], text=text,
                 date=clock.now())


def send_link(issued: IssuedLink) -> bool:
    """Send the link's email now; False (logged) when the transport could not take it."""
    return _send(current_app._get_current_object(), link_email(issued))


def send_link_after_response(issued: IssuedLink, response: Response) -> Response:
    """Send the link's email once the response has gone out, so a mail server's delay does not show in how
    long the page took (which would tell a known address from an unknown one)."""
    app, email = current_app._get_current_object(), link_email(issued)

    def send() -> None:
        with app.app_context():
            _send(app, email)

    response.call_on_close(send)
    return response


def _send(app: Flask, email: Email) -> bool:
    try:
        mail.transport(app).send(email)
    except DeliveryError as error:
        app.logger.warning("could not send %r to %s: %s", email.subject, ", ".join(email.to), error)
        return False
    return True
