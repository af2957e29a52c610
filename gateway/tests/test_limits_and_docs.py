"""Rate limits, the client's address behind trusted proxies, the merged OpenAPI/AsyncAPI documents
and Swagger UI."""
from __future__ import annotations

import asyncio
import contextlib
import os
import sys

import httpx

from crmkit import testing


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


async def _login_statuses(client, h, forwarded_for: list[str], header: str = "X-Forwarded-For") -> list[int]:
    body = {"username": f"nobody.{h.uid()}", "password": "x"}
    return [(await client.post("/api/v1/auth/login", json=body, headers={header: value})).status_code
            for value in forwarded_for]


async def test_forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy(start_gateway, h):
    async with start_gateway(rate_limit_login_per_minute=60, rate_limit_login_burst=2) as gateway:
        assert gateway.settings.trusted_proxies == []
        statuses = await _login_statuses(gateway.client, h, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
        assert statuses == [401, 401, 429]  # one bucket: the socket peer's


async def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(start_gateway, h):
    async with start_gateway(rate_limit_login_per_minute=60, rate_limit_login_burst=2,
                             trusted_proxies="127.0.0.1/32, 10.0.0.0/8") as gateway:
        client = gateway.client
        assert await _login_statuses(client, h, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [401] * 3
        # a client cannot mint buckets by prepending addresses: the right-most untrusted one counts
        spoofed = [f"192.0.2.{n}, 198.51.100.9, 10.1.1.1" for n in range(3)]
        assert await _login_statuses(client, h, spoofed) == [401, 401, 429]
        # one IPv6 client holds a whole /64
        assert await _login_statuses(client, h, ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2::3"]) == [
            401, 401, 429]
        assert set(gateway.app.state.ip_rate_limiter._buckets) >= {"ip:198.51.100.9", "ip:2001:db8:1:2::/64"}
        assert not any(key.startswith("ip:") for key in gateway.app.state.rate_limiter._buckets)


async def test_rfc_7239_forwarded_header_when_configured(start_gateway, h):
    async with start_gateway(rate_limit_login_per_minute=60, rate_limit_login_burst=2, trusted_proxies="127.0.0.1",
                             forwarded_header="forwarded") as gateway:
        values = [f'for=192.0.2.{n};proto=https, for="[2001:db8:cafe::17]:4711"' for n in range(3)]
        assert await _login_statuses(gateway.client, h, values, header="Forwarded") == [401, 401, 429]
        # X-Forwarded-For is not the configured header: ignored (the peer, 127.0.0.1, is the client)
        assert await _login_statuses(gateway.client, h, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [
            401, 401, 429]


async def test_login_ip_buckets_are_bounded(start_gateway, h):
    async with start_gateway(trusted_proxies="127.0.0.1", rate_limit_max_ip_buckets=3) as gateway:
        await _login_statuses(gateway.client, h, [f"198.51.100.{n}" for n in range(6)])
        assert len(gateway.app.state.ip_rate_limiter._buckets) == 3


@contextlib.asynccontextmanager
async def _gateway_process(database: str, key_dir, h, **env: str):
    """`python -m crm_gateway`, as deployed (uvicorn and its options included)."""
    port = h.free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "FORWARDED_ALLOW_IPS"))}
    environ.update(CRM_ENV="test", CRM_GATEWAY_PORT=str(port), CRM_GATEWAY_DATABASE_URL=database,
                   CRM_GATEWAY_METRICS_PORT=str(h.free_port()),  # not port + 1: tests in parallel hold ports
                   CRM_KAFKA_BOOTSTRAP=testing.kafka_bootstrap(), CRM_ADMIN_PASSWORD=h.ADMIN_PASSWORD,
                   CRM_JWT_PRIVATE_KEY_FILE=str(key_dir / "jwt_private.pem"),
                   CRM_JWT_PUBLIC_KEY_FILE=str(key_dir / "jwt_public.pem"), CRM_GATEWAY_ARGON2_TIME_COST="1",
                   CRM_GATEWAY_ARGON2_MEMORY_KIB="8192", CRM_GATEWAY_ARGON2_PARALLELISM="1", **env)
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "crm_gateway", env=environ,
                                                   stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(300):
                assert process.returncode is None, (await process.stderr.read()).decode()[-2000:]
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            yield client
    finally:
        process.terminate()
        await process.wait()


async def test_the_deployed_process_does_not_trust_forwarded_for_from_localhost(database, key_dir, h):
    """uvicorn's own proxy-header handling (it trusts 127.0.0.1 by default) is off: the gateway's
    trusted proxies decide."""
    async with _gateway_process(database, key_dir, h, CRM_GATEWAY_RATE_LIMIT_LOGIN_BURST="2") as client:
        statuses = await _login_statuses(client, h, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
        assert statuses == [401, 401, 429]


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


async def test_no_cdn_docs_and_no_public_metrics_on_the_gateways_port(gw, h):
    """FastAPI's own /docs, /redoc (CDN-loaded, blank offline) and /openapi.json give way to
    /api/docs and /api/openapi.json; /metrics is served on a listener of its own."""
    for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
        assert (await gw.client.get(path)).status_code == 404, path
    assert gw.settings.metrics_port == gw.settings.port + 1
    assert "cdn" not in (await gw.client.get("/api/docs")).text.lower()

    import asyncio

    import httpx

    from crmkit import metrics

    port = h.free_port()
    server = metrics.serve("127.0.0.1", port)
    try:
        async with httpx.AsyncClient() as client:
            scraped = await client.get(f"http://127.0.0.1:{port}/metrics")
        assert scraped.status_code == 200 and "crm_http_request_seconds" in scraped.text
    finally:
        await asyncio.to_thread(server.shutdown)


async def test_the_gateways_own_operations_document_their_problems(gw, admin):
    document = (await gw.client.get("/api/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert "Problem" in schemas and "HTTPValidationError" not in schemas
    patch = document["paths"]["/api/v1/users/{user_id}"]["patch"]
    assert {"401", "404", "412", "413", "422", "428", "429"} <= set(patch["responses"])
    assert patch["responses"]["422"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert [p for p in patch["parameters"] if p["name"] == "if-match"][0]["required"] is True
    assert document["paths"]["/api/v1/auth/login"]["post"]["security"] == []
    admin_only = [("post", "/api/v1/users"), ("patch", "/api/v1/units/{unit_id}"), ("get", "/api/v1/api-keys"),
                  ("get", "/api/v1/login-audit")]
    assert all("403" in document["paths"][path][method]["responses"] for method, path in admin_only)
    conflicts = [("post", "/api/v1/users"), ("patch", "/api/v1/users/{user_id}"), ("post", "/api/v1/units"),
                 ("patch", "/api/v1/units/{unit_id}"), ("post", "/api/v1/api-keys")]
    assert all("409" in document["paths"][path][method]["responses"] for method, path in conflicts)
    # 405 names what the path serves; a path nothing serves is a 404
    wrong = await gw.client.put("/api/v1/users/00000000-0000-0000-0000-000000000001", headers=admin)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, PATCH"
    assert (await gw.client.put("/api/v1/users/a/b/c", headers=admin)).status_code == 404


async def test_no_idempotent_route_also_takes_the_plain_pool(gw):
    """The key, the effect and the answer commit together only on `once.pool` (crmkit.idempotency)."""
    assert testing.idempotent_routes_on_the_plain_pool(gw.app) == []
