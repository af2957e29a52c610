"""Login, back-off per client address, the login audit, refresh rotation and reuse detection, logout, deactivation, tokens."""
from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import uuid

import httpx
import jwt

from crmkit.auth import TokenVerifier


async def test_login_returns_a_token_pair(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    pair = await h.login(gw.client, user["username"].upper(), h.PASSWORD)  # usernames are case-insensitive
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 15 * 60
    assert pair["access_token"] and pair["refresh_token"]


async def test_wrong_password_is_401_invalid_credentials_in_vietnamese_and_english(gw, org, root_unit):
    user = await org.user(root_unit["id"], ["sales"])
    body = {"username": user["username"], "password": "wrong-password"}
    vi = await gw.client.post("/api/v1/auth/login", json=body)
    assert vi.status_code == 401
    assert vi.headers["content-type"].startswith("application/problem+json")
    assert vi.json()["code"] == "invalid_credentials"
    assert vi.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng"
    en = await gw.client.post("/api/v1/auth/login", json=body, headers={"Accept-Language": "en"})
    assert en.json()["detail"] == "The username or password is incorrect"
    unknown = await gw.client.post("/api/v1/auth/login", json={"username": "nobody.at.all", "password": "x"})
    assert unknown.status_code == 401 and unknown.json()["code"] == "invalid_credentials"


def attempt(client, username: str, password: str, address: str):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       headers={"X-Forwarded-For": address})


def browser(gateway) -> httpx.AsyncClient:
    """Another client of `gateway` with a cookie jar of its own (a user's browser: gateway.client
    plays the attacker, whose jar must not hold the user's device cookie)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway.app), base_url="http://gateway.test")


async def test_failures_back_off_per_client_address_and_never_lock_the_user_out_elsewhere(
        start_gateway, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    async with start_gateway(trusted_proxies="127.0.0.1") as gateway:
        attacker, office = "203.0.113.66", "198.51.100.10"
        statuses = [(await attempt(gateway.client, user["username"], "wrong", attacker)).status_code for _ in range(5)]
        assert statuses == [401, 401, 401, 401, 423]
        blocked = await attempt(gateway.client, user["username"], h.PASSWORD, attacker)
        assert blocked.status_code == 423 and blocked.json()["code"] == "account_locked"
        assert int(blocked.headers["Retry-After"]) == 1 == blocked.json()["retry_after"]
        # the user, from their own address, is not locked out by the stranger
        async with browser(gateway) as own:
            assert (await attempt(own, user["username"], h.PASSWORD, office)).status_code == 200
        ips = await gateway.app.state.pool.fetch("SELECT ip FROM refresh_tokens WHERE user_id = $1",
                                                 uuid.UUID(user["id"]))
        assert [row["ip"] for row in ips] == [office]  # the client's address, not the proxy's

        await asyncio.sleep(1.1)  # the wait doubles with every further failure (capped: 2 s in the tests)
        again = await attempt(gateway.client, user["username"], "wrong", attacker)
        assert again.status_code == 423 and again.headers["Retry-After"] == "2"
        await asyncio.sleep(2.1)
        assert (await attempt(gateway.client, user["username"], h.PASSWORD, attacker)).status_code == 200
        # a success starts the pair from zero
        assert (await attempt(gateway.client, user["username"], "wrong", attacker)).status_code == 401


async def test_unknown_usernames_answer_exactly_like_existing_ones(start_gateway, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    key = await org.client.post("/api/v1/api-keys", headers=org.admin, json={"name": f"partner {h.uid()}"})
    service = (await org.client.get(f"/api/v1/users/{key.json()['user_id']}", headers=org.admin)).json()
    async with start_gateway(trusted_proxies="127.0.0.1") as gateway:
        seen = {}
        for username in (user["username"], f"ghost.{h.uid()}", service["username"]):
            answers = [await attempt(gateway.client, username, "wrong", "203.0.113.67") for _ in range(6)]
            seen[username] = [(r.status_code, r.json()["code"], r.headers.get("Retry-After")) for r in answers]
        first, *others = seen.values()
        assert first[4:] == [(423, "account_locked", "1")] * 2
        assert all(other == first for other in others), seen


async def test_admin_sees_and_clears_a_users_back_off(start_gateway, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    async with start_gateway(trusted_proxies="127.0.0.1") as gateway:
        for _ in range(5):
            await attempt(gateway.client, user["username"], "wrong", "2001:db8:5:6::1")
        state = await gateway.client.get(f"/api/v1/users/{user['id']}/login-failures", headers=org.admin)
        assert state.status_code == 200
        [row] = state.json()["items"]
        assert row["client"] == "2001:db8:5:6::/64" and row["failures"] == 5 and row["blocked_until"]
        rep = await org.token(user)
        assert (await gateway.client.get(f"/api/v1/users/{user['id']}/login-failures", headers=rep)).status_code == 403
        assert (await gateway.client.delete(f"/api/v1/users/{user['id']}/login-failures", headers=rep)).status_code == 403

        cleared = await gateway.client.delete(f"/api/v1/users/{user['id']}/login-failures", headers=org.admin)
        assert cleared.status_code == 204
        assert (await gateway.client.get(f"/api/v1/users/{user['id']}/login-failures",
                                         headers=org.admin)).json()["items"] == []
        assert (await attempt(gateway.client, user["username"], h.PASSWORD, "2001:db8:5:6::2")).status_code == 200
        missing = await gateway.client.get(f"/api/v1/users/{uuid.uuid4()}/login-failures", headers=org.admin)
        assert missing.status_code == 404


async def test_a_password_reset_by_an_admin_clears_the_back_off(start_gateway, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    async with start_gateway(trusted_proxies="127.0.0.1") as gateway:
        for _ in range(5):
            await attempt(gateway.client, user["username"], "wrong", "203.0.113.68")
        reset = await gateway.client.patch(f"/api/v1/users/{user['id']}", json={"password": "Fresh@Pass123"},
                                           headers={**org.admin, "If-Match": "*"})
        assert reset.status_code == 200
        assert (await attempt(gateway.client, user["username"], "Fresh@Pass123", "203.0.113.68")).status_code == 200


async def test_logins_are_audited_with_username_and_client_address(start_gateway, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    ghost = f"ghost.{h.uid()}"
    async with start_gateway(trusted_proxies="127.0.0.1") as gateway:
        await attempt(gateway.client, user["username"], "wrong", "203.0.113.69")
        await attempt(gateway.client, user["username"].upper(), h.PASSWORD, "203.0.113.70")
        await attempt(gateway.client, ghost, "whatever", "203.0.113.71")
        page = await gateway.client.get("/api/v1/login-audit", params={"username": user["username"]},
                                        headers=org.admin)
        assert page.status_code == 200
        rows = [(r["outcome"], r["client"], r["user_id"]) for r in page.json()["items"]]
        assert rows == [("success", "203.0.113.70", user["id"]), ("wrong_password", "203.0.113.69", user["id"])]
        first = await gateway.client.get("/api/v1/login-audit", params={"username": user["username"], "limit": 1},
                                         headers=org.admin)
        second = await gateway.client.get("/api/v1/login-audit", headers=org.admin, params={
            "username": user["username"], "limit": 1, "cursor": first.json()["next_cursor"]})
        assert [r["outcome"] for r in second.json()["items"]] == ["wrong_password"]
        unknown = (await gateway.client.get("/api/v1/login-audit", params={"username": ghost},
                                            headers=org.admin)).json()["items"]
        assert [(r["outcome"], r["user_id"]) for r in unknown] == [("unknown_user", None)]
        rep = await org.token(user)
        assert (await gateway.client.get("/api/v1/login-audit", headers=rep)).status_code == 403


async def test_the_login_tables_are_bounded(gw, org, root_unit):
    from crm_gateway.handlers import logins

    for n in range(4):
        await gw.client.post("/api/v1/auth/login", json={"username": f"ghost.{n}.{uuid.uuid4().hex[:6]}",
                                                        "password": "x"})
    settings = gw.settings.model_copy(update={"login_failures_max_rows": 2, "login_audit_max_rows": 3})
    await logins.purge(dataclasses.replace(gw.app.state.identity, settings=settings))
    pool = gw.app.state.pool
    assert await pool.fetchval("SELECT count(*) FROM login_failures") == 2
    assert await pool.fetchval("SELECT count(*) FROM login_audit") == 3


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    first = (await h.login(gw.client, user["username"], h.PASSWORD))["refresh_token"]
    second = await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert second.status_code == 200
    third = await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert third.status_code == 200
    newest = third.json()["refresh_token"]

    reused = await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401 and reused.json()["code"] == "refresh_token_reused"
    after = await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": newest})
    assert after.status_code == 401 and after.json()["code"] == "invalid_refresh_token"


async def test_other_logins_survive_a_revoked_family(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    laptop = (await h.login(gw.client, user["username"], h.PASSWORD))["refresh_token"]
    phone = (await h.login(gw.client, user["username"], h.PASSWORD))["refresh_token"]
    await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": laptop})
    await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": laptop})  # reuse: laptop family gone
    assert (await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": phone})).status_code == 200


async def test_logout_revokes_the_refresh_token(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    refresh = (await h.login(gw.client, user["username"], h.PASSWORD))["refresh_token"]
    assert (await gw.client.post("/api/v1/auth/logout", json={"refresh_token": refresh})).status_code == 204
    response = await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert response.status_code == 401 and response.json()["code"] == "invalid_refresh_token"
    assert (await gw.client.post("/api/v1/auth/logout", json={"refresh_token": "unknown"})).status_code == 204


async def test_deactivated_user_cannot_log_in_refresh_or_use_a_token_issued_before(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    pair = await h.login(gw.client, user["username"], h.PASSWORD)
    response = await gw.client.patch(f"/api/v1/users/{user['id']}", json={"active": False},
                                     headers={**org.admin, "If-Match": f'"{user["version"]}"'})
    assert response.status_code == 200 and response.json()["active"] is False

    # exactly like a wrong password: a right one must not tell that the account exists (no oracle)
    login = await gw.client.post("/api/v1/auth/login", json={"username": user["username"], "password": h.PASSWORD})
    assert login.status_code == 401 and login.json()["code"] == "invalid_credentials"
    outcome = await gw.app.state.pool.fetchval(
        "SELECT outcome FROM login_audit WHERE user_id = $1 ORDER BY id DESC LIMIT 1", uuid.UUID(user["id"]))
    assert outcome == "inactive"
    refresh = await gw.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401
    await gw.app.state.token_revocations.refresh()  # what its watcher does every second
    me = await gw.client.get("/api/v1/me", headers=h.bearer(pair["access_token"]))
    assert me.status_code == 401 and me.json()["code"] == "token_revoked"
    proxied = await gw.client.get("/api/v1/customers", headers=h.bearer(pair["access_token"]))
    assert proxied.status_code == 401 and proxied.json()["code"] == "token_revoked"

    row = await gw.app.state.pool.fetchrow(
        "SELECT payload FROM outbox WHERE event_type = 'user.deactivated' AND key = $1", user["id"])
    assert row["payload"]["data"]["active"] is False
    assert row["payload"]["data"]["unit_path"] == user["unit_path"]


async def test_access_token_is_verified_by_crmkit(gw, org, root_unit, key_dir, h):
    user = await org.user(root_unit["id"], ["sales", "reviewer"])
    token = (await h.login(gw.client, user["username"], h.PASSWORD))["access_token"]
    principal = TokenVerifier.from_file(key_dir / "jwt_public.pem").verify(token)
    assert str(principal.user_id) == user["id"]
    assert principal.username == user["username"]
    assert principal.roles == {"sales", "reviewer"}
    assert str(principal.unit_id) == root_unit["id"]
    assert principal.unit_path == root_unit["path"]
    assert principal.kind == "user"

    claims = jwt.decode(token, options={"verify_signature": False})
    assert set(claims) == {"iss", "aud", "sub", "iat", "iat_ms", "exp", "jti", "typ", "username", "roles", "unit",
                           "unit_path", "kind", "perms"}
    assert claims["iat_ms"] // 1000 == claims["iat"]
    assert (claims["iss"], claims["aud"], claims["typ"]) == ("crm-gateway", "crm", "access")
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"


async def test_me_describes_the_caller(gw, org, root_unit):
    user = await org.user(root_unit["id"], ["manager"])
    me = (await gw.client.get("/api/v1/me", headers=await org.token(user))).json()
    assert {k: me[k] for k in ("id", "username", "full_name", "unit_id", "roles")} == {
        k: user[k] for k in ("id", "username", "full_name", "unit_id", "roles")}
    assert (await gw.client.get("/api/v1/me")).status_code == 401


async def test_login_body_is_limited(gw):
    response = await gw.client.post("/api/v1/auth/login", content=b"x" * 100_000,
                                    headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


async def test_credential_stuffing_from_many_addresses_neither_gets_through_nor_locks_the_user_out(
        start_gateway, org, root_unit, h):
    """Each address tries a few passwords, below its own back-off; past the username's guard
    (3 failures here) only a device that signed the user in before may sign in."""
    user, ghost = await org.user(root_unit["id"], ["sales"]), f"ghost.{h.uid()}"
    async with start_gateway(trusted_proxies="127.0.0.1", login_guard_after_failures=3,
                             login_guard_window_seconds=600) as gateway:
        async with browser(gateway) as office:  # the user's own browser: it keeps its cookies
            assert (await attempt(office, user["username"], h.PASSWORD, "198.51.100.10")).status_code == 200
            cookies = [c for c in office.cookies.jar if c.name.startswith("crm_device_")]
            assert len(cookies) == 1 and cookies[0].path == "/api/v1/auth"

            answers = {}
            for name in (user["username"], ghost):
                answers[name] = [(await attempt(gateway.client, name, "wrong", f"203.0.113.{n}")).status_code
                                 for n in range(1, 7)]
            assert answers[user["username"]] == answers[ghost] == [401, 401, 401, 423, 423, 423]
            stolen = await attempt(gateway.client, user["username"], h.PASSWORD, "203.0.113.99")
            assert stolen.status_code == 423 and stolen.json()["code"] == "account_locked"
            assert stolen.headers["Retry-After"] == "600"

            # the user's device signs in, from its usual address and from a new one (a phone moving)
            assert (await attempt(office, user["username"], h.PASSWORD, "198.51.100.10")).status_code == 200
            assert (await attempt(office, user["username"], h.PASSWORD, "192.0.2.44")).status_code == 200
            # a device cookie names one user: it opens no other account, and a forged one nothing
            office.cookies.set(f"crm_device_{hashlib.sha256(ghost.encode()).hexdigest()[:16]}",
                               cookies[0].value, domain=cookies[0].domain, path="/api/v1/auth")
            assert (await attempt(office, ghost, "wrong", "198.51.100.10")).status_code == 423


async def test_device_tokens_are_bound_to_their_user_and_kind(start_gateway, org, root_unit, h):
    async with start_gateway() as gateway:
        signer = gateway.app.state.signer
        token = signer.sign_device("Lan.Nguyen", ttl_seconds=60)
        assert signer.device_of(token, "lan.nguyen") and signer.device_of(token, "LAN.NGUYEN")
        assert signer.device_of(token, "someone.else") is None
        assert signer.device_of(token[:-2] + "xx", "lan.nguyen") is None
        access = (await h.login(gateway.client, "admin", h.ADMIN_PASSWORD))["access_token"]
        assert signer.device_of(access, "admin") is None  # an access token is not a device token
