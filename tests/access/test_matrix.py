"""Every rule of the URL map × every kind of account × GET and POST, against the expected outcome.

A route missing from EXPECTED fails the test: a new route must be classified here (one entry per endpoint).
Record routes are tried with a record the ccNSO-limited viewer may see and with one it may not.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.access.conftest import ROLES

OK = "allowed"              # 200 (201), a redirect that is not the sign-in page, or 400 for an empty post
SIGN_IN = "sign in"         # redirect to the sign-in page (401 for the API)
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"

ANONYMOUS, CCNSO, NO_PARTY, ALL_PARTIES, EDITOR, ADMIN = ROLES


def outcomes(anonymous=SIGN_IN, ccnso=OK, no_party=OK, all_parties=OK, editor=OK, admin=OK) -> dict:
    return {ANONYMOUS: anonymous, CCNSO: ccnso, NO_PARTY: no_party, ALL_PARTIES: all_parties, EDITOR: editor,
            ADMIN: admin}


PUBLIC = outcomes(anonymous=OK)
SIGNED_IN = outcomes()
# A record page: the ccNSO viewer opens it when the record involves the ccNSO; a viewer with no party never.
RECORD = outcomes(no_party=NOT_FOUND)
STAFF = outcomes(ccnso=FORBIDDEN, no_party=FORBIDDEN, all_parties=FORBIDDEN)
ADMIN_ONLY = outcomes(ccnso=FORBIDDEN, no_party=FORBIDDEN, all_parties=FORBIDDEN, editor=FORBIDDEN)
# A route reached with a token from an email or a calendar: the dataset's token is not one, for anybody.
BAD_TOKEN = outcomes(anonymous=NOT_FOUND, ccnso=NOT_FOUND, no_party=NOT_FOUND, all_parties=NOT_FOUND,
                     editor=NOT_FOUND, admin=NOT_FOUND)
# Another account's API token: only its owner may revoke it; to anyone else it does not exist.
OTHERS_TOKEN = outcomes(ccnso=NOT_FOUND, no_party=NOT_FOUND, all_parties=NOT_FOUND, editor=NOT_FOUND,
                        admin=NOT_FOUND)
# Someone else's digest settings: an admin's to change; to anyone else it does not exist.
OTHERS_DIGEST = outcomes(ccnso=NOT_FOUND, no_party=NOT_FOUND, all_parties=NOT_FOUND, editor=NOT_FOUND)

# endpoint → {method: outcomes for a record the ccNSO viewer may see}. Methods a rule does not allow are
# expected to answer 405 without an entry.
EXPECTED: dict[str, dict[str, dict]] = {
    "static": {"GET": PUBLIC},
    "health": {"GET": PUBLIC},
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": {"POST": SIGNED_IN},
    "auth.sign_ins": {"GET": ADMIN_ONLY},
    # Entra ID is not configured in the tests: both send the browser back to the sign-in form.
    "auth.entra_start": {"GET": PUBLIC},
    "auth.entra_callback": {"GET": PUBLIC},
    "accounts.users": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "accounts.user": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "accounts.deactivate": {"POST": ADMIN_ONLY},
    "accounts.reactivate": {"POST": ADMIN_ONLY},
    "accounts.send_password_link": {"POST": ADMIN_ONLY},
    "accounts.forgot_password": {"GET": PUBLIC, "POST": PUBLIC},
    "accounts.set_password": {"GET": BAD_TOKEN, "POST": BAD_TOKEN},
    "accounts.account": {"GET": SIGNED_IN},
    "accounts.change_password": {"POST": SIGNED_IN},
    "accounts.create_token": {"POST": SIGNED_IN},
    "accounts.revoke_token": {"POST": OTHERS_TOKEN},
    "calendar.index": {"GET": SIGNED_IN},
    "calendar.issue": {"POST": SIGNED_IN},
    "calendar.revoke": {"POST": SIGNED_IN},
    "calendar.feed": {"GET": BAD_TOKEN},
    "calendar.party_feed": {"GET": BAD_TOKEN},
    "exchange.commitments": {"GET": STAFF, "POST": STAFF},
    "exchange.apply_commitments": {"POST": STAFF},
    "exchange.letters": {"GET": STAFF, "POST": STAFF},
    "exchange.apply_letters": {"POST": STAFF},
    "search.index": {"GET": SIGNED_IN},
    # Pickers: parties and owners also serve list filters; people, letters and meetings only staff forms.
    # Commitments: any reader may search those they may see (the progress form's "replaced by" uses it).
    "pick.parties": {"GET": SIGNED_IN},
    "pick.owners": {"GET": SIGNED_IN},
    "pick.commitments": {"GET": SIGNED_IN},
    "pick.people": {"GET": STAFF},
    "pick.letters": {"GET": STAFF},
    "pick.meetings": {"GET": STAFF},
    "dashboards.overview": {"GET": SIGNED_IN},
    "dashboards.party": {"GET": RECORD},
    "reports.party_pdf": {"GET": RECORD},
    "reports.party_xlsx": {"GET": RECORD},
    "reports.all_pdf": {"GET": SIGNED_IN},
    "reports.all_xlsx": {"GET": SIGNED_IN},
    "api.openapi": {"GET": PUBLIC},
    "api.parties": {"GET": SIGNED_IN},
    "api.party": {"GET": RECORD},
    "api.people": {"GET": SIGNED_IN},
    "api.person": {"GET": RECORD},
    "api.letters": {"GET": SIGNED_IN},
    "api.letter": {"GET": RECORD},
    "api.create_letter": {"POST": STAFF},
    "api.update_letter": {"PUT": STAFF},
    "api.commitments": {"GET": SIGNED_IN},
    "api.commitment": {"GET": RECORD},
    "api.create_commitment": {"POST": STAFF},
    "api.update_commitment": {"PUT": STAFF},
    "api.reschedule_commitment": {"POST": STAFF},
    "api.commitment_progress": {"POST": STAFF},
    "api.meetings": {"GET": SIGNED_IN},
    "api.meeting": {"GET": RECORD},
    "api.comment_periods": {"GET": SIGNED_IN},
    "api.comment_period": {"GET": RECORD},
    "letters.index": {"GET": SIGNED_IN},
    "letters.export_csv": {"GET": SIGNED_IN},
    "letters.export_xlsx": {"GET": SIGNED_IN},
    "letters.detail": {"GET": RECORD},
    "letters.download": {"GET": RECORD},
    "letters.new": {"GET": STAFF, "POST": STAFF},
    "letters.edit": {"GET": STAFF, "POST": STAFF},
    "letters.link": {"POST": STAFF},
    "letters.no_reply": {"POST": STAFF},
    "letters.reopen": {"POST": STAFF},
    "letters.upload": {"POST": STAFF},
    "commitments.index": {"GET": SIGNED_IN},
    "commitments.export_csv": {"GET": SIGNED_IN},
    "commitments.export_xlsx": {"GET": SIGNED_IN},
    "commitments.show": {"GET": RECORD},
    "commitments.new": {"GET": STAFF, "POST": STAFF},
    "commitments.parse_due_json": {"GET": STAFF},
    "commitments.details": {"POST": STAFF},
    "commitments.progress": {"POST": STAFF},
    "commitments.reschedule": {"POST": STAFF},
    "commitments.phase": {"POST": STAFF},
    "phases.index": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "phases.rename": {"POST": ADMIN_ONLY},
    "phases.move": {"POST": ADMIN_ONLY},
    "phases.retire": {"POST": ADMIN_ONLY},
    "phases.reinstate": {"POST": ADMIN_ONLY},
    "meetings.index": {"GET": SIGNED_IN},
    "meetings.show": {"GET": RECORD},
    "meetings.new": {"GET": STAFF, "POST": STAFF},
    "meetings.move": {"POST": STAFF},
    "meetings.add_participant": {"POST": STAFF},
    "consultations.index": {"GET": SIGNED_IN},
    "consultations.show": {"GET": RECORD},
    "consultations.new": {"GET": STAFF, "POST": STAFF},
    "consultations.extend": {"POST": STAFF},
    "consultations.add_submission": {"POST": STAFF},
    "consultations.record_summary": {"POST": STAFF},
    "parties.index": {"GET": SIGNED_IN},
    "parties.new_party": {"GET": STAFF, "POST": STAFF},
    "parties.edit_party": {"GET": STAFF, "POST": STAFF},
    "parties.people": {"GET": SIGNED_IN},
    "parties.person": {"GET": RECORD},
    "parties.new_person": {"GET": STAFF, "POST": STAFF},
    "parties.edit_person": {"GET": STAFF, "POST": STAFF},
    "parties.new_role": {"GET": STAFF, "POST": STAFF},
    "intake.index": {"GET": STAFF},
    "intake.upload": {"POST": STAFF},
    "intake.save": {"POST": STAFF},
    "reminders.index": {"GET": SIGNED_IN},
    "reminders.mine": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "reminders.new": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "reminders.edit": {"GET": OTHERS_DIGEST, "POST": OTHERS_DIGEST},
    "reminders.preview": {"GET": OTHERS_DIGEST},
    "reminders.resubscribe": {"POST": OTHERS_DIGEST},
    "reminders.unsubscribe": {"GET": PUBLIC, "POST": PUBLIC},
    "reminders.sent_mail": {"GET": ADMIN_ONLY},
    "reminders.sent_mail_detail": {"GET": ADMIN_ONLY},
    "reminders.resend": {"POST": ADMIN_ONLY},
}

# Signing out ends the client's session: it is tried last and the client signs in again.
LAST = {"auth.logout"}


def classify(response, method: str) -> str:
    status = response.status_code
    if status == 401:
        return SIGN_IN
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers.get("Location", ""))
        return SIGN_IN if location.path == "/sign-in" and "next=" in location.query else OK
    if status in (200, 201) or (status == 400 and method in ("POST", "PUT")):
        return OK
    return {403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(status, f"HTTP {status}")


def expected_for_hidden(role: str, expected: str) -> str:
    """With a record only GNSO or ALAC may see, the ccNSO viewer finds nothing where it found the page."""
    return NOT_FOUND if role == CCNSO and expected == OK else expected


def _url(app, rule, args: dict) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})


def _cases(app):
    """(rule, method, expected outcomes or NOT_ALLOWED) for every rule, GET and POST (and PUT where routed)."""
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint in LAST, rule.endpoint, rule.rule))
    for rule in rules:
        for method in ("GET", "POST") + (("PUT",) if "PUT" in rule.methods else ()):
            if method in rule.methods:
                yield rule, method, EXPECTED.get(rule.endpoint, {}).get(method)
            elif not any(other.rule == rule.rule and method in other.methods for other in rules):
                yield rule, method, NOT_ALLOWED


def test_every_route_has_an_expected_outcome(app):
    missing = sorted({f"{rule.endpoint} {method}" for rule, method, expected in _cases(app) if expected is None})
    assert not missing, f"classify these routes in EXPECTED (tests/access/test_matrix.py): {missing}"
    stale = sorted(set(EXPECTED) - {rule.endpoint for rule in app.url_map.iter_rules()})
    assert not stale, f"EXPECTED names endpoints that no longer exist: {stale}"


def test_every_route_answers_every_account_as_the_policy_says(app, data, clients):
    seen, wrong, tried = set(), [], 0
    for rule, method, expected in _cases(app):
        if expected is None:
            continue
        variants = [("visible", data.visible_args)]
        if any(name in rule.arguments for name in ("letter_id", "commitment_id", "meeting_id", "period_id",
                                                   "party_id", "person_id")):
            variants.append(("hidden", data.hidden_args))
        for variant, args in variants:
            url = _url(app, rule, args)
            for role in ROLES:
                want = expected if expected == NOT_ALLOWED else expected[role]
                if variant == "hidden":
                    want = expected_for_hidden(role, want)
                response = clients[role].open(url, method=method)
                tried += 1
                assert response.status_code < 500, (rule.endpoint, method, role, url, response.status_code)
                got = classify(response, method)
                seen.add((rule.endpoint, method, role))
                if got != want:
                    wrong.append(f"{method} {url} ({rule.endpoint}) as {role} [{variant}]: expected {want}, got {got}")
                if rule.endpoint in LAST and role != ANONYMOUS:
                    clients["sign_in_again"](role)
    assert not wrong, "\n".join(wrong)
    # Every rule was tried with every kind of account.
    assert len({endpoint for endpoint, _m, _r in seen}) == len({r.endpoint for r in app.url_map.iter_rules()})
    print(f"access matrix: {tried} requests")


@pytest.mark.parametrize("role", [CCNSO, NO_PARTY])
def test_limited_viewers_cannot_reach_hidden_records_through_any_record_route(app, data, clients, role):
    """The hidden variant above, stated on its own: no record route opens a GNSO-only record for them."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not ({"letter_id", "commitment_id", "meeting_id", "period_id", "party_id",
                                              "person_id"} & set(rule.arguments)):
            continue
        response = clients[role].get(_url(app, rule, data.hidden_args))
        assert response.status_code in (403, 404), (rule.endpoint, response.status_code)
