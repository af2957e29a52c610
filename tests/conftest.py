"""Fixtures of the end-to-end tests: an HTTP client of the gateway and a small organisation."""
from __future__ import annotations

import uuid

import httpx
import pytest

from e2e_support import ADMIN_PASSWORD, ADMIN_USERNAME, GATEWAY, PASSWORD, bearer, login


@pytest.fixture(scope="session")
async def client():
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
async def admin(client) -> dict:
    return bearer(await login(client, ADMIN_USERNAME, ADMIN_PASSWORD))


@pytest.fixture(scope="session")
async def org(client, admin) -> dict:
    """A fresh branch with a manager and two reps in one team, and a rep in another branch."""
    tag = uuid.uuid4().hex[:6]
    me = (await client.get("/api/v1/me", headers=admin)).json()
    root = me["unit_id"]

    async def unit(name, kind, parent):
        r = await client.post("/api/v1/units", json={"name": f"{name} {tag}", "kind": kind, "parent_id": parent},
                              headers=admin)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def user(name, unit_id, roles):
        username = f"{name}.{tag}"
        r = await client.post("/api/v1/users", headers=admin, json={
            "username": username, "full_name": f"Người dùng {name}", "password": PASSWORD,
            "unit_id": unit_id, "roles": roles})
        assert r.status_code == 201, r.text
        return {"id": r.json()["id"], "username": username,
                "headers": bearer(await login(client, username, PASSWORD))}

    branch = await unit("Chi nhánh", "branch", root)
    team = await unit("Nhóm", "team", branch)
    other_branch = await unit("Chi nhánh khác", "branch", root)
    return {
        "branch": branch, "team": team,
        "manager": await user("manager", branch, ["manager"]),
        "rep": await user("rep", team, ["sales"]),
        "rep2": await user("rep2", team, ["sales"]),
        "outsider": await user("outsider", other_branch, ["sales"]),
    }
