"""Soft delete, restore within 30 days, purge of personal data (Decree 13/2023) and the automatic
purge, over real PostgreSQL."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, NotFound

from crm_customers.handlers import bulk, customers, deletion
from crm_customers.store import customers as customer_store

TEAM = "/r/b/t/"


def person(*roles: str, path: str = TEAM) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


ADMIN = person("admin", path="/r/")


async def create(pool, rep: Principal, phone: str, **values) -> dict:
    return await customers.create_customer(pool, principal=rep, name="Nguyễn Thị Hoa", phone=phone,
                                           email="hoa@example.vn", address="12 Lê Lợi", note="Khách quen",
                                           labels=["hot"], **values)


async def deleted(pool, rep: Principal, *ids: uuid.UUID, days_ago: float = 0) -> None:
    await bulk.bulk_action(pool, principal=rep, action="delete", confirm=True, ids=list(ids))
    if days_ago:
        await pool.execute("UPDATE customers SET deleted_at = now() - make_interval(secs => $2) WHERE id = ANY($1)",
                           list(ids), days_ago * 86400)


async def payloads(pool, event_type: str) -> list[dict]:
    return [r["payload"] for r in await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id",
                                                   event_type)]


async def test_restore_is_for_admins_within_the_window(pool):
    rep = person()
    fresh, old = await create(pool, rep, "0912000001"), await create(pool, rep, "0912000002")
    await deleted(pool, rep, fresh["id"])
    await deleted(pool, rep, old["id"], days_ago=31)

    with pytest.raises(Forbidden) as caught:
        await deletion.restore_customer(pool, principal=rep, customer_id=fresh["id"])
    restored = await deletion.restore_customer(pool, principal=ADMIN, customer_id=fresh["id"])
    assert restored["version"] == 3 and restored["name"] == "Nguyễn Thị Hoa"
    assert await customer_store.get_visible(pool, customer_id=fresh["id"], principal=rep) is not None
    [event] = await payloads(pool, "customer.restored")
    assert event["subject"] == str(fresh["id"]) and event["data"]["version"] == 3

    with pytest.raises(Conflict) as caught:
        await deletion.restore_customer(pool, principal=ADMIN, customer_id=fresh["id"])
    assert caught.value.code == "not_deleted"
    with pytest.raises(Conflict) as caught:
        await deletion.restore_customer(pool, principal=ADMIN, customer_id=old["id"])
    assert caught.value.code == "restore_window_passed"
    with pytest.raises(NotFound) as caught:
        await deletion.restore_customer(pool, principal=ADMIN, customer_id=uuid.uuid4())


async def test_a_deleted_customers_phone_still_blocks_and_is_named_to_no_one(pool):
    rep = person()
    customer = await create(pool, rep, "0912000003")
    await deleted(pool, rep, customer["id"])
    with pytest.raises(Conflict) as caught:
        await create(pool, rep, "0912 000 003")
    assert caught.value.code == "phone_exists" and "existing_id" not in caught.value.details


async def test_purge_erases_personal_data_keeps_a_tombstone_and_publishes(pool):
    rep = person()
    referrer = await create(pool, rep, "0912000004")
    referred = await create(pool, rep, "0912000005", referred_by=referrer["id"])
    await pool.execute("UPDATE customers SET attributes = '{\"cmnd\": \"012345678\"}' WHERE id = $1", referrer["id"])
    with pytest.raises(Forbidden):
        await deletion.purge_customer(pool, principal=rep, customer_id=referrer["id"])

    # what the relay already published about it (its personal data, kept 7 days) goes with it;
    # what is not published yet stays
    await pool.execute("UPDATE outbox SET published_at = now() WHERE key = $1", str(referrer["id"]))
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE key = $1", str(referrer["id"])) >= 1
    others = await pool.fetchval("SELECT count(*) FROM outbox WHERE key <> $1", str(referrer["id"]))
    tombstone = await deletion.purge_customer(pool, principal=ADMIN, customer_id=referrer["id"])  # a live one too
    assert [r["event_type"] for r in await pool.fetch("SELECT event_type FROM outbox WHERE key = $1",
                                                      str(referrer["id"]))] == ["customer.purged"]
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE key <> $1", str(referrer["id"])) == others
    assert tombstone["id"] == referrer["id"] and tombstone["purged_at"] is not None
    row = dict(await pool.fetchrow("SELECT * FROM customers WHERE id = $1", referrer["id"]))
    for column in ("name", "phone", "email", "address", "note", "province_code", "birthday", "tax_code"):
        assert row[column] is None, column
    assert row["labels"] == [] and row["attributes"] == {}
    search = await pool.fetchrow("SELECT search_doc, phone_rev FROM customer_search WHERE customer_id = $1",
                                 referrer["id"])
    assert search["search_doc"].strip() == "" and search["phone_rev"] is None
    assert row["deleted_at"] is not None and row["purged_at"] is not None
    assert await customer_store.get_visible(pool, customer_id=referrer["id"], principal=ADMIN) is None
    # the referral of another customer still points at the tombstone
    assert await pool.fetchval("SELECT referred_by FROM customers WHERE id = $1", referred["id"]) == referrer["id"]
    [event] = await payloads(pool, "customer.purged")
    assert event["subject"] == str(referrer["id"]) and event["data"]["customer_id"] == str(referrer["id"])

    assert (await deletion.purge_customer(pool, principal=ADMIN, customer_id=referrer["id"]))["id"] == referrer["id"]
    assert len(await payloads(pool, "customer.purged")) == 1  # a second purge publishes nothing
    await create(pool, rep, "0912000004")  # the phone is free again
    with pytest.raises(NotFound):
        await deletion.restore_customer(pool, principal=ADMIN, customer_id=referrer["id"])


async def test_automatic_purge_of_customers_deleted_more_than_30_days_ago(pool):
    rep = person()
    due = [(await create(pool, rep, f"091300000{i}"))["id"] for i in range(5)]
    recent = (await create(pool, rep, "0913000009"))["id"]
    live = (await create(pool, rep, "0913000008"))["id"]
    await deleted(pool, rep, *due, days_ago=31)
    await deleted(pool, rep, recent, days_ago=29)

    assert await deletion.purge_expired(pool, batch_size=2) == 5
    purged = set(r["id"] for r in await pool.fetch("SELECT id FROM customers WHERE purged_at IS NOT NULL"))
    assert purged == set(due)
    assert await pool.fetchval("SELECT name FROM customers WHERE id = $1", recent) == "Nguyễn Thị Hoa"
    assert await pool.fetchval("SELECT purged_at FROM customers WHERE id = $1", live) is None
    events = [e["data"] for e in await payloads(pool, "customers.bulk_purged")]
    assert [(e["chunk"], e["last"], len(e["ids"])) for e in events] == [(1, False, 2), (2, False, 2), (3, True, 1)]
    assert len({e["batch_id"] for e in events}) == 1
    assert sorted(i for e in events for i in e["ids"]) == sorted(map(str, due))
    assert await deletion.purge_expired(pool, batch_size=2) == 0  # nothing left, nothing published
    assert len(await payloads(pool, "customers.bulk_purged")) == 3
    # a later run purges the recent one once its 30 days have passed
    assert await deletion.purge_expired(pool, now=datetime.now(UTC) + timedelta(days=2)) == 1
