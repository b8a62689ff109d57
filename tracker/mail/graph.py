"""Microsoft Graph sendMail from a configured mailbox, with an app-only token (msal client credentials)."""
from __future__ import annotations

import json

from tracker.mail import Email, PermanentError, TransientError

GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class GraphTransport:
    name = "graph"

    def __init__(self, tenant_id: str, client_id: str, client_secret: str, sender: str,
                 authority_host: str = "https://login.microsoftonline.com",
                 api: str = "https://graph.microsoft.com/v1.0", http_client=None):
        if not (tenant_id and client_id and client_secret and sender):
            raise ValueError("Graph mail needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and GRAPH_SENDER")
        if http_client is None:
            import requests

            http_client = requests.Session()
        self.http = http_client
        self.sender = sender
        self.api = api.rstrip("/")
        import msal  # heavy (requests, cryptography): loaded only when Graph mail is configured

        # msal keeps the token in its in-memory cache until it expires.
        self.app = msal.ConfidentialClientApplication(
            client_id, client_credential=client_secret, authority=f"{authority_host.rstrip('/')}/{tenant_id}",
            http_client=http_client)

    def _token(self) -> str:
        result = self.app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        if "access_token" not in result:
            error = result.get("error", "unknown error")
            description = result.get("error_description", "")
            if error in ("invalid_client", "unauthorized_client", "invalid_scope", "invalid_request"):
                raise PermanentError(f"Graph token refused: {error} {description}".strip())
            raise TransientError(f"Graph token not obtained: {error} {description}".strip())
        return result["access_token"]

    @staticmethod
    def payload(email: Email) -> dict:
        """The sendMail body: HTML when there is an HTML part, headers as internetMessageHeaders."""
        body = {"contentType": "HTML", "content": email.html} if email.html else {"contentType": "Text",
                                                                                    "content": email.text}
        message = {"subject": email.subject, "body": body,
                   "toRecipients": [{"emailAddress": {"address": address}} for address in email.to]}
        # Graph accepts only custom X- headers here; List-Unsubscribe travels in the MIME route only.
        custom = [{"name": name, "value": value} for name, value in email.headers.items() if name.startswith("X-")]
        if custom:
            message["internetMessageHeaders"] = custom
        return {"message": message, "saveToSentItems": True}

    def send(self, email: Email) -> str:
        try:
            token = self._token()
        except (OSError, ValueError) as error:
            raise TransientError(f"Graph sign-in not reachable: {error}") from None
        url = f"{self.api}/users/{self.sender}/sendMail"
        try:
            response = self.http.post(url, data=json.dumps(self.payload(email)),
                                      headers={"Authorization": f"Bearer {token}",
                                               "Content-Type": "application/json"})
        except OSError as error:
            raise TransientError(f"Graph not reachable: {error}") from None
        status = response.status_code
        if status in (200, 202):
            return response.headers.get("request-id", email.message_id)
        detail = f"Graph sendMail {status}: {(response.text or '')[:300]}"
        if status == 429 or status >= 500:
            raise TransientError(detail, retry_after=_retry_after(response.headers))
        raise PermanentError(detail)


def _retry_after(headers) -> float | None:
    value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
