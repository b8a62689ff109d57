"""The OpenAPI document describes every API route, and the API keeps to it: schemathesis generates requests
from the document for every operation (as an admin with a bearer token, in-process) and checks that none
answers 500 and every answer has a documented status, content type and body shape."""
from __future__ import annotations

import re
from collections import Counter

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests import factories
from tests.conftest import testing_config
from tests.hostile.world import build_world
from tracker import create_app
from tracker.accounts.operations import create_api_token

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_document_is_openapi_3_1_and_describes_every_api_route(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    described = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    routed = {(method, re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routed
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], (method, path)
            if method in ("post", "put"):
                assert "$ref" in operation["requestBody"]["content"]["application/json"]["schema"], (method, path)


def test_every_schema_the_document_refers_to_is_in_it(client):
    text = client.get("/api/openapi.json").get_data(as_text=True)
    document = client.get("/api/openapi.json").get_json()
    referred = set(re.findall(r'"#/components/schemas/([^"]+)"', text))
    assert referred and referred <= set(document["components"]["schemas"])


@pytest.fixture()
def api_app(database_url, session):
    """The app on the test's session, with a token rate limit no generated run reaches."""
    application = create_app(testing_config(database_url, API_TOKEN_RATE_LIMIT="1000000 per minute"))
    application.extensions["db"].session_override = session
    yield application
    application.extensions["db"].session_override = None


def with_known_ids(case, world) -> None:
    """Point the case's ids at records that exist, so requests get past "no such record" to the operations."""
    known = world.path_values()
    for name in case.path_parameters or {}:
        if name in known:
            case.path_parameters[name] = known[name]
    if not isinstance(case.body, dict):
        return
    replacements = {"made_by": [world.internal_party_id], "made_to": [world.party_id], "owner_id": world.person_id,
                    "speaker_id": world.person_id, "source_letter_id": world.letter_id,
                    "source_meeting_id": world.meeting_id, "due_anchor_meeting_id": world.meeting_id,
                    "replaced_by_id": world.replacement_id}
    for key, value in replacements.items():
        if case.body.get(key) is not None:
            case.body[key] = value
    for participant in case.body.get("participants") or []:
        if isinstance(participant, dict):
            for key, value in (("party_id", world.party_id), ("person_id", world.person_id)):
                if participant.get(key) is not None:
                    participant[key] = value


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(api_app, session, capsys):
    admin = factories.user(session, role="admin")
    world = build_world(session, admin)
    _token, secret = create_api_token(session, admin, "schemathesis")
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures, examples, statuses = [], 0, Counter()

    # Requests the document allows, then requests it does not (wrong types, missing fields, values out of
    # range): neither may get a 500 or an answer the document does not describe. (Unknown query parameters
    # are ignored, as by the pages, so "refuse every invalid request" is not checked.)
    for operation, mode in [(operation, mode) for mode in GenerationMode for operation in operations]:

        @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode), known_ids=st.booleans())
        def run(case, known_ids):
            nonlocal examples
            examples += 1
            if known_ids:
                with_known_ids(case, world)
            response = case.call(headers=headers)
            statuses[mode.value, response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except Exception as error:  # noqa: BLE001 — collected, so one run reports every operation
                failures.append(f"{operation.label} ({mode.value}): {type(error).__name__}: {str(error)[:600]}")
                raise

        try:
            run()
        except Exception:  # noqa: BLE001 — already in failures (Hypothesis re-raises the smallest example)
            pass
    with capsys.disabled():
        print(f"\nschemathesis: {len(operations)} operations, {examples} examples, {len(failures)} failures, "
              f"statuses {dict(sorted(statuses.items()))}")
    assert len(operations) == 18
    assert not failures, "\n\n".join(dict.fromkeys(failures))
