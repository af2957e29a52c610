"""Login security end to end (issue 8 items 1, 2, 5a, 12): back-off per (user, client address),
no username enumeration, no password oracle for deactivated accounts, client addresses behind a
trusted proxy, the people directory.

deploy/local/run-tests trusts 127.0.0.1 as a proxy (CRM_GATEWAY_TRUSTED_PROXIES), so these tests
act as clients of their own addresses (X-Forwarded-For) and never drain the login bucket of
127.0.0.1 that the other tests share."""
from __future__ import annotations

import asyncio
import ipaddress
import os
import uuid

import httpx
import pytest

from e2e_support import PASSWORD

pytestmark = pytest.mark.skipif(
    not any(ipaddress.ip_address("127.0.0.1") in ipaddress.ip_network(n.strip(), strict=False)
            for n in os.environ.get("CRM_GATEWAY_TRUSTED_PROXIES", "").split(",") if n.strip()),
    reason="the gateway must trust 127.0.0.1 as a proxy (deploy/local/run-tests sets it)")


def address() -> str:
    """An address of this test's own: in a /64 of the IPv6 documentation prefix (RFC 3849)."""
    n = uuid.uuid4().int
    return str(ipaddress.ip_address(f"2001:db8:{n % 65536:x}:{n // 65536 % 65536:x}::1"))


def attempt(client, username: str, password: str, client_address: str):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       headers={"X-Forwarded-For": client_address})


async def new_user(client, admin, org) -> str:
    username = f"login.{uuid.uuid4().hex[:8]}"
    response = await client.post("/api/v1/users", headers=admin, json={
        "username": username, "full_name": "Phạm Đăng Nhập", "password": PASSWORD, "unit_id": org["team"],
        "roles": ["sales"]})
    assert response.status_code == 201, response.text
    return username


async def test_a_stranger_cannot_lock_a_user_out_of_their_own_address(client, admin, org):
    username, stranger, office = await new_user(client, admin, org), address(), address()
    statuses = [(await attempt(client, username, "wrong-password", stranger)).status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 423, 423]
    assert (await attempt(client, username, PASSWORD, office)).status_code == 200
    audit = (await client.get("/api/v1/login-audit", params={"username": username}, headers=admin)).json()["items"]
    assert [(row["outcome"], row["client"]) for row in audit][:2] == [("success", office), ("blocked", stranger)]


GUARD = 20  # CRM_GATEWAY_LOGIN_GUARD_AFTER_FAILURES, the default: failures of one username from any addresses
WAVE = 10  # attempts in flight at once


async def test_credential_stuffing_from_many_addresses_neither_gets_through_nor_locks_users_out(client, admin, org):
    """A stuffing run: 2 users × 40 wrong passwords, each from an address of its own (every
    address stays far below its own back-off), 10 in flight at once through the trusted proxy. Each
    username lets about GUARD failures through (plus what was in flight), then answers 423 to any
    client that never signed it in — even with the right password; the users' own browsers, which
    signed in before the run, sign in during it and after it, from their usual address or a new one."""
    victims = [await new_user(client, admin, org) for _ in range(2)]
    browsers = {name: httpx.AsyncClient(base_url=str(client.base_url), timeout=30) for name in victims}
    try:
        for name, browser in browsers.items():
            assert (await attempt(browser, name, PASSWORD, address())).status_code == 200
        async with httpx.AsyncClient(base_url=str(client.base_url), timeout=30) as attacker:
            tries = [(name, address()) for _ in range(40) for name in victims]
            answers: dict[str, list[int]] = {name: [] for name in victims}
            for start in range(0, len(tries), WAVE):
                wave = tries[start:start + WAVE]
                replies = await asyncio.gather(*(attempt(attacker, name, "Password1!", where) for name, where in wave))
                for (name, _), reply in zip(wave, replies):
                    answers[name].append(reply.status_code)
                if start == len(tries) // 2:  # mid-run, a user signs in from their browser
                    assert (await attempt(browsers[victims[0]], victims[0], PASSWORD, address())).status_code == 200
            stolen = [await attempt(attacker, name, PASSWORD, address()) for name in victims]
        for name in victims:
            assert set(answers[name]) == {401, 423}, answers[name]
            assert GUARD <= answers[name].count(401) <= GUARD + WAVE, answers[name]
            assert answers[name][-10:] == [423] * 10
        assert [(r.status_code, r.json()["code"]) for r in stolen] == [(423, "account_locked")] * len(victims)
        for name, browser in browsers.items():
            assert (await attempt(browser, name, PASSWORD, address())).status_code == 200
    finally:
        for browser in browsers.values():
            await browser.aclose()


async def test_unknown_usernames_answer_like_existing_ones(client, admin, org):
    known, unknown = await new_user(client, admin, org), f"nobody.{uuid.uuid4().hex[:8]}"
    answers = {}
    for username in (known, unknown):
        where = address()
        responses = [await attempt(client, username, "wrong-password", where) for _ in range(6)]
        answers[username] = [(r.status_code, r.json()["code"]) for r in responses]
    assert answers[known] == answers[unknown] == [(401, "invalid_credentials")] * 4 + [(423, "account_locked")] * 2


async def test_a_deactivated_account_answers_like_a_wrong_password(client, admin, org):
    username = await new_user(client, admin, org)
    user = (await client.get("/api/v1/people", params={"q": username}, headers=admin)).json()["items"][0]
    response = await client.patch(f"/api/v1/users/{user['id']}", json={"active": False},
                                  headers={**admin, "If-Match": "*"})
    assert response.status_code == 200
    right = await attempt(client, username, PASSWORD, address())
    assert right.status_code == 401 and right.json()["code"] == "invalid_credentials"


async def test_forwarded_for_entries_a_client_prepends_do_not_mint_buckets(client):
    """The right-most address not of a trusted proxy is the client: what it prepends is ignored.
    The attempts go at once: one after another, on a loaded machine, each answer (a password hash)
    took longer than the bucket's refill (one every 2 s) and the bucket never emptied."""
    real = address()
    responses = await asyncio.gather(*(  # a burst of 10, refilled at 30 a minute
        client.post("/api/v1/auth/login", json={"username": f"nobody.{n}", "password": "x"},
                    headers={"X-Forwarded-For": f"10.9.{n}.1, {real}"}) for n in range(20)))
    statuses = [response.status_code for response in responses]
    assert set(statuses) == {401, 429} and statuses.count(401) >= 10 and statuses.count(429) >= 5, statuses


async def test_a_rep_resolves_colleagues_in_the_people_directory(client, org):
    rep, outsider = org["rep"], org["outsider"]
    found = await client.get("/api/v1/people", params={"q": outsider["username"]}, headers=rep["headers"])
    assert found.status_code == 200
    [person] = found.json()["items"]
    assert person["id"] == outsider["id"] and set(person) == {
        "id", "username", "full_name", "unit_id", "unit_name", "active", "kind"}
    one = await client.get(f"/api/v1/people/{outsider['id']}", headers=rep["headers"])
    assert one.status_code == 200 and one.json()["username"] == outsider["username"]
    assert (await client.get(f"/api/v1/users/{outsider['id']}", headers=rep["headers"])).status_code == 404
