"""The OpenAPI 3.1 document of the JSON API, generated from the code: the URL map gives the paths and
methods, each view's @documented(...) gives its parameters, body and answers, and the pydantic models in
tracker.api.schemas give every schema (pydantic writes JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
apispec assembles the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from pydantic import BaseModel

from tracker.api import schemas
from tracker.validation import MAX_ID

REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Parameter:
    name: str
    schema: dict
    description: str = ""


@dataclass(frozen=True)
class Operation:
    summary: str
    response: type[BaseModel] | None = None
    status: int = 200
    body: type[BaseModel] | None = None
    query: tuple[Parameter, ...] = ()
    # Writes answer 403 to viewers; every operation can answer 401 and 429 (the token's rate limit).
    writes: bool = False
    public: bool = False
    description: str = ""


def documented(summary: str, **details):
    """Attach the OpenAPI description of a view (see Operation for the details)."""
    def attach(view):
        view.api_operation = Operation(summary, **details)
        return view
    return attach


_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
PAGE = (
    Parameter("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}, "Items per page"),
    Parameter("offset", {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
              "Rows to skip (kept for older scripts; prefer cursor)"),
    Parameter("cursor", {"type": "string", "maxLength": 1000},
              "The next_cursor of the previous page (opaque; not with offset)"),
)
# Every read may be asked for the record as of a past day (tracker.snapshots); the answer then says which.
AS_OF = Parameter("as_of", {"type": "string", "format": "date"},
                  "Show the record as it stood at the end of this day (YYYY-MM-DD, from 1900 up to today); the "
                  "answer then carries the Memento-Datetime header, and a list its as_of field")
MEMENTO_HEADER = {"Memento-Datetime": {
    "description": "Only on answers given as_of (RFC 7089): the moment shown, the last second of that day in the "
                   "display timezone, as an HTTP-date. Absent from today's answers.",
    "schema": {"type": "string"}}}
ERROR_STATUSES = {400: "Bad parameter or body (names the field or parameter)",
                  401: "Not signed in, or the token is unknown, expired or revoked",
                  403: "Only staff (admin, editor) may change records", 404: "No such record, or not visible to you",
                  429: "Too many requests with this token"}


# Models whose lists are paged (their envelope is made once, so its schema is named once).
PAGED = (schemas.Party, schemas.Person, schemas.Letter, schemas.Commitment, schemas.Meeting, schemas.CommentPeriod)
_PAGES: dict[type, type] = {}


def page(model: type[BaseModel]) -> type[BaseModel]:
    """The one envelope model of a paged list (pydantic names schemas by class, so it is made once)."""
    if model not in _PAGES:
        _PAGES[model] = schemas.page_of(model)
    return _PAGES[model]


def _path(rule: str) -> tuple[str, list[dict]]:
    """'/api/letters/<int:letter_id>' → ('/api/letters/{letter_id}', its path parameters)."""
    names = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule)
    parameters = [{"name": n, "in": "path", "required": True, "schema": _ID} for n in names]
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule), parameters


def build(app: Flask) -> dict:
    """The document for every /api/ route of this app."""
    from apispec import APISpec  # loaded when the document is first asked for (then cached), not in every worker

    spec = APISpec(title="Correspondence and commitment tracker API", version="1", openapi_version="3.1.0",
                   info={"description": "Records visible to the caller, with the same access rules as the pages. "
                                        "Authenticate with `Authorization: Bearer <personal token>`."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in sorted(_schemas().items()):
        spec.components.schema(name, schema)
    error = {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        view = app.view_functions[rule.endpoint]
        described: Operation = view.api_operation
        path, path_parameters = _path(rule.rule)
        # The document itself is the same on every day: only reads of records take as_of.
        dated = "GET" in rule.methods and not described.public
        query = [{"name": p.name, "in": "query", "required": False, "schema": p.schema,
                  **({"description": p.description} if p.description else {})}
                 for p in described.query + ((AS_OF,) if dated else ())]
        responses = {}
        if described.response is None:
            responses[str(described.status)] = {"description": described.summary,
                                                "content": {"application/json": {"schema": {"type": "object"}}}}
        else:
            responses[str(described.status)] = {
                "description": described.summary,
                "content": {"application/json": {"schema": {"$ref": REF.format(model=described.response.__name__)}}}}
        if dated:
            responses[str(described.status)]["headers"] = MEMENTO_HEADER
        if not described.public:
            statuses = [401, 429]
            if query or described.body is not None:
                statuses.append(400)
            if path_parameters:
                statuses.append(404)
            if described.writes:
                statuses.append(403)
            for status in sorted(statuses):
                responses[str(status)] = {"description": ERROR_STATUSES[status], "content": error}
        operation = {"summary": described.summary, "operationId": rule.endpoint.removeprefix("api."),
                     "parameters": path_parameters + query, "responses": responses}
        if described.description:
            operation["description"] = described.description
        if described.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": REF.format(model=described.body.__name__)}}}}
        if described.public:
            operation["security"] = []
        else:
            operation["security"] = [{"bearer": []}]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            spec.path(path=path, operations={method.lower(): operation})
    return spec.to_dict()


def _schemas() -> dict:
    """Every model of tracker.api.schemas (bodies as validated, answers as serialised) and the list envelopes,
    as JSON Schemas by name."""
    models = [m for m in vars(schemas).values() if isinstance(m, type) and issubclass(m, BaseModel)
              and m.__module__ == schemas.__name__ and m is not schemas.RequestBody]
    from pydantic.json_schema import models_json_schema  # with apispec: only for the document

    bodies = [m for m in models if issubclass(m, schemas.RequestBody)]
    answers = [m for m in models if not issubclass(m, schemas.RequestBody)] + [page(m) for m in PAGED]
    _references, top = models_json_schema([(m, "validation") for m in bodies] +
                                          [(m, "serialization") for m in answers], ref_template=REF)
    return top.get("$defs", {})
