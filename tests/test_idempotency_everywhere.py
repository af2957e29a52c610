"""Every operation that honours `Idempotency-Key` through the gateway (issue 9): requests sent at
once with the same fresh key and body, and one more after them, do the effect once — exactly one
answer is the original (2xx), every other replays it: same status, body, Location and ETag, with
`Idempotent-Replayed: true` — and the effect is counted where that is cheap (a list by unique data,
or the record's version). The table below must name exactly the operations the merged OpenAPI
document says honour the key: a new idempotent route without a case here fails."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from e2e_support import PASSWORD, eventually, random_mobile

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
CONCURRENT = 3  # requests sent at once with the same key


@dataclass
class Ctx:
    """What a case prepares with: the client, the callers, a unit of its own, and what must not
    outlive the test (configuration items other tests would see)."""
    client: httpx.AsyncClient
    admin: dict
    org: dict
    sandbox: str
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    removals: list[str] = field(default_factory=list)  # URLs admin deletes after the test


@dataclass
class Case:
    path: str
    body: dict
    headers: dict
    # asserts that the effect happened exactly once (given the first answer)
    once: Callable[[httpx.Response], Awaitable[None]] | None = None
    # admin deletes the created item (its Location) after the test
    remove_created: bool = False


Prepare = Callable[[Ctx], Awaitable[Case]]
OPERATIONS: dict[tuple[str, str], Prepare] = {}


def operation(method: str, template: str) -> Callable[[Prepare], Prepare]:
    def register(prepare: Prepare) -> Prepare:
        OPERATIONS[(method, template)] = prepare
        return prepare
    return register


# ----------------------------------------------------------------- helpers
async def items(client: httpx.AsyncClient, url: str, headers: dict) -> list[dict]:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["items"] if isinstance(body, dict) else body


def count_of(ctx: Ctx, url: str, headers: dict, match: Callable[[dict], bool] = lambda _: True):
    """An effect done once: exactly one item of the list at `url` matches."""
    async def check(first: httpx.Response) -> None:
        assert len([i for i in await items(ctx.client, url, headers) if match(i)]) == 1, url
    return check


def version_stays(ctx: Ctx, url: str, headers: dict):
    """A state change happened once: the record is at the version the first answer gave."""
    async def check(first: httpx.Response) -> None:
        read = await ctx.client.get(url, headers=headers)
        assert read.status_code == 200, read.text
        assert read.json()["version"] == first.json()["version"], url
    return check


async def new_customer(ctx: Ctx, who: str = "rep") -> dict:
    created = await ctx.client.post("/api/v1/customers", headers=ctx.org[who]["headers"],
                                    json={"name": f"Khách idem {ctx.tag}", "phone": random_mobile()})
    assert created.status_code == 201, created.text
    return created.json()


async def known_customer(ctx: Ctx) -> dict:
    """A customer of the rep that the interactions service knows (from events: asynchronous)."""
    customer = await new_customer(ctx)

    async def known():
        read = await ctx.client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=rep(ctx))
        assert read.status_code in (200, 404), read.text
        return read.status_code == 200

    await eventually(known, timeout=30)
    return customer


def rep(ctx: Ctx) -> dict:
    return ctx.org["rep"]["headers"]


async def created(ctx: Ctx, url: str, body: dict) -> dict:
    response = await ctx.client.post(url, headers=rep(ctx), json=body)
    assert response.status_code == 201, response.text
    return response.json()


def care_ticket_body(customer: dict) -> dict:
    return {"customer_id": customer["id"], "method": "call", "planned_at": datetime.now(UTC).isoformat(),
            "note": "Gọi hỏi thăm"}


def support_ticket_body(customer: dict) -> dict:
    return {"customer_id": customer["id"], "title": "Máy lọc nước rò rỉ", "channel": "Hotline",
            "content": "Khách báo rò nước"}


def appointment_body(customer: dict) -> dict:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return {"title": "Hẹn ký hợp đồng", "type": "meeting", "customer_id": customer["id"],
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()}


# ----------------------------------------------------------------- the gateway's own
@operation("post", "/api/v1/units")
async def create_unit(ctx: Ctx) -> Case:
    name = f"Nhóm idem {ctx.tag}"
    return Case("/api/v1/units", {"name": name, "kind": "team", "parent_id": ctx.sandbox}, ctx.admin,
                once=count_of(ctx, f"/api/v1/units?parent_id={ctx.sandbox}", ctx.admin, lambda u: u["name"] == name))


@operation("post", "/api/v1/users")
async def create_user(ctx: Ctx) -> Case:
    username = f"idem.{ctx.tag}"
    return Case("/api/v1/users", {"username": username, "full_name": "Người dùng idem", "password": PASSWORD,
                                  "unit_id": ctx.sandbox, "roles": ["sales"]}, ctx.admin,
                once=count_of(ctx, f"/api/v1/users?q={username}", ctx.admin, lambda u: u["username"] == username))


# ----------------------------------------------------------------- customers
@operation("post", "/api/v1/customers")
async def create_customer(ctx: Ctx) -> Case:
    name = f"Khách idem {ctx.tag}"
    return Case("/api/v1/customers", {"name": name, "phone": random_mobile()}, rep(ctx),
                once=count_of(ctx, f"/api/v1/customers?q={ctx.tag}", rep(ctx), lambda c: c["name"] == name))


@operation("post", "/api/v1/customers/{customer_id}/status")
async def change_customer_status(ctx: Ctx) -> Case:
    url = f"/api/v1/customers/{(await new_customer(ctx))['id']}"
    return Case(f"{url}/status", {"status": "potential", "note": "Khách quan tâm"}, rep(ctx),
                once=version_stays(ctx, url, rep(ctx)))


@operation("post", "/api/v1/customers/bulk")
async def bulk_action(ctx: Ctx) -> Case:
    customer = await new_customer(ctx)
    url = f"/api/v1/customers/{customer['id']}"

    async def labelled_once(first: httpx.Response) -> None:
        read = (await ctx.client.get(url, headers=rep(ctx))).json()
        assert read["labels"] == ["hot"] and read["version"] == customer["version"] + 1

    return Case("/api/v1/customers/bulk", {"action": "add_labels", "labels": ["hot"], "ids": [customer["id"]]},
                rep(ctx), once=labelled_once)


@operation("post", "/api/v1/customers/exports")
async def create_export(ctx: Ctx) -> Case:
    return Case("/api/v1/customers/exports", {"format": "csv", "filter": {"q": f"idem {ctx.tag}"}}, rep(ctx),
                once=count_of(ctx, "/api/v1/customers/exports", rep(ctx),
                              lambda job: job["filter"].get("q") == f"idem {ctx.tag}"))


async def import_upload(ctx: Ctx, rows: int = 1) -> dict:
    content = ("Tên,SĐT\n" + "".join(f"Khách idem {ctx.tag},{random_mobile()}\n" for _ in range(rows))).encode()
    uploaded = await ctx.client.post("/api/v1/imports/uploads", headers=rep(ctx),
                                     files={"file": (f"idem-{ctx.tag}.csv", content)})
    assert uploaded.status_code == 201, uploaded.text
    return uploaded.json()


@operation("post", "/api/v1/imports")
async def create_import(ctx: Ctx) -> Case:
    upload = await import_upload(ctx)
    return Case("/api/v1/imports", {"upload_id": upload["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2},
                                    "dry_run": True}, rep(ctx),
                once=count_of(ctx, "/api/v1/imports", rep(ctx), lambda job: job["upload_id"] == upload["id"]))


@operation("post", "/api/v1/imports/{job_id}/cancel")
async def cancel_import(ctx: Ctx) -> Case:
    upload = await import_upload(ctx, rows=50_000)  # still running when the cancel comes
    started = await ctx.client.post("/api/v1/imports", headers=rep(ctx), json={
        "upload_id": upload["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    assert started.status_code == 202, started.text
    return Case(f"/api/v1/imports/{started.json()['id']}/cancel", {}, rep(ctx))


# {collection: (the field that names an item, a new item's body for a tag)}; admin deletes what
# the test made (remove_created), other tests must never see it (a status is last in the pipeline:
# the first one is the default of every new customer)
CONFIGURATION: dict[str, tuple[str, Callable[[str], dict]]] = {
    "/api/v1/customer-statuses": ("key", lambda tag: {"key": f"idem_{tag}", "name": f"Idem {tag}",
                                                      "position": 1_000_000}),
    "/api/v1/customer-labels": ("key", lambda tag: {"key": f"idem_{tag}", "name": f"Idem {tag}"}),
    "/api/v1/customer-groups": ("name", lambda tag: {"name": f"Idem {tag}", "description": "idempotency"}),
    "/api/v1/customer-attributes": ("key", lambda tag: {"key": f"idem_{tag}", "name": f"Idem {tag}", "type": "text"}),
}


def create_configuration_item(collection: str) -> Prepare:
    async def prepare(ctx: Ctx) -> Case:
        same, body_of = CONFIGURATION[collection]
        body = body_of(ctx.tag)
        return Case(collection, body, ctx.admin, remove_created=True,
                    once=count_of(ctx, collection, ctx.admin, lambda item: item[same] == body[same]))
    return prepare


for _collection in CONFIGURATION:
    operation("post", _collection)(create_configuration_item(_collection))


# ----------------------------------------------------------------- assignment
@operation("post", "/api/v1/assignments")
async def distribute(ctx: Ctx) -> Case:
    manager = ctx.org["manager"]["headers"]
    customer = await new_customer(ctx, "manager")
    body = {"customer_ids": [customer["id"]], "text": "Gọi tư vấn", "direct": True,
            "job": {"content": f"Idem {ctx.tag}", "type": "telesales"},
            "quantities": [{"user_id": ctx.org["rep"]["id"], "count": 1}]}

    async def known():  # the assignment service learns of new customers from events; a share
        # of two for one customer is refused only once the customer is known, and changes nothing
        probe = await ctx.client.post("/api/v1/assignments", headers=manager, json={
            **body, "quantities": [{"user_id": ctx.org["rep"]["id"], "count": 2}]})
        assert probe.status_code == 422, probe.text
        return probe.json()["code"] == "quantities_mismatch"

    async def one_assignment(first: httpx.Response) -> None:
        job_id = first.json()["job"]["id"]
        listed = await items(ctx.client, f"/api/v1/assignments?scope=made&job_id={job_id}", manager)
        assert [(a["assignee_id"], a["customer_count"]) for a in listed] == [(ctx.org["rep"]["id"], 1)]

    await eventually(known, timeout=30)
    return Case("/api/v1/assignments", body, manager, once=one_assignment)


# ----------------------------------------------------------------- interactions
@operation("post", "/api/v1/customers/{customer_id}/calls")
async def log_call(ctx: Ctx) -> Case:
    url = f"/api/v1/customers/{(await known_customer(ctx))['id']}/calls"
    return Case(url, {"direction": "out", "outcome": "reached", "duration_seconds": 60, "note": "Đã gọi"},
                rep(ctx), once=count_of(ctx, url, rep(ctx)))


@operation("post", "/api/v1/customers/{customer_id}/notes")
async def add_note(ctx: Ctx) -> Case:
    url = f"/api/v1/customers/{(await known_customer(ctx))['id']}"
    return Case(f"{url}/notes", {"text": f"Ghi chú {ctx.tag}"}, rep(ctx),
                once=count_of(ctx, f"{url}/timeline?type=note", rep(ctx)))


@operation("post", "/api/v1/customers/{customer_id}/comments")
async def comment_on_customer(ctx: Ctx) -> Case:
    url = f"/api/v1/customers/{(await known_customer(ctx))['id']}/comments"
    return Case(url, {"text": f"Bình luận #idem {ctx.tag}"}, rep(ctx), once=count_of(ctx, url, rep(ctx)))


# care tickets, support tickets and appointments: {collection: (path parameter, body for a customer)}
RECORDS: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "/api/v1/care-tickets": ("ticket_id", care_ticket_body),
    "/api/v1/support-tickets": ("ticket_id", support_ticket_body),
    "/api/v1/appointments": ("appointment_id", appointment_body),
}
# (collection, action, body): a state change of a record
ACTIONS = [
    ("/api/v1/care-tickets", "complete", {"result": "Khách hài lòng"}),
    ("/api/v1/care-tickets", "cancel", {"reason": "Khách bận"}),
    ("/api/v1/support-tickets", "status", {"status": "processing", "note": "Đang xử lý"}),
    ("/api/v1/appointments", "status", {"status": "done"}),
]


def create_record(collection: str) -> Prepare:
    async def prepare(ctx: Ctx) -> Case:
        customer = await known_customer(ctx)
        return Case(collection, RECORDS[collection][1](customer), rep(ctx),
                    once=count_of(ctx, f"{collection}?customer_id={customer['id']}", rep(ctx)))
    return prepare


async def record(ctx: Ctx, collection: str) -> str:
    made = await created(ctx, collection, RECORDS[collection][1](await known_customer(ctx)))
    return f"{collection}/{made['id']}"


def change_record(collection: str, action: str, body: dict) -> Prepare:
    async def prepare(ctx: Ctx) -> Case:
        url = await record(ctx, collection)
        return Case(f"{url}/{action}", body, rep(ctx), once=version_stays(ctx, url, rep(ctx)))
    return prepare


def comment_on_record(collection: str) -> Prepare:
    async def prepare(ctx: Ctx) -> Case:
        url = f"{await record(ctx, collection)}/comments"
        return Case(url, {"text": f"Bình luận {ctx.tag}"}, rep(ctx), once=count_of(ctx, url, rep(ctx)))
    return prepare


for _collection in RECORDS:
    operation("post", _collection)(create_record(_collection))
for _collection, _action, _body in ACTIONS:
    operation("post", f"{_collection}/{{{RECORDS[_collection][0]}}}/{_action}")(change_record(_collection, _action, _body))
for _collection in ("/api/v1/care-tickets", "/api/v1/support-tickets"):
    operation("post", f"{_collection}/{{ticket_id}}/comments")(comment_on_record(_collection))


# ----------------------------------------------------------------- compensation (issue 12)
async def lead_package(ctx: Ctx) -> dict:
    """A package the admin bought for the rep, of one lead the compensation service knows."""
    package = await ctx.client.post("/api/v1/lead-packages", headers=ctx.admin, json={
        "name": f"Gói idem {ctx.tag}", "provider": f"Nguồn idem {ctx.tag}", "owner_id": ctx.org["rep"]["id"],
        "purchased_at": datetime.now(UTC).isoformat(),
        "policy": {"reasons": ["duplicate"], "window_days": 30, "max_share": 1, "min_call_attempts": 0}})
    assert package.status_code == 201, package.text
    customer = await new_customer(ctx)

    async def added():
        r = await ctx.client.post(f"/api/v1/lead-packages/{package.json()['id']}/leads", headers=ctx.admin,
                                  json={"customer_ids": [customer["id"]], "delivered_at": datetime.now(UTC).isoformat()})
        assert r.status_code == 200, r.text
        return r.json()["added"] + r.json()["already"] == 1 or None

    await eventually(added, timeout=30)
    return {"id": package.json()["id"], "lead": customer["id"]}


def request_body(package: dict) -> dict:
    return {"customer_id": package["lead"], "package_id": package["id"], "reason_code": "duplicate",
            "reason_text": "Trùng với gói trước"}


async def submitted_request(ctx: Ctx) -> str:
    package = await lead_package(ctx)
    request = await created(ctx, "/api/v1/compensation-requests", request_body(package))
    preview = await ctx.client.post(f"/api/v1/lead-packages/{package['id']}/review-submission", headers=rep(ctx))
    assert preview.status_code == 200, preview.text
    batch = await created(ctx, "/api/v1/compensation-batches", {
        "package_id": package["id"], "confirmation_token": preview.json()["confirmation_token"]})
    assert batch["status"] == "submitted"
    return request["id"]


@operation("post", "/api/v1/lead-packages")
async def create_lead_package(ctx: Ctx) -> Case:
    name = f"Gói idem {ctx.tag}"
    return Case("/api/v1/lead-packages", {
        "name": name, "provider": "Nguồn idem", "owner_id": ctx.org["rep"]["id"],
        "purchased_at": datetime.now(UTC).isoformat(),
        "policy": {"reasons": ["duplicate"], "window_days": 30, "max_share": 0.5, "min_call_attempts": 0}},
        ctx.admin, once=count_of(ctx, "/api/v1/lead-packages?provider=Nguồn idem", ctx.admin,
                                 lambda p: p["name"] == name))


@operation("post", "/api/v1/lead-packages/{package_id}/leads")
async def add_leads(ctx: Ctx) -> Case:
    known = await lead_package(ctx)  # a customer the compensation service knows, for another package
    other = await ctx.client.post("/api/v1/lead-packages", headers=ctx.admin, json={
        "name": f"Gói idem 2 {ctx.tag}", "provider": "Nguồn idem", "owner_id": ctx.org["rep"]["id"],
        "purchased_at": datetime.now(UTC).isoformat(),
        "policy": {"reasons": ["duplicate"], "window_days": 30, "max_share": 1, "min_call_attempts": 0}})
    assert other.status_code == 201, other.text
    url = f"/api/v1/lead-packages/{other.json()['id']}/leads"
    return Case(url, {"customer_ids": [known["lead"]], "delivered_at": datetime.now(UTC).isoformat()}, ctx.admin,
                once=count_of(ctx, url, ctx.admin, lambda lead: lead["customer_id"] == known["lead"]))


@operation("post", "/api/v1/compensation-requests")
async def create_compensation_request(ctx: Ctx) -> Case:
    package = await lead_package(ctx)
    return Case("/api/v1/compensation-requests", request_body(package), rep(ctx),
                once=count_of(ctx, f"/api/v1/compensation-requests?package_id={package['id']}", rep(ctx)))


@operation("post", "/api/v1/lead-packages/{package_id}/review-submission")
async def preview_review_submission(ctx: Ctx) -> Case:
    package = await lead_package(ctx)
    await created(ctx, "/api/v1/compensation-requests", request_body(package))
    return Case(f"/api/v1/lead-packages/{package['id']}/review-submission", {}, rep(ctx))


@operation("post", "/api/v1/compensation-batches")
async def submit_batch(ctx: Ctx) -> Case:
    package = await lead_package(ctx)
    await created(ctx, "/api/v1/compensation-requests", request_body(package))
    preview = await ctx.client.post(f"/api/v1/lead-packages/{package['id']}/review-submission", headers=rep(ctx))
    assert preview.status_code == 200, preview.text
    return Case("/api/v1/compensation-batches",
                {"package_id": package["id"], "confirmation_token": preview.json()["confirmation_token"]}, rep(ctx),
                once=count_of(ctx, f"/api/v1/compensation-batches?package_id={package['id']}", rep(ctx)))


@operation("post", "/api/v1/compensation-requests/{request_id}/decision")
async def decide_request(ctx: Ctx) -> Case:
    url = f"/api/v1/compensation-requests/{await submitted_request(ctx)}"
    return Case(f"{url}/decision", {"decision": "approved", "note": "Đã kiểm tra"}, ctx.admin,
                once=version_stays(ctx, url, ctx.admin))


@operation("post", "/api/v1/compensation-rules")
async def create_compensation_rule(ctx: Ctx) -> Case:
    position = 9_000 + uuid.uuid4().int % 1_000  # inactive: no other test's submission meets it
    return Case("/api/v1/compensation-rules", {"reason_code": "duplicate", "kind": "duplicate_of_provider_lead",
                                               "active": False, "position": position}, ctx.admin,
                once=count_of(ctx, "/api/v1/compensation-rules", ctx.admin, lambda r: r["position"] == position),
                remove_created=True)


# ----------------------------------------------------------------- the tests
@pytest.fixture(scope="module")
async def sandbox(client, admin) -> str:
    """A branch of this module's own: the users and units it creates touch no other test's team."""
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    made = await client.post("/api/v1/units", headers=admin,
                             json={"name": f"Chi nhánh idem {uuid.uuid4().hex[:6]}", "kind": "branch", "parent_id": root})
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.fixture
async def ctx(client, admin, org, sandbox):
    context = Ctx(client, admin, org, sandbox)
    yield context
    for url in context.removals:
        removed = await client.delete(f"{url}?force=true", headers=admin)  # force: attributes in use too
        assert removed.status_code == 204, removed.text


async def send(ctx: Ctx, case: Case, key: str) -> httpx.Response:
    return await ctx.client.post(case.path, json=case.body, headers={**case.headers, HEADER: key})


@pytest.mark.parametrize(("method", "template"), sorted(OPERATIONS),
                         ids=[f"{method.upper()} {template}" for method, template in sorted(OPERATIONS)])
async def test_requests_with_the_same_key_act_once_and_replay_the_first_answer(ctx, method, template):
    case = await OPERATIONS[(method, template)](ctx)
    key = str(uuid.uuid4())
    # at once (a retry while the first is still running waits for its answer), then once more after
    answers = [*await asyncio.gather(*(send(ctx, case, key) for _ in range(CONCURRENT))), await send(ctx, case, key)]
    originals = [answer for answer in answers if REPLAYED not in answer.headers]
    assert len(originals) == 1, [(answer.status_code, answer.text) for answer in originals]
    first = originals[0]
    if case.remove_created and "location" in first.headers:
        ctx.removals.append(first.headers["location"])
    assert 200 <= first.status_code < 300, first.text
    for again in answers:
        assert again.status_code == first.status_code, again.text
        assert again.content == first.content
        for header in ("location", "etag"):
            assert again.headers.get(header) == first.headers.get(header), header
        assert again is first or again.headers[REPLAYED] == "true"
    if case.once:
        await case.once(first)


async def test_every_operation_that_declares_the_key_has_a_case(client):
    document = (await client.get("/api/openapi.json")).json()
    assert document["x-unavailable-services"] == []  # every service's routes are in the document
    declaring = {(method, path) for path, item in document["paths"].items() for method, op in item.items()
                 if isinstance(op, dict)
                 and any(p["in"] == "header" and p["name"] == HEADER for p in op.get("parameters", []))}
    assert set(OPERATIONS) == declaring
