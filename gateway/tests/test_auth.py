"""Login, lock-out, refresh rotation and reuse detection, logout, deactivation, tokens."""
from __future__ import annotations

import asyncio

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


async def test_lockout_after_five_failures_and_unlock_after_the_window(gw, org, root_unit, h):
    user = await org.user(root_unit["id"], ["sales"])
    wrong = {"username": user["username"], "password": "not-the-password"}
    for _ in range(4):
        assert (await gw.client.post("/api/v1/auth/login", json=wrong)).status_code == 401
    locked = await gw.client.post("/api/v1/auth/login", json=wrong)
    assert locked.status_code == 423
    assert locked.json()["code"] == "account_locked"
    assert 1 <= int(locked.headers["Retry-After"]) <= gw.settings.lockout_seconds
    right = {"username": user["username"], "password": h.PASSWORD}
    assert (await gw.client.post("/api/v1/auth/login", json=right)).status_code == 423
    await asyncio.sleep(gw.settings.lockout_seconds + 0.2)
    assert (await gw.client.post("/api/v1/auth/login", json=right)).status_code == 200


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

    login = await gw.client.post("/api/v1/auth/login", json={"username": user["username"], "password": h.PASSWORD})
    assert login.status_code == 403 and login.json()["code"] == "account_inactive"
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
