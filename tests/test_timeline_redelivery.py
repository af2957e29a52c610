"""A redelivered event creates no second timeline entry (I-1): the customers service's
`customer.status_changed` is taken from Kafka and produced again, twice, byte for byte (what a
producer retry or a consumer crash before its offset commit looks like); the customer's timeline,
read through the gateway, still shows one `classified` entry for it."""
from __future__ import annotations

import os

from aiokafka import AIOKafkaProducer

from crmkit.testing import read_topic

from e2e_support import eventually, random_mobile

BOOTSTRAP = os.environ.get("CRM_KAFKA_BOOTSTRAP", "127.0.0.1:29192")


async def classified_entries(client, rep: dict, customer_id: str) -> list[dict]:
    r = await client.get(f"/api/v1/customers/{customer_id}/timeline?type=classified", headers=rep["headers"])
    return r.json()["items"] if r.status_code == 200 else []


async def change_status(client, rep: dict, customer_id: str, status: str) -> None:
    r = await client.post(f"/api/v1/customers/{customer_id}/status", headers=rep["headers"],
                          json={"status": status, "note": f"chuyển sang {status}"})
    assert r.status_code == 200, r.text


async def test_a_redelivered_status_change_adds_no_second_entry(client, org):
    rep = org["rep"]
    r = await client.post("/api/v1/customers", headers=rep["headers"], json={"name": "Đinh Văn Lặp",
                                                                            "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    await change_status(client, rep, customer_id, "contacted")
    await eventually(lambda: _count_is(client, rep, customer_id, 1), timeout=30)

    records = await read_topic(BOOTSTRAP, "crm.customers")
    [original] = [rec for rec in records if rec.key == customer_id.encode()
                  and dict(rec.headers).get("ce_type") == b"customer.status_changed"]
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for _ in range(2):
            await producer.send_and_wait("crm.customers", original.value, key=original.key,
                                         headers=list(original.headers))
    finally:
        await producer.stop()

    # A later change of the same customer (same key, same partition) is consumed after the two
    # copies: once its entry shows, the copies have been handled.
    await change_status(client, rep, customer_id, "potential")
    await eventually(lambda: _count_is(client, rep, customer_id, 2), timeout=30)
    entries = await classified_entries(client, rep, customer_id)
    assert [(e["data"]["from"], e["data"]["to"]) for e in entries] == [("contacted", "potential"), ("new", "contacted")]


async def _count_is(client, rep: dict, customer_id: str, count: int) -> bool:
    return len(await classified_entries(client, rep, customer_id)) >= count
