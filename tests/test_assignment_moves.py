"""Deactivation and moves through the gateway (issue 13): a rep moved to another unit keeps the
leads they own (nothing is taken from them by the move) until their manager takes them back in one
call (POST /recalls {assignee_id}), and then every lead returns to its previous owner; a
deactivated rep's owned leads come back the same way."""
from __future__ import annotations

import uuid

from e2e_support import eventually, new_unit, new_user, random_mobile


async def new_customers(client, who: dict, count: int) -> list[str]:
    ids = []
    for i in range(count):
        r = await client.post("/api/v1/customers", headers=who["headers"],
                              json={"name": f"Khách chuyển {i}", "phone": random_mobile()})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def owners(client, who: dict, ids: list[str]) -> set[str | None]:
    return {(await client.get(f"/api/v1/customers/{i}", headers=who)).json().get("owner_id") for i in ids}


async def rep_with_leads(client, admin: dict, org: dict, name: str, count: int) -> tuple[dict, list[str], list[str]]:
    """A new rep of the team given `count` of the manager's customers directly, in two
    distributions; once they own them: the rep, the customers, the assignments."""
    tag = uuid.uuid4().hex[:6]
    rep = await new_user(client, admin, username=f"{name}.{tag}", full_name=f"{name} {tag}", unit_id=org["team"],
                         roles=["sales"])
    ids = await new_customers(client, org["manager"], count)
    made = []
    for share in (ids[:1], ids[1:]):
        body = {"customer_ids": share, "text": "Chăm sóc khách", "job": {"content": "Chuyển nhóm", "type": "telesales"},
                "direct": True, "quantities": [{"user_id": rep["id"], "count": len(share)}]}

        async def distributed(body=body):
            r = await client.post("/api/v1/assignments", headers=org["manager"]["headers"], json=body)
            assert r.status_code in (201, 422), r.text
            return r.json() if r.status_code == 201 else None

        made.append((await eventually(distributed, timeout=30))["assignments"][0]["id"])
    await eventually(lambda: _owned_by(client, admin, ids, rep["id"]), timeout=30)
    return rep, ids, made


async def _owned_by(client, admin: dict, ids: list[str], owner: str | None) -> bool:
    return await owners(client, admin, ids) == {owner}


async def change_user(client, admin: dict, user_id: str, changes: dict) -> None:
    user = (await client.get(f"/api/v1/users/{user_id}", headers=admin)).json()
    r = await client.patch(f"/api/v1/users/{user_id}", headers={**admin, "If-Match": f'"{user["version"]}"'},
                           json=changes)
    assert r.status_code == 200, r.text


async def test_a_moved_rep_keeps_their_leads_until_the_manager_recalls_them(client, admin, org):
    manager = org["manager"]
    [before] = await owners(client, admin, await new_customers(client, manager, 1))  # a manager's new customer
    rep, ids, made = await rep_with_leads(client, admin, org, "moving", 3)
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    elsewhere = await new_unit(client, admin, f"Chi nhánh mới {uuid.uuid4().hex[:6]}", "branch", root)
    await change_user(client, admin, rep["id"], {"unit_id": elsewhere})

    async def moved():  # the assignment service learns of the move from identity events
        roster = (await client.get("/api/v1/roster", headers=admin)).json()
        return any(r["user_id"] == rep["id"] and r["unit_id"] == elsewhere for r in roster)

    await eventually(moved, timeout=30)
    assert await owners(client, admin, ids) == {rep["id"]}  # the move takes nothing
    for assignment_id in made:
        seen = (await client.get(f"/api/v1/assignments/{assignment_id}", headers=manager["headers"])).json()
        assert (seen["status"], seen["open_count"]) == ("accepted", seen["customer_count"])

    recalled = await client.post("/api/v1/recalls", headers=manager["headers"], json={"assignee_id": rep["id"]})
    assert recalled.status_code == 200, recalled.text
    assert sorted(recalled.json()["recalled"]) == sorted(ids) and set(recalled.json()["assignments"]) == set(made)
    await eventually(lambda: _owned_by(client, admin, ids, before), timeout=30)
    again = await client.post("/api/v1/recalls", headers=manager["headers"], json={"assignee_id": rep["id"]})
    assert again.status_code == 200 and again.json()["recalled"] == []  # nothing left to take
    outsider = await client.post("/api/v1/recalls", headers=org["outsider"]["headers"],
                                 json={"assignee_id": rep["id"]})
    assert outsider.status_code == 403  # a rep does not recall


async def test_a_deactivated_reps_owned_leads_come_back_in_one_call(client, admin, org):
    manager = org["manager"]
    [before] = await owners(client, admin, await new_customers(client, manager, 1))
    rep, ids, made = await rep_with_leads(client, admin, org, "leaving", 2)
    await change_user(client, admin, rep["id"], {"active": False})

    async def gone():
        roster = (await client.get("/api/v1/roster", headers=manager["headers"])).json()
        return rep["id"] not in {r["user_id"] for r in roster}

    await eventually(gone, timeout=30)
    assert await owners(client, admin, ids) == {rep["id"]}  # owned leads stay until recalled
    recalled = await client.post("/api/v1/recalls", headers=manager["headers"], json={"assignee_id": rep["id"]})
    assert recalled.status_code == 200 and sorted(recalled.json()["recalled"]) == sorted(ids), recalled.text
    await eventually(lambda: _owned_by(client, admin, ids, before), timeout=30)
