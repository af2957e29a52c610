"""Read your own writes (issue 15): this service knows who may see a customer from the customers
service's events (`customer_access`), ~50 ms after the change. A call-centre system that creates
a customer and at once logs a call, a rep just given a lead who opens its timeline, must not get a
404 in between. So when the read model does not show a customer to the caller, the customers
service is asked for its current state, on the caller's behalf (crmkit.customers_client), the
answer is written into the read model exactly as the event will be (newer versions win: the event
arriving later changes nothing), and the caller's access is decided again by this service's own
rules. Only misses pay the call; a customer the caller may not see stays a 404 (the customers
service answers nothing for it); an unreachable customers service is a 503 (`customers_unavailable`),
never a wrong 404 for a customer that exists.

Off when `CRM_INTERACTIONS_CUSTOMERS_URL` is unset (service tests without a customers service);
every deployment sets it (deploy/local, docker-compose.yml, deploy/k8s)."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit.auth import Principal
from crmkit.customers_client import CustomersClient

from crm_interactions.store import access

_customers: CustomersClient | None = None


def use(customers: CustomersClient | None) -> None:
    """The client of the customers service, for the app's life (None: no fallback)."""
    global _customers
    _customers = customers


async def caught_up(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> bool:
    """Whether the customers service showed `customer_id` to the caller now; its state is then in
    the read model (in the caller's transaction: a rollback only loses what the event brings again)."""
    if _customers is None:
        return False
    found = await _customers.snapshots(principal, [customer_id])
    for customer in found:
        await access.upsert_access(conn, customer_id=customer.id, owner_id=customer.owner_id,
                                   owner_unit_path=customer.owner_unit_path, holder_id=customer.holder_id,
                                   viewer_ids=customer.viewer_ids, version=customer.version)
        await access.mark_restored(conn, customer_id=customer.id, version=customer.version)
    return bool(found)


async def customer_visible(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> bool:
    """`access.customer_visible`, once more after catching up when it says no."""
    if await access.customer_visible(conn, customer_id=customer_id, principal=principal):
        return True
    return (await caught_up(conn, principal, customer_id)
            and await access.customer_visible(conn, customer_id=customer_id, principal=principal))
