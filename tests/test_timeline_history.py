"""A customer's history through the gateway (I-1): one edit that changes labels and email, then a
manager handing the customer to another rep, shows as one `classified` line (labels), one
`edited` line (email) and one `assigned` line — each change once, in order, newest first."""
from __future__ import annotations

from e2e_support import eventually, random_mobile


async def test_labels_edit_and_owner_change_are_one_line_each(client, org):
    rep, rep2, manager = org["rep"], org["rep2"], org["manager"]
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Phan Thị Sử", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()
    url = f"/api/v1/customers/{customer['id']}"
    edited = await client.patch(url, headers={**rep["headers"], "If-Match": f'"{customer["version"]}"'},
                                json={"labels": ["hot"], "email": "su.phan@example.vn"})
    assert edited.status_code == 200, edited.text
    handed = await client.patch(url, headers={**manager["headers"], "If-Match": f'"{edited.json()["version"]}"'},
                                json={"owner_id": rep2["id"]})
    assert handed.status_code == 200, handed.text

    async def history():
        t = await client.get(f"{url}/timeline", headers=manager["headers"])
        items = t.json()["items"] if t.status_code == 200 else []
        lines = [i for i in items if i["type"] != "created"]
        return lines if len(lines) >= 3 else None

    lines = await eventually(history, timeout=30)
    assert [line["type"] for line in lines] == ["assigned", "edited", "classified"] or \
        [line["type"] for line in lines] == ["assigned", "classified", "edited"]
    by_type = {line["type"]: line for line in lines}
    assert by_type["classified"]["data"] == {"labels_added": ["hot"], "labels_removed": []}
    assert by_type["edited"]["data"] == {"changed": ["email"]}
    assert (by_type["assigned"]["data"]["from_owner_id"], by_type["assigned"]["data"]["to_owner_id"]) == (
        rep["id"], rep2["id"])
    assert by_type["assigned"]["actor_id"] == manager["id"]
