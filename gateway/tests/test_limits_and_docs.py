"""Rate limits, the merged OpenAPI/AsyncAPI documents and Swagger UI."""
from __future__ import annotations


async def test_user_rate_limit_is_429_with_retry_after(start_gateway, org, root_unit):
    headers = await org.token(await org.user(root_unit["id"], ["sales"]))
    async with start_gateway(rate_limit_user_per_minute=60, rate_limit_user_burst=3) as gateway:
        statuses = [(await gateway.client.get("/api/v1/me", headers=headers)).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = await gateway.client.get("/api/v1/customers/x", headers=headers)
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) >= 1


async def test_login_is_rate_limited_per_ip(start_gateway, h):
    async with start_gateway(rate_limit_login_per_minute=60, rate_limit_login_burst=2) as gateway:
        body = {"username": f"nobody.{h.uid()}", "password": "x"}
        assert (await gateway.client.post("/api/v1/auth/login", json=body)).status_code == 401
        assert (await gateway.client.post("/api/v1/auth/login", json=body)).status_code == 401
        limited = await gateway.client.post("/api/v1/auth/login", json=body)
        assert limited.status_code == 429 and "Retry-After" in limited.headers


async def test_api_key_has_its_own_rate_limit(gw, org, h):
    created = (await gw.client.post("/api/v1/api-keys", headers=org.admin, json={
        "name": f"slow partner {h.uid()}", "permissions": [], "rate_limit_per_minute": 2})).json()
    headers = {"X-API-Key": created["key"]}
    assert (await gw.client.get("/api/v1/customers/a", headers=headers)).status_code == 200
    assert (await gw.client.get("/api/v1/customers/b", headers=headers)).status_code == 200
    limited = await gw.client.get("/api/v1/customers/c", headers=headers)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


async def test_merged_openapi_includes_services_and_lists_the_down_ones(gw):
    document = (await gw.client.get("/api/openapi.json")).json()
    paths = document["paths"]
    assert "/api/v1/users" in paths and "/api/v1/auth/login" in paths  # the gateway's own
    assert "/api/v1/customers/{customer_id}" in paths  # from the customers service
    assert "/api/v1/customers/{customer_id}/timeline" in paths and "/api/v1/jobs" in paths
    assert "/internal/rebuild" not in paths  # not routed by the gateway: not advertised
    assert paths["/api/v1/jobs"]["get"]["tags"] == ["assignment"]
    assert document["x-unavailable-services"] == ["compensation", "import"]
    # the customers service's own "UnitPublic" differs from the gateway's: renamed, refs rewritten
    schemas = document["components"]["schemas"]
    assert "customers_UnitPublic" in schemas and "path" in schemas["UnitPublic"]["properties"]
    ref = paths["/api/v1/customers/{customer_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ref["schema"]["$ref"] == "#/components/schemas/customers_UnitPublic"
    assert document["components"]["securitySchemes"]["apiKey"]["name"] == "X-API-Key"


async def test_asyncapi_has_identity_and_service_events(gw):
    document = (await gw.client.get("/api/asyncapi.json")).json()
    messages = document["components"]["messages"]
    assert "user.created.v1" in messages and "unit.updated.v1" in messages
    assert "customers.happened.v1" in messages
    assert "crm.identity" in document["channels"]
    assert document["x-unavailable-services"] == ["compensation", "import"]
    schema = document["components"]["schemas"]["user.updated.v1"]
    assert {"unit_id", "unit_path", "roles", "active", "changed"} <= set(schema["properties"])


async def test_swagger_ui_is_served_offline(gw):
    page = await gw.client.get("/api/docs")
    assert page.status_code == 200 and "/api/openapi.json" in page.text
    assert "/api/docs/assets/swagger-ui-bundle.js" in page.text
    asset = await gw.client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000
    index = await gw.client.get("/api/docs/operations")
    assert index.status_code == 200 and "/api/v1/customers/{customer_id}" in index.text
