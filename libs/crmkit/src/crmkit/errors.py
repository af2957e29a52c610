"""RFC 9457 problem+json errors with a stable `code` and localized title/detail: the HTTP edge.

`ProblemError` is raised by the HTTP layer itself (api/, dependencies, middleware); use cases raise
`crmkit.domain_errors`, which `problem_of_domain_error` maps here, once, for every service.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, routing
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crmkit import domain_errors as domain
from crmkit import i18n
from crmkit.db import caused_by_outage
from crmkit.domain_errors import PROBLEM_MEMBERS
from crmkit.domain_errors import FieldError as FieldError  # the field errors of a problem, for the HTTP layer
from crmkit.logging import get_logger

log = get_logger(__name__)
OUTAGE_RETRY_SECONDS = 5
PROBLEM_JSON = "application/problem+json"




class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        clashes = PROBLEM_MEMBERS.intersection(extra or {})
        if clashes:
            raise ValueError(f"problem {code}: extra members {sorted(clashes)} would replace the problem's own")
        super().__init__(code)
        self.status, self.code = status, code
        self.params, self.errors = params or {}, errors or []
        self.headers, self.extra = headers or {}, extra or {}


class EarlyAnswer(Exception):
    """Answer the request with `response` before its route runs (a dependency's verdict: an
    idempotent replay, say)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def not_found() -> ProblemError:
    return ProblemError(404, "not_found")


def forbidden(code: str = "forbidden") -> ProblemError:
    return ProblemError(403, code)


def field_errors(*errors: FieldError) -> ProblemError:
    return ProblemError(422, "validation_error", errors=list(errors))


def problem_document(status: int, code: str, lang: str, params: Mapping[str, Any], *, instance: str | None = None,
                     errors: Sequence[FieldError] = ()) -> dict[str, Any]:
    """The RFC 9457 body of a problem in `lang`, from the message catalog: the one shape of every
    refusal (the services', crmkit's body limit, the edge's nginx pages rendered by the gateway)."""
    title, detail = i18n.problem_text(code, lang, params)
    body: dict[str, Any] = {"type": f"https://crm.example/problems/{code}", "title": title, "status": status,
                            "code": code, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    if errors:
        body["errors"] = [
            {"field": e.field, "code": e.code, "message": e.message or i18n.field_message(e.code, lang, e.params)}
            for e in errors
        ]
    return body


def problem_body(request: Request, exc: ProblemError) -> dict[str, Any]:
    lang = i18n.language(request.headers.get("accept-language"))
    params = {"request_id": getattr(request.state, "request_id", ""), **exc.params}
    body = problem_document(exc.status, exc.code, lang, params, instance=request.url.path, errors=exc.errors)
    body.update(exc.extra)
    return body


def problem_response(request: Request, exc: ProblemError) -> JSONResponse:
    headers = {"Content-Language": i18n.language(request.headers.get("accept-language")), **exc.headers}
    return JSONResponse(problem_body(request, exc), status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


# The one mapping of the domain's refusals to HTTP: the most specific class first.
_STATUS_OF_DOMAIN_ERROR: tuple[tuple[type[domain.DomainError], int], ...] = (
    (domain.BadRequest, 400), (domain.Unauthenticated, 401), (domain.Forbidden, 403),
    (domain.NotFound, 404), (domain.Conflict, 409), (domain.Gone, 410), (domain.VersionConflict, 412),
    (domain.TooLarge, 413), (domain.UnsupportedType, 415), (domain.Invalid, 422), (domain.Locked, 423),
    (domain.VersionRequired, 428), (domain.TooManyRequests, 429), (domain.Unavailable, 503),
)


def status_of_domain_error(error: domain.DomainError) -> int:
    for kind, status in _STATUS_OF_DOMAIN_ERROR:
        if isinstance(error, kind):
            return status
    return 400


def problem_of_domain_error(error: domain.DomainError) -> ProblemError:
    """The answer to a refusal: its status by kind, its code, params, field errors and details;
    `retry_after` also as Retry-After, a version conflict's stored version also as the ETag."""
    headers = {}
    if "retry_after" in error.details:
        headers["Retry-After"] = str(error.details["retry_after"])
    if isinstance(error, domain.VersionConflict) and "current_version" in error.details:
        headers["ETag"] = f'"{error.details["current_version"]}"'
    return ProblemError(status_of_domain_error(error), error.code, params=error.params, errors=error.errors,
                        headers=headers, extra=error.details)


_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
    "extra_forbidden": "unknown_field",
    "json_invalid": "invalid_json",
    "int_parsing": "invalid_type",
    "int_type": "invalid_type",
    "float_parsing": "invalid_type",
    "bool_parsing": "invalid_type",
    "string_type": "invalid_type",
    "uuid_parsing": "invalid_type",
    "dict_type": "invalid_type",
    "list_type": "invalid_type",
    "model_attributes_type": "invalid_type",
    "date_type": "invalid_date",
    "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "datetime_type": "invalid_datetime",
    "datetime_parsing": "invalid_datetime",
    "datetime_from_date_parsing": "invalid_datetime",
    "datetime_object_invalid": "invalid_datetime",
}


# How pydantic names the members of a union in the location of each member's error (`province.str`,
# `province.int`, `phone.function-after[...]`, `province.ProvinceRef.code`): its internals, not
# fields. A value no member accepts has an error per member, so a union shows as two or more such
# names at the same place: a lone `int` there is a key of a dict.
_UNION_MEMBER = re.compile(r"(?:str|int|float|bool|bytes|none|date|datetime|time|timedelta|uuid|decimal|url"
                           r"|constrained-\w+|[a-z]+(?:-[a-z]+)*\[.*\]|[A-Z]\w*)")
_SOURCES = ("body", "query", "path", "header", "cookie")


def _without_union_members(locs: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    members: dict[tuple[Any, ...], set[str]] = {}
    for loc in locs:
        for i, part in enumerate(loc[1:], start=1):
            if isinstance(part, str) and _UNION_MEMBER.fullmatch(part):
                members.setdefault(loc[:i], set()).add(part)
    unions = {prefix for prefix, names in members.items() if len(names) > 1}
    return [tuple(part for i, part in enumerate(loc) if not (i and loc[:i] in unions and part in members[loc[:i]]))
            for loc in locs]


def field_errors_from_pydantic(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """The field errors of pydantic's errors: named by field (never by a member of a union), one a
    field (a value no member of a union accepts is one error: the first member's)."""
    locs = _without_union_members([tuple(p for p in e.get("loc", ()) if p not in _SOURCES) for e in errors])
    found: dict[str, FieldError] = {}
    for error, loc in zip(errors, locs):
        field_error = _field_error_from_pydantic({**error, "loc": loc})
        found.setdefault(field_error.field, field_error)
    return list(found.values())


def _field_error_from_pydantic(error: Mapping[str, Any]) -> FieldError:
    loc = [str(p) for p in error.get("loc", ()) if p not in _SOURCES]
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:
        ctx["choices"] = ctx["expected"]
    kind = error["type"]
    code = _PYDANTIC_CODES.get(kind) or (kind if i18n.known_field_error(kind) else "invalid_value")
    if kind == "json_invalid":  # the location is a character position, not a field
        loc = []
    return FieldError(".".join(loc) or "body", code, {k: v for k, v in ctx.items() if isinstance(v, (str, int, float))})


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
               415: "unsupported_media_type", 429: "rate_limited"}


def problem_of_http_exception(exc: StarletteHTTPException) -> ProblemError:
    code = _HTTP_CODES.get(exc.status_code) or ("bad_request" if exc.status_code < 500 else "internal_error")
    return ProblemError(exc.status_code, code, headers=dict(exc.headers or {}))


def allowed_methods(routes: Sequence[routing.BaseRoute], path: str, *, ignore: Collection[object] = ()) -> list[str]:
    """Every method some route serves at `path`; the routes of the endpoints in `ignore` left out."""
    methods: set[str] = set()
    for route in routing.iter_route_contexts(routes):
        regex, served = getattr(route, "path_regex", None), getattr(route, "methods", None)
        endpoint = getattr(route.original_route, "endpoint", None)
        if endpoint not in ignore and regex is not None and served and regex.match(path):
            methods |= set(served)
    return sorted(methods)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc)

    @app.exception_handler(EarlyAnswer)
    async def _early(request: Request, exc: EarlyAnswer) -> Response:
        return exc.response

    @app.exception_handler(domain.DomainError)
    async def _refused(request: Request, exc: domain.DomainError) -> JSONResponse:
        return problem_response(request, problem_of_domain_error(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(request, ProblemError(422, "validation_error",
                                                      errors=field_errors_from_pydantic(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        problem = problem_of_http_exception(exc)
        if exc.status_code == 405:  # Starlette's Allow names the methods of one route of the path only
            problem.headers["Allow"] = ", ".join(allowed_methods(request.app.routes, request.url.path))
        return problem_response(request, problem)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if caused_by_outage(exc):  # a restart or failover of the database: the client retries
            log.warning("database_unavailable", path=request.url.path, error=repr(exc))
            return problem_response(request, ProblemError(
                503, "database_unavailable", params={"retry_after": OUTAGE_RETRY_SECONDS},
                headers={"Retry-After": str(OUTAGE_RETRY_SECONDS)}, extra={"retry_after": OUTAGE_RETRY_SECONDS}))
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(request, ProblemError(500, "internal_error"))
