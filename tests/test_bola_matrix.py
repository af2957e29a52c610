"""Object-level authorisation (BOLA) over every object endpoint of every service, through the gateway.

One table: a row per endpoint × action, a column per kind of caller, the answer the product's
rules require in each cell (docs/api.md, PRODUCT.md C-9, the services' access rules; the matrix
and what it found: docs/security.md). A new object endpoint is one more row.

Answers: a status code, or for a list whether the object is in the caller's page (True/False).
The rules every row follows:

* invisible = 404, exactly like an object that does not exist (never 403: that reveals it exists);
* visible but not allowed = 403 (a viewer editing, a rep deciding, a reviewer managing a package);
* anonymous = 401; a deactivated user's token issued before the deactivation = 401 everywhere;
* a role or permission the caller lacks for a whole endpoint, whatever the object (a rep listing
  jobs, a key without `customers.read` listing customers) = 403: it reveals no object;
* integrator keys reach what their permissions name and nothing else: `customers.read`/`.write`
  the customers themselves, `calls.write` posting calls, `identity.read` the directory; the records
  of the interactions, assignment, compensation and import services are invisible to keys (404).

Writes (update, delete, state changes) act on an object of their own per cell, so that a cell that
wrongly succeeds cannot change another's answer; a refused write must leave its object as it was
(else the cell reads "<status> but changed").

The organisation, built once per module with uuid-tagged names:

    company (the admin's unit) ── reviewer, admin (this module's own)
    ├── branch A ── manager
    │   ├── team A1 ── owner (rep: owns, creates, is assigned), same_team (rep), deactivated (rep)
    │   └── team A2 ── other_team (rep)
    └── branch B ── other_manager, other_branch (rep), viewer (rep, added as viewer of the customer)

plus an integrator key with every permission (`key`) and one with none (`bare_key`).

Cells are computed concurrently, a batch of rows at a time (`Results`), and each is its own test,
named `<row>-<caller>`, so a failure names the endpoint, the action and the caller.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from e2e_support import eventually, new_unit, new_user, random_mobile

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("bola_matrix")]

API = "/api/v1"
CALLERS = ("owner", "same_team", "other_team", "other_branch", "viewer", "manager", "other_manager", "reviewer",
           "admin", "key", "bare_key", "deactivated", "anonymous")
T, F = True, False  # listed / not listed
CONCURRENCY = 12
# a hung request fails its cell (or the organisation's setup) instead of stalling the suite
CELL_TIMEOUT, WORLD_TIMEOUT = 120, 300

World = dict[str, Any]
Outcome = int | bool | str


# ---------------------------------------------------------------------------------------------- actions
# Each action: (world, caller, fresh object or None) -> the observed answer.


def outcome(r: httpx.Response) -> Outcome:
    if r.status_code >= 500:
        return f"{r.status_code} {r.text[:200]}"
    return r.status_code


def path(template: str, world: World, obj: dict | None) -> str:
    """`{customer}` and friends from the world's shared objects; `{id}` the cell's own object."""
    names = {**{k: v.get("id") for k, v in world["objects"].items()}, **({"id": obj["id"]} if obj else {})}
    return API + template.format(**names)


def get(template: str) -> Callable:
    async def do(world: World, caller: str, obj: dict | None) -> Outcome:
        return outcome(await world["client"].get(path(template, world, obj), headers=world["headers"][caller]))
    return do


def stream(template: str) -> Callable:
    """The status of a Server-Sent Events stream (its body is not read)."""
    async def do(world: World, caller: str, obj: dict | None) -> Outcome:
        async with world["client"].stream("GET", path(template, world, obj),
                                          headers=world["headers"][caller]) as r:
            if r.status_code >= 400:
                await r.aread()
            return outcome(r)
    return do


def listed(template: str, item: str, params: Callable[[World], dict] = lambda w: {}, key: str = "id") -> Callable:
    """Whether the shared object `item` is in the caller's page (its `key`), or the status when not 200."""
    async def do(world: World, caller: str, obj: dict | None) -> Outcome:
        r = await world["client"].get(path(template, world, obj), headers=world["headers"][caller],
                                      params={**params(world), "limit": 100})
        if r.status_code != 200:
            return outcome(r)
        items = r.json()["items"] if isinstance(r.json(), dict) else r.json()
        return world["objects"][item]["id"] in {i.get(key) for i in items}
    return do


def send(method: str, template: str, body: Callable[[World, dict | None], Any] | None = None, *,
         if_match: bool = False, key: Callable[[], str] | None = None, raw: bytes | None = None,
         params: dict | None = None) -> Callable:
    async def do(world: World, caller: str, obj: dict | None) -> Outcome:
        headers = dict(world["headers"][caller])
        if if_match:
            headers["If-Match"] = f'"{obj["version"]}"' if obj else '"1"'
        if key:
            headers["Idempotency-Key"] = key()
        request: dict[str, Any] = {"headers": headers, "params": params}
        if raw is not None:
            request["content"] = raw
        elif body is not None:
            request["json"] = body(world, obj)
        return outcome(await world["client"].request(method, path(template, world, obj), **request))
    return do


def patch_current(template: str, body: dict) -> Callable:
    """PATCH a shared object at the version the admin reads now (a write that changes nothing)."""
    async def do(world: World, caller: str, obj: dict | None) -> Outcome:
        url = path(template, world, obj)
        etag = (await world["client"].get(url, headers=world["people"]["admin"]["headers"])).headers["etag"]
        return outcome(await world["client"].patch(url, headers={**world["headers"][caller], "If-Match": etag},
                                                   json=body))
    return do


def replayed(template: str, body: Callable[[World, dict | None], Any], key: str) -> Callable:
    """The owner's creating POST again, with the owner's Idempotency-Key (`world[key]`): only the
    owner may get the stored answer; anyone else's request is their own."""
    async def do(world: World, caller: str, obj: dict | None) -> Outcome:
        r = await world["client"].post(path(template, world, obj), json=body(world, obj),
                                       headers={**world["headers"][caller], "Idempotency-Key": world[key]})
        if r.headers.get("idempotent-replayed") == "true":
            return "replayed" if caller == "owner" else f"{r.status_code}, the owner's answer replayed"
        return outcome(r)
    return do


def fresh_key() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------------------------------------- makers
# Fresh objects for the cells that write; each returns the created object (with its `version`).

async def created(r: httpx.Response) -> dict:
    assert r.status_code in (200, 201, 202), r.text
    return r.json()


async def new_customer(client: httpx.AsyncClient, headers: dict, name: str) -> dict:
    return await created(await client.post(f"{API}/customers", headers=headers, json={
        "name": f"{name} {uuid.uuid4().hex[:6]}", "phone": random_mobile()}))


async def make_customer(world: World) -> dict:
    """A customer of the owner, shared with the viewer."""
    owner = world["people"]["owner"]["headers"]
    c = await created(await world["client"].post(f"{API}/customers", headers=owner, json={
        "name": f"Khách ma trận {uuid.uuid4().hex[:6]}", "phone": random_mobile()}))
    shared = await created(await world["client"].post(f"{API}/customers/{c['id']}/viewers", headers=owner,
                                                      json={"user_id": world["people"]["viewer"]["id"]}))
    return {**c, **shared}


async def make_deleted_customer(world: World) -> dict:
    customer = await make_customer(world)
    r = await world["client"].delete(f"{API}/customers/{customer['id']}", headers=world["people"]["owner"]["headers"])
    assert r.status_code == 204, r.text
    return customer


async def make_assigned_care_ticket(world: World) -> dict:
    """A care ticket on the owner's customer given to the rep of the other branch (who does not see
    the customer)."""
    return await created(await world["client"].post(
        f"{API}/care-tickets", headers=world["people"]["owner"]["headers"],
        json={**care_body(world), "assignee_id": world["people"]["other_branch"]["id"]}))


async def make_care_ticket(world: World) -> dict:
    return await created(await world["client"].post(f"{API}/care-tickets", headers=world["people"]["owner"]["headers"],
                                                    json=care_body(world)))


async def make_support_ticket(world: World) -> dict:
    return await created(await world["client"].post(
        f"{API}/support-tickets", headers=world["people"]["owner"]["headers"], json=support_body(world)))


async def make_appointment(world: World) -> dict:
    return await created(await world["client"].post(
        f"{API}/appointments", headers=world["people"]["owner"]["headers"], json=appointment_body(world)))


async def make_comment(world: World) -> dict:
    return await created(await world["client"].post(
        path("/customers/{customer}/comments", world, None), headers=world["people"]["owner"]["headers"],
        json={"text": f"Ghi chú riêng #bola{world['tag']}"}))


async def make_attachment(world: World) -> dict:
    return await created(await world["client"].post(
        path("/customers/{customer}/attachments", world, None), headers=world["people"]["owner"]["headers"],
        params={"filename": "ghi-chu.txt"}, content=b"Tep dinh kem cua ma tran quyen\n"))


def from_pool(name: str) -> Callable[[World], Awaitable[dict]]:
    """An object made ahead in the fixture (it needed other services to catch up first)."""
    async def take(world: World) -> dict:
        return world["pools"][name].pop()
    return take


async def make_package(world: World) -> dict:
    return await created(await world["client"].post(
        f"{API}/lead-packages", headers=world["people"]["manager"]["headers"], json=package_body(world)))


# ---------------------------------------------------------------------------------------------- bodies

def care_body(world: World, obj: dict | None = None) -> dict:
    return {"customer_id": world["objects"]["customer"]["id"], "method": "call",
            "planned_at": world["appointment_day"].isoformat(), "note": f"Chăm sóc {world['tag']}"}


def support_body(world: World, obj: dict | None = None) -> dict:
    return {"customer_id": world["objects"]["customer"]["id"], "title": f"Hỗ trợ {world['tag']}",
            "channel": "Hotline", "content": "Khách báo lỗi"}


def appointment_body(world: World, obj: dict | None = None) -> dict:
    starts = world["appointment_day"]
    return {"title": f"Hẹn {world['tag']}", "type": "meeting", "customer_id": world["objects"]["customer"]["id"],
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()}


def package_body(world: World, obj: dict | None = None) -> dict:
    return {"name": f"Gói ma trận {world['tag']}", "provider": world["provider"],
            "owner_id": world["people"]["owner"]["id"],
            "purchased_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
            "policy": {"reasons": [world["reason"]], "window_days": 30, "max_share": 1, "min_call_attempts": 0}}


def assignment_body(world: World, customer_id: str) -> dict:
    return {"customer_ids": [customer_id], "text": f"Giao ma trận {world['tag']}",
            "job_id": world["objects"]["job"]["id"],
            "quantities": [{"user_id": world["people"]["owner"]["id"], "count": 1}]}


# ---------------------------------------------------------------------------------------------- the matrix

@dataclass(frozen=True)
class Row:
    name: str
    do: Callable[[World, str, dict | None], Awaitable[Outcome]]
    expected: tuple
    fresh: Callable[[World], Awaitable[dict]] | None = None
    # for a fresh object: where the admin reads it back to see that a refused write left it alone
    check: str | None = None


def row(name: str, do: Callable, expected: tuple, fresh: Callable | None = None, check: str | None = None) -> Row:
    assert len(expected) == len(CALLERS), name
    return Row(name, do, expected, fresh, check)


ANON = (401, 401)  # deactivated, anonymous
# Who sees the customer (and what hangs off it): owner, viewer, the manager above, admins.
SEES = (200, 404, 404, 404, 200, 200, 404, 404, 200, 404, 404, *ANON)
# A customer's records among lists: the same people.
LISTS = (T, F, F, F, T, T, F, F, T, F, F, *ANON)
# Adding a record to the customer (a note, a comment, a file, a ticket): the same people.
ADDS = (201, 404, 404, 404, 201, 201, 404, 404, 201, 404, 404, *ANON)
# Working a ticket of the owner's (update, status): the owner, the manager above, admins; the viewer
# sees it, so is refused. Deleting it (or a comment, a file), the same: REMOVES.
WORKS = (200, 404, 404, 404, 403, 200, 404, 404, 200, 404, 404, *ANON)
REMOVES = (204, 404, 404, 404, 403, 204, 404, 404, 204, 404, 404, *ANON)

ROWS = [
    # ---- customers service (C-9; integrator keys by their permissions)
    row("customer-read", get("/customers/{customer}"),
        (200, 404, 404, 404, 200, 200, 404, 404, 200, 200, 404, *ANON)),
    row("customer-list", listed("/customers", "customer", lambda w: {"q": w["objects"]["customer"]["phone"]}),
        (T, F, F, F, T, T, F, F, T, T, 403, *ANON)),
    row("customer-update", send("PATCH", "/customers/{id}", lambda w, o: {"note": "Sửa"}, if_match=True),
        (200, 404, 404, 404, 403, 200, 404, 404, 200, 200, 404, *ANON), make_customer, "/customers/{id}"),
    row("customer-status", send("POST", "/customers/{id}/status", lambda w, o: {"status": "contacted", "note": "x"},
                                key=fresh_key),
        (200, 404, 404, 404, 403, 200, 404, 404, 200, 200, 404, *ANON), make_customer, "/customers/{id}"),
    row("customer-delete", send("DELETE", "/customers/{id}"),
        (204, 404, 404, 404, 403, 204, 404, 404, 204, 204, 404, *ANON), make_customer, "/customers/{id}"),
    row("customer-viewers-read", get("/customers/{customer}/viewers"),
        (200, 404, 404, 404, 200, 200, 404, 404, 200, 200, 404, *ANON)),
    row("customer-viewers-add", send("POST", "/customers/{id}/viewers",
                                     lambda w, o: {"user_id": w["people"]["same_team"]["id"]}),
        (200, 404, 404, 404, 403, 200, 404, 404, 200, 200, 404, *ANON), make_customer, "/customers/{id}"),
    row("customer-viewers-remove", send("DELETE", "/customers/{id}/viewers/{viewer_user}"),
        (204, 404, 404, 404, 403, 204, 404, 404, 204, 204, 404, *ANON), make_customer, "/customers/{id}"),
    # restore and purge: admins only, whatever the customer (a role check, 403 to every other caller)
    row("customer-restore", send("POST", "/customers/{id}/restore"),
        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, *ANON), make_deleted_customer, "/customers/{id}"),
    row("customer-purge", send("POST", "/customers/{id}/purge"),
        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, *ANON), make_deleted_customer, "/customers/{id}"),
    row("customer-referrals", get("/customers/{customer}/referrals"),
        (200, 404, 404, 404, 200, 200, 404, 404, 200, 200, 404, *ANON)),
    # an export: its author, and admins (who see every customer anyway)
    row("export-read", get("/customers/exports/{export}"),
        (200, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, *ANON)),
    row("export-file", get("/customers/exports/{export}/file"),
        (200, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, *ANON)),
    row("export-list", listed("/customers/exports", "export"),
        (T, F, F, F, F, F, F, F, F, F, F, *ANON)),

    # ---- interactions: what hangs off the customer
    row("timeline-read", get("/customers/{customer}/timeline"), SEES),
    row("note-create", send("POST", "/customers/{customer}/notes", lambda w, o: {"text": "Ghi chú"}, key=fresh_key),
        ADDS),
    row("calls-read", get("/customers/{customer}/calls"), SEES),
    row("call-create", send("POST", "/customers/{customer}/calls", lambda w, o: {
        "direction": "out", "outcome": "reached", "duration_seconds": 30}, key=fresh_key),
        (201, 404, 404, 404, 201, 201, 404, 404, 201, 201, 403, *ANON)),
    row("customer-comments-read", get("/customers/{customer}/comments"), SEES),
    row("customer-comment-create", send("POST", "/customers/{customer}/comments", lambda w, o: {"text": "Trao đổi"},
                                        key=fresh_key),
        ADDS),
    row("customer-attachments-read", get("/customers/{customer}/attachments"), SEES),
    row("customer-attachment-create", send("POST", "/customers/{customer}/attachments", raw=b"tep\n",
                                           params={"filename": "a.txt"}),
        ADDS),

    # ---- comments
    row("comment-read", get("/comments/{comment}"), SEES),
    # "bola" first: a tag of digits alone (the hex tag is one about 6% of the time) is no hashtag
    row("comment-list-by-hashtag", listed("/comments", "comment", lambda w: {"hashtag": f"bola{w['tag']}"}), LISTS),
    row("comment-edit", send("PATCH", "/comments/{id}", lambda w, o: {"text": "Đã sửa"}, if_match=True),
        (200, 404, 404, 404, 403, 403, 404, 404, 403, 404, 404, *ANON), make_comment, "/comments/{id}"),
    row("comment-delete", send("DELETE", "/comments/{id}"),
        REMOVES, make_comment, "/comments/{id}"),
    row("comment-mark-read", send("POST", "/comments/{comment}/read"), SEES),
    row("comment-ack", send("POST", "/comments/{mention}/acks"),
        (200, 404, 404, 404, 403, 403, 404, 404, 403, 404, 404, *ANON)),
    row("comment-attachments-read", get("/comments/{comment}/attachments"), SEES),
    row("comment-attachment-create", send("POST", "/comments/{comment}/attachments", raw=b"tep\n",
                                          params={"filename": "b.txt"}),
        (201, 404, 404, 404, 403, 403, 404, 404, 403, 404, 404, *ANON)),

    # ---- attachments
    row("attachment-read", get("/attachments/{attachment}"), SEES),
    row("attachment-content", get("/attachments/{attachment}/content"), SEES),
    # a deleted comment hides its files from everyone
    row("attachment-of-deleted-comment", get("/attachments/{deleted_comment_file}"),
        (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, *ANON)),
    row("attachment-delete", send("DELETE", "/attachments/{id}"),
        REMOVES, make_attachment, "/attachments/{id}"),

    # ---- care tickets (visible to its assignee and to whoever sees the customer)
    row("care-ticket-create", send("POST", "/care-tickets", lambda w, o: care_body(w), key=fresh_key),
        ADDS),
    row("care-ticket-create-key-reused", replayed("/care-tickets", lambda w, o: care_body(w), "care_key"),
        ("replayed", 404, 404, 404, 201, 201, 404, 404, 201, 404, 404, *ANON)),
    row("care-ticket-read", get("/care-tickets/{care}"), SEES),
    row("care-ticket-list", listed("/care-tickets", "care", lambda w: {"q": f"Chăm sóc {w['tag']}"}), LISTS),
    row("care-ticket-update", send("PATCH", "/care-tickets/{id}", lambda w, o: {"note": "Đổi"}, if_match=True),
        WORKS, make_care_ticket, "/care-tickets/{id}"),
    row("care-ticket-complete", send("POST", "/care-tickets/{id}/complete", lambda w, o: {"result": "Xong"},
                                     key=fresh_key),
        WORKS, make_care_ticket, "/care-tickets/{id}"),
    row("care-ticket-cancel", send("POST", "/care-tickets/{id}/cancel", lambda w, o: {}, key=fresh_key),
        WORKS, make_care_ticket, "/care-tickets/{id}"),
    row("care-ticket-delete", send("DELETE", "/care-tickets/{id}"),
        REMOVES, make_care_ticket, "/care-tickets/{id}"),
    row("care-ticket-comments-read", get("/care-tickets/{care}/comments"), SEES),
    # a ticket's assignee who does not see its customer works the ticket, does not hand it on
    row("assigned-care-ticket-read", get("/care-tickets/{care_assigned}"),
        (200, 404, 404, 200, 200, 200, 404, 404, 200, 404, 404, *ANON)),
    row("assigned-care-ticket-comments-read", get("/care-tickets/{care_assigned}/comments"),
        (200, 404, 404, 200, 200, 200, 404, 404, 200, 404, 404, *ANON)),
    row("assigned-care-ticket-comment-create", send("POST", "/care-tickets/{care_assigned}/comments",
                                                    lambda w, o: {"text": "Đã gọi"}, key=fresh_key),
        (201, 404, 404, 201, 201, 201, 404, 404, 201, 404, 404, *ANON)),
    row("assigned-care-ticket-update", send("PATCH", "/care-tickets/{id}", lambda w, o: {"note": "Đổi"},
                                            if_match=True),
        (200, 404, 404, 200, 403, 200, 404, 404, 200, 404, 404, *ANON), make_assigned_care_ticket,
        "/care-tickets/{id}"),
    row("assigned-care-ticket-delete", send("DELETE", "/care-tickets/{id}"),
        (204, 404, 404, 403, 403, 204, 404, 404, 204, 404, 404, *ANON), make_assigned_care_ticket,
        "/care-tickets/{id}"),
    row("care-ticket-comment-create", send("POST", "/care-tickets/{care}/comments", lambda w, o: {"text": "Ý kiến"},
                                           key=fresh_key),
        ADDS),

    # ---- support tickets
    row("support-ticket-create", send("POST", "/support-tickets", lambda w, o: support_body(w), key=fresh_key),
        ADDS),
    row("support-ticket-read", get("/support-tickets/{support}"), SEES),
    row("support-ticket-list", listed("/support-tickets", "support", lambda w: {"q": f"Hỗ trợ {w['tag']}"}), LISTS),
    row("support-ticket-update", send("PATCH", "/support-tickets/{id}", lambda w, o: {"customer_feedback": "Ổn"},
                                      if_match=True),
        WORKS, make_support_ticket, "/support-tickets/{id}"),
    row("support-ticket-status", send("POST", "/support-tickets/{id}/status", lambda w, o: {"status": "processing"},
                                      key=fresh_key),
        WORKS, make_support_ticket, "/support-tickets/{id}"),
    row("support-ticket-delete", send("DELETE", "/support-tickets/{id}"),
        REMOVES, make_support_ticket, "/support-tickets/{id}"),
    row("support-ticket-comments-read", get("/support-tickets/{support}/comments"), SEES),
    row("support-ticket-comment-create", send("POST", "/support-tickets/{support}/comments",
                                              lambda w, o: {"text": "Ý kiến"}, key=fresh_key),
        ADDS),
    row("support-ticket-attachments-read", get("/support-tickets/{support}/attachments"), SEES),
    row("support-ticket-attachment-create", send("POST", "/support-tickets/{support}/attachments", raw=b"tep\n",
                                                 params={"filename": "c.txt"}),
        (201, 404, 404, 404, 403, 201, 404, 404, 201, 404, 404, *ANON)),

    # ---- appointments (admins, its assignee, its creator, managers above the assignee; the
    #      customer's viewers do not see the owner's appointments)
    row("appointment-create", send("POST", "/appointments", lambda w, o: appointment_body(w), key=fresh_key),
        ADDS),
    row("appointment-read", get("/appointments/{appointment}"),
        (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    row("appointment-list", listed("/appointments", "appointment", lambda w: {
        "from": w["appointment_day"].isoformat(), "to": (w["appointment_day"] + timedelta(hours=1)).isoformat()}),
        (T, F, F, F, F, T, F, F, T, F, F, *ANON)),
    row("appointment-update", send("PATCH", "/appointments/{id}", lambda w, o: {"title": "Đổi"}, if_match=True),
        (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON), make_appointment, "/appointments/{id}"),
    row("appointment-status", send("POST", "/appointments/{id}/status", lambda w, o: {"status": "done"},
                                   key=fresh_key),
        (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON), make_appointment, "/appointments/{id}"),
    row("appointment-delete", send("DELETE", "/appointments/{id}"),
        (204, 404, 404, 404, 404, 204, 404, 404, 204, 404, 404, *ANON), make_appointment, "/appointments/{id}"),

    # ---- notifications (each user's own inbox)
    row("notification-read", send("POST", "/notifications/{notification}/read"),
        (200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, *ANON)),
    row("notification-list", listed("/notifications", "notification"),
        (T, F, F, F, F, F, F, F, F, F, F, *ANON)),

    # ---- assignment: jobs, assignments, recalls, roster (distributors: admins, managers within
    #      their subtree; reps see the assignments given to them)
    row("job-read", get("/jobs/{job}"), (404, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    row("job-report", get("/jobs/{job}/report"), (404, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    row("job-list", listed("/jobs", "job"), (403, 403, 403, 403, 403, T, F, 403, T, 403, 403, *ANON)),
    row("assignment-create", send("POST", "/assignments", lambda w, o: assignment_body(w, o["id"]),
                                  key=fresh_key),
        (403, 403, 403, 403, 403, 201, 404, 403, 201, 403, 403, *ANON), from_pool("distribute")),
    row("assignment-read", get("/assignments/{assignment}"),
        (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    row("assignment-list", listed("/assignments", "assignment", lambda w: {"job_id": w["objects"]["job"]["id"]}),
        (T, F, F, F, F, T, F, F, T, F, F, *ANON)),
    row("assignment-accept", send("POST", "/assignments/{id}/accept", lambda w, o: {}, key=fresh_key),
        (200, 404, 404, 404, 404, 403, 404, 404, 403, 404, 404, *ANON), from_pool("accept"), "/assignments/{id}"),
    row("assignment-decline", send("POST", "/assignments/{id}/decline", lambda w, o: {"reason": "Bận"},
                                   key=fresh_key),
        (200, 404, 404, 404, 404, 403, 404, 404, 403, 404, 404, *ANON), from_pool("decline"), "/assignments/{id}"),
    row("recall", send("POST", "/recalls", lambda w, o: {"assignment_id": o["id"]}, key=fresh_key),
        (403, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON), from_pool("recall"), "/assignments/{id}"),
    row("roster-update", send("PATCH", "/roster/{owner_user}", lambda w, o: {"weight": 3}),
        (403, 403, 403, 403, 403, 200, 404, 403, 200, 403, 403, *ANON)),

    # ---- compensation: packages (owner, managers at or above its unit, admins, reviewers),
    #      requests (requester and who sees the package as owner, manager, admin, reviewer)
    row("package-read", get("/lead-packages/{package}"), (200, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("package-list", listed("/lead-packages", "package", lambda w: {"provider": w["provider"]}),
        (T, F, F, F, F, T, F, T, T, F, F, *ANON)),
    row("package-update", send("PATCH", "/lead-packages/{id}", lambda w, o: {"name": "Gói đổi tên"}, if_match=True),
        (403, 404, 404, 404, 404, 200, 404, 403, 200, 404, 404, *ANON), make_package, "/lead-packages/{id}"),
    row("package-leads-read", get("/lead-packages/{package}/leads"),
        (200, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("package-leads-add", send("POST", "/lead-packages/{package}/leads", lambda w, o: {
        "customer_ids": [w["objects"]["customer"]["id"]], "delivered_at": datetime.now(UTC).isoformat()}),
        (200, 404, 404, 404, 404, 200, 404, 403, 200, 404, 404, *ANON)),
    row("package-credits", get("/lead-packages/{package}/credits"),
        (200, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("package-review-submission", send("POST", "/lead-packages/{package}/review-submission"),
        (200, 404, 404, 404, 404, 200, 404, 403, 200, 404, 404, *ANON)),
    # asking for a lead of the owner's package: the owner and admins; who sees the package to manage
    # or review it is no requester (422 `not_requester`); nobody else learns it exists
    row("request-create", send("POST", "/compensation-requests", lambda w, o: {
        "customer_id": o["id"], "package_id": w["objects"]["package"]["id"], "reason_code": w["reason"],
        "reason_text": "Không liên lạc được"}, key=fresh_key),
        (201, 404, 404, 404, 404, 422, 404, 422, 201, 404, 404, *ANON), from_pool("request_create")),
    row("request-read", get("/compensation-requests/{request}"),
        (200, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("request-history", get("/compensation-requests/{request}/history"),
        (200, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("request-list", listed("/compensation-requests", "request", lambda w: {"package_id": w["objects"]["package"]["id"]}),
        (T, F, F, F, F, T, F, T, T, F, F, *ANON)),
    row("request-update", send("PATCH", "/compensation-requests/{id}", lambda w, o: {"reason_text": "Sửa lý do"},
                               if_match=True),
        (200, 404, 404, 404, 404, 200, 404, 403, 200, 404, 404, *ANON), from_pool("request_update"),
        "/compensation-requests/{id}"),
    row("request-withdraw", send("DELETE", "/compensation-requests/{id}"),
        (204, 404, 404, 404, 404, 204, 404, 403, 204, 404, 404, *ANON), from_pool("request_withdraw"),
        "/compensation-requests/{id}"),
    row("request-decision", send("POST", "/compensation-requests/{id}/decision", lambda w, o: {
        "decision": "approved", "note": "Đồng ý"}, key=fresh_key),
        (403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, *ANON), from_pool("request_decision"),
        "/compensation-requests/{id}"),
    # a package owned by team A1: its reps see it, each only their own requests in it
    row("unit-package-read", get("/lead-packages/{unit_package}"),
        (200, 200, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("unit-package-leads", listed("/lead-packages/{unit_package}/leads", "unit_lead", key="customer_id"),
        (F, T, 404, 404, 404, T, 404, T, T, 404, 404, *ANON)),
    row("unit-package-request-read", get("/compensation-requests/{unit_request}"),
        (404, 200, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("unit-package-request-list", listed("/compensation-requests", "unit_request", lambda w: {
        "package_id": w["objects"]["unit_package"]["id"]}),
        (F, T, F, F, F, T, F, T, T, F, F, *ANON)),
    row("batch-read", get("/compensation-batches/{batch}"),
        (200, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404, *ANON)),
    row("batch-list", listed("/compensation-batches", "batch", lambda w: {"package_id": w["objects"]["package"]["id"]}),
        (T, F, F, F, F, T, F, T, T, F, F, *ANON)),

    # ---- imports (an upload: its uploader and admins; a job: its importer, managers above, admins)
    row("upload-preview", get("/imports/uploads/{upload}/preview"),
        (200, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, *ANON)),
    row("import-from-upload", send("POST", "/imports", lambda w, o: {
        "upload_id": w["objects"]["upload"]["id"], "start_row": 2, "mapping": {"name": "A", "phone": "B"},
        "dry_run": True}),
        (200, 404, 404, 404, 404, 404, 404, 404, 202, 404, 404, *ANON)),
    row("import-read", get("/imports/{import_job}"), (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    row("import-events", stream("/imports/{import_job}/events"),
        (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    row("import-result", get("/imports/{import_job}/result.xlsx"),
        (200, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404, *ANON)),
    # the job has ended: who may cancel it learns that (409), nobody else learns anything
    row("import-cancel", send("POST", "/imports/{import_job}/cancel"),
        (409, 404, 404, 404, 404, 409, 404, 404, 409, 404, 404, *ANON)),
    row("import-list", listed("/imports", "import_job"), (T, F, F, F, F, T, F, F, T, F, F, *ANON)),

    # ---- identity (gateway): the directory is open to every signed-in person; user records to
    #      themselves, managers above and admins; only admins write
    row("people-read", get("/people/{owner_user}"), (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, *ANON)),
    row("unit-read", get("/units/{team_a1}"), (200, 200, 404, 404, 404, 200, 404, 404, 200, 200, 404, *ANON)),
    row("user-read", get("/users/{owner_user}"), (200, 404, 404, 404, 404, 200, 404, 404, 200, 200, 404, *ANON)),
    row("user-update", patch_current("/users/{owner_user}", {"full_name": "Ma trận owner"}),
        (403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, *ANON)),
]
assert len({r.name for r in ROWS}) == len(ROWS)
EXPECTED = {(r.name, caller): value for r in ROWS for caller, value in zip(CALLERS, r.expected)}


# ---------------------------------------------------------------------------------------------- the world

async def world_of(client: httpx.AsyncClient, admin: dict) -> World:
    tag = uuid.uuid4().hex[:6]
    root = (await client.get(f"{API}/me", headers=admin)).json()["unit_id"]

    async def unit(name: str, kind: str, parent: str) -> str:
        return await new_unit(client, admin, f"BOLA {name} {tag}", kind, parent)

    branch_a = await unit("Chi nhánh A", "branch", root)
    team_a1, team_a2, branch_b = await asyncio.gather(
        unit("Nhóm A1", "team", branch_a), unit("Nhóm A2", "team", branch_a), unit("Chi nhánh B", "branch", root))
    plan = {"owner": (team_a1, ["sales"]), "same_team": (team_a1, ["sales"]), "deactivated": (team_a1, ["sales"]),
            "other_team": (team_a2, ["sales"]), "other_branch": (branch_b, ["sales"]), "viewer": (branch_b, ["sales"]),
            "manager": (branch_a, ["manager"]), "other_manager": (branch_b, ["manager"]),
            "reviewer": (root, ["reviewer"]), "admin": (root, ["admin"])}
    # a few at a time: each is a password hashed and a login, CPU the gateway spends in its own process
    made = await gather_limited([new_user(client, admin, username=f"bola.{name}.{tag}", full_name=f"Ma trận {name}",
                                          unit_id=unit_id, roles=roles) for name, (unit_id, roles) in plan.items()],
                                limit=3)
    people = dict(zip(plan, made))
    keys = {}
    for name, permissions in (("key", ["customers.read", "customers.write", "calls.write", "identity.read"]),
                              ("bare_key", [])):
        r = await client.post(f"{API}/api-keys", headers=admin, json={"name": f"bola-{name}-{tag}",
                                                                      "permissions": permissions})
        assert r.status_code == 201, r.text
        keys[name] = {"X-API-Key": r.json()["key"]}
    world: World = {
        "units": {"team_a1": team_a1}, "client": client, "tag": tag, "people": people, "pools": {},
        "headers": {**{name: p["headers"] for name, p in people.items()}, **keys, "anonymous": {}},
        "appointment_day": (datetime.now(UTC) + timedelta(days=400 + int(tag, 16) % 300)).replace(
            minute=int(tag, 16) % 60, second=0, microsecond=0),
        "provider": f"Nhà cung cấp BOLA {tag}", "reason": f"bola_{tag}",
    }
    owner, manager, my_admin = people["owner"]["headers"], people["manager"]["headers"], people["admin"]["headers"]
    objects: dict[str, dict] = {"owner_user": {"id": people["owner"]["id"]}, "team_a1": {"id": team_a1},
                                "viewer_user": {"id": people["viewer"]["id"]}}
    world["objects"] = objects

    # the customer, shared with the viewer and (until deactivated) with `deactivated`
    async def known_to_customers():
        try:
            return await make_customer(world)
        except AssertionError:
            return None  # the customers service has not yet learnt of the viewer
    objects["customer"] = await eventually(known_to_customers, timeout=30)
    customer_id = objects["customer"]["id"]

    async def shared_with_deactivated():
        r = await client.post(f"{API}/customers/{customer_id}/viewers", headers=owner,
                              json={"user_id": people["deactivated"]["id"]})
        return r.status_code == 200
    await eventually(shared_with_deactivated, timeout=30)

    world["care_key"] = f"bola-{tag}"

    async def care_ticket():  # the interactions service learns of the customer from events
        r = await client.post(f"{API}/care-tickets", headers={**owner, "Idempotency-Key": world["care_key"]},
                              json=care_body(world))
        assert r.status_code in (201, 404), r.text
        return r.json() if r.status_code == 201 else None
    objects["care"] = await eventually(care_ticket, timeout=30)

    async def mention():  # ... and of the owner's right to read the comment
        r = await client.post(f"{API}/customers/{customer_id}/comments", headers=manager,
                              json={"text": f"Nhờ xem giúp @{people['owner']['username']}"})
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    async def export():
        return await created(await client.post(f"{API}/customers/exports", headers=owner, json={
            "format": "csv", "filter": {"q": objects["customer"]["phone"]}, "columns": ["id", "name", "phone"]}))

    (objects["support"], objects["appointment"], objects["comment"], objects["attachment"], objects["mention"],
     objects["export"]) = await asyncio.gather(
        make_support_ticket(world), make_appointment(world), make_comment(world), make_attachment(world),
        eventually(mention, timeout=30), export())
    async def assigned():  # ... and of the other branch's rep
        try:
            return await make_assigned_care_ticket(world)
        except AssertionError:
            return None
    objects["care_assigned"] = await eventually(assigned, timeout=30)
    gone = await make_comment(world)
    objects["deleted_comment_file"] = await created(await client.post(
        f"{API}/comments/{gone['id']}/attachments", headers=owner, params={"filename": "d.txt"}, content=b"tep\n"))
    r = await client.delete(f"{API}/comments/{gone['id']}", headers=owner)
    assert r.status_code == 204, r.text
    await created(await client.post(f"{API}/comments/{objects['comment']['id']}/attachments", headers=owner,
                                    params={"filename": "k.txt"}, content=b"tep cua binh luan\n"))

    async def notified():
        r = await client.get(f"{API}/notifications", headers=owner, params={"limit": 100})
        return next((n for n in r.json()["items"] if n.get("data", {}).get("comment_id") == objects["mention"]["id"]),
                    None)
    objects["notification"] = await eventually(notified, timeout=30)

    await asyncio.gather(assignments(world, manager), compensation(world, owner, manager, my_admin),
                         imports(world, owner), finished_export(world, owner), deactivate(world, my_admin))
    return world


async def assignments(world: World, manager: dict) -> None:
    """A job of the manager; an offer of one customer to the owner (shared); fresh offers per cell."""
    client = world["client"]
    objects = world["objects"]
    objects["job"] = await created(await client.post(f"{API}/jobs", headers=manager, json={
        "content": f"Gọi khách ma trận {world['tag']}", "type": "call"}))
    pools = {"accept": len(CALLERS), "decline": len(CALLERS), "recall": len(CALLERS), "distribute": len(CALLERS)}
    ids = [c["id"] for c in await gather_limited([new_customer(client, manager, "Khách giao")
                                                    for _ in range(1 + sum(pools.values()))])]

    async def offer(customer_id: str) -> dict | None:
        r = await client.post(f"{API}/assignments", headers=manager, json=assignment_body(world, customer_id))
        if r.status_code == 422:  # the assignment service has not yet learnt of the customer
            return None
        assert r.status_code == 201, r.text
        return r.json()["assignments"][0]

    world["pools"]["distribute"] = [{"id": ids.pop()} for _ in range(pools.pop("distribute"))]
    offers = await gather_limited([eventually(lambda c=c: offer(c), timeout=30) for c in ids])
    objects["assignment"] = offers.pop()
    for name, n in pools.items():
        world["pools"][name] = [offers.pop() for _ in range(n)]


async def compensation(world: World, owner: dict, manager: dict, admin: dict) -> None:
    """A package of the owner's leads bought by the manager under a reason of this module's own (no
    auto-decision rule of another test applies to it); a submitted batch; drafts per cell."""
    client, objects = world["client"], world["objects"]
    r = await client.put(f"{API}/compensation-reasons/{world['reason']}", headers=admin, json={
        "name_vi": f"Lý do ma trận {world['tag']}", "name_en": f"BOLA reason {world['tag']}", "counts_calls": False,
        "active": True})
    assert r.status_code in (200, 201), r.text
    objects["package"] = await make_package(world)
    package_id = objects["package"]["id"]
    decided, drafts, spare = len(CALLERS), 1 + 2 * len(CALLERS), len(CALLERS)
    leads = await gather_limited([new_customer(client, owner, "Khách gói") for _ in range(decided + drafts + spare)])
    lead_ids = [c["id"] for c in leads]

    async def all_added():
        r = await client.post(f"{API}/lead-packages/{package_id}/leads", headers=manager, json={
            "customer_ids": lead_ids, "delivered_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()})
        assert r.status_code == 200, r.text
        return r.json()["added"] + r.json()["already"] == len(lead_ids)
    await eventually(all_added, timeout=30)

    async def draft(customer_id: str) -> dict:
        return await created(await client.post(f"{API}/compensation-requests", headers=owner, json={
            "customer_id": customer_id, "package_id": package_id, "reason_code": world["reason"],
            "reason_text": "Số không liên lạc được"}))

    world["pools"]["request_create"] = [{"id": c} for c in lead_ids[decided + drafts:]]
    to_decide = await gather_limited([draft(c) for c in lead_ids[:decided]])
    preview = await client.post(f"{API}/lead-packages/{package_id}/review-submission", headers=owner)
    assert preview.status_code == 200 and preview.json()["count"] == decided, preview.text
    objects["batch"] = await created(await client.post(f"{API}/compensation-batches", headers=owner, json={
        "package_id": package_id, "confirmation_token": preview.json()["confirmation_token"]}))
    world["pools"]["request_decision"] = to_decide
    rest = await gather_limited([draft(c) for c in lead_ids[decided:decided + drafts]])
    objects["request"] = rest.pop()
    world["pools"]["request_update"] = rest[:len(CALLERS)]
    world["pools"]["request_withdraw"] = rest[len(CALLERS):]

    teammate = world["people"]["same_team"]["headers"]
    objects["unit_package"] = await created(await client.post(f"{API}/lead-packages", headers=manager, json={
        **{k: v for k, v in package_body(world).items() if k != "owner_id"}, "owner_unit_id": world["units"]["team_a1"]}))
    lead = objects["unit_lead"] = await new_customer(client, teammate, "Khách gói nhóm")

    async def unit_request():
        r = await client.post(f"{API}/lead-packages/{objects['unit_package']['id']}/leads", headers=manager, json={
            "customer_ids": [lead["id"]], "delivered_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()})
        assert r.status_code == 200, r.text
        if r.json()["unknown"]:
            return None
        return await created(await client.post(f"{API}/compensation-requests", headers=teammate, json={
            "customer_id": lead["id"], "package_id": objects["unit_package"]["id"], "reason_code": world["reason"],
            "reason_text": "Trùng khách"}))
    objects["unit_request"] = await eventually(unit_request, timeout=30)


async def imports(world: World, owner: dict) -> None:
    """An upload of the owner and a dry run of it, ended."""
    client, objects = world["client"], world["objects"]
    content = f"Tên,Số điện thoại\nKhách nhập {world['tag']},{random_mobile()}\n".encode()
    objects["upload"] = await created(await client.post(f"{API}/imports/uploads", headers=owner,
                                                        files={"file": ("bola.csv", content)}))
    job = await created(await client.post(f"{API}/imports", headers=owner, json={
        "upload_id": objects["upload"]["id"], "start_row": 2, "mapping": {"name": "A", "phone": "B"},
        "dry_run": True}))

    async def ended():
        r = await client.get(f"{API}/imports/{job['id']}", headers=owner)
        return r.json() if r.json()["status"] in ("completed", "failed", "cancelled") else None
    objects["import_job"] = await eventually(ended, timeout=60)


async def finished_export(world: World, owner: dict) -> None:
    async def done():
        r = await world["client"].get(f"{API}/customers/exports/{world['objects']['export']['id']}", headers=owner)
        return r.json()["status"] == "done"
    await eventually(done, timeout=60)


async def deactivate(world: World, admin: dict) -> None:
    """`deactivated` had the customer shared with them; after the deactivation their token is refused."""
    client, user = world["client"], world["people"]["deactivated"]
    current = await client.get(f"{API}/users/{user['id']}", headers=admin)
    r = await client.patch(f"{API}/users/{user['id']}", headers={**admin, "If-Match": current.headers["etag"]},
                           json={"active": False})
    assert r.status_code == 200, r.text

    async def refused():
        probes = [client.get(f"{API}/me", headers=user["headers"]),
                  client.get(f"{API}/customers", headers=user["headers"]),
                  client.get(f"{API}/notifications", headers=user["headers"])]
        return all(r.status_code == 401 for r in await asyncio.gather(*probes))
    await eventually(refused, timeout=30)


async def gather_limited(coroutines: list[Awaitable], limit: int = CONCURRENCY) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(c):
        async with gate:
            return await c
    return list(await asyncio.gather(*(one(c) for c in coroutines)))


# ---------------------------------------------------------------------------------------------- running it

def state(r: httpx.Response) -> Any:
    if r.status_code != 200:
        return r.status_code
    body = r.json()
    return {k: body.get(k) for k in ("version", "status", "deleted_at", "viewer_ids", "name", "reason_text")}


async def run_cell(world: World, r: Row, caller: str) -> Outcome:
    try:
        return await asyncio.wait_for(observe(world, r, caller), CELL_TIMEOUT)
    except Exception as e:  # the cell fails with it, not the whole matrix
        return f"{type(e).__name__}: {e}"


async def observe(world: World, r: Row, caller: str) -> Outcome:
    client, admin = world["client"], world["people"]["admin"]["headers"]
    obj = await r.fresh(world) if r.fresh else None
    before = None
    if r.check:
        before = state(await client.get(path(r.check, world, obj), headers=admin))
    answer = await r.do(world, caller, obj)
    if r.check and isinstance(answer, int) and answer >= 400:
        after = state(await client.get(path(r.check, world, obj), headers=admin))
        if after != before:
            return f"{answer} but changed: {before} -> {after}"
    return answer


class Results:
    """The cells' answers, computed a batch of rows at a time when a test first asks for one of them:
    run alone the module computes the matrix in a few concurrent batches; split over pytest-xdist
    workers each computes about the rows of its own tests (rows stay together in its chunks)."""

    BATCH = 16  # rows, 208 cells

    def __init__(self, world: World) -> None:
        self.world = world
        self.answers: dict[tuple[str, str], Outcome] = {}

    async def of(self, endpoint: str, caller: str) -> Outcome:
        if (endpoint, caller) not in self.answers:
            first = next(i for i, r in enumerate(ROWS) if r.name == endpoint)
            batch = [r for r in ROWS[first:] if (r.name, CALLERS[0]) not in self.answers][:self.BATCH]
            cells = [(r, c) for r in batch for c in CALLERS]
            answers = await gather_limited([run_cell(self.world, r, c) for r, c in cells])
            self.answers.update({(r.name, c): answer for (r, c), answer in zip(cells, answers)})
        return self.answers[(endpoint, caller)]


SETUP_FAILED: list[BaseException] = []


@pytest.fixture(scope="module")
async def results(client, admin) -> Results:
    if SETUP_FAILED:  # pytest sets a failed module fixture up again for each of the 1,404 tests
        raise SETUP_FAILED[0]
    try:
        return Results(await asyncio.wait_for(world_of(client, admin), WORLD_TIMEOUT))
    except Exception as e:
        SETUP_FAILED.append(e)
        raise


@pytest.mark.parametrize(("endpoint", "caller"), list(EXPECTED), ids=[f"{e}-{c}" for e, c in EXPECTED])
async def test_bola(results, endpoint, caller):
    answer = await results.of(endpoint, caller)
    assert answer == EXPECTED[(endpoint, caller)], (
        f"{endpoint} by {caller}: expected {EXPECTED[(endpoint, caller)]!r}, got {answer!r}")
