"""The assignment service's one synchronous call to another service: a distribution by filter
(`POST /assignments {filter}`, A-3) asks the customers service which customers the filter matches
that the caller may hand over (`POST /internal/v1/customers/distributable`, not routed by the
gateway), with the caller's own bearer token, so that the customers service applies its own filter
and visibility rules to exactly that user (docs/architecture.md, "Assignment: selection by filter").

The answer is in `crmkit.customer_rows`'s packed format. A filter the customers service refuses
comes back as the same 422 (its code and field errors, with the messages it wrote in the caller's
language); an unreachable, failing or too slow
customers service is a 503 `customers_unavailable`, never a 500."""
from __future__ import annotations

from typing import Any

import httpx

from crmkit import customer_rows
from crmkit.domain_errors import FieldError, Invalid, Unauthenticated, Unavailable
from crmkit.logging import get_logger

PATH = "/internal/v1/customers/distributable"
RETRY_AFTER_SECONDS = 5
log = get_logger(__name__)


def _unavailable() -> Unavailable:
    return Unavailable("customers_unavailable", params={"retry_after": RETRY_AFTER_SECONDS},
                       details={"retry_after": RETRY_AFTER_SECONDS})


def _refusal(problem: dict[str, Any]) -> Invalid:
    """The customers service's 422 as our own: its code, its field errors under `filter.`."""
    errors = [FieldError(f"filter.{e.get('field') or ''}".rstrip("."), e.get("code") or "invalid_value",
                         message=e.get("message")) for e in problem.get("errors") or []]
    return Invalid(*errors, code=problem.get("code") or "validation_error")


class CustomersClient:
    """One pooled HTTP client to the customers service for the app's life."""

    def __init__(self, base_url: str, *, timeout_seconds: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        """`transport`: another way to the service than the network (tests: the app in process)."""
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds, transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()

    def on_behalf_of(self, authorization: str, accept_language: str | None = None) -> CustomerSelection:
        return CustomerSelection(self._http, authorization, accept_language)


class CustomerSelection:
    """The customers service as the caller sees it (their token, their language)."""

    def __init__(self, http: httpx.AsyncClient, authorization: str, accept_language: str | None) -> None:
        self._http = http
        self._headers = {"Authorization": authorization,
                         **({"Accept-Language": accept_language} if accept_language else {})}

    async def distributable(self, flt: dict[str, Any], *, limit: int) -> tuple[list[customer_rows.CustomerRow], int]:
        """(at most `limit` rows, how many match in all)."""
        try:
            answer = await self._http.post(PATH, json={"filter": flt, "limit": limit}, headers=self._headers)
        except httpx.HTTPError as exc:
            log.warning("customers_unreachable", error=repr(exc))
            raise _unavailable() from None
        if answer.status_code == 422:
            raise _refusal(answer.json())
        if answer.status_code == 401:  # the token expired on the way
            raise Unauthenticated("invalid_token")
        if answer.status_code != 200 or answer.headers.get("content-type") != customer_rows.MEDIA_TYPE:
            log.warning("customers_failed", status=answer.status_code, body=answer.text[:500])
            raise _unavailable()
        return customer_rows.decode(answer.content), customer_rows.matched(answer.content)
