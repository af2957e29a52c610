"""Helpers of the end-to-end tests through the gateway against the real running platform.

`make test` starts PostgreSQL, Kafka, every service and the gateway with deploy/local and
exports the ports; the tests only speak HTTP to the gateway, like a client would.
"""
from __future__ import annotations

import asyncio
import os
import random
import uuid

import httpx

GATEWAY = os.environ.get("CRM_E2E_GATEWAY", f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}")
ADMIN_USERNAME = os.environ.get("CRM_ADMIN_USERNAME", "admin")
ADMIN_PASSWORD = os.environ.get("CRM_ADMIN_PASSWORD", "admin12345")
PASSWORD = "E2e-Passw0rd!"


async def login(client: httpx.AsyncClient, username: str, password: str) -> dict:
    """Sign in as a well-behaved client: the tests of one process share its client's login bucket
    (tests/conftest.py `client_address`; the tests of the limit itself send addresses of their own),
    so a 429 waits its Retry-After and tries again — for up to a minute: a module signing in a dozen
    users at once (the BOLA matrix) beside the process's other tests drains the bucket (10, then one
    every 2 s), and five tries of one second each were not always enough."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
        if response.status_code != 429 or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")) + random.random())
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def eventually(probe, *, timeout: float = 20.0, interval: float = 0.2):
    """Poll an async probe until it returns something truthy (events are asynchronous)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(interval)




async def attachment_url_of_new_customer(client: httpx.AsyncClient, user: dict, name: str) -> str:
    """A new customer of `user` and the URL of its attachments."""
    created = await client.post("/api/v1/customers", headers=user["headers"],
                                json={"name": name, "phone": random_mobile()})
    assert created.status_code == 201, created.text
    return f"/api/v1/customers/{created.json()['id']}/attachments"


async def upload_once_known(client: httpx.AsyncClient, url: str, **request) -> dict:
    """POST an upload to `url` until interactions has learnt of the new customer (404 until then,
    events are asynchronous); the created attachment."""
    async def uploaded():
        attempt = await client.post(url, **request)
        assert attempt.status_code in (201, 404), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    return await eventually(uploaded, timeout=30)


def random_mobile() -> str:
    """A valid, practically unique Vietnamese mobile number: 090, 091, 093, 096, 097 or 098 and 7
    uniformly random digits ("09" + any 8 digits is invalid about once in 100 calls: 0992…)."""
    n = uuid.uuid4().int
    return "09" + "013678"[n % 6] + f"{n // 6 % 10**7:07d}"


async def new_unit(client: httpx.AsyncClient, admin: dict, name: str, kind: str, parent: str) -> str:
    r = await client.post("/api/v1/units", json={"name": name, "kind": kind, "parent_id": parent}, headers=admin)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def new_user(client: httpx.AsyncClient, admin: dict, *, username: str, full_name: str, unit_id: str,
                   roles: list[str]) -> dict:
    """A user (PASSWORD) signed in: {"id", "username", "headers"}."""
    r = await client.post("/api/v1/users", headers=admin, json={
        "username": username, "full_name": full_name, "password": PASSWORD, "unit_id": unit_id, "roles": roles})
    assert r.status_code == 201, r.text
    return {"id": r.json()["id"], "username": username, "headers": bearer(await login(client, username, PASSWORD))}


async def make_org(client: httpx.AsyncClient, admin: dict, *, with_admin: bool = False) -> dict:
    """A fresh branch with a manager and two reps in one team, and a rep in another branch (and an
    admin of its own: tests that use one heavily keep the shared admin's rate limit untouched)."""
    tag = uuid.uuid4().hex[:6]
    me = (await client.get("/api/v1/me", headers=admin)).json()
    root = me["unit_id"]

    async def unit(name, kind, parent):
        return await new_unit(client, admin, f"{name} {tag}", kind, parent)

    async def user(name, unit_id, roles):
        return await new_user(client, admin, username=f"{name}.{tag}", full_name=f"Người dùng {name}",
                              unit_id=unit_id, roles=roles)

    branch = await unit("Chi nhánh", "branch", root)
    team = await unit("Nhóm", "team", branch)
    other_branch = await unit("Chi nhánh khác", "branch", root)
    made = {
        "branch": branch, "team": team,
        "manager": await user("manager", branch, ["manager"]),
        "rep": await user("rep", team, ["sales"]),
        "rep2": await user("rep2", team, ["sales"]),
        "outsider": await user("outsider", other_branch, ["sales"]),
    }
    if with_admin:
        made["admin"] = await user("admin", root, ["admin"])
    return made


# ---------------------------------------------------------------- shared by the console's assignment tests

def person(user: dict) -> dict:
    """What a browser test signs in with."""
    return {"username": user["username"], "password": PASSWORD}


async def fresh_rep(client: httpx.AsyncClient, org: dict, name: str) -> dict:
    """A rep of the org's team of the test's own (nobody else's leads in the roster's counts)."""
    tag = uuid.uuid4().hex[:6]
    made = await new_user(client, org["admin"]["headers"], username=f"sale.{tag}", full_name=f"{name} {tag}",
                          unit_id=org["team"], roles=["sales"])
    return {**made, "full_name": f"{name} {tag}"}


async def known_customers(client: httpx.AsyncClient, manager: dict, rep: dict, names: list[str]) -> list[str]:
    """New customers of the manager, once the assignment service knows them (it learns from events)."""
    ids = []
    for name in names:
        r = await client.post("/api/v1/customers", headers=manager["headers"],
                              json={"name": name, "phone": random_mobile()})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])

    async def known():
        probe = await client.post("/api/v1/assignments", headers=manager["headers"], json={
            "customer_ids": ids, "text": "probe", "job": {"content": "probe", "type": "probe"},
            "quantities": [{"user_id": rep["id"], "count": len(ids) + 1}]})
        assert probe.status_code == 422, probe.text
        return probe.json()["code"] == "quantities_mismatch"

    await eventually(known, timeout=30)
    return ids


async def choose(page, h, dialog, label: str, option: str) -> None:
    """Pick `option` in the antd Select labelled `label` in `dialog`, and see it chosen (a click while
    the list still slides in can miss). `h`: the console helpers (their `expect`)."""
    chosen = dialog.get_by_title(option, exact=True)  # the list itself is outside the dialog
    for _ in range(3):
        await dialog.get_by_label(label, exact=True).click()
        await page.get_by_title(option, exact=True).last.click()
        try:
            await h.expect(chosen).to_be_visible(timeout=2_000)
            return
        except AssertionError:
            await page.keyboard.press("Escape")
    await h.expect(chosen).to_be_visible()
