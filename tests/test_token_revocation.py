"""An account change takes effect at once, not when the access token expires: an admin makes a
rep a manager, then deactivates them. Each time the token issued before the change is refused
(401 `token_revoked`) by the gateway's own paths and by the proxied ones, within a couple of
seconds; after the role change a refresh gives a token with the new role; after the deactivation
nothing works."""
from __future__ import annotations

import uuid

from e2e_support import PASSWORD, bearer, eventually


async def test_role_change_and_deactivation_revoke_older_tokens(client, admin, org):
    username = f"revoke.{uuid.uuid4().hex[:6]}"
    created = await client.post("/api/v1/users", headers=admin, json={
        "username": username, "full_name": "Người đổi quyền", "password": PASSWORD, "unit_id": org["team"],
        "roles": ["sales"]})
    assert created.status_code == 201, created.text
    user = created.json()
    login = await client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    tokens = login.json()
    old = bearer(tokens)
    assert (await client.get("/api/v1/customers", headers=old)).status_code == 200

    promoted = await client.patch(f"/api/v1/users/{user['id']}", headers={**admin, "If-Match": f'"{user["version"]}"'},
                                  json={"roles": ["sales", "manager"]})
    assert promoted.status_code == 200, promoted.text

    async def refused(path: str):
        r = await client.get(path, headers=old)
        return r.status_code == 401 and r.json()["code"] == "token_revoked"

    await eventually(lambda: refused("/api/v1/me"), timeout=5)
    await eventually(lambda: refused("/api/v1/customers"), timeout=5)
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    new = bearer(refreshed.json())
    me = await client.get("/api/v1/me", headers=new)
    assert me.status_code == 200 and set(me.json()["roles"]) == {"sales", "manager"}
    assert (await client.get("/api/v1/customers", headers=new)).status_code == 200

    gone = await client.patch(f"/api/v1/users/{user['id']}",
                              headers={**admin, "If-Match": f'"{promoted.json()["version"]}"'}, json={"active": False})
    assert gone.status_code == 200, gone.text
    old = new
    await eventually(lambda: refused("/api/v1/customers"), timeout=5)
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": refreshed.json()["refresh_token"]})
    assert again.status_code == 401
