"""The full record against real PostgreSQL: create, read, update with versions, status with
note, ownership rules and the events each write publishes."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, Invalid, NotFound, VersionConflict
from crmkit.unit_of_work import bind_actor

from crm_customers.handlers.customers import (
    change_status,
    change_viewers,
    create_customer,
    get_customer,
    update_customer,
)

TEAM = "/root/branch/team/"


def person(path: str = TEAM, *roles: str, unit_id: uuid.UUID | None = None) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=unit_id or uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


async def in_directory(pool, who: Principal, *, active: bool = True) -> None:
    await pool.execute(
        "INSERT INTO directory_users (id, username, unit_id, unit_path, roles, active, changed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        who.user_id, f"u{who.user_id.hex[:6]}", who.unit_id, who.unit_path, list(who.roles), active, datetime.now(UTC))


async def events_of(pool, type_: str) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)
    return [r["payload"] for r in rows]


def field_errors(error: Invalid) -> dict[str, str]:
    return {e.field: e.code for e in error.errors}


FULL = {
    "name": "Công ty TNHH Bình An", "phone": "0168 912 3456", "email": "Lien.He@Example.VN",
    "birthday": "15/08/1990", "province": "Sài Gòn", "gender": "Nữ", "address": " 12 Lê Lợi,  Quận 1 ",
    "source": "Hội chợ", "customer_type": "Doanh nghiệp", "company_name": "Bình An", "tax_code": "0100109106-001",
    "position": "Giám đốc", "note": "Gọi buổi sáng", "party_type": "Tổ chức", "organization_size": 120,
    "founding_date": "2010-05-01", "industry": "Bán lẻ", "description": "Chuỗi cửa hàng", "contact_person": "Chị Lan",
    "lifecycle": "customer", "status": "potential", "labels": ["hot", "premium", "hot"],
}


async def test_full_record_is_normalised_stored_and_published(pool):
    me = person()
    customer = await create_customer(pool, principal=me, **FULL)
    assert customer["phone"] == "+84389123456" and customer["email"] == "Lien.He@example.vn"
    assert customer["birthday"] == date(1990, 8, 15) and customer["founding_date"] == date(2010, 5, 1)
    assert customer["province"] == {"code": 79, "name": "Thành phố Hồ Chí Minh"}
    assert (customer["gender"], customer["party_type"], customer["organization_size"]) == ("female", "organization", "50-199")
    assert customer["address"] == "12 Lê Lợi, Quận 1" and customer["tax_code"] == "0100109106-001"
    assert customer["labels"] == ["hot", "premium"] and customer["status"] == "potential"
    assert customer["owner_id"] == me.user_id and customer["version"] == 1
    assert await get_customer(pool, principal=me, customer_id=customer["id"]) == customer
    [event] = await events_of(pool, "customer.created")
    assert event["data"]["province"] == {"code": 79, "name": "Thành phố Hồ Chí Minh"}
    assert event["data"]["labels"] == ["hot", "premium"] and event["data"]["status"] == "potential"


async def test_a_new_customer_gets_the_first_status_of_the_pipeline(pool):
    customer = await create_customer(pool, principal=person(), name="An", phone="0912345001")
    assert customer["status"] == "new" and customer["labels"] == [] and customer["attributes"] == {}


async def test_every_problem_of_a_creation_is_reported_at_once(pool):
    with pytest.raises(Invalid) as seen:
        await create_customer(pool, principal=person(), name="", phone="12", email="not-mail", birthday="31/02/1990",
                              province="Atlantis", tax_code="0100109107", status="unknown", labels=["hot", "nope"],
                              groups=[uuid.uuid4()], attributes={"nope": 1}, referred_by=uuid.uuid4())
    assert field_errors(seen.value) == {
        "name": "required", "phone": "invalid_phone", "email": "invalid_email", "birthday": "invalid_date",
        "province": "invalid_province", "tax_code": "tax_code_checksum", "status": "unknown_status",
        "labels.1": "unknown_label", "groups.0": "unknown_group", "attributes.nope": "unknown_attribute",
        "referred_by": "unknown_customer",
    }
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_attribute_values_follow_their_definitions(pool):
    await pool.execute("INSERT INTO customer_attributes (id, key, name, type, required) VALUES ($1, 'income', 'Thu nhập', 'number', true)",
                       uuid.uuid4())
    with pytest.raises(Invalid) as seen:
        await create_customer(pool, principal=person(), name="An", phone="0912345002")
    assert field_errors(seen.value) == {"attributes.income": "required"}
    customer = await create_customer(pool, principal=person(), name="An", phone="0912345002", attributes={"income": "25000000"})
    assert customer["attributes"] == {"income": 25000000}


async def test_managers_leave_customers_unassigned_in_their_unit_or_give_them_to_a_user_in_reach(pool):
    manager = person("/root/branch/", "manager")
    unassigned = await create_customer(pool, principal=manager, name="A", phone="0912345003")
    assert unassigned["owner_id"] is None and unassigned["owner_unit_path"] == "/root/branch/"
    assert await get_customer(pool, principal=manager, customer_id=unassigned["id"])
    rep = person(TEAM, unit_id=uuid.uuid4())
    await in_directory(pool, rep)
    given = await create_customer(pool, principal=manager, name="B", phone="0912345004", owner_id=rep.user_id)
    assert (given["owner_id"], given["owner_unit_id"], given["owner_unit_path"]) == (rep.user_id, rep.unit_id, TEAM)
    outsider, gone = person("/root/other/"), person(TEAM)
    await in_directory(pool, outsider)
    await in_directory(pool, gone, active=False)
    for owner_id in (outsider.user_id, gone.user_id, uuid.uuid4()):
        with pytest.raises(Invalid) as seen:
            await create_customer(pool, principal=manager, name="C", phone="0912345005", owner_id=owner_id)
        assert field_errors(seen.value) == {"owner_id": "owner_not_in_reach"}


async def test_a_rep_owns_what_they_create_and_cannot_give_it_away(pool):
    me, colleague = person(), person()
    await in_directory(pool, colleague)
    with pytest.raises(Invalid) as seen:
        await create_customer(pool, principal=me, name="A", phone="0912345006", owner_id=colleague.user_id)
    assert field_errors(seen.value) == {"owner_id": "owner_not_in_reach"}
    mine = await create_customer(pool, principal=me, name="A", phone="0912345006", owner_id=me.user_id)
    assert mine["owner_id"] == me.user_id


async def test_update_checks_the_version_bumps_it_and_publishes_the_changed_fields(pool):
    me = person()
    customer = await create_customer(pool, principal=me, name="An", phone="0912345007")
    updated = await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=1,
                                    changes={"email": "an@example.vn", "province": "Hà Giang", "name": "An",
                                             "labels": ["cold"]})
    assert updated["version"] == 2 and updated["province"] == {"code": 8, "name": "Tuyên Quang"}
    [event] = await events_of(pool, "customer.updated")
    assert event["data"]["changed"] == ["email", "province", "labels"] and event["data"]["version"] == 2
    with pytest.raises(VersionConflict) as stale:
        await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=1, changes={"note": "x"})
    assert stale.value.code == "version_conflict"
    same = await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=2,
                                 changes={"email": "an@example.vn"})
    assert same["version"] == 2 and len(await events_of(pool, "customer.updated")) == 1
    cleared = await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=2,
                                    changes={"email": None})
    assert cleared["email"] is None and cleared["version"] == 3


async def test_update_refuses_invalid_values_all_at_once(pool):
    me = person()
    customer = await create_customer(pool, principal=me, name="An", phone="0912345008")
    with pytest.raises(Invalid) as seen:
        await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=1,
                              changes={"name": None, "status": None, "gender": "x", "referred_by": customer["id"]})
    assert field_errors(seen.value) == {"name": "required", "status": "required", "gender": "invalid_choice",
                                        "referred_by": "referral_cycle"}


async def test_update_to_a_phone_that_exists_is_409(pool):
    me = person()
    first = await create_customer(pool, principal=me, name="A", phone="0912345009")
    second = await create_customer(pool, principal=me, name="B", phone="0912345010")
    with pytest.raises(Conflict) as seen:
        await update_customer(pool, principal=me, customer_id=second["id"], expected_version=1, changes={"phone": "0912 345 009"})
    assert seen.value.code == "phone_exists" and seen.value.details == {"existing_id": str(first["id"])}


async def test_who_may_edit_viewers_and_colleagues_may_not(pool):
    owner, viewer, colleague = person(), person(), person()
    customer = await create_customer(pool, principal=owner, name="An", phone="0912345011")
    await pool.execute("UPDATE customers SET viewer_ids = $2 WHERE id = $1", customer["id"], [viewer.user_id])
    assert await get_customer(pool, principal=viewer, customer_id=customer["id"])
    with pytest.raises(Forbidden) as forbidden:
        await update_customer(pool, principal=viewer, customer_id=customer["id"], expected_version=1, changes={"note": "x"})
    assert forbidden.value.code == "not_editable"
    with pytest.raises(NotFound):
        await update_customer(pool, principal=colleague, customer_id=customer["id"], expected_version=1, changes={"note": "x"})
    manager = person("/root/branch/", "manager")
    assert (await update_customer(pool, principal=manager, customer_id=customer["id"], expected_version=1,
                                  changes={"note": "Quản lý ghi chú"}))["version"] == 2


async def test_manager_moves_a_customer_to_another_owner(pool):
    owner, manager, other = person(), person("/root/", "manager"), person("/root/other/")
    await in_directory(pool, other)
    customer = await create_customer(pool, principal=owner, name="An", phone="0912345012")
    moved = await update_customer(pool, principal=manager, customer_id=customer["id"], expected_version=1,
                                  changes={"owner_id": other.user_id})
    assert (moved["owner_id"], moved["owner_unit_path"]) == (other.user_id, "/root/other/")
    [event] = await events_of(pool, "customer.updated")
    assert event["data"]["changed"] == ["owner_id", "owner_unit_id", "owner_unit_path"]
    with pytest.raises(NotFound):  # the former owner no longer sees it
        await get_customer(pool, principal=owner, customer_id=customer["id"])


async def test_status_with_note_is_one_version_and_one_event(pool):
    me = person()
    bind_actor(me.user_id)  # the caller, as crmkit.auth.current_principal binds it for a request
    customer = await create_customer(pool, principal=me, name="An", phone="0912345013")
    changed = await change_status(pool, principal=me, customer_id=customer["id"], status="contacted",
                                  note="  Đã gọi, hẹn tuần sau ")
    assert changed["status"] == "contacted" and changed["version"] == 2
    [event] = await events_of(pool, "customer.status_changed")
    assert event["subject"] == str(customer["id"]) and event["actor"] == str(me.user_id)
    assert {k: event["data"][k] for k in ("from", "to", "note", "version")} == {
        "from": "new", "to": "contacted", "note": "Đã gọi, hẹn tuần sau", "version": 2}
    with pytest.raises(Invalid) as seen:
        await change_status(pool, principal=me, customer_id=customer["id"], status="gone", note="x" * 5001)
    assert field_errors(seen.value) == {"status": "unknown_status", "note": "too_long"}
    with pytest.raises(VersionConflict):
        await change_status(pool, principal=me, customer_id=customer["id"], status="refused", expected_version=1)


async def test_status_change_in_a_patch_also_publishes_status_changed(pool):
    me = person()
    customer = await create_customer(pool, principal=me, name="An", phone="0912345014")
    await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=None,
                          changes={"status": "refused"})
    [event] = await events_of(pool, "customer.status_changed")
    assert (event["data"]["from"], event["data"]["to"], event["data"]["note"]) == ("new", "refused", None)


async def test_viewers_are_added_by_who_may_edit_and_read_only(pool):
    owner, colleague = person(), person()
    customer = await create_customer(pool, principal=owner, name="An", phone="0912345015")
    with pytest.raises(Invalid) as unknown:
        await change_viewers(pool, principal=owner, customer_id=customer["id"], user_id=colleague.user_id, add=True)
    assert field_errors(unknown.value) == {"user_id": "unknown_user"}
    await in_directory(pool, colleague)
    shared = await change_viewers(pool, principal=owner, customer_id=customer["id"], user_id=colleague.user_id, add=True)
    assert shared["viewer_ids"] == [colleague.user_id] and shared["version"] == 2
    assert (await events_of(pool, "customer.updated"))[-1]["data"]["changed"] == ["viewer_ids"]
    assert await get_customer(pool, principal=colleague, customer_id=customer["id"])
    with pytest.raises(Forbidden) as forbidden:
        await change_viewers(pool, principal=colleague, customer_id=customer["id"], user_id=colleague.user_id, add=False)
    assert forbidden.value.code == "not_editable"
    unshared = await change_viewers(pool, principal=owner, customer_id=customer["id"], user_id=colleague.user_id, add=False)
    assert unshared["viewer_ids"] == []
