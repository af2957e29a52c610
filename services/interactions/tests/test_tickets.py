"""Care and support tickets against real PostgreSQL: transitions, visibility through the customer,
scopes (incl. today in Vietnam), If-Match, events in the outbox and the timeline entries."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from interactions_support import code_of, customer_of, outbox, principal, user_in_directory

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, VersionConflict

from crm_interactions.domain.tickets import local_day
from crm_interactions.handlers import care_tickets as care
from crm_interactions.handlers import erasure
from crm_interactions.handlers import support_tickets as support
from crm_interactions.handlers.timeline import read_timeline
from crm_interactions.storage import LocalStorage
from crm_interactions.store import access as access_store

TEAM, OTHER = "/root/branch/team/", "/root/other/"


async def new_care(pool, who: Principal, customer_id: uuid.UUID, **kwargs):
    return await care.create(pool, principal=who, customer_id=customer_id, method=kwargs.pop("method", "call"),
                             planned_at=kwargs.pop("planned_at", datetime.now(UTC)), **kwargs)


async def test_care_ticket_planned_to_done_writes_a_care_entry_and_events(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    ticket = await new_care(pool, rep, customer_id, note="Gọi lại báo giá")
    assert ticket["status"] == "planned" and ticket["assignee_id"] == rep.user_id and ticket["version"] == 1
    done = await care.complete(pool, principal=rep, ticket_id=ticket["id"], result="Khách đồng ý gặp")
    assert done["status"] == "done" and done["result"] == "Khách đồng ý gặp" and done["version"] == 2
    entries, _ = await read_timeline(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None, types=["care"])
    assert [(e["note"], e["data"]["care_ticket_id"]) for e in entries] == [("Khách đồng ý gặp", str(ticket["id"]))]
    assert [e["type"] for e in await outbox(pool, "interaction.recorded")] == ["care"]
    assert (await outbox(pool, "care_ticket.created"))[0] == {
        **(await outbox(pool, "care_ticket.created"))[0], "id": str(ticket["id"]), "customer_id": str(customer_id),
        "status": "planned"}
    completed = await outbox(pool, "care_ticket.completed")
    assert completed[0]["status"] == "done" and completed[0]["customer_id"] == str(customer_id)

    for action in (care.complete(pool, principal=rep, ticket_id=ticket["id"], result="x"),
                   care.cancel(pool, principal=rep, ticket_id=ticket["id"])):
        with pytest.raises(Conflict) as caught:
            await action
        assert (caught.value.code, caught.value.details["from"]) == ("invalid_transition", "done")


async def test_care_ticket_cancel_then_no_completion_and_delete(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    ticket = await new_care(pool, rep, customer_id)
    cancelled = await care.cancel(pool, principal=rep, ticket_id=ticket["id"], reason="Khách bận")
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "Khách bận"
    assert await code_of(care.complete(pool, principal=rep, ticket_id=ticket["id"], result="x")) == (409, "invalid_transition")
    assert await code_of(care.update(pool, principal=rep, ticket_id=ticket["id"], expected_version=None,
                                     changes={"note": "x"})) == (409, "ticket_closed")
    await care.delete(pool, principal=rep, ticket_id=ticket["id"])
    assert await code_of(care.get(pool, principal=rep, ticket_id=ticket["id"])) == (404, "not_found")
    assert [e["id"] for e in await outbox(pool, "care_ticket.deleted")] == [str(ticket["id"])]
    rows, _ = await care.list_tickets(pool, principal=rep)
    assert rows == []


async def test_support_ticket_transitions(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    ticket = await support.create(pool, principal=rep, customer_id=customer_id, title="Lỗi đăng nhập",
                                  channel="Hotline", content="Khách không đăng nhập được")
    assert ticket["status"] == "pending"
    assert await code_of(support.change_status(pool, principal=rep, ticket_id=ticket["id"], status="done")) == (
        409, "invalid_transition")
    await support.change_status(pool, principal=rep, ticket_id=ticket["id"], status="processing", note="Đang xử lý")
    done = await support.change_status(pool, principal=rep, ticket_id=ticket["id"], status="done", note="Đã xong")
    assert done["status"] == "done" and done["version"] == 3
    with pytest.raises(Conflict) as caught:
        await support.change_status(pool, principal=rep, ticket_id=ticket["id"], status="processing")
    assert caught.value.code == "invalid_transition" and caught.value.details == {"from": "done", "to": "processing"}
    changes = await outbox(pool, "support_ticket.status_changed")
    assert [(c["from"], c["to"], c["status"]) for c in changes] == [("pending", "processing", "processing"),
                                                                     ("processing", "done", "done")]
    assert all(c["id"] == str(ticket["id"]) and c["customer_id"] == str(customer_id) for c in changes)
    entries, _ = await read_timeline(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None,
                                     types=["support"])
    assert [(e["note"], e["data"]["to"]) for e in entries] == [("Đã xong", "done"), ("Đang xử lý", "processing")]

    other = await support.create(pool, principal=rep, customer_id=customer_id, title="Khác")
    assert (await support.change_status(pool, principal=rep, ticket_id=other["id"], status="cancelled"))["status"] == "cancelled"
    assert await code_of(support.change_status(pool, principal=rep, ticket_id=other["id"], status="pending")) == (
        409, "invalid_transition")


async def test_visibility_follows_the_customer_and_editing_is_narrower(pool):
    owner = principal(TEAM)
    viewer = principal(TEAM)
    customer_id = await customer_of(pool, owner, viewers=(viewer.user_id,))
    ticket = await new_care(pool, owner, customer_id)
    support_ticket = await support.create(pool, principal=owner, customer_id=customer_id, title="Hỏi giá")
    manager, admin = principal("/root/branch/", "manager"), principal("/elsewhere/", "admin")
    colleague, far_manager = principal(TEAM), principal(OTHER, "manager")

    for who in (owner, viewer, manager, admin):
        assert (await care.get(pool, principal=who, ticket_id=ticket["id"]))["id"] == ticket["id"]
        assert (await support.get(pool, principal=who, ticket_id=support_ticket["id"]))["id"] == support_ticket["id"]
    for who in (colleague, far_manager):
        assert await code_of(care.get(pool, principal=who, ticket_id=ticket["id"])) == (404, "not_found")
        assert await code_of(support.get(pool, principal=who, ticket_id=support_ticket["id"])) == (404, "not_found")
        assert await code_of(care.complete(pool, principal=who, ticket_id=ticket["id"], result="x")) == (404, "not_found")
        assert await code_of(new_care(pool, who, customer_id)) == (404, "not_found")
        assert (await care.list_tickets(pool, principal=who))[0] == []
    # a viewer sees but may not edit; the owner's manager and an admin may
    assert await code_of(care.complete(pool, principal=viewer, ticket_id=ticket["id"], result="x")) == (403, "not_editable")
    assert await code_of(support.change_status(pool, principal=viewer, ticket_id=support_ticket["id"],
                                               status="processing")) == (403, "not_editable")
    assert (await care.update(pool, principal=manager, ticket_id=ticket["id"], expected_version=1,
                              changes={"note": "Quản lý ghi chú"}))["note"] == "Quản lý ghi chú"
    assert (await support.change_status(pool, principal=admin, ticket_id=support_ticket["id"],
                                        status="processing"))["status"] == "processing"
    # a deleted customer takes its tickets with it
    async with pool.acquire() as conn:
        await access_store.mark_deleted(conn, ids=[customer_id], versions=[2])
    assert await code_of(care.get(pool, principal=owner, ticket_id=ticket["id"])) == (404, "not_found")


async def test_the_assignee_may_edit_and_must_be_a_directory_user(pool):
    owner = principal(TEAM)
    customer_id = await customer_of(pool, owner)
    assert await code_of(new_care(pool, owner, customer_id, assignee_id=uuid.uuid4())) == (422, "validation_error")
    gone = await user_in_directory(pool, TEAM, active=False)
    assert await code_of(new_care(pool, owner, customer_id, assignee_id=gone)) == (422, "validation_error")
    assignee_id = await user_in_directory(pool, OTHER)
    ticket = await new_care(pool, owner, customer_id, assignee_id=assignee_id)
    support_ticket = await support.create(pool, principal=owner, customer_id=customer_id, title="Hỏi giá",
                                          assignee_id=assignee_id)
    assert ticket["assignee_id"] == assignee_id
    # the assignee does not see the customer, yet sees, lists and works the tickets given to them
    assignee = principal(OTHER, user_id=assignee_id)
    assert await code_of(new_care(pool, assignee, customer_id)) == (404, "not_found")
    assert [t["id"] for t in (await care.list_tickets(pool, principal=assignee, scope="mine"))[0]] == [ticket["id"]]
    assert [t["id"] for t in (await support.list_tickets(pool, principal=assignee))[0]] == [support_ticket["id"]]
    assert (await care.complete(pool, principal=assignee, ticket_id=ticket["id"], result="OK"))["status"] == "done"
    assert (await support.change_status(pool, principal=assignee, ticket_id=support_ticket["id"],
                                        status="processing"))["status"] == "processing"
    # once reassigned to someone else, the former assignee gets 404 again
    await support.update(pool, principal=owner, ticket_id=support_ticket["id"], expected_version=None,
                         changes={"assignee_id": owner.user_id})
    assert await code_of(support.get(pool, principal=assignee, ticket_id=support_ticket["id"])) == (404, "not_found")


async def test_an_assignee_works_the_ticket_but_does_not_hand_it_on_or_delete_it(pool):
    """Issue 8: an assignee who cannot see the customer reassigned the ticket to anyone, and the
    next assignee deleted it. Reassigning and deleting stay with who may edit the customer (C-9)."""
    owner = principal(TEAM)
    customer_id = await customer_of(pool, owner)
    assignee_id, stranger_id = await user_in_directory(pool, OTHER), await user_in_directory(pool, OTHER)
    assignee = principal(OTHER, user_id=assignee_id)
    care_ticket = await new_care(pool, owner, customer_id, assignee_id=assignee_id)
    support_ticket = await support.create(pool, principal=owner, customer_id=customer_id, title="Hỏi giá",
                                          assignee_id=assignee_id)
    unit = uuid.uuid4()
    for attempt in (care.update(pool, principal=assignee, ticket_id=care_ticket["id"], expected_version=None,
                                changes={"assignee_id": stranger_id}),
                    support.update(pool, principal=assignee, ticket_id=support_ticket["id"], expected_version=None,
                                   changes={"assignee_id": stranger_id}),
                    support.update(pool, principal=assignee, ticket_id=support_ticket["id"], expected_version=None,
                                   changes={"handling_unit_id": unit}),
                    care.delete(pool, principal=assignee, ticket_id=care_ticket["id"]),
                    support.delete(pool, principal=assignee, ticket_id=support_ticket["id"])):
        assert await code_of(attempt) == (403, "ticket_not_manageable")
    # the assignee works it: notes, schedule, the same assignee sent back, status, result
    moved = datetime.now(UTC) + timedelta(days=1)
    assert (await care.update(pool, principal=assignee, ticket_id=care_ticket["id"], expected_version=None,
                              changes={"note": "Gọi lại sau", "planned_at": moved,
                                       "assignee_id": assignee_id}))["note"] == "Gọi lại sau"
    assert (await support.update(pool, principal=assignee, ticket_id=support_ticket["id"], expected_version=None,
                                 changes={"handling_process": "Đã gọi khách"}))["handling_process"] == "Đã gọi khách"
    assert (await support.change_status(pool, principal=assignee, ticket_id=support_ticket["id"],
                                        status="processing"))["status"] == "processing"
    assert (await care.complete(pool, principal=assignee, ticket_id=care_ticket["id"], result="OK"))["status"] == "done"
    # who may edit the customer hands it on and deletes it
    manager = principal("/root/branch/", "manager")
    assert (await support.update(pool, principal=manager, ticket_id=support_ticket["id"], expected_version=None,
                                 changes={"assignee_id": stranger_id}))["assignee_id"] == stranger_id
    await support.delete(pool, principal=owner, ticket_id=support_ticket["id"])
    assert await code_of(support.get(pool, principal=owner, ticket_id=support_ticket["id"])) == (404, "not_found")


async def test_if_match_version_conflict(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    ticket = await support.create(pool, principal=rep, customer_id=customer_id, title="Đổi địa chỉ")
    updated = await support.update(pool, principal=rep, ticket_id=ticket["id"], expected_version=1,
                                   changes={"response_to_customer": "Đã cập nhật", "title": "Đổi địa chỉ giao hàng"})
    assert updated["version"] == 2 and updated["title"] == "Đổi địa chỉ giao hàng"
    with pytest.raises(VersionConflict) as caught:
        await support.update(pool, principal=rep, ticket_id=ticket["id"], expected_version=1, changes={"content": "x"})
    assert (caught.value.code, caught.value.details) == ("version_conflict", {"current_version": 2})
    assert await code_of(support.update(pool, principal=rep, ticket_id=ticket["id"], expected_version=2,
                                        changes={"title": None})) == (422, "validation_error")
    assert [e["changed"] for e in await outbox(pool, "support_ticket.updated")] == [["title", "response_to_customer"]]  # in field order
    care_ticket = await new_care(pool, rep, customer_id)
    assert await code_of(care.cancel(pool, principal=rep, ticket_id=care_ticket["id"], expected_version=7)) == (
        412, "version_conflict")


async def test_scopes_today_search_and_pages(pool):
    manager = principal("/root/branch/", "manager")
    rep_id = await user_in_directory(pool, TEAM)
    rep = principal(TEAM, user_id=rep_id)
    customer_id = await customer_of(pool, rep)
    now = datetime.now(UTC)
    start, end = local_day(now)
    today = await new_care(pool, rep, customer_id, planned_at=start + timedelta(hours=9), note="Gọi điện chúc mừng")
    yesterday = await new_care(pool, rep, customer_id, planned_at=start - timedelta(minutes=1), note="Đã hẹn")
    tomorrow = await new_care(pool, manager, customer_id, planned_at=end, note="Gặp mặt",
                              method="meeting")  # assigned to the manager
    # naive times are Vietnamese local time
    local = await new_care(pool, rep, customer_id, planned_at=start.replace(tzinfo=None) + timedelta(hours=23))

    async def ids(who=rep, **filters):
        rows, _ = await care.list_tickets(pool, principal=who, now=now, **filters)
        return [r["id"] for r in rows]

    assert await ids(scope="today") == [local["id"], today["id"]]
    assert await ids(scope="mine") == [local["id"], today["id"], yesterday["id"]]
    assert await ids(manager, scope="mine") == [tomorrow["id"]]
    assert await ids(manager, scope="my_unit") == [local["id"], today["id"], yesterday["id"]]
    assert await ids(scope="all") == [tomorrow["id"], local["id"], today["id"], yesterday["id"]]
    assert await ids(q="GOI DIEN") == [today["id"]]
    assert await ids(q="đã hẹn") == [yesterday["id"]]
    await care.complete(pool, principal=rep, ticket_id=yesterday["id"], result="Khách mua hàng")
    assert await ids(status="done") == [yesterday["id"]]
    assert await ids(q="mua hang") == [yesterday["id"]]
    assert await ids(customer_id=uuid.uuid4()) == []

    first, cursor = await care.list_tickets(pool, principal=rep, limit=3)
    rest, end_cursor = await care.list_tickets(pool, principal=rep, limit=3, cursor=cursor)
    assert [r["id"] for r in first + rest] == await ids() and end_cursor is None

    other_rep = principal(TEAM)
    other_customer = await customer_of(pool, other_rep)
    mine = await support.create(pool, principal=rep, customer_id=customer_id, title="Bảo hành máy lọc nước")
    theirs = await support.create(pool, principal=other_rep, customer_id=other_customer, title="Đổi trả")

    async def support_ids(who, **filters):
        return [r["id"] for r in (await support.list_tickets(pool, principal=who, **filters))[0]]

    assert await support_ids(rep, scope="mine") == [mine["id"]]
    assert await support_ids(manager) == [theirs["id"], mine["id"]]
    assert await support_ids(manager, scope="my_unit") == [mine["id"]]  # the other rep is not in the directory
    assert await support_ids(manager, q="may loc") == [mine["id"]]
    assert await support_ids(manager, status="pending", customer_id=other_customer) == [theirs["id"]]


async def test_a_purge_erases_the_personal_data_of_the_customers_tickets(pool, tmp_path):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    await new_care(pool, rep, customer_id, note="Gọi chị Lan 0912 345 678")
    await support.create(pool, principal=rep, customer_id=customer_id, title="Đổi địa chỉ", content="12 Lê Lợi",
                         contact_name="Chị Lan", contact_details="0912 345 678")
    async with pool.acquire() as conn:
        await erasure.purge(conn, ids=[customer_id], files=LocalStorage(tmp_path))
    care_row = await pool.fetchrow("SELECT note, search_text FROM care_tickets WHERE customer_id = $1", customer_id)
    support_row = await pool.fetchrow("SELECT title, content, contact_name, contact_details, search_text"
                                      " FROM support_tickets WHERE customer_id = $1", customer_id)
    assert care_row["note"] is None and care_row["search_text"] == ""
    assert dict(support_row) == {"title": "", "content": None, "contact_name": None, "contact_details": None,
                                 "search_text": ""}
