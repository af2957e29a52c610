"""The web console's side of the gateway: the browser session (refresh token in an HttpOnly cookie,
access token in memory) and the built console served at `/` with its security headers."""
from __future__ import annotations

import gzip

import httpx
import pytest

SESSION = "/api/v1/auth/session"
HEADER = {"X-CRM-Session": "1"}


@pytest.fixture
def web_dir(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><html><head><script type="module" '
                                         'src="/assets/index-abc123.js"></script></head><body></body></html>')
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('crm')")
    (tmp_path / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(b"console.log('crm')"))
    (tmp_path / "assets" / "index-abc123.js.br").write_bytes(b"brotli bytes")
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return tmp_path


def cookie_of(response: httpx.Response) -> str:
    return response.headers["set-cookie"]


async def test_a_session_keeps_the_refresh_token_in_an_httponly_cookie(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    async with httpx.AsyncClient(transport=gw.client._transport, base_url="http://gateway.test") as browser:
        opened = await browser.post(SESSION, json={"username": user["username"], "password": h.PASSWORD})
        assert opened.status_code == 200, opened.text
        assert set(opened.json()) == {"access_token", "token_type", "expires_in"}  # no refresh token to a script
        cookie = cookie_of(opened).lower()
        for flag in ("httponly", "samesite=strict", f"path={SESSION}/".rstrip("/").lower()):
            assert flag in cookie, cookie
        assert "secure" not in cookie  # plain http here; https sets Secure
        assert opened.headers["cache-control"] == "no-store"
        me = await browser.get("/api/v1/me", headers=h.bearer(opened.json()["access_token"]))
        assert me.json()["username"] == user["username"]

        first_cookie = browser.cookies.get("crm_refresh")
        refreshed = await browser.post(f"{SESSION}/refresh", headers=HEADER)
        assert refreshed.status_code == 200, refreshed.text
        assert browser.cookies.get("crm_refresh") != first_cookie  # rotated

        closed = await browser.delete(SESSION, headers=HEADER)
        assert closed.status_code == 204
        assert "crm_refresh=" in cookie_of(closed) and "max-age=0" in cookie_of(closed).lower()
        after = await browser.post(f"{SESSION}/refresh", headers=HEADER)
        assert after.status_code == 401 and after.json()["code"] == "invalid_refresh_token"


async def test_a_stolen_rotated_cookie_revokes_the_session(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    opened = await gw.client.post(SESSION, json={"username": user["username"], "password": h.PASSWORD})
    old = opened.cookies.get("crm_refresh")
    newer = await refresh_with(gw, old)
    assert newer.status_code == 200
    reused = await refresh_with(gw, old)
    assert reused.status_code == 401 and reused.json()["code"] == "refresh_token_reused"
    assert (await refresh_with(gw, newer.cookies.get("crm_refresh"))).status_code == 401


async def refresh_with(gw, cookie: str | None, headers: dict | None = None) -> httpx.Response:
    """A refresh from a client holding only `cookie` (a thief's copy, say)."""
    async with httpx.AsyncClient(transport=gw.client._transport, base_url="http://gateway.test",
                                 cookies={"crm_refresh": cookie} if cookie else None) as other:
        return await other.post(f"{SESSION}/refresh", headers=HEADER if headers is None else headers)


async def test_refreshing_or_closing_needs_the_session_header(gw):
    for method, path in (("POST", f"{SESSION}/refresh"), ("DELETE", SESSION)):
        response = await gw.client.request(method, path, headers={"Accept-Language": "en"})
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "session_header_required"
        assert "X-CRM-Session" in response.json()["detail"]
    vietnamese = await gw.client.post(f"{SESSION}/refresh")
    assert "tiêu đề" in vietnamese.json()["detail"]
    missing = await refresh_with(gw, None)
    assert missing.status_code == 401 and missing.json()["code"] == "invalid_refresh_token"


async def test_a_wrong_password_opens_no_session(gw, org, root_unit):
    user = await org.user(root_unit["id"], ["sales"])
    refused = await gw.client.post(SESSION, json={"username": user["username"], "password": "wrong-password"})
    assert refused.status_code == 401 and refused.json()["code"] == "invalid_credentials"
    assert "set-cookie" not in refused.headers


async def test_the_console_is_served_with_deep_links_cache_and_security_headers(start_gateway, web_dir):
    async with start_gateway(web_dir=str(web_dir)) as gateway:
        client = gateway.client
        for path in ("/", "/customers", "/customers/0b6f5c1e-58a4-4b43-9a38-4d6b8b3f1a77", "/admin/users?x=1"):
            page = await client.get(path)
            assert page.status_code == 200, path
            assert page.text.startswith("<!doctype html>")
            assert page.headers["cache-control"] == "no-cache"
            policy = page.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
            assert "frame-ancestors 'none'" in policy
            assert page.headers["x-content-type-options"] == "nosniff"
        asset = await client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
        assert asset.status_code == 200 and asset.text == "console.log('crm')"
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "content-encoding" not in asset.headers
        gzipped = await client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
        assert gzipped.headers["content-encoding"] == "gzip" and "Accept-Encoding" in gzipped.headers["vary"]
        assert gzipped.headers["content-type"].startswith(("text/javascript", "application/javascript"))
        assert gzipped.text == "console.log('crm')"  # decoded by the client
        assert gzipped.headers["cache-control"] == "public, max-age=31536000, immutable"
        async with client.stream("GET", "/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, br"}) as brotli:
            assert brotli.headers["content-encoding"] == "br"  # preferred when accepted
            assert b"".join([chunk async for chunk in brotli.aiter_raw()]) == b"brotli bytes"
        assert (await client.get("/favicon.svg")).text.startswith("<svg")
        assert (await client.get("/assets/missing.js")).status_code == 404
        # the platform's own paths are never the console
        api = await client.get("/api/v1/nothing-here")
        assert api.status_code == 404 and api.json()["code"] == "not_found"
        assert (await client.get("/healthz")).status_code == 200
        for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
            assert (await client.get(path)).status_code == 404, path
        assert (await client.get("/api/openapi.json")).status_code == 200


async def test_without_a_build_the_root_is_a_problem_not_a_crash(start_gateway, tmp_path):
    async with start_gateway(web_dir=str(tmp_path / "absent")) as gateway:
        response = await gateway.client.get("/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
