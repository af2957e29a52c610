"""Integrator API keys: create (secret shown once), list, revoke, and exchange for service tokens."""
from __future__ import annotations

import re
import time
import unicodedata
import uuid
from dataclasses import dataclass

import asyncpg

from crmkit.auth import INTEGRATOR, Principal
from crmkit.domain_errors import Conflict, FieldError, Invalid, NotFound, Unauthenticated
from crmkit.pagination import TimeId, decode_cursor, page_of

from crm_gateway.domain.access import PERMISSIONS, require_admin
from crm_gateway.domain.tokens import TokenSubject, new_api_key, token_hash
from crm_gateway.handlers.common import Identity, actor_id
from crm_gateway.handlers.users import create_user
from crm_gateway.store import api_keys as store
from crm_gateway.store import units as unit_store
from crm_gateway.store import users as user_store

SERVICE_ACCOUNT_PREFIX = "svc."


@dataclass(frozen=True)
class CreatedKey:
    row: asyncpg.Record
    secret: str


async def create_api_key(*, identity: Identity, actor: Principal, name: str, permissions: list[str],
                         rate_limit_per_minute: int | None = None, user_id: uuid.UUID | None = None,
                         unit_id: uuid.UUID | None = None) -> CreatedKey:
    """Bind a new key to `user_id` (a service account) or to the service account named after the key,
    created on first use of the name (so a second key with the same name rotates the credential)."""
    require_admin(actor)
    permissions = check_permissions(permissions)
    account = (await _bound_account(identity, user_id) if user_id
               else await _named_account(identity, actor, name, unit_id))
    secret, prefix = new_api_key()
    row = await store.insert(identity.pool, key_id=uuid.uuid4(), name=name.strip(), prefix=prefix,
                             secret_hash=token_hash(secret), user_id=account["id"], permissions=permissions,
                             rate_limit_per_minute=rate_limit_per_minute, created_by=actor_id(actor))
    return CreatedKey(row=row, secret=secret)


async def list_api_keys(*, identity: Identity, actor: Principal, include_revoked: bool = False,
                        cursor: str | None = None, limit: int = 50) -> tuple[list[asyncpg.Record], str | None]:
    require_admin(actor)
    rows = await store.list_page(identity.pool, include_revoked=include_revoked,
                                 after=decode_cursor(cursor, TimeId), limit=limit)
    return page_of(rows, limit, store.cursor_of)


async def revoke_api_key(*, identity: Identity, actor: Principal, key_id: uuid.UUID) -> asyncpg.Record:
    require_admin(actor)
    row = await store.revoke(identity.pool, key_id)
    if row is None:
        raise NotFound("not_found")
    return row


def check_permissions(permissions: list[str]) -> list[str]:
    """Only permissions the platform knows: a typo would otherwise be a key that silently cannot."""
    unknown = [FieldError(f"permissions.{index}", "unknown_permission",
                          {"permission": permission, "known": ", ".join(sorted(PERMISSIONS))})
               for index, permission in enumerate(permissions) if permission not in PERMISSIONS]
    if unknown:
        raise Invalid(*unknown)
    return sorted(set(permissions))


def service_account_username(name: str) -> str:
    """"Tổng đài" → "svc.tong-dai" (ASCII, as usernames are)."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:48] or "integration"
    return SERVICE_ACCOUNT_PREFIX + slug


async def _bound_account(identity: Identity, user_id: uuid.UUID) -> asyncpg.Record:
    user = await user_store.get(identity.pool, user_id)
    if user is None or user["kind"] != "service" or INTEGRATOR not in user["roles"]:
        raise Invalid(FieldError("user_id", "invalid_value"), code="api_key_user_invalid")
    return user


async def _named_account(identity: Identity, actor: Principal, name: str,
                         unit_id: uuid.UUID | None) -> asyncpg.Record:
    username = service_account_username(name)
    existing = await user_store.get_by_username(identity.pool, username)
    if existing is not None:
        if existing["kind"] != "service":
            raise Conflict("username_exists", params={"username": username})
        return existing
    if unit_id is None:
        root = await unit_store.get_root(identity.pool)
        if root is None:  # before bootstrap: no tree to place the account in
            raise NotFound("unit_not_found")
        unit_id = root["id"]
    return await create_user(identity=identity, actor=actor, username=username, password=None,
                             full_name=name.strip(), unit_id=unit_id, roles=[INTEGRATOR], kind="service")


@dataclass(frozen=True)
class ServiceCaller:
    """An authenticated API key: the service token to forward and the key's own rate limit."""

    key_id: uuid.UUID
    token: str
    rate_limit_per_minute: int | None
    user_id: uuid.UUID
    expires_at: float


class ServiceTokens:
    """Exchanges API keys for short-lived service JWTs, cached per key for a short while.

    The cache is per replica: a revoked key (or a deactivated service account) stops working here
    at once and on other replicas within `service_token_cache_seconds`.
    """

    def __init__(self, identity: Identity, *, max_entries: int = 10_000) -> None:
        self.identity = identity
        self.max_entries = max_entries
        self._cache: dict[bytes, ServiceCaller] = {}

    async def authenticate(self, api_key: str) -> ServiceCaller:
        digest = token_hash(api_key)
        cached = self._cache.get(digest)
        if cached is not None and cached.expires_at > time.monotonic():
            return cached
        caller = await self._exchange(digest)
        if len(self._cache) >= self.max_entries:
            self._cache.clear()
        self._cache[digest] = caller
        return caller

    def forget_key(self, key_id: uuid.UUID) -> None:
        self._cache = {d: c for d, c in self._cache.items() if c.key_id != key_id}

    def forget_user(self, user_id: uuid.UUID) -> None:
        self._cache = {d: c for d, c in self._cache.items() if c.user_id != user_id}

    async def _exchange(self, digest: bytes) -> ServiceCaller:
        settings = self.identity.settings
        row = await store.get_active_by_hash(self.identity.pool, digest)
        if row is None:
            raise Unauthenticated("invalid_api_key")
        await store.touch(self.identity.pool, row["id"])
        subject = TokenSubject(user_id=row["user_id"], username=row["username"], roles=[INTEGRATOR],
                               unit_id=row["unit_id"], unit_path=row["unit_path"], kind="service",
                               permissions=tuple(row["permissions"]))
        token = self.identity.signer.sign(subject, ttl_seconds=settings.service_token_ttl_seconds)
        return ServiceCaller(key_id=row["id"], token=token, rate_limit_per_minute=row["rate_limit_per_minute"],
                             user_id=row["user_id"], expires_at=time.monotonic() + settings.service_token_cache_seconds)
