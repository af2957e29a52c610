"""SQL of the review (P-4, P-5): submission tokens, batches, submitting drafts, decisions, credits,
and what the abuse guard and the auto rules read. Visibility comes from `store.access`, the one
definition shared with packages and requests; the package's lock, a request read by id and the
history rows are the core's (store.packages.lock, store.requests.get / add_history_many)."""
from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal

from crm_compensation.store.access import Access, Params, visible_packages_sql, visible_requests_sql
from crm_compensation.store.requests import R_COLUMNS

Who = Principal | Access

BATCH_COLUMNS = ("b.id, b.package_id, p.name AS package_name, p.provider, b.status, b.submitted_by, b.submitted_at,"
                 " b.requests, b.approved, b.rejected, b.requests - b.approved - b.rejected AS pending,"
                 " b.completed_at, extract(epoch FROM coalesce(b.completed_at, now()) - b.submitted_at)::bigint"
                 " AS age_seconds")


# --- the package and its drafts ------------------------------------------------------------------

async def visible_drafts(conn: asyncpg.Connection, who: Who, package_id: uuid.UUID, *,
                         lock: bool = False) -> list[asyncpg.Record]:
    """The package's drafts the caller sees (a rep of a unit-owned package: their own), oldest
    first; with `lock`, held until the transaction ends (an edit of one waits for the submission)."""
    params = Params([package_id])
    return await conn.fetch(
        f"SELECT r.id, r.version, r.reason_code, r.customer_id, r.requester_id FROM requests r"
        f" JOIN lead_packages p ON p.id = r.package_id"
        f" WHERE r.package_id = $1 AND r.status = 'draft' AND {visible_requests_sql(who, params)}"
        f" ORDER BY r.created_at, r.id{' FOR UPDATE OF r' if lock else ''}", *params)


# --- submission tokens ---------------------------------------------------------------------------

async def add_token(conn: asyncpg.Connection, *, token_digest: str, package_id: uuid.UUID, user_id: uuid.UUID,
                    drafts_digest: str, expires_at: datetime) -> None:
    await conn.execute(
        "INSERT INTO submission_tokens (token, package_id, user_id, drafts_digest, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)", token_digest, package_id, user_id, drafts_digest, expires_at)


async def lock_token(conn: asyncpg.Connection, token_digest: str) -> asyncpg.Record | None:
    """The token (by its digest), locked: of two submissions with one token, the second sees it used."""
    return await conn.fetchrow(
        "SELECT token, package_id, user_id, drafts_digest, expires_at, used_at, expires_at <= now() AS expired"
        " FROM submission_tokens WHERE token = $1 FOR UPDATE", token_digest)


async def use_token(conn: asyncpg.Connection, token_digest: str) -> None:
    await conn.execute("UPDATE submission_tokens SET used_at = now() WHERE token = $1", token_digest)


async def forget_expired_tokens(conn: asyncpg.Connection, package_id: uuid.UUID) -> None:
    """Expired tokens of the package are useless: dropped when a new one is issued."""
    await conn.execute("DELETE FROM submission_tokens WHERE package_id = $1 AND expires_at < now() - interval '1 day'",
                       package_id)


# --- batches and submission ----------------------------------------------------------------------

async def create_batch(conn: asyncpg.Connection, *, package_id: uuid.UUID, submitted_by: uuid.UUID,
                       requests: int) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO batches (id, package_id, status, submitted_by, requests) VALUES ($1, $2, 'submitted', $3, $4)"
        " RETURNING *", uuid.uuid4(), package_id, submitted_by, requests)


async def submit_drafts(conn: asyncpg.Connection, *, batch_id: uuid.UUID,
                        request_ids: Sequence[uuid.UUID]) -> list[asyncpg.Record]:
    """The drafts move to `submitted` in the batch (frozen from now on), with what the auto rules
    read of each: the lead's delivery and the customer's phone."""
    return await conn.fetch(
        "WITH moved AS (UPDATE requests SET status = 'submitted', batch_id = $1, version = version + 1,"
        "  updated_at = now() WHERE id = ANY($2::uuid[]) AND status = 'draft' RETURNING *)"
        " SELECT m.id, m.package_id, m.customer_id, m.requester_id, m.reason_code, m.version, m.created_at,"
        "  l.delivered_at, c.phone"
        " FROM moved m JOIN package_leads l ON l.package_id = m.package_id AND l.customer_id = m.customer_id"
        " LEFT JOIN customer_refs c ON c.customer_id = m.customer_id ORDER BY m.created_at, m.id",
        batch_id, list(request_ids))


async def set_flags(conn: asyncpg.Connection, flags: dict[uuid.UUID, dict[str, Any]]) -> None:
    if flags:
        await conn.execute(
            "UPDATE requests r SET flag = f.flag::jsonb FROM unnest($1::uuid[], $2::text[]) AS f(id, flag)"
            " WHERE r.id = f.id", list(flags), [json.dumps(f) for f in flags.values()])


async def provider_usage(conn: asyncpg.Connection, provider: str) -> list[asyncpg.Record]:
    """Per requester with live requests in the provider's packages: those requests, and the leads
    they work there (of the packages they own, and whose customer they own)."""
    return await conn.fetch(
        "WITH pk AS (SELECT id, owner_id FROM lead_packages WHERE provider = $1),"
        " asked AS (SELECT r.requester_id AS user_id, count(*) AS requests FROM requests r"
        "  JOIN pk ON pk.id = r.package_id WHERE r.status <> 'withdrawn' GROUP BY 1),"
        " worked AS (SELECT pk.owner_id AS user_id, l.package_id, l.customer_id FROM pk"
        "  JOIN package_leads l ON l.package_id = pk.id WHERE pk.owner_id IN (SELECT user_id FROM asked)"
        "  UNION SELECT c.owner_id, l.package_id, l.customer_id FROM pk JOIN package_leads l ON l.package_id = pk.id"
        "  JOIN customer_refs c ON c.customer_id = l.customer_id WHERE c.owner_id IN (SELECT user_id FROM asked))"
        " SELECT a.user_id, a.requests, (SELECT count(*) FROM worked w WHERE w.user_id = a.user_id) AS leads"
        " FROM asked a", provider)


async def active_rules(conn: asyncpg.Connection, reason_codes: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, reason_code, kind, params, decision, active, position FROM auto_rules"
        " WHERE active AND reason_code = ANY($1::text[]) ORDER BY position, id", list(reason_codes))


async def calls_since_delivery(conn: asyncpg.Connection, leads: Sequence[tuple[uuid.UUID, datetime]]
                               ) -> list[asyncpg.Record]:
    """The calls on each (customer, delivered_at) at or after the delivery."""
    if not leads:
        return []
    return await conn.fetch(
        "SELECT c.customer_id, c.outcome, c.occurred_at FROM unnest($1::uuid[], $2::timestamptz[]) AS l(customer_id,"
        " delivered_at) JOIN calls c ON c.customer_id = l.customer_id AND c.occurred_at >= l.delivered_at",
        [c for c, _ in leads], [d for _, d in leads])


async def provider_leads(conn: asyncpg.Connection, *, provider: str, customer_ids: Sequence[uuid.UUID],
                         phones: Sequence[str]) -> list[asyncpg.Record]:
    """Leads of the provider's packages that are one of these customers or have one of these phones."""
    return await conn.fetch(
        "SELECT l.package_id, l.customer_id, c.phone, l.delivered_at FROM package_leads l"
        " JOIN lead_packages p ON p.id = l.package_id LEFT JOIN customer_refs c ON c.customer_id = l.customer_id"
        " WHERE p.provider = $1 AND l.customer_id = ANY($2::uuid[])"
        " UNION SELECT l.package_id, l.customer_id, c.phone, l.delivered_at FROM customer_refs c"
        " JOIN package_leads l ON l.customer_id = c.customer_id JOIN lead_packages p ON p.id = l.package_id"
        " WHERE p.provider = $1 AND c.phone = ANY($3::text[])", provider, list(customer_ids), list(phones))


# --- decisions -----------------------------------------------------------------------------------

async def decide(conn: asyncpg.Connection, decisions: Sequence[tuple[uuid.UUID, str, str | None, uuid.UUID | None]],
                 *, decided_by: uuid.UUID | None) -> list[asyncpg.Record]:
    """(request id, decision, note, auto rule id) for requests still `submitted`: the ones decided
    now. A request another decision got first is not among them (one decision per request: the
    row lock makes the second UPDATE see the first one's status)."""
    if not decisions:
        return []
    return await conn.fetch(
        "UPDATE requests r SET status = d.decision, decided_by = $5, decided_at = now(), decision_note = d.note,"
        " auto_rule_id = d.rule, version = r.version + 1, updated_at = now()"
        " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS d(id, decision, note, rule)"
        " WHERE r.id = d.id AND r.status = 'submitted'"
        f" RETURNING {R_COLUMNS}",
        [d[0] for d in decisions], [d[1] for d in decisions], [d[2] for d in decisions], [d[3] for d in decisions],
        decided_by)


async def add_credits(conn: asyncpg.Connection, approved: Sequence[asyncpg.Record]) -> list[asyncpg.Record]:
    """One replacement credit per approved request (the unique request_id makes a second impossible)."""
    if not approved:
        return []
    return await conn.fetch(
        "INSERT INTO credits (id, package_id, request_id, customer_id)"
        " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[])"
        " RETURNING id, package_id, request_id, customer_id, amount, created_at",
        [uuid.uuid4() for _ in approved], [r["package_id"] for r in approved], [r["id"] for r in approved],
        [r["customer_id"] for r in approved])


async def count_decisions(conn: asyncpg.Connection, batch_id: uuid.UUID, *, approved: int,
                          rejected: int) -> asyncpg.Record:
    """The batch's counters after these decisions: `in_review` from the first, `completed` with the last."""
    return await conn.fetchrow(
        "UPDATE batches SET approved = approved + $2, rejected = rejected + $3,"
        " status = CASE WHEN approved + rejected + $2 + $3 >= requests THEN 'completed' ELSE 'in_review' END,"
        " completed_at = CASE WHEN approved + rejected + $2 + $3 >= requests THEN now() END"
        " WHERE id = $1 RETURNING *", batch_id, approved, rejected)


# --- reads ---------------------------------------------------------------------------------------

async def list_batches(conn: asyncpg.Connection, who: Who, *, status: str | None, package_id: uuid.UUID | None,
                       oldest_first: bool, after: tuple[datetime, uuid.UUID] | None,
                       limit: int) -> list[asyncpg.Record]:
    """Batches of the packages the caller sees: the queue oldest first (open ones unless `status`
    says otherwise), or newest first."""
    params = Params()
    where = [visible_packages_sql(who, params)]
    if status is not None:
        where.append(f"b.status = {params.add(status)}")
    elif oldest_first:
        where.append("b.status <> 'completed'")
    if package_id is not None:
        where.append(f"b.package_id = {params.add(package_id)}")
    order = "ASC" if oldest_first else "DESC"
    if after is not None:
        where.append(f"(b.submitted_at, b.id) {'>' if oldest_first else '<'} ({params.add(after[0])}, {params.add(after[1])})")
    return await conn.fetch(
        f"SELECT {BATCH_COLUMNS} FROM batches b JOIN lead_packages p ON p.id = b.package_id"
        f" WHERE {' AND '.join(where)} ORDER BY b.submitted_at {order}, b.id {order} LIMIT {params.add(limit + 1)}",
        *params)


async def get_batch(conn: asyncpg.Connection, who: Who, batch_id: uuid.UUID) -> asyncpg.Record | None:
    params = Params([batch_id])
    return await conn.fetchrow(
        f"SELECT {BATCH_COLUMNS} FROM batches b JOIN lead_packages p ON p.id = b.package_id"
        f" WHERE b.id = $1 AND {visible_packages_sql(who, params)}", *params)


async def batch_requests(conn: asyncpg.Connection, who: Who, batch_id: uuid.UUID) -> list[asyncpg.Record]:
    """The batch's requests the caller sees, in the order they were made."""
    params = Params([batch_id])
    return await conn.fetch(
        f"SELECT {R_COLUMNS} FROM requests r JOIN lead_packages p ON p.id = r.package_id"
        f" WHERE r.batch_id = $1 AND {visible_requests_sql(who, params)} ORDER BY r.created_at, r.id", *params)
