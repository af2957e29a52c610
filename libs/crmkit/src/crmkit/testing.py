"""Test helpers shared by the services' test suites (real PostgreSQL and Kafka, never mocks).

The servers come from `deploy/local/crm-local` (or testcontainers where a Docker engine exists,
selected with CRM_TEST_CONTAINERS=1); tests create throwaway databases and unique topics.
"""
from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

import asyncpg
import jwt

from crmkit.db import create_pool, migrate


def pg_admin_dsn() -> str:
    return os.environ.get(
        "CRM_TEST_PG_DSN", f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '55432')}/postgres"
    )


def kafka_bootstrap() -> str:
    return os.environ.get("CRM_KAFKA_BOOTSTRAP", f"127.0.0.1:{os.environ.get('CRM_KAFKA_PORT', '59092')}")


def _with_database(dsn: str, name: str) -> str:
    base, _, _ = dsn.rpartition("/")
    return f"{base}/{name}"


@contextlib.asynccontextmanager
async def temp_database(migrations_dir: Path | None = None, *, prefix: str = "t"):
    """Create a fresh database, apply crmkit's and the service's migrations, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_admin_dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = _with_database(pg_admin_dsn(), name)
    try:
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn, migrations_dir)
        finally:
            await conn.close()
        yield dsn
    finally:
        admin = await asyncpg.connect(pg_admin_dsn())
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def temp_pool(migrations_dir: Path | None = None):
    async with temp_database(migrations_dir) as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=10)
        try:
            yield pool
        finally:
            await pool.close()


def unique_topic(base: str = "t") -> str:
    return f"{base}.{uuid.uuid4().hex[:10]}"


async def create_topics(bootstrap: str, *names: str, partitions: int = 1) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, num_partitions=partitions, replication_factor=1) for n in names])
    finally:
        await admin.close()


def sign_test_token(private_pem: bytes, *, user_id: uuid.UUID | None = None, roles=("sales",),
                    unit_id: uuid.UUID | None = None, unit_path: str = "", username: str = "tester",
                    ttl: int = 300, issuer: str = "crm-gateway", **extra) -> str:
    """Issue an access token the way the gateway does, for service-level tests."""
    now = int(time.time())
    claims = {
        "iss": issuer, "aud": "crm", "sub": str(user_id or uuid.uuid4()), "iat": now, "exp": now + ttl,
        "typ": "access", "username": username, "roles": list(roles), "unit": str(unit_id) if unit_id else None,
        "unit_path": unit_path, "kind": "user", **extra,
    }
    return jwt.encode(claims, private_pem, algorithm="EdDSA")
