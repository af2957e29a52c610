"""The synchronous calls other services make to the customers service, always with the caller's own
bearer token, so that the customers service applies its own filter and visibility rules to exactly
that user. Its paths are under `/internal/v1/customers/…`: not routed by the gateway, not in the
public document. Two calls, both made only where an event would come too late:

* `distributable`: a distribution by filter (`POST /assignments {filter}`, A-3) asks which
  customers the filter matches that the caller may hand over (docs/architecture.md, "Assignment:
  selection by filter"). The answer is in `crmkit.customer_rows`'s packed format; a filter the
  customers service refuses comes back as the same 422 (its code and field errors, with the
  messages it wrote in the caller's language).
* `snapshots`: read your own writes (issue 15). A service's read model of customers is kept from
  the customers service's events, ~50 ms behind; a client that just created a customer, or was
  just given one, must be able to use it at once. When the read model does not show a customer
  to the caller, the service asks for its current state here (`CustomerSnapshot`: what the events
  say of who may see it), writes it into the read model as the event would (newer versions win)
  and decides again by its own rules (docs/architecture.md, "Read your own writes").

The base URL may name several processes of the customers service (comma-separated, S-2): calls
rotate over them and pass to the next when one refuses the connection (crmkit.upstreams). An
unreachable, failing or too slow customers service is a 503 `customers_unavailable`, never a 500."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from crmkit import customer_rows, i18n
from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Invalid, Unauthenticated, Unavailable
from crmkit.logging import get_logger
from crmkit.upstreams import Upstreams

DISTRIBUTABLE_PATH = "/internal/v1/customers/distributable"
SNAPSHOTS_PATH = "/internal/v1/customers/snapshots"
MAX_SNAPSHOTS = 1000  # ids per call (the customers service refuses more)
RETRY_AFTER_SECONDS = 5
log = get_logger(__name__)

i18n.register(problems={
    "customers_unavailable": {
        "vi": ("Dịch vụ khách hàng tạm thời không phản hồi",
               "Chưa lấy được thông tin khách hàng. Vui lòng thử lại sau {retry_after} giây."),
        "en": ("Customers service unavailable",
               "The customers could not be fetched. Try again in {retry_after} seconds."),
    },
})


@dataclass(frozen=True)
class CustomerSnapshot:
    """Who may see and edit a live customer, as `customer.created` / `customer.updated` say it."""
    id: uuid.UUID
    owner_id: uuid.UUID | None
    owner_unit_id: uuid.UUID | None
    owner_unit_path: str | None
    holder_id: uuid.UUID | None
    viewer_ids: list[uuid.UUID]
    province_code: int | None
    version: int

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> CustomerSnapshot:
        def some_id(value: Any) -> uuid.UUID | None:
            return uuid.UUID(value) if value else None
        return cls(id=uuid.UUID(item["id"]), owner_id=some_id(item.get("owner_id")),
                   owner_unit_id=some_id(item.get("owner_unit_id")), owner_unit_path=item.get("owner_unit_path"),
                   holder_id=some_id(item.get("holder_id")),
                   viewer_ids=[uuid.UUID(v) for v in item.get("viewer_ids") or []],
                   province_code=item.get("province_code"), version=int(item["version"]))


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
        """`base_url`: one, or several comma-separated; `transport`: another way to the service than
        the network (tests: the app in process)."""
        self._http = _Replicas(Upstreams(base_url, name="customers"),
                               httpx.AsyncClient(timeout=timeout_seconds, transport=transport))

    async def aclose(self) -> None:
        await self._http.client.aclose()

    def on_behalf_of(self, authorization: str, accept_language: str | None = None) -> CustomerSelection:
        return CustomerSelection(self._http, authorization, accept_language)

    async def snapshots(self, principal: Principal, ids: list[uuid.UUID]) -> list[CustomerSnapshot]:
        """The live customers of `ids` (at most MAX_SNAPSHOTS) that `principal` may see, now. A
        principal without its token (one made in process, not by a request) gets none."""
        if not principal.bearer:
            return []
        return await self.on_behalf_of(f"Bearer {principal.bearer}").snapshots(ids)


class CustomerSelection:
    """The customers service as the caller sees it (their token, their language)."""

    def __init__(self, http: _Replicas, authorization: str, accept_language: str | None) -> None:
        self._http = http
        self._headers = {"Authorization": authorization,
                         **({"Accept-Language": accept_language} if accept_language else {})}

    async def distributable(self, flt: dict[str, Any], *, limit: int) -> tuple[list[customer_rows.CustomerRow], int]:
        """(at most `limit` rows, how many match in all)."""
        answer = await _post(self._http, DISTRIBUTABLE_PATH, json={"filter": flt, "limit": limit},
                             headers=self._headers)
        if answer.status_code == 422:
            raise _refusal(answer.json())
        if answer.status_code != 200 or answer.headers.get("content-type") != customer_rows.MEDIA_TYPE:
            raise _failed(answer)
        return customer_rows.decode(answer.content), customer_rows.matched(answer.content)

    async def snapshots(self, ids: list[uuid.UUID]) -> list[CustomerSnapshot]:
        """The live customers of `ids` (at most MAX_SNAPSHOTS) the caller may see, now."""
        if not ids:
            return []
        answer = await _post(self._http, SNAPSHOTS_PATH, json={"ids": [str(i) for i in ids[:MAX_SNAPSHOTS]]},
                             headers=self._headers)
        if answer.status_code != 200:
            raise _failed(answer)
        return [CustomerSnapshot.from_json(item) for item in answer.json()["customers"]]


@dataclass(frozen=True)
class _Replicas:
    upstreams: Upstreams
    client: httpx.AsyncClient

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.upstreams.send(lambda base: self.client.post(base + path, **kwargs),
                                         refused=httpx.ConnectError)


async def _post(http: _Replicas, path: str, **kwargs: Any) -> httpx.Response:
    try:
        return await http.post(path, **kwargs)
    except httpx.HTTPError as exc:
        log.warning("customers_unreachable", path=path, error=repr(exc))
        raise _unavailable() from None


def _failed(answer: httpx.Response) -> Unauthenticated | Unavailable:
    if answer.status_code == 401:  # the token expired on the way
        return Unauthenticated("invalid_token")
    log.warning("customers_failed", status=answer.status_code, body=answer.text[:500])
    return _unavailable()
