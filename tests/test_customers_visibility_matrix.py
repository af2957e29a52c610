"""The visibility matrix of customers (C-6, C-9, C-10, C-13) through the gateway.

Every caller × every action on one customer owned by a rep, with the answer PRODUCT.md C-9 and
API.md (Customers) require — not the answer the code happens to give:

* a rep sees own, held and shared customers; a manager the unit subtree; an admin everything;
* reads of an invisible customer are 404, never 403; writes by someone who sees the customer but
  may not edit it (a viewer) are 403 `not_editable`; writes on an invisible one are 404;
* only the owner, managers above the owner's unit and admins edit; viewers read (and comment);
  viewers are added by someone who may edit;
* bulk actions and exports only ever reach what the caller may see, and change only what the
  caller may edit; anonymous callers get 401 everywhere.

The organisation (built here, uuid-tagged so reruns never clash):

    company (the admin's unit)
    ├── branch A ── manager_a
    │   └── team T ── owner (rep, owns the customer), same_team_rep (rep)
    └── branch B ── manager_b, other_rep (rep), viewer (rep, added as viewer), bystander (rep)

Nobody holds the customer (holding is assignment's business), so `holding` is False for all.
"""
from __future__ import annotations

import csv
import io
import random
import string
import uuid

import pytest

from e2e_support import eventually, new_unit, new_user, random_mobile

URL = "/api/v1/customers"
SCOPES = ("all", "mine", "holding", "my_unit", "unassigned", "shared")

# bulk_delete: "deleted" (updated, gone) · "skipped" (visible, not editable, still there) ·
#              "not_found" (invisible, still there) · 401
# search: found by a name fragment typed without diacritics AND by the last 7 digits of its phone
# list_<scope>, export: is the customer in the page / its phone in the CSV
ACTIONS = ("read", "list_all", "list_mine", "list_holding", "list_my_unit", "list_unassigned", "list_shared",
           "search", "update", "status", "add_viewer", "bulk_delete", "export")
MATRIX = {
    #                read list_all list_mine holding my_unit unassign shared search update status add_viewer bulk_delete  export
    "owner":         (200, True,   True,     False,  True,   False,   False, True,  200,   200,   200,       "deleted",   True),
    "same_team_rep": (404, False,  False,    False,  False,  False,   False, False, 404,   404,   404,       "not_found", False),
    "other_rep":     (404, False,  False,    False,  False,  False,   False, False, 404,   404,   404,       "not_found", False),
    "viewer":        (200, True,   False,    False,  False,  False,   True,  True,  403,   403,   403,       "skipped",   True),
    "manager_a":     (200, True,   False,    False,  True,   False,   False, True,  200,   200,   200,       "deleted",   True),
    "manager_b":     (404, False,  False,    False,  False,  False,   False, False, 404,   404,   404,       "not_found", False),
    "admin":         (200, True,   False,    False,  True,   False,   False, True,  200,   200,   200,       "deleted",   True),
    "anonymous":     (401, 401,    401,      401,    401,    401,     401,   401,   401,   401,   401,       401,         401),
}
assert all(len(row) == len(ACTIONS) for row in MATRIX.values())
EXPECTED = {(caller, action): value for caller, row in MATRIX.items() for action, value in zip(ACTIONS, row)}


def letters(k: int = 8) -> str:
    return "".join(random.choices(string.ascii_lowercase, k=k))


@pytest.fixture(scope="module")
async def world(client, admin) -> dict:
    tag = uuid.uuid4().hex[:6]
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]

    async def unit(name, kind, parent):
        return await new_unit(client, admin, f"{name} {tag}", kind, parent)

    async def user(name, unit_id, roles):
        return await new_user(client, admin, username=f"vm.{name}.{tag}", full_name=f"Ma trận {name}",
                              unit_id=unit_id, roles=roles)

    branch_a = await unit("Chi nhánh A", "branch", root)
    team = await unit("Nhóm A1", "team", branch_a)
    branch_b = await unit("Chi nhánh B", "branch", root)
    people = {
        "owner": await user("owner", team, ["sales"]),
        "same_team_rep": await user("rep2", team, ["sales"]),
        "other_rep": await user("rep-b", branch_b, ["sales"]),
        "viewer": await user("viewer", branch_b, ["sales"]),
        "manager_a": await user("manager-a", branch_a, ["manager"]),
        "manager_b": await user("manager-b", branch_b, ["manager"]),
    }
    bystander = await user("bystander", branch_b, ["sales"])
    callers = {name: p["headers"] for name, p in people.items()}
    callers["admin"] = admin
    callers["anonymous"] = {}

    world = {"client": client, "admin": admin, "people": people, "callers": callers, "bystander": bystander,
             "tag": tag}
    world["customer"] = await make_customer(world, wait=True)

    # the customers service learns users from identity events: wait until it knows the bystander
    target = f"{URL}/{world['customer']['id']}/viewers"

    async def knows_bystander():
        r = await client.post(target, headers=admin, json={"user_id": bystander["id"]})
        return r.status_code == 200

    await eventually(knows_bystander, timeout=30)
    r = await client.delete(f"{target}/{bystander['id']}", headers=admin)
    assert r.status_code == 204, r.text
    return world


async def make_customer(world: dict, *, wait: bool = False) -> dict:
    """A customer of `owner` (team T), created by manager_a, shared with `viewer`; a unique name
    with diacritics and a unique phone."""
    client, people = world["client"], world["people"]
    name_tag = letters()
    body = {"name": f"Nguyễn Thị Hằng {name_tag}", "phone": random_mobile(), "owner_id": people["owner"]["id"]}

    async def create():
        r = await client.post(URL, headers=people["manager_a"]["headers"], json=body)
        if r.status_code == 422 and wait:  # owner not yet known to the customers service
            return None
        assert r.status_code == 201, r.text
        return r.json()

    customer = await eventually(create, timeout=30)
    assert customer["owner_id"] == people["owner"]["id"]

    async def share():
        r = await client.post(f"{URL}/{customer['id']}/viewers", headers=people["owner"]["headers"],
                              json={"user_id": people["viewer"]["id"]})
        if r.status_code == 422 and wait:  # viewer not yet known
            return None
        assert r.status_code == 200, r.text
        return r.json()

    shared = await eventually(share, timeout=30)
    assert shared["viewer_ids"] == [people["viewer"]["id"]]
    return {**shared, "name_tag": name_tag}


def outcome(r) -> int | str:
    """The status code; a 403 that is not `not_editable` shows its code too."""
    if r.status_code == 403 and r.json().get("code") != "not_editable":
        return f"403 {r.json().get('code')}"
    return r.status_code


async def listed(world: dict, headers: dict, **params) -> bool | int:
    r = await world["client"].get(URL, headers=headers, params={**params, "limit": 200})
    if r.status_code != 200:
        return r.status_code
    return world["customer"]["id"] in {item["id"] for item in r.json()["items"]}


async def admin_read(world: dict, customer_id: str):
    return await world["client"].get(f"{URL}/{customer_id}", headers=world["admin"])


# One function per action: (world, caller headers) → the observed answer.


async def do_read(world, headers):
    return outcome(await world["client"].get(f"{URL}/{world['customer']['id']}", headers=headers))


def list_in(scope: str):
    async def do_list(world, headers):
        return await listed(world, headers, scope=scope, q=world["customer"]["phone"])
    return do_list


async def do_search(world, headers):
    customer = world["customer"]
    by_name = await listed(world, headers, q=f"thi hang {customer['name_tag']}")
    by_phone = await listed(world, headers, q=customer["phone"][-7:])
    return by_name if by_name == by_phone else {"by_name": by_name, "by_phone": by_phone}


async def do_update(world, headers):
    url = f"{URL}/{world['customer']['id']}"
    version = (await admin_read(world, world["customer"]["id"])).headers["etag"]
    return outcome(await world["client"].patch(url, headers={**headers, "If-Match": version},
                                               json={"note": f"Sửa lúc {uuid.uuid4().hex[:6]}"}))


async def do_status(world, headers):
    status = random.choice(["contacted", "potential", "new"])
    return outcome(await world["client"].post(f"{URL}/{world['customer']['id']}/status", headers=headers,
                                              json={"status": status, "note": "Ma trận quyền"}))


async def do_add_viewer(world, headers):
    customer_id, bystander = world["customer"]["id"], world["bystander"]["id"]
    r = await world["client"].post(f"{URL}/{customer_id}/viewers", headers=headers, json={"user_id": bystander})
    viewers = (await admin_read(world, customer_id)).json()["viewer_ids"]
    if r.status_code == 200:
        assert bystander in viewers
        removed = await world["client"].delete(f"{URL}/{customer_id}/viewers/{bystander}", headers=world["admin"])
        assert removed.status_code == 204, removed.text
    else:
        assert bystander not in viewers, f"answered {r.status_code} but added the viewer"
    return outcome(r)


async def do_bulk_delete(world, headers):
    customer = await make_customer(world)  # destructive: a fresh customer per cell
    r = await world["client"].post(f"{URL}/bulk", headers=headers,
                                   json={"action": "delete", "ids": [customer["id"]], "confirm": True})
    still_there = (await admin_read(world, customer["id"])).status_code == 200
    if r.status_code != 200:
        return r.status_code if still_there else f"{r.status_code} but deleted"
    result = r.json()
    counts = (result["matched"], result["updated"], result["skipped_not_editable"], result["not_found"])
    if counts == (1, 1, 0, 0) and not still_there:
        return "deleted"
    if counts == (1, 0, 1, 0) and still_there:
        return "skipped"
    if counts == (0, 0, 0, 1) and still_there:
        return "not_found"
    return f"inconsistent: matched, updated, skipped, not_found = {counts}, still there: {still_there}"


async def do_export(world, headers):
    client, customer = world["client"], world["customer"]
    r = await client.post(f"{URL}/exports", headers=headers, json={
        "format": "csv", "filter": {"q": customer["phone"]}, "columns": ["id", "name", "phone"]})
    if r.status_code != 202:
        return r.status_code
    location = r.headers["location"]

    async def finished():
        job = (await client.get(location, headers=headers)).json()
        return job if job["status"] in ("done", "failed") else None

    job = await eventually(finished, timeout=60)
    assert job["status"] == "done", job
    file = await client.get(f"{location}/file", headers=headers)
    assert file.status_code == 200, file.text
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"), newline="")))
    exported_ids = {row[0].lstrip("'") for row in rows[1:]}
    exported_phones = {row[2].lstrip("'") for row in rows[1:]}
    assert (customer["id"] in exported_ids) == (customer["phone"] in exported_phones)
    assert job["row_count"] == len(rows) - 1
    return customer["phone"] in exported_phones


DO = {"read": do_read, **{f"list_{scope}": list_in(scope) for scope in SCOPES}, "search": do_search,
      "update": do_update, "status": do_status, "add_viewer": do_add_viewer, "bulk_delete": do_bulk_delete,
      "export": do_export}
assert set(DO) == set(ACTIONS)


@pytest.mark.e2e
@pytest.mark.parametrize(("caller", "action"), list(EXPECTED), ids=[f"{c}-{a}" for c, a in EXPECTED])
async def test_visibility_matrix(world, caller, action):
    actual = await DO[action](world, world["callers"][caller])
    assert actual == EXPECTED[(caller, action)], (
        f"cell ({caller}, {action}): expected {EXPECTED[(caller, action)]!r}, got {actual!r}")


# A 404 for an invisible customer must not be told apart from one for a customer that does not
# exist (API.md: "404 when absent or not visible (never 403, to not reveal existence)").
PROBES = {
    "read": lambda c, url, h: c.get(url, headers=h),
    "viewers": lambda c, url, h: c.get(f"{url}/viewers", headers=h),
    "update": lambda c, url, h: c.patch(url, headers={**h, "If-Match": '"1"'}, json={"note": "x"}),
    "status": lambda c, url, h: c.post(f"{url}/status", headers=h, json={"status": "contacted"}),
    "add_viewer": lambda c, url, h: c.post(f"{url}/viewers", headers=h, json={"user_id": str(uuid.uuid4())}),
}


@pytest.mark.e2e
@pytest.mark.parametrize("caller", ["same_team_rep", "other_rep", "manager_b"])
@pytest.mark.parametrize("probe", list(PROBES))
async def test_invisible_answers_like_absent(world, caller, probe):
    client, headers = world["client"], world["callers"][caller]
    hidden = await PROBES[probe](client, f"{URL}/{world['customer']['id']}", headers)
    absent = await PROBES[probe](client, f"{URL}/{uuid.uuid4()}", headers)

    def shape(r):
        body = r.json()
        return r.status_code, body.get("code"), body.get("title"), body.get("detail"), body.get("errors")

    assert shape(hidden) == shape(absent) and hidden.status_code == 404, (shape(hidden), shape(absent))
