"""What the console reads beside the report (issue 13), against real PostgreSQL: the roster's
room (capacity - open leads, never below 0, null without a capacity) and a customer's
assignments (any state, newest first, with the customer's own row; visible as the list is)."""
from __future__ import annotations

import uuid

from crmkit.keys import new_pair
from crmkit.testing import running_service, service_client, sign_test_token, temp_database

from crm_assignment.app import MIGRATIONS, create_app
from crm_assignment.handlers import assignments, roster
from crm_assignment.settings import AssignmentSettings

from .test_assignments import BRANCH, OTHER, TEAM, customers, person

NEW_JOB = {"content": "Chăm sóc lại", "type_": "telesales", "target": None}
PRIVATE, PUBLIC = new_pair()


async def test_room_is_capacity_less_open_leads_never_below_zero(pool):
    manager = await person(pool, BRANCH, "manager")
    roomy, full, unlimited = [await person(pool, TEAM, "sales") for _ in range(3)]
    ids = await customers(pool, manager, 6)
    await roster.tune(pool, principal=manager, user_id=roomy.user_id, changes={"capacity": 5})
    await roster.tune(pool, principal=manager, user_id=full.user_id, changes={"capacity": 3})
    await assignments.distribute(pool, principal=manager, customer_ids=ids, text="Gọi", new_job=NEW_JOB, direct=True,
                                 quantities=[(roomy.user_id, 2), (full.user_id, 3), (unlimited.user_id, 1)])
    await roster.tune(pool, principal=manager, user_id=full.user_id, changes={"capacity": 1})  # lowered below
    rows = {r["user_id"]: (r["capacity"], r["open_leads"], r["room"])
            for r in await roster.list_roster(pool, principal=manager)}
    assert rows == {roomy.user_id: (5, 2, 3), full.user_id: (1, 3, 0), unlimited.user_id: (None, 1, None)}


async def test_a_customers_assignments_newest_first_in_any_state(pool):
    manager, outsider = await person(pool, BRANCH, "manager"), await person(pool, OTHER, "manager")
    rep, rep2 = await person(pool, TEAM, "sales"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 2)
    first = await assignments.distribute(pool, principal=manager, customer_ids=ids, text="Gọi", new_job=NEW_JOB,
                                         direct=True, quantities=[(rep.user_id, 2)])
    first_id = first["assignments"][0]["id"]
    await assignments.recall(pool, principal=manager, assignment_id=first_id, customer_ids=[ids[0]])
    again = await assignments.distribute(pool, principal=manager, customer_ids=[ids[0]], text="Gọi lại",
                                         job_id=first["job"]["id"], assignees=[rep2.user_id])
    again_id = again["assignments"][0]["id"]

    listed, _ = await assignments.list_assignments(pool, principal=manager, customer_id=ids[0])
    assert [(a["id"], a["customer"]["state"]) for a in listed] == [(again_id, "open"), (first_id, "recalled")]
    assert listed[1]["customer"]["closed_at"] is not None and listed[0]["customer"]["customer_id"] == ids[0]
    only_first, _ = await assignments.list_assignments(pool, principal=manager, customer_id=ids[1])
    assert [a["id"] for a in only_first] == [first_id]
    mine, _ = await assignments.list_assignments(pool, principal=rep2, customer_id=ids[0])
    assert [a["id"] for a in mine] == [again_id]  # a rep sees their own assignments only
    assert (await assignments.list_assignments(pool, principal=outsider, customer_id=ids[0]))[0] == []
    assert (await assignments.list_assignments(pool, principal=manager, customer_id=uuid.uuid4()))[0] == []


async def test_the_lookup_and_the_room_over_http():
    async with temp_database(MIGRATIONS) as dsn:
        async with running_service(create_app, AssignmentSettings(database_url=dsn, run_mode="api"),
                                   public_key=PUBLIC) as app:
            pool = app.state.pool
            manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
            ids = await customers(pool, manager, 1)
            made = await assignments.distribute(pool, principal=manager, customer_ids=ids, text="Gọi",
                                                new_job=NEW_JOB, assignees=[rep.user_id])
            token = sign_test_token(PRIVATE, user_id=manager.user_id, roles=("manager",), unit_id=manager.unit_id,
                                    unit_path=manager.unit_path)
            async with service_client(app) as client:
                auth = {"Authorization": f"Bearer {token}"}
                listed = await client.get(f"/api/v1/assignments?customer_id={ids[0]}", headers=auth)
                assert listed.status_code == 200, listed.text
                [item] = listed.json()["items"]
                assert item["id"] == str(made["assignments"][0]["id"])
                assert item["customer"]["customer_id"] == str(ids[0]) and item["customer"]["state"] == "open"
                plain = await client.get("/api/v1/assignments", headers=auth)
                assert plain.json()["items"][0]["customer"] is None
                [entry] = (await client.get("/api/v1/roster", headers=auth)).json()
                assert (entry["open_leads"], entry["capacity"], entry["room"]) == (1, None, None)
