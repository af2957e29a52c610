"""One error shape in every OpenAPI document: the problem+json `Problem` schema.

FastAPI documents a 422 of its own (`{detail: [{loc, msg, type}]}`) that the platform never sends
(crmkit.errors answers problem+json) and knows nothing of what dependencies refuse. The document
of every service and of the gateway is post-processed here once: each 4xx/5xx response refers to
`Problem` as application/problem+json, and the errors an operation can give are derived from what
it declares — a login (401, and 429: the gateway rate-limits every caller), a role or permission
dependency (403), path parameters (404), a `cursor` (400 invalid_cursor), `If-Match` (412, and 428
where it is required), `Idempotency-Key` (409 idempotency_in_flight, 422 idempotency_key_reused),
parameters or a body (422), a body (413) — on top of its explicit `responses=` (409s and the like),
whose descriptions are kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant

from crmkit import idempotency, versions
from crmkit.auth import current_principal
from crmkit.errors import PROBLEM_JSON

PROBLEM = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM}"}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"apiKey": []}]
SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": PROBLEM,
    "description": "RFC 9457 problem details. `code` is stable (program against it); `title` and "
                   "`detail` are Vietnamese by default, English with `Accept-Language: en`. Some "
                   "problems carry extension members (below) beside the standard ones.",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "description": "https://crm.example/problems/<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "the HTTP status"},
        "code": {"type": "string", "description": "stable machine-readable code, e.g. validation_error"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "the request path"},
        "errors": {
            "type": "array", "description": "validation_error: one entry per refused field",
            "items": {
                "type": "object", "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "description": "dotted path of the field, `body` for the whole"},
                    "code": {"type": "string", "description": "stable, e.g. required, too_long, invalid_choice"},
                    "message": {"type": "string"},
                },
            },
        },
        "current_version": {"type": "integer", "description": "412 version_conflict: the stored version"},
        "retry_after": {"type": "integer", "description": "seconds to wait (also the Retry-After header)"},
        "service": {"type": "string", "description": "502/503/504: the service that failed"},
        "required": {"type": "array", "items": {"type": "string"}, "description": "fields that are required"},
    },
    "additionalProperties": True,
}

# the first entity tag of If-Match: a version ("3", W/"3") or *; crmkit.versions.expected_version
# (empty: as if absent). Header values are visible ASCII here (a client cannot send others).
IF_MATCH_PATTERN = r'^((\*|(W/)?"?[0-9]{1,9}"?)([ \t]*,[ -~]*)?)?$'
CURSOR_PATTERN = r"^[A-Za-z0-9_=-]*$"  # base64url, as crmkit.pagination encodes (empty: the first page)

DERIVED = {
    400: "bad_request: the body cannot be read (not UTF-8, not JSON); invalid_cursor: a cursor this list "
         "did not give",
    401: "unauthorized, invalid_token: no, an expired or a revoked bearer token or API key",
    403: "forbidden: the caller's roles or permissions do not allow it",
    404: "not_found: no such record, or one the caller may not see",
    412: "version_conflict: If-Match names another version than the stored one (ETag)",
    413: "payload_too_large: the body is over the limit",
    422: "validation_error: `errors` names each refused field",
    428: "precondition_required: If-Match is missing (send the ETag you read)",
    429: "rate_limited: too many requests (Retry-After)",
}
# what an operation that honours Idempotency-Key (crmkit.idempotency) adds to its responses
IDEMPOTENCY = {
    409: "idempotency_in_flight: a request with this Idempotency-Key is still running (retry later)",
    422: "idempotency_key_reused: this Idempotency-Key was used for another request",
}


@dataclass(frozen=True)
class _Facts:
    authenticated: bool
    role_checked: bool
    version_required: bool  # If-Match through crmkit.versions.RequiredVersion


def install(app: FastAPI) -> None:
    """`app.openapi()` returns the post-processed document (FastAPI's cache kept)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        if PROBLEM not in document.get("components", {}).get("schemas", {}):
            with_problems(document, route_facts(app))
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def route_facts(app: FastAPI) -> dict[tuple[str, str], _Facts]:
    facts: dict[tuple[str, str], _Facts] = {}
    for route in routing.iter_route_contexts(app.routes):  # included routers' routes too
        path, methods = route.path_format, route.methods  # never None on an APIRoute
        if (isinstance(route.original_route, routing.APIRoute) and route.include_in_schema
                and path is not None and methods is not None):
            calls = _dependency_calls(route.dependant)
            fact = _Facts(authenticated=current_principal in calls,
                          role_checked=any(_checks_roles(call) for call in calls),
                          version_required=versions.required_version in calls)
            for method in methods:
                facts[(path, method.lower())] = fact
    return facts


def _dependency_calls(dependant: Dependant) -> set[object]:
    calls: set[object] = set()
    for dependency in dependant.dependencies:
        calls.add(dependency.call)
        calls |= _dependency_calls(dependency)
    return calls


def _checks_roles(call: object) -> bool:
    return getattr(call, "__qualname__", "").startswith(("require_roles.", "require_permission."))


def with_problems(document: dict[str, Any], facts: dict[tuple[str, str], _Facts]) -> dict[str, Any]:
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas[PROBLEM] = PROBLEM_SCHEMA
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                _operation(item[method], facts.get((path, method)))
    return document


def _parameter(op: dict[str, Any], where: str, name: str) -> dict[str, Any] | None:
    return next((p for p in op.get("parameters", []) if p.get("in") == where and p.get("name", "").lower() == name),
                None)


def _if_match(op: dict[str, Any]) -> dict[str, Any] | None:
    return _parameter(op, "header", "if-match")


def _cursor(op: dict[str, Any]) -> dict[str, Any] | None:
    return _parameter(op, "query", "cursor")


def _idempotency_key(op: dict[str, Any]) -> dict[str, Any] | None:
    return _parameter(op, "header", idempotency.HEADER.lower())


def _declare_formats(op: dict[str, Any]) -> None:
    """What the server reads of the opaque headers and parameters (crmkit.versions, crmkit.pagination,
    crmkit.idempotency), so that clients and fuzzers send readable values; others stay answered 412 /
    400 / 422."""
    if if_match := _if_match(op):
        _schema_of(if_match).update(pattern=IF_MATCH_PATTERN)
        if if_match.get("required"):
            _schema_of(if_match)["minLength"] = 1
    if cursor := _cursor(op):
        _schema_of(cursor)["pattern"] = CURSOR_PATTERN
    if idempotency_key := _idempotency_key(op):
        _schema_of(idempotency_key)["pattern"] = idempotency.KEY_PATTERN


def _schema_of(parameter: dict[str, Any]) -> dict[str, Any]:
    """The string schema of a parameter (of an optional one before `_without_null`: anyOf [string, null])."""
    schema: dict[str, Any] = parameter.setdefault("schema", {})
    strings: list[dict[str, Any]] = [s for s in schema.get("anyOf", []) if s.get("type") == "string"]
    return strings[0] if strings else schema


def _without_null(parameter: dict[str, Any]) -> None:
    """A header, query or path parameter is absent or a string, never JSON null: FastAPI's
    `anyOf [X, null]` of an optional parameter becomes X (else clients send the text "null")."""
    schema = parameter.get("schema", {})
    kept = [branch for branch in schema.get("anyOf", []) if branch.get("type") != "null"]
    if len(kept) == 1 and len(schema["anyOf"]) == 2:
        del schema["anyOf"]
        parameter["schema"] = {**kept[0], **schema}


def _operation(op: dict[str, Any], facts: _Facts | None) -> None:
    responses = op.setdefault("responses", {})
    for parameter in op.get("parameters", []):
        _without_null(parameter)
    if (if_match := _if_match(op)) and ("428" in responses or (facts and facts.version_required)):
        if_match["required"] = True  # refused with 428 without it (not FastAPI's 422)
    _declare_formats(op)
    for status in _derived_statuses(op, facts):
        responses.setdefault(str(status), {"description": DERIVED[status]})
    if responses.get("422", {}).get("description") == "Validation Error":
        responses["422"]["description"] = DERIVED[422]
    if _idempotency_key(op):
        _add_idempotency_problems(responses)
    for status, response in responses.items():
        if status[:1] in ("4", "5"):
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
    op["responses"] = dict(sorted(responses.items()))
    if facts is not None:
        op["security"] = SECURITY if facts.authenticated else []


def _add_idempotency_problems(responses: dict[str, Any]) -> None:
    for status, description in IDEMPOTENCY.items():
        response = responses.setdefault(str(status), {"description": description})
        code = description.split(":")[0]
        if code not in response.get("description", ""):
            response["description"] = f"{response.get('description', '')}; {description}"


def _derived_statuses(op: dict[str, Any], facts: _Facts | None) -> set[int]:
    parameters = op.get("parameters", [])
    statuses = set()
    if facts and facts.authenticated:
        statuses |= {401, 429}
    if facts and facts.role_checked:
        statuses.add(403)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if _cursor(op) or "requestBody" in op:
        statuses.add(400)
    if if_match := _if_match(op):
        statuses |= {412, 428} if if_match.get("required") else {412}
    if parameters or "requestBody" in op:
        statuses.add(422)
    if "requestBody" in op:
        statuses.add(413)
    return statuses
