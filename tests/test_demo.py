"""The demo organisation of `make up` against the running platform: loaded twice (the second run
writes nothing), its customers are a living CRM seen through the gateway by a demo rep: their
own customers with statuses, labels, provinces and history, and nothing of the other branch."""
from __future__ import annotations

from crm_gateway import demo, demo_customers
from crm_gateway.settings import GatewaySettings
from e2e_support import GATEWAY, bearer, eventually, login


async def test_the_demo_loads_once_and_a_demo_rep_sees_their_customers(client, admin):
    # The root keeps its name: renaming it (as `make up` does) would revoke the access tokens of
    # the users in it, the session's admin among them, that the other tests go on using.
    settings = GatewaySettings(root_unit_name="(the shared test stack keeps its root's name)")
    first = await demo.run(settings, gateway_url=GATEWAY)
    second = await demo.run(settings, gateway_url=GATEWAY)
    assert second.created == [] and second.customers.skipped and second.customers.created == 0
    if not first.customers.skipped:  # a stack where the demo was loaded before skips at once
        assert first.customers.created == sum(demo_customers.CUSTOMERS_OF.values())
        assert first.customers.history > 100 and first.customers.assignments == 4
        assert (first.customers.package_leads, first.customers.compensation_requests) == (
            demo_customers.PACKAGE_LEADS, 2)

    planned = demo_customers.plan()
    rep = bearer(await login(client, "sale.hn1", demo.DEMO_PASSWORD))
    me = (await client.get("/api/v1/me", headers=rep)).json()
    own = [c for c in planned if c.creator == "sale.hn1"]
    given = 5  # manager.hn's direct assignment to sale.hn1

    async def mine():
        items, cursor = [], None
        while True:
            page = (await client.get("/api/v1/customers", headers=rep, params={
                "scope": "mine", "limit": 200, **({"cursor": cursor} if cursor else {})})).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return items if len(items) >= len(own) + given else None

    items = await eventually(mine, timeout=60)
    assert len(items) == len(own) + given and {c["owner_id"] for c in items} == {me["id"]}
    by_phone = {c["phone"]: c for c in items}
    sample = by_phone["+84" + own[0].fields["phone"][1:]]
    assert sample["name"] == own[0].fields["name"] and sample["province"]["code"] == own[0].fields["province"]
    assert sample["status"] == own[0].fields["status"] and sample["labels"] == own[0].fields["labels"]
    assert any(set(c["name"]) - set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ") for c in items)

    with_history = next(c for c in own if c.note)
    [customer] = [by_phone["+84" + with_history.fields["phone"][1:]]]
    timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=rep)
    assert timeline.status_code == 200 and any(e["type"] == "note" for e in timeline.json()["items"])

    elsewhere = next(c for c in planned if c.creator == "sale.hcm1")
    found = (await client.get("/api/v1/customers", headers=admin, params={"q": elsewhere.fields["phone"]})).json()
    [other] = found["items"]
    assert (await client.get(f"/api/v1/customers/{other['id']}", headers=rep)).status_code == 404
    assert (await client.get("/api/v1/customers", headers=rep, params={"q": elsewhere.fields["phone"]})
            ).json()["items"] == []

    # the lead package manager.hn bought for sale.hn1, with two drafts ready for "Gửi xét duyệt"
    packages = (await client.get("/api/v1/lead-packages", headers=rep)).json()["items"]
    [package] = [p for p in packages if p["provider"] == "Công ty Dữ liệu Việt"]
    assert (package["leads"], package["requested"]) == (demo_customers.PACKAGE_LEADS, 2)
    drafts = (await client.get("/api/v1/compensation-requests", headers=rep,
                               params={"package_id": package["id"], "status": "draft"})).json()["items"]
    assert {d["reason_code"] for d in drafts} == {"wrong_number", "duplicate"}
    wrong = next(d for d in drafts if d["reason_code"] == "wrong_number")
    assert wrong["evidence"]["call_attempts"] == 3
