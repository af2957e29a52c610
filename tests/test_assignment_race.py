"""A-7 through the gateway: a distribution with `recall_first` and a recall of the assignment it
takes the customers from, sent at once (repeatedly, to the same rep and to another): whichever
commits first, every customer ends with one owner that the customers service, the assignment
service (the one assignment holding it open) and the timeline (its last owner line) agree on.
Their events travel on different partitions (keyed by assignment), so they may be applied in
either order; the `sequence` they carry makes the older one a no-op per customer."""
from __future__ import annotations

import asyncio

from test_assignment import new_customers

from e2e_support import eventually

ROUNDS = 6  # the late event wins only if it lands on the other consumer member and loses the race: repeat
OWNER_LINES = {"assigned", "recalled"}


async def _distribute(client, manager: dict, ids: list[str], rep: dict, *, recall_first: bool = False) -> dict:
    body = {"customer_ids": ids, "text": "Chia lại", "direct": True, "recall_first": recall_first,
            "job": {"content": "Đua thu hồi", "type": "telesales"}, "assignees": [rep["id"]]}

    async def distributed():  # the assignment service learns of new customers from events
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json=body)
        assert r.status_code in (201, 422), r.text
        return r.json()["assignments"][0] if r.status_code == 201 else None

    return await eventually(distributed, timeout=30)


async def _owner(client, manager: dict, customer_id: str) -> str | None:
    return (await client.get(f"/api/v1/customers/{customer_id}", headers=manager["headers"])).json()["owner_id"]


async def _last_owner_line(client, manager: dict, customer_id: str) -> dict | None:
    r = await client.get(f"/api/v1/customers/{customer_id}/timeline", headers=manager["headers"],
                         params={"type": sorted(OWNER_LINES), "limit": 1})
    items = r.json()["items"]
    return items[0] if items else None


async def _open_in(client, manager: dict, assignment_id: str) -> set[str]:
    r = await client.get(f"/api/v1/assignments/{assignment_id}", headers=manager["headers"])
    return {c["customer_id"] for c in r.json()["customers"] if c["state"] == "open"}


async def _consistent(client, manager: dict, ids: list[str], owner: str) -> bool:
    for customer_id in ids:
        line = await _last_owner_line(client, manager, customer_id)
        if await _owner(client, manager, customer_id) != owner or line is None or line["data"]["to_owner_id"] != owner:
            return False
    return True


async def test_a_distribution_racing_a_recall_ends_with_one_owner_everywhere(client, org):
    manager = org["manager"]
    finals = []
    for round_ in range(ROUNDS):
        first_rep = org["rep"]
        # mostly the same rep: the case a recall's "does the assignee still own it?" check cannot tell apart
        second_rep = org["rep2"] if round_ == ROUNDS - 1 else org["rep"]
        ids = await new_customers(client, manager, 3)
        first = await _distribute(client, manager, ids, first_rep)
        await eventually(lambda ids=ids: _consistent(client, manager, ids, org["rep"]["id"]), timeout=30)

        recall, second = await asyncio.gather(
            client.post("/api/v1/recalls", headers=manager["headers"], json={"assignment_id": first["id"]}),
            _distribute(client, manager, ids, second_rep, recall_first=True))
        assert recall.status_code == 200, recall.text
        owner = second_rep["id"]
        await eventually(lambda ids=ids, owner=owner: _consistent(client, manager, ids, owner), timeout=30)
        assert await _open_in(client, manager, second["id"]) == set(ids)
        assert await _open_in(client, manager, first["id"]) == set()
        finals.append((ids, second_rep["id"]))

    for ids, owner in finals:  # later rounds took a while: any late event of an earlier one has arrived
        assert await _consistent(client, manager, ids, owner)
