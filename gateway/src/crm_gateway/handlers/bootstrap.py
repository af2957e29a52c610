"""First start: the root unit and the initial admin, once, whatever the number of replicas."""
from __future__ import annotations

import uuid

from crmkit.auth import ADMIN
from crmkit.db import advisory_key, reset_on_release
from crmkit.logging import get_logger

from crm_gateway.handlers.common import SYSTEM, Identity
from crm_gateway.handlers.units import create_unit
from crm_gateway.handlers.users import create_user
from crm_gateway.store import units as unit_store
from crm_gateway.store import users as user_store

log = get_logger(__name__)
BOOTSTRAP_LOCK = advisory_key("gateway.bootstrap")
ADMIN_FULL_NAME = "Quản trị hệ thống"


async def ensure_admin(*, identity: Identity) -> None:
    """Create the root unit (company) and the admin user unless an active admin exists."""
    async with identity.pool.acquire() as conn:
        reset_on_release(conn)  # a session lock: released below, and with the reset if that failed
        await conn.execute("SELECT pg_advisory_lock($1)", BOOTSTRAP_LOCK)
        try:
            if await user_store.any_active_admin(conn):
                return
            root = await unit_store.get_root(conn) or await create_unit(
                identity=identity, actor=SYSTEM, name=identity.settings.root_unit_name, kind="company",
                parent_id=None)
            await _create_admin(identity, root["id"])
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", BOOTSTRAP_LOCK)


async def _create_admin(identity: Identity, root_id: uuid.UUID) -> None:
    settings = identity.settings
    if await user_store.get_by_username(identity.pool, settings.admin_username):
        log.warning("admin_bootstrap_skipped", reason="username exists without an active admin",
                    username=settings.admin_username)
        return
    await create_user(identity=identity, actor=SYSTEM, username=settings.admin_username,
                      password=settings.initial_admin_password(), full_name=ADMIN_FULL_NAME, unit_id=root_id,
                      roles=[ADMIN])
    log.info("admin_created", username=settings.admin_username)
