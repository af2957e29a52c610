"""Platform endpoints of the gateway: health, merged OpenAPI, AsyncAPI of every event."""
from __future__ import annotations


async def test_gateway_health_and_readiness(client):
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text


async def test_merged_openapi_has_every_service(client):
    doc = (await client.get("/api/openapi.json")).json()
    paths = doc["paths"]
    assert "/api/v1/auth/login" in paths
    assert "/api/v1/customers" in paths
    assert "/api/v1/customers/{customer_id}/timeline" in paths
    assert not doc.get("x-unavailable-services")


async def test_asyncapi_lists_events_of_every_publisher(client):
    doc = (await client.get("/api/asyncapi.json")).json()
    names = {m["name"] for m in doc["components"]["messages"].values()}
    assert {"user.created", "customer.created", "interaction.recorded"} <= names
    assert "crm.customers" in doc["channels"]
