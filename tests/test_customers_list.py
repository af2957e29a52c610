"""Customer lists through the gateway (C-6, C-7, C-9): scopes per role, Vietnamese search,
phone suffixes, filters, keyset pages, counts and errors."""
from __future__ import annotations

import random
import string

from e2e_support import eventually, random_mobile

URL = "/api/v1/customers"


def word() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=10))


async def create(client, who: dict, body: dict) -> dict:
    r = await client.post(URL, headers=who["headers"], json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def listed(client, who: dict, **params) -> set[str]:
    r = await client.get(URL, headers=who["headers"], params=params)
    assert r.status_code == 200, r.text
    return {item["id"] for item in r.json()["items"]}


async def test_scopes_and_search_follow_visibility(client, org, admin):
    rep, rep2, manager, outsider = org["rep"], org["rep2"], org["manager"], org["outsider"]
    tag = word()
    owned = await create(client, rep, {"name": f"Nguyễn Văn Đức {tag}", "phone": random_mobile(),
                                       "labels": ["hot"], "status": "potential"})
    unassigned = await create(client, manager, {"name": f"Trần Thị Lan {tag}", "phone": random_mobile()})
    assert unassigned["owner_id"] is None
    admin_user = {"headers": admin}

    q = f"nguyen van duc {tag}"
    assert await listed(client, rep, q=q) == {owned["id"]}
    assert await listed(client, manager, q=q) == {owned["id"]}
    assert await listed(client, admin_user, q=q.upper()) == {owned["id"]}
    assert await listed(client, rep2, q=q) == set()
    assert await listed(client, outsider, q=q) == set()

    assert owned["id"] in await listed(client, rep, scope="mine", q=tag)
    assert await listed(client, manager, scope="mine", q=tag) == set()
    assert await listed(client, manager, scope="my_unit", q=tag) == {owned["id"]}
    assert await listed(client, manager, scope="unassigned", q=tag) == {unassigned["id"]}
    assert await listed(client, rep, scope="unassigned", q=tag) == set()
    assert await listed(client, admin_user, q=tag) == {owned["id"], unassigned["id"]}
    assert await listed(client, rep, q=tag, labels="hot", status="potential") == {owned["id"]}
    assert await listed(client, rep, q=tag, labels="cold") == set()

    async def shared():  # the directory learns rep2 from identity events
        r = await client.post(f"{URL}/{owned['id']}/viewers", headers=rep["headers"], json={"user_id": rep2["id"]})
        return r.status_code == 200

    await eventually(shared)
    assert await listed(client, rep2, scope="shared", q=tag) == {owned["id"]}
    assert await listed(client, rep2, scope="all", q=tag) == {owned["id"]}
    assert await listed(client, rep2, scope="mine", q=tag) == set()


async def test_phone_in_any_writing_and_by_suffix(client, org):
    rep = org["rep"]
    phone = random_mobile()
    customer = await create(client, rep, {"name": "Lê Văn Phú", "phone": phone})
    spaced = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    for q in (spaced, "+84" + phone[1:], phone[-6:]):
        assert customer["id"] in await listed(client, rep, q=q), q


async def test_pages_sort_cursor_and_count(client, org):
    rep = org["rep"]
    tag = word()
    ids = [(await create(client, rep, {"name": f"Khách {tag} {i}", "phone": random_mobile()}))["id"]
           for i in range(3)]
    first = await client.get(URL, headers=rep["headers"], params={"q": tag, "limit": 2, "sort": "name",
                                                                  "with_count": "true"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert len(body["items"]) == 2 and body["next_cursor"] and body["count"] == 3 and body["count_exact"] is True
    second = await client.get(URL, headers=rep["headers"],
                              params={"q": tag, "limit": 2, "sort": "name", "cursor": body["next_cursor"]})
    assert second.status_code == 200 and second.json()["next_cursor"] is None
    assert [i["id"] for i in body["items"] + second.json()["items"]] == ids  # names sort like creation here

    mismatch = await client.get(URL, headers=rep["headers"],
                                params={"q": tag, "sort": "-created_at", "cursor": body["next_cursor"]})
    assert mismatch.status_code == 400 and mismatch.json()["code"] == "invalid_cursor"
    assert mismatch.headers["content-type"].startswith("application/problem+json")


async def test_unknown_filters_and_sorts_are_field_errors(client, org):
    rep = org["rep"]
    r = await client.get(URL, headers={**rep["headers"], "Accept-Language": "en"}, params={"colour": "red"})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "colour", "code": "unknown_field", "message": "Unknown field."}]
    r = await client.get(URL, headers=rep["headers"], params={"sort": "-password"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sort"
    r = await client.get(URL, headers=rep["headers"], params={"limit": 500})
    assert r.status_code == 422
    r = await client.get(URL, headers=rep["headers"], params={"attr.nothing": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "attr.nothing"
    assert (await client.get(URL)).status_code == 401
