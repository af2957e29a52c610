"""`python -m crm_gateway.demo`: load the demo organisation (idempotent: re-running changes nothing).

Writes the units, users and API key through the gateway's own handlers in-process (so identity
events go to the outbox and reach Kafka when the gateway's relay runs), then the demo customers
with their history through the running gateway's public API (`crm_gateway.demo_customers`), as
the demo users: their access tokens are signed here rather than obtained by logging in, which
would spend the login rate limit of the address. Reads the same settings as the gateway; the
gateway's address: CRM_DEMO_GATEWAY_URL, by default http://127.0.0.1:<CRM_GATEWAY_PORT>.
"""
from __future__ import annotations

import asyncio
import os
import sys
import uuid
from dataclasses import dataclass, field
from typing import TypeAlias

import asyncpg

from crmkit.db import create_pool, migrate

from crm_gateway import demo_customers
from crm_gateway.app import MIGRATIONS, load_signer, new_passwords
from crm_gateway.handlers.api_keys import create_api_key, service_account_username
from crm_gateway.handlers.auth import subject_of
from crm_gateway.handlers.bootstrap import ensure_admin
from crm_gateway.handlers.common import SYSTEM, Identity
from crm_gateway.handlers.units import create_unit, update_unit
from crm_gateway.handlers.users import create_user
from crm_gateway.messages import register_messages
from crm_gateway.settings import GatewaySettings
from crm_gateway.store import api_keys as key_store
from crm_gateway.store import units as unit_store
from crm_gateway.store import users as user_store

DEMO_PASSWORD = "Demo@12345"
COMPANY = "Công ty Cổ phần Demo CRM"
BRANCHES = {"hn": "Chi nhánh Hà Nội", "hcm": "Chi nhánh TP. Hồ Chí Minh"}
DEPARTMENT = "Phòng Kinh doanh"
TEAMS = {1: "Nhóm 1", 2: "Nhóm 2"}
CALL_CENTRE = "Tổng đài"
CALL_CENTRE_PERMISSIONS = ["calls.write", "customers.read", "customers.write", "identity.read"]
UnitKey: TypeAlias = tuple[str | int, ...]  # () the company, (branch,), (branch, team number)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit: UnitKey
    roles: list[str]
    phone: str


DEMO_USERS = [
    DemoUser("manager.hn", "Nguyễn Văn Hùng", ("hn",), ["manager"], "0912000001"),
    DemoUser("manager.hcm", "Trần Thị Mai", ("hcm",), ["manager"], "0912000002"),
    DemoUser("lead.hn1", "Lê Minh Tuấn", ("hn", 1), ["manager"], "0912000003"),
    DemoUser("sale.hn1", "Phạm Thị Hương", ("hn", 1), ["sales"], "0912000004"),
    DemoUser("sale.hn2", "Hoàng Văn Nam", ("hn", 1), ["sales"], "0912000005"),
    DemoUser("sale.hn3", "Vũ Thị Lan", ("hn", 2), ["sales"], "0912000006"),
    DemoUser("sale.hcm1", "Đặng Quốc Bảo", ("hcm", 1), ["sales"], "0912000007"),
    DemoUser("sale.hcm2", "Bùi Thị Ngọc Ánh", ("hcm", 2), ["sales"], "0912000008"),
    DemoUser("reviewer", "Đỗ Thanh Hà", (), ["reviewer"], "0912000009"),
]


@dataclass
class DemoResult:
    units: dict[UnitKey, uuid.UUID] = field(default_factory=dict)
    unit_names: dict[uuid.UUID, str] = field(default_factory=dict)
    users: list[asyncpg.Record] = field(default_factory=list)  # rows
    created: list[str] = field(default_factory=list)
    api_key: str | None = None  # only when created by this run
    customers: demo_customers.CustomersResult | None = None  # when loaded through a gateway


async def load_demo(identity: Identity) -> DemoResult:
    result = DemoResult()
    await ensure_admin(identity=identity)
    result.units = await _ensure_units(identity, result)
    for demo_user in DEMO_USERS:
        result.users.append(await _ensure_user(identity, demo_user, result.units[demo_user.unit], result))
    result.api_key = await _ensure_call_centre_key(identity, result)
    return result


async def _ensure_units(identity: Identity, result: DemoResult) -> dict[UnitKey, uuid.UUID]:
    root = await unit_store.get_root(identity.pool)
    assert root is not None  # ensure_admin created the tree
    if root["name"] == identity.settings.root_unit_name and root["name"] != COMPANY:
        root = await update_unit(identity=identity, actor=SYSTEM, unit_id=root["id"], changes={"name": COMPANY},
                                 expected_version=None)
        result.created.append(f"unit {COMPANY}")
    units: dict[UnitKey, uuid.UUID] = {(): root["id"]}
    result.unit_names[root["id"]] = root["name"]
    for key, branch_name in BRANCHES.items():
        branch = await _ensure_unit(identity, root["id"], branch_name, "branch", result)
        department = await _ensure_unit(identity, branch, DEPARTMENT, "department", result)
        units[(key,)] = branch
        for number, team_name in TEAMS.items():
            units[(key, number)] = await _ensure_unit(identity, department, team_name, "team", result)
    return units


async def _ensure_unit(identity: Identity, parent_id: uuid.UUID, name: str, kind: str,
                       result: DemoResult) -> uuid.UUID:
    unit = await unit_store.find_child(identity.pool, parent_id, name)
    if unit is None:
        result.created.append(f"unit {name}")
        unit = await create_unit(identity=identity, actor=SYSTEM, name=name, kind=kind, parent_id=parent_id)
    result.unit_names[unit["id"]] = unit["name"]
    return unit["id"]


async def _ensure_user(identity: Identity, demo_user: DemoUser, unit_id: uuid.UUID,
                       result: DemoResult) -> asyncpg.Record:
    existing = await user_store.get_by_username(identity.pool, demo_user.username)
    if existing is not None:
        return existing
    result.created.append(f"user {demo_user.username}")
    return await create_user(identity=identity, actor=SYSTEM, username=demo_user.username, password=DEMO_PASSWORD,
                             full_name=demo_user.full_name, unit_id=unit_id, roles=demo_user.roles,
                             email=f"{demo_user.username}@demo-crm.vn", phone=demo_user.phone)


async def _ensure_call_centre_key(identity: Identity, result: DemoResult) -> str | None:
    account = await user_store.get_by_username(identity.pool, service_account_username(CALL_CENTRE))
    if account is not None and await key_store.active_for_user(identity.pool, account["id"]):
        return None
    created = await create_api_key(identity=identity, actor=SYSTEM, name=CALL_CENTRE,
                                   permissions=CALL_CENTRE_PERMISSIONS, rate_limit_per_minute=1200)
    result.created.append(f"api key {created.row['prefix']}")
    return created.secret


def render(result: DemoResult, settings: GatewaySettings) -> str:
    lines = ["", "CRM demo organisation", "=" * 21,
             f"Admin login: {settings.admin_username} / {_admin_password_text(settings)}", "",
             f"Demo users (password {DEMO_PASSWORD}):",
             f"  {'username':<14} {'full name':<22} {'roles':<10} unit"]
    for row in result.users:
        lines.append(f"  {row['username']:<14} {row['full_name']:<22} {','.join(row['roles']):<10} "
                     f"{_unit_label(row['unit_path'], result.unit_names)}")
    if result.api_key:
        lines += ["", f"API key of the '{CALL_CENTRE}' call-centre account (shown once, send as X-API-Key):",
                  f"  {result.api_key}"]
    else:
        lines += ["", f"The '{CALL_CENTRE}' API key exists already (its secret was printed when it was created)."]
    if result.customers is not None:
        lines += ["", "Demo customers: already there" if result.customers.skipped else
                  f"Demo customers: {result.customers.created} created, with {result.customers.history} notes, calls,"
                  f" comments and care tickets, {result.customers.assignments} assignments and a lead package of"
                  f" {result.customers.package_leads} leads with {result.customers.compensation_requests} requests"
                  " for compensation"]
    lines += ["", f"Created in this run: {len(result.created)}" + (" (nothing to do)" if not result.created else "")]
    return "\n".join(lines)


def _unit_label(path: str, names: dict[uuid.UUID, str]) -> str:
    ids = [uuid.UUID(part) for part in path.strip("/").split("/")]
    return " / ".join(names.get(unit_id, str(unit_id)) for unit_id in ids[1:]) or names.get(ids[0], "")


def _admin_password_text(settings: GatewaySettings) -> str:
    try:
        return settings.initial_admin_password()
    except RuntimeError:
        return "(CRM_ADMIN_PASSWORD)"


async def run(settings: GatewaySettings, *, gateway_url: str | None = None) -> DemoResult:
    """The organisation; with `gateway_url`, then its customers through that gateway."""
    register_messages()
    pool = await create_pool(settings.database_url, min_size=1, max_size=4)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, MIGRATIONS)
        identity = Identity(pool=pool, settings=settings, passwords=new_passwords(settings),
                            signer=load_signer(settings))
        result = await load_demo(identity)
        if gateway_url:
            tokens = {row["username"]: identity.signer.sign(subject_of(row),
                                                            ttl_seconds=settings.access_token_ttl_seconds)
                      for row in result.users}
            result.customers = await demo_customers.load(
                gateway_url, tokens, {row["username"]: str(row["id"]) for row in result.users})
        return result
    finally:
        await pool.close()


def main() -> int:
    if os.environ.get("CRM_DEMO", "1") == "0":
        print("CRM_DEMO=0: demo organisation not loaded")
        return 0
    settings = GatewaySettings()
    gateway_url = os.environ.get("CRM_DEMO_GATEWAY_URL") or f"http://127.0.0.1:{settings.port}"
    result = asyncio.run(run(settings, gateway_url=gateway_url))
    print(render(result, settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
