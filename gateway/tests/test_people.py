"""The people directory: every signed-in user finds any colleague, without anything sensitive."""
from __future__ import annotations

import uuid


async def _person(org, unit_id: str, full_name: str, h, roles=("sales",)) -> dict:
    response = await org.client.post("/api/v1/users", headers=org.admin, json={
        "username": f"p.{h.uid()}", "password": h.PASSWORD, "full_name": full_name, "unit_id": unit_id,
        "roles": list(roles), "email": "secret@example.vn", "phone": "0912345678"})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_rep_finds_colleagues_of_other_branches_by_name_without_accents(gw, org, root_unit, h):
    branch_a = await org.unit("branch", root_unit["id"])
    branch_b = await org.unit("branch", root_unit["id"])
    rep = await _person(org, branch_a["id"], "Trần Văn Rep", h)
    tag = h.uid()
    colleague = await _person(org, branch_b["id"], f"Nguyễn Đức Thắng {tag}", h, roles=("manager",))
    headers = await org.token(rep)

    found = await gw.client.get("/api/v1/people", params={"q": f"NGUYEN duc thang {tag}"}, headers=headers)
    assert found.status_code == 200, found.text
    [person] = found.json()["items"]
    assert person == {"id": colleague["id"], "username": colleague["username"], "full_name": colleague["full_name"],
                      "unit_id": branch_b["id"], "unit_name": branch_b["name"], "active": True, "kind": "user"}
    by_username = await gw.client.get("/api/v1/people", params={"q": colleague["username"].upper()}, headers=headers)
    assert [p["id"] for p in by_username.json()["items"]] == [colleague["id"]]
    # an actor id of a timeline becomes a name
    one = await gw.client.get(f"/api/v1/people/{colleague['id']}", headers=headers)
    assert one.status_code == 200 and one.json() == person
    assert (await gw.client.get(f"/api/v1/people/{uuid.uuid4()}", headers=headers)).status_code == 404
    assert (await gw.client.get("/api/v1/people")).status_code == 401


async def test_the_directory_filters_and_pages(gw, org, root_unit, h):
    team_branch = await org.unit("branch", root_unit["id"])
    people = [await _person(org, team_branch["id"], f"Lê Thị {n}", h) for n in range(3)]
    await gw.client.patch(f"/api/v1/users/{people[2]['id']}", json={"active": False},
                          headers={**org.admin, "If-Match": "*"})
    headers = await org.token(people[0])
    seen, cursor = [], None
    while True:
        params = {"unit_id": team_branch["id"], "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await gw.client.get("/api/v1/people", params=params, headers=headers)).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(p["id"] for p in people)
    active = (await gw.client.get("/api/v1/people", params={"unit_id": team_branch["id"], "active": "true"},
                                  headers=headers)).json()["items"]
    assert {p["id"] for p in active} == {people[0]["id"], people[1]["id"]}
    bad = await gw.client.get("/api/v1/people", params={"cursor": "not-a-cursor"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"
    assert (await gw.client.get("/api/v1/people", params={"limit": 201}, headers=headers)).status_code == 422


async def test_integrator_keys_need_identity_read(gw, org, h):
    async def key(permissions):
        created = await gw.client.post("/api/v1/api-keys", headers=org.admin, json={
            "name": f"directory {h.uid()}", "permissions": permissions})
        return {"X-API-Key": created.json()["key"]}

    assert (await gw.client.get("/api/v1/people", headers=await key([]))).status_code == 403
    assert (await gw.client.get("/api/v1/people", headers=await key(["identity.read"]))).status_code == 200


async def test_a_page_of_owners_is_named_in_one_call(gw, org, root_unit, h):
    branch = await org.unit("branch", root_unit["id"])
    people = [await _person(org, branch["id"], f"Chủ sở hữu {n}", h) for n in range(3)]
    headers = await org.token(people[0])
    wanted = [people[0]["id"], people[2]["id"], str(uuid.uuid4())]  # an unknown id is simply absent
    found = await gw.client.get("/api/v1/people", params={"id": wanted, "limit": 100}, headers=headers)
    assert found.status_code == 200, found.text
    assert sorted(p["id"] for p in found.json()["items"]) == sorted(wanted[:2])
    too_many = await gw.client.get("/api/v1/people", params={"id": [str(uuid.uuid4()) for _ in range(101)]},
                                   headers=headers)
    assert too_many.status_code == 422
    assert (await gw.client.get("/api/v1/people", params={"id": "not-a-uuid"}, headers=headers)).status_code == 422
