"""Create the benchmark organisation through the gateway: 300 units (10 branches × 29 teams plus
the branches) and the users the benchmarks log in as. Idempotent by name; prints JSON.

    .venv/bin/python bench/bench_org.py --gateway http://127.0.0.1:8000 > .local/bench/org.json
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

import httpx

BRANCHES, TEAMS_PER_BRANCH = 10, 29
PASSWORD = "Bench@12345"


async def login(client: httpx.AsyncClient, username: str, password: str) -> dict:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def all_units(client: httpx.AsyncClient, admin: dict) -> list[dict]:
    units, cursor = [], None
    while True:
        r = await client.get("/api/v1/units", params={"limit": 200, **({"cursor": cursor} if cursor else {})},
                             headers=admin)
        r.raise_for_status()
        units += r.json()["items"]
        cursor = r.json().get("next_cursor")
        if not cursor:
            return units


async def ensure_unit(client, admin, existing: dict, name: str, kind: str, parent: str) -> dict:
    if (name, parent) in existing:
        return existing[(name, parent)]
    r = await client.post("/api/v1/units", json={"name": name, "kind": kind, "parent_id": parent}, headers=admin)
    r.raise_for_status()
    return r.json()


async def ensure_user(client, admin, username: str, unit_id: str, roles: list[str]) -> dict:
    r = await client.post("/api/v1/users", headers=admin, json={
        "username": username, "full_name": f"Bench {username}", "password": PASSWORD, "unit_id": unit_id,
        "roles": roles})
    if r.status_code == 409:
        r = await client.get("/api/v1/users", params={"q": username}, headers=admin)
        return next(u for u in r.json()["items"] if u["username"] == username)
    r.raise_for_status()
    return r.json()


def paths(units: list[dict]) -> dict[str, str]:
    by_id = {u["id"]: u for u in units}

    def path(unit_id: str) -> str:
        parent = by_id[unit_id]["parent_id"]
        return (path(parent) if parent else "/") + unit_id + "/"

    return {u["id"]: path(u["id"]) for u in units}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", default=f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}")
    parser.add_argument("--admin", default=os.environ.get("CRM_ADMIN_USERNAME", "admin"))
    parser.add_argument("--password", default=os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
    args = parser.parse_args()
    async with httpx.AsyncClient(base_url=args.gateway, timeout=60) as client:
        admin = await login(client, args.admin, args.password)
        root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
        existing = {(u["name"], u["parent_id"]): u for u in await all_units(client, admin)}
        teams = []
        for b in range(BRANCHES):
            branch = await ensure_unit(client, admin, existing, f"Bench chi nhánh {b + 1:02d}", "branch", root)
            for t in range(TEAMS_PER_BRANCH):
                teams.append(await ensure_unit(client, admin, existing, f"Bench nhóm {b + 1:02d}.{t + 1:02d}",
                                               "team", branch["id"]))
        unit_paths = paths(await all_units(client, admin))
        first_branch = teams[0]["parent_id"]
        rep = await ensure_user(client, admin, "bench.rep", teams[0]["id"], ["sales"])
        manager = await ensure_user(client, admin, "bench.manager", first_branch, ["manager"])
    json.dump({
        "teams": [{"id": t["id"], "path": unit_paths[t["id"]]} for t in teams],
        "rep": {"id": rep["id"], "username": "bench.rep", "unit_id": teams[0]["id"],
                "path": unit_paths[teams[0]["id"]]},
        "manager": {"id": manager["id"], "username": "bench.manager", "path": unit_paths[first_branch]},
        "password": PASSWORD,
    }, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    asyncio.run(main())
