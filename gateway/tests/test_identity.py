"""Units and users: admin-only writes, subtree reads, moves, versions, idempotent creates."""
from __future__ import annotations

import uuid


async def test_rep_cannot_write(gw, org, root_unit):
    rep = await org.user(root_unit["id"], ["sales"])
    headers = await org.token(rep)
    unit = await gw.client.post("/api/v1/units", headers=headers,
                                json={"name": "X", "kind": "branch", "parent_id": root_unit["id"]})
    assert unit.status_code == 403 and unit.json()["code"] == "forbidden"
    user = await gw.client.post("/api/v1/users", headers=headers, json={
        "username": "x.y.z", "password": "Secret@123", "full_name": "X", "unit_id": root_unit["id"], "roles": ["sales"]})
    assert user.status_code == 403
    patch = await gw.client.patch(f"/api/v1/users/{rep['id']}", headers={**headers, "If-Match": "*"},
                                  json={"roles": ["admin"]})
    assert patch.status_code == 403
    assert (await gw.client.post("/api/v1/api-keys", headers=headers, json={"name": "k"})).status_code == 403


async def test_manager_reads_only_their_subtree(gw, org, root_unit):
    branch = await org.unit("branch", root_unit["id"])
    team = await org.unit("team", branch["id"])
    other_branch = await org.unit("branch", root_unit["id"])
    manager = await org.user(branch["id"], ["manager"])
    rep = await org.user(team["id"], ["sales"])
    stranger = await org.user(other_branch["id"], ["sales"])
    headers = await org.token(manager)

    users = (await gw.client.get("/api/v1/users", headers=headers, params={"limit": 200})).json()["items"]
    assert {u["id"] for u in users} == {manager["id"], rep["id"]}
    assert (await gw.client.get(f"/api/v1/users/{rep['id']}", headers=headers)).status_code == 200
    assert (await gw.client.get(f"/api/v1/users/{stranger['id']}", headers=headers)).status_code == 404

    units = (await gw.client.get("/api/v1/units", headers=headers)).json()["items"]
    assert {u["id"] for u in units} == {branch["id"], team["id"]}
    assert (await gw.client.get(f"/api/v1/units/{other_branch['id']}", headers=headers)).status_code == 404

    rep_view = (await gw.client.get("/api/v1/users", headers=await org.token(rep))).json()["items"]
    assert [u["id"] for u in rep_view] == [rep["id"]]


async def test_user_list_filters_and_keyset_pages(gw, org, root_unit):
    branch = await org.unit("branch", root_unit["id"])
    team = await org.unit("team", branch["id"])
    created = [await org.user(team["id"], ["sales"]) for _ in range(5)]
    await org.user(branch["id"], ["manager"])
    seen, cursor = [], None
    while True:
        params = {"unit_id": branch["id"], "role": "sales", "active": "true", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await gw.client.get("/api/v1/users", headers=org.admin, params=params)).json()
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(u["id"] for u in created)
    q = created[0]["username"]
    found = (await gw.client.get("/api/v1/users", headers=org.admin, params={"q": q})).json()["items"]
    assert [u["id"] for u in found] == [created[0]["id"]]
    too_big = await gw.client.get("/api/v1/users", headers=org.admin, params={"limit": 10_000})
    assert too_big.status_code == 422


async def test_unit_move_rewrites_the_subtree_and_publishes_events(gw, org, root_unit):
    north = await org.unit("branch", root_unit["id"])
    south = await org.unit("branch", root_unit["id"])
    department = await org.unit("department", north["id"])
    team = await org.unit("team", department["id"])

    moved = await gw.client.patch(f"/api/v1/units/{department['id']}", json={"parent_id": south["id"]},
                                  headers={**org.admin, "If-Match": f'"{department["version"]}"'})
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"] == f"{south['path']}{department['id']}/"
    assert moved.headers["ETag"] == f'"{department["version"] + 1}"'
    team_now = (await gw.client.get(f"/api/v1/units/{team['id']}", headers=org.admin)).json()
    assert team_now["path"] == f"{south['path']}{department['id']}/{team['id']}/"
    assert team_now["depth"] == 3

    rows = await gw.app.state.pool.fetch(
        "SELECT key, payload FROM outbox WHERE event_type = 'unit.updated' AND key = ANY($1::text[]) ORDER BY id",
        [department["id"], team["id"]])
    events = {r["key"]: r["payload"] for r in rows}
    assert events[department["id"]]["data"]["path"] == moved.json()["path"]
    assert events[department["id"]]["data"]["parent_id"] == south["id"]
    assert "parent_id" in events[department["id"]]["data"]["changed"]
    assert events[team["id"]]["data"]["path"] == team_now["path"]
    assert events[team["id"]]["source"] == "gateway" and events[team["id"]]["subject"] == team["id"]


async def test_the_request_correlation_id_and_the_caller_reach_the_published_envelopes(gw, org, root_unit):
    me = (await gw.client.get("/api/v1/me", headers=org.admin)).json()
    created = await gw.client.post("/api/v1/units", json={"name": f"Corr {uuid.uuid4().hex[:6]}", "kind": "branch",
                                                          "parent_id": root_unit["id"]},
                                   headers={**org.admin, "X-Correlation-ID": "corr-unit-create"})
    assert created.status_code == 201, created.text
    renamed = await gw.client.patch(f"/api/v1/units/{created.json()['id']}", json={"name": "Renamed"},
                                    headers={**org.admin, "If-Match": "*", "X-Correlation-ID": "corr-unit-rename"})
    assert renamed.status_code == 200, renamed.text

    rows = await gw.app.state.pool.fetch("SELECT event_type, payload FROM outbox WHERE key = $1 ORDER BY id",
                                         created.json()["id"])
    by_type = {r["event_type"]: r["payload"] for r in rows}
    assert by_type["unit.created"]["correlation_id"] == "corr-unit-create"
    assert by_type["unit.updated"]["correlation_id"] == "corr-unit-rename"
    assert {by_type[t]["actor"] for t in by_type} == {me["id"]}
    assert {by_type[t]["source"] for t in by_type} == {"gateway"}


async def test_unit_cannot_move_under_its_own_subtree(gw, org, root_unit):
    branch = await org.unit("branch", root_unit["id"])
    department = await org.unit("department", branch["id"])
    response = await gw.client.patch(f"/api/v1/units/{department['id']}", json={"parent_id": department["id"]},
                                     headers={**org.admin, "If-Match": "*"})
    assert response.status_code == 409 and response.json()["code"] == "unit_cycle"
    upward = await gw.client.patch(f"/api/v1/units/{branch['id']}", json={"parent_id": department["id"]},
                                   headers={**org.admin, "If-Match": "*"})
    assert upward.status_code in (409, 422)


async def test_a_unit_cannot_become_a_second_root(gw, org, root_unit):
    branch = await org.unit("branch", root_unit["id"])
    response = await gw.client.patch(f"/api/v1/units/{branch['id']}", json={"kind": "company", "parent_id": None},
                                     headers={**org.admin, "If-Match": "*"})
    assert response.status_code == 409 and response.json()["code"] == "unit_root_exists"
    assert (await gw.client.get(f"/api/v1/units/{branch['id']}", headers=org.admin)).json()["parent_id"] == root_unit["id"]


async def test_unit_levels_are_enforced(gw, org, root_unit):
    team = await org.unit("team", root_unit["id"])
    response = await gw.client.post("/api/v1/units", headers=org.admin,
                                    json={"name": "B", "kind": "branch", "parent_id": team["id"]})
    assert response.status_code == 422 and response.json()["code"] == "unit_kind_invalid"
    second_root = await gw.client.post("/api/v1/units", headers=org.admin, json={"name": "C", "kind": "company"})
    assert second_root.status_code == 409


async def test_updates_need_the_current_version(gw, org, root_unit):
    user = await org.user(root_unit["id"], ["sales"])
    url = f"/api/v1/users/{user['id']}"
    missing = await gw.client.patch(url, json={"full_name": "Tên Mới"}, headers=org.admin)
    assert missing.status_code == 428
    ok = await gw.client.patch(url, json={"full_name": "Tên Mới"}, headers={**org.admin, "If-Match": f'"{user["version"]}"'})
    assert ok.status_code == 200 and ok.json()["full_name"] == "Tên Mới"
    stale = await gw.client.patch(url, json={"full_name": "Khác"}, headers={**org.admin, "If-Match": f'"{user["version"]}"'})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"

    row = await gw.app.state.pool.fetchrow(
        "SELECT payload FROM outbox WHERE event_type = 'user.updated' AND key = $1", user["id"])
    data = row["payload"]["data"]
    assert data["changed"] == ["full_name"]
    assert data["full_name"] == "Tên Mới" and data["roles"] == ["sales"] and data["unit_path"] == root_unit["path"]


async def test_usernames_are_unique_case_insensitively(gw, org, root_unit, h):
    name = f"Mixed.{h.uid()}"
    await org.user(root_unit["id"], ["sales"], username=name)
    response = await gw.client.post("/api/v1/users", headers=org.admin, json={
        "username": name.lower(), "password": h.PASSWORD, "full_name": "Ai Đó", "unit_id": root_unit["id"],
        "roles": ["sales"]})
    assert response.status_code == 409 and response.json()["code"] == "username_exists"


async def test_user_input_is_validated(gw, org, root_unit):
    response = await gw.client.post("/api/v1/users", headers=org.admin, json={
        "username": "bad name!", "password": "short", "full_name": "x" * 500, "unit_id": root_unit["id"],
        "roles": ["emperor"], "extra": 1})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"username", "password", "full_name", "extra"} <= fields
    assert any(f.startswith("roles") for f in fields)


async def test_create_is_idempotent_with_idempotency_key(gw, org, root_unit, h):
    body = {"name": f"Chi nhánh {h.uid()}", "kind": "branch", "parent_id": root_unit["id"]}
    headers = {**org.admin, "Idempotency-Key": h.uid()}
    first = await gw.client.post("/api/v1/units", json=body, headers=headers)
    again = await gw.client.post("/api/v1/units", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.headers["Location"] == f"/api/v1/units/{first.json()['id']}"
    other = await gw.client.post("/api/v1/units", json={**body, "name": "Khác"}, headers=headers)
    assert other.status_code == 422


async def test_the_last_admin_cannot_be_removed(gw, org):
    me = (await gw.client.get("/api/v1/me", headers=org.admin)).json()
    admins = (await gw.client.get("/api/v1/users", headers=org.admin, params={"role": "admin", "active": "true"})).json()
    assert [a["id"] for a in admins["items"]] == [me["id"]]
    response = await gw.client.patch(f"/api/v1/users/{me['id']}", json={"active": False},
                                     headers={**org.admin, "If-Match": "*"})
    assert response.status_code == 409 and response.json()["code"] == "last_admin"
    demoted = await gw.client.patch(f"/api/v1/users/{me['id']}", json={"roles": ["manager"]},
                                    headers={**org.admin, "If-Match": "*"})
    assert demoted.status_code == 409


async def test_api_key_permissions_must_be_known(gw, org, h):
    response = await gw.client.post("/api/v1/api-keys", headers={**org.admin, "Accept-Language": "en"}, json={
        "name": f"partner {h.uid()}", "permissions": ["customers.read", "customers.raed", "interactions.read"]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("permissions.1", "unknown_permission"),
                                                         ("permissions.2", "unknown_permission")]
    assert "customers.raed" in errors[0]["message"] and "calls.write" in errors[0]["message"]
    created = await gw.client.post("/api/v1/api-keys", headers=org.admin, json={
        "name": f"partner {h.uid()}", "permissions": ["calls.write", "customers.read", "identity.read"]})
    assert created.status_code == 201
    schema = gw.app.openapi()["components"]["schemas"]["ApiKeyCreate"]
    assert "customers.write" in schema["properties"]["permissions"]["items"]["enum"]
