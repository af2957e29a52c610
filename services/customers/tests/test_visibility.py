"""The visibility matrix at the SQL level (C-6, C-9): who reads, lists, searches and edits what.

One organisation: root R, branch B with team T, another branch O. Customer X is owned by a rep
of T, held by a rep of O and shared with another rep of O; U is unassigned in branch B; D was
owned by the same rep but is soft-deleted (invisible to everybody)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crmkit.auth import Principal, unit_path
from crmkit.domain_errors import DomainError, Forbidden, NotFound

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers.customers import get_customer, update_customer
from crm_customers.handlers.listing import list_customers
from crm_customers.store import customers as store

R, B, T, O = (uuid.uuid4() for _ in range(4))  # noqa: E741 (the units of the docstring)
PATHS = {"R": unit_path([R]), "B": unit_path([R, B]), "T": unit_path([R, B, T]), "O": unit_path([R, O])}
UNITS = {"R": R, "B": B, "T": T, "O": O}


def person(unit: str, *roles: str, kind: str = "user", permissions: tuple[str, ...] = ()) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=UNITS[unit], unit_path=PATHS[unit],
                     roles=frozenset(roles), permissions=frozenset(permissions), kind=kind)


PEOPLE = {
    "owner": person("T", "sales"),
    "rep_same_unit": person("T", "sales"),
    "rep_other_unit": person("O", "sales"),
    "viewer": person("O", "sales"),
    "holder": person("O", "sales"),
    "manager_of_unit": person("B", "manager"),
    "manager_other_branch": person("O", "manager"),
    "admin": person("R", "admin"),
    "integrator_read": person("R", "integrator", kind="service", permissions=("customers.read",)),
    "integrator_write": person("R", "integrator", kind="service", permissions=("customers.read", "customers.write")),
    "integrator_none": person("R", "integrator", kind="service"),
    "no_unit_manager": Principal(user_id=uuid.uuid4(), username="m", unit_id=None, unit_path="",
                                 roles=frozenset({"manager"})),
}
SCOPES = ("all", "mine", "holding", "my_unit", "unassigned", "shared")
# who → (visible by id, {scope: expected}, editable X); "-" = list refused (403)
X, U = "X", "U"
EXPECTED = {
    "owner": ({X}, {"all": {X}, "mine": {X}, "my_unit": {X}}, True),
    "rep_same_unit": (set(), {}, None),
    "rep_other_unit": (set(), {}, None),
    "viewer": ({X}, {"all": {X}, "shared": {X}}, False),
    "holder": ({X}, {"all": {X}, "holding": {X}}, False),
    "manager_of_unit": ({X, U}, {"all": {X, U}, "my_unit": {X}, "unassigned": {U}}, True),
    "manager_other_branch": (set(), {}, None),
    "admin": ({X, U}, {"all": {X, U}, "my_unit": {X}, "unassigned": {U}}, True),
    "integrator_read": ({X, U}, {"all": {X, U}, "unassigned": {U}}, False),
    "integrator_write": ({X, U}, {"all": {X, U}, "unassigned": {U}}, True),
    "integrator_none": (set(), "-", None),
    "no_unit_manager": (set(), {}, None),
}


async def _insert(pool, **values):
    now = datetime.now(UTC)
    async with pool.acquire() as conn:
        return await store.insert(conn, values={"id": uuid.uuid4(), "created_at": now, "updated_at": now, **values})


@pytest.fixture
async def world(pool):
    owner, manager = PEOPLE["owner"], PEOPLE["manager_of_unit"]
    x = await _insert(pool, name="Nguyễn Văn Xuân", phone="+84912000001", owner_id=owner.user_id,
                      owner_unit_id=T, owner_unit_path=PATHS["T"], holder_id=PEOPLE["holder"].user_id,
                      viewer_ids=[PEOPLE["viewer"].user_id])
    u = await _insert(pool, name="Nguyễn Văn Uy", phone="+84912000002", owner_id=None,
                      owner_unit_id=B, owner_unit_path=PATHS["B"], created_by=manager.user_id)
    d = await _insert(pool, name="Nguyễn Văn Đã Xoá", phone="+84912000003", owner_id=owner.user_id,
                      owner_unit_id=T, owner_unit_path=PATHS["T"], holder_id=PEOPLE["holder"].user_id,
                      viewer_ids=[PEOPLE["viewer"].user_id])
    async with pool.acquire() as conn:
        await conn.execute("UPDATE customers SET deleted_at = now() WHERE id = $1", d["id"])
    return {X: x["id"], U: u["id"], "D": d["id"]}


async def _ids(pool, who: Principal, **filters) -> set | str:
    try:
        page = await list_customers(pool, principal=who, flt=CustomerFilter(**filters), limit=200)
    except Forbidden:
        return "-"
    except DomainError as error:
        return f"error {error.code}"
    return {item["id"] for item in page["items"]}


async def test_visibility_matrix(pool, world):
    names = {v: k for k, v in world.items()}
    mismatches = []
    for who, (readable, scopes, editable) in EXPECTED.items():
        principal = PEOPLE[who]
        for key in (X, U, "D"):
            try:
                await get_customer(pool, principal=principal, customer_id=world[key])
                got = True
            except NotFound:
                got = False
            if got != (key in readable):
                mismatches.append((who, "read", key, got))
        for scope in SCOPES:
            expected = scopes if scopes == "-" else scopes.get(scope, set())
            got = await _ids(pool, principal, scope=scope)
            got = got if isinstance(got, str) else {names[i] for i in got}
            if got != expected:
                mismatches.append((who, "list", scope, got, expected))
        searched = await _ids(pool, principal, q="nguyen van")
        expected_search = "-" if scopes == "-" else scopes.get("all", set())
        got = searched if isinstance(searched, str) else {names[i] for i in searched}
        if got != expected_search:
            mismatches.append((who, "search", got, expected_search))
        try:
            await update_customer(pool, principal=principal, customer_id=world[X], expected_version=None,
                                  changes={"note": f"by {who}"})
            outcome = True
        except Forbidden:
            outcome = False
        except NotFound:
            outcome = None
        except DomainError as error:
            outcome = error.code
        if outcome != editable:
            mismatches.append((who, "update", outcome, editable))
    assert not mismatches, mismatches


async def test_deleted_rows_are_invisible_even_to_admins_and_integrators(pool, world):
    for who in ("admin", "integrator_read", "owner", "manager_of_unit"):
        with pytest.raises(NotFound):
            await get_customer(pool, principal=PEOPLE[who], customer_id=world["D"])


def test_an_empty_or_root_only_unit_path_never_reaches_everything():
    assert store.subtree_path("") is None and store.subtree_path("/") is None and store.subtree_path(None) is None
    assert store.subtree_path("/a/b") == "/a/b/"
    assert store.access_of(PEOPLE["no_unit_manager"]).subtree is None
    assert store.access_of(Principal(user_id=uuid.uuid4(), username="m", unit_id=None, unit_path="/",
                                     roles=frozenset({"manager"}))).subtree is None


async def test_subtree_is_by_whole_path_segments(pool):
    """A manager of /r/ab/ does not reach /r/abc/ (a prefix of the text but not of the path)."""
    root, ab, abc = "root", "ab", "abc"
    await _insert(pool, name="A", phone="+84912000011", owner_id=uuid.uuid4(), owner_unit_path=f"/{root}/{abc}/")
    manager = Principal(user_id=uuid.uuid4(), username="m", unit_id=None, unit_path=f"/{root}/{ab}",
                        roles=frozenset({"manager"}))
    assert await _ids(pool, manager) == set()
