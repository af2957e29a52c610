"""Sending a package's drafts for review ("Gửi xét duyệt", P-4) behind two confirmations, "vì là
thao tác quan trọng":

1. `review_submission` shows the drafts, their count and a summary by reason, and issues a token
   for 10 minutes naming exactly those drafts (a digest of their ids and versions);
2. `submit` with that token: the package locked, the drafts read again — any change since (a draft
   added, edited or withdrawn) makes the token stale (409), so nobody sends what they did not
   see; the token is used once; the drafts become a `submitted` batch, frozen.

At submission the abuse guard flags requesters far above their peers, and the admins' auto rules
decide what they can (never a flagged request), like a reviewer would, in the same transaction.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from crmkit.auth import MANAGER, REVIEWER, Principal
from crmkit.domain_errors import Conflict, Forbidden, Invalid, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork
from crmkit.vn_phones import phone_key

from crm_compensation import events
from crm_compensation.domain import abuse, auto_rules
from crm_compensation.handlers import SOURCE, decisions
from crm_compensation.handlers.requests import as_request
from crm_compensation.store import batches as store
from crm_compensation.store import packages as packages_store
from crm_compensation.store import requests as requests_store
from crm_compensation.store import rules as rules_store
from crm_compensation.store.access import access_of

TOKEN_LIFETIME = timedelta(minutes=10)


def drafts_digest(drafts: Sequence[asyncpg.Record | dict[str, Any]]) -> str:
    """What the first confirmation showed: the drafts' ids and versions, in a fixed order."""
    named = sorted(f"{d['id']}:{d['version']}" for d in drafts)
    return hashlib.sha256("\n".join(named).encode()).hexdigest()


def _token_digest(token: str) -> str:
    """Tokens are kept as digests: a read of the table gives nobody a usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _refuse_reviewers_only(principal: Principal) -> None:
    """Reviewers see every package but do not send its requests for review (they decide them)."""
    if principal.has_role(REVIEWER) and not principal.is_admin and not principal.has_role(MANAGER):
        raise Forbidden("not_a_submitter")


async def _package(conn: asyncpg.Connection, principal: Principal, package_id: uuid.UUID) -> asyncpg.Record:
    """The package, locked until the transaction ends: a submission, the creation and the changes
    of requests in it take turns (the quota and the drafts a token names hold)."""
    package = await packages_store.lock(conn, access_of(principal), package_id)
    if package is None:
        raise NotFound()
    _refuse_reviewers_only(principal)
    return package


async def review_submission(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID) -> dict[str, Any]:
    """The first confirmation: the drafts the caller would send, by reason, and the token for the second."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _package(uow.conn, principal, package_id)
        drafts = await store.visible_drafts(uow.conn, principal, package_id)
        if not drafts:
            raise Invalid(code="no_drafts")
        token = secrets.token_urlsafe(32)
        expires_at = datetime.now(UTC) + TOKEN_LIFETIME
        await store.forget_expired_tokens(uow.conn, package_id)
        await store.add_token(uow.conn, token_digest=_token_digest(token), package_id=package_id,
                              user_id=principal.user_id, drafts_digest=drafts_digest(drafts), expires_at=expires_at)
    by_reason = Counter(d["reason_code"] for d in drafts)
    return {"package_id": package_id, "drafts": [dict(d) for d in drafts], "count": len(drafts),
            "summary": [{"reason_code": code, "count": n} for code, n in sorted(by_reason.items())],
            "confirmation_token": token, "expires_at": expires_at}


async def _check_token(conn: asyncpg.Connection, principal: Principal, package_id: uuid.UUID, token: str,
                       drafts: Sequence[asyncpg.Record]) -> str:
    digest = _token_digest(token)
    stored = await store.lock_token(conn, digest)
    if (stored is None or stored["used_at"] is not None or stored["expired"]
            or stored["package_id"] != package_id or stored["user_id"] != principal.user_id):
        raise Conflict("confirmation_invalid")
    if stored["drafts_digest"] != drafts_digest(drafts):
        raise Conflict("confirmation_stale")
    return digest


async def submit(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID,
                 confirmation_token: str) -> dict[str, Any]:
    """The second confirmation → the batch, `submitted` (or further on, when auto rules decided)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        package = await _package(uow.conn, principal, package_id)
        drafts = await store.visible_drafts(uow.conn, principal, package_id, lock=True)
        await store.use_token(uow.conn, await _check_token(uow.conn, principal, package_id, confirmation_token,
                                                           drafts))
        batch = await store.create_batch(uow.conn, package_id=package_id, submitted_by=principal.user_id,
                                         requests=len(drafts))
        submitted = await store.submit_drafts(uow.conn, batch_id=batch["id"], request_ids=[d["id"] for d in drafts])
        await requests_store.add_history_many(uow.conn, [
            {"request_id": r["id"], "action": "submitted", "from_status": "draft", "to_status": "submitted",
             "actor_id": principal.user_id, "note": None, "auto_rule_id": None} for r in submitted])
        await uow.publish(events.BatchSubmitted(batch_id=batch["id"], package_id=package_id,
                                                owner_id=principal.user_id, request_ids=[r["id"] for r in submitted],
                                                submitted_at=batch["submitted_at"]), subject=batch["id"])
        flagged = await _flag_abuse(uow.conn, package["provider"], submitted)
        await _auto_decide(uow, package["provider"], submitted, flagged, batch)
        return await _batch_with_requests(uow.conn, principal, batch["id"])


async def _flag_abuse(conn: asyncpg.Connection, provider: str,
                      submitted: Sequence[asyncpg.Record]) -> set[uuid.UUID]:
    """Flag (and return) the submitted requests whose requester is far above their peers."""
    settings = await rules_store.get_settings(conn)
    usage = {r["user_id"]: abuse.Usage(requests=r["requests"], leads=r["leads"])
             for r in await store.provider_usage(conn, provider)}
    by_requester = {who: abuse.flag(usage, who, multiple=settings["abuse_multiple"],
                                    min_requests=settings["abuse_min_requests"])
                    for who in {r["requester_id"] for r in submitted}}
    flags = {r["id"]: flag for r in submitted if (flag := by_requester[r["requester_id"]]) is not None}
    await store.set_flags(conn, flags)
    return set(flags)


async def _calls(conn: asyncpg.Connection, requests: Sequence[asyncpg.Record]) -> dict[uuid.UUID, list[auto_rules.Call]]:
    """The calls on each request's customer since the lead's delivery."""
    calls: dict[uuid.UUID, list[auto_rules.Call]] = defaultdict(list)
    for c in await store.calls_since_delivery(conn, [(r["customer_id"], r["delivered_at"]) for r in requests]):
        calls[c["customer_id"]].append(auto_rules.Call(outcome=c["outcome"], occurred_at=c["occurred_at"]))
    return calls


async def _provider_leads(conn: asyncpg.Connection, provider: str, requests: Sequence[asyncpg.Record]
                          ) -> dict[uuid.UUID, list[auto_rules.ProviderLead]]:
    """For each request, the provider's leads that are its customer or share its phone."""
    if not requests:
        return {}
    by_customer: dict[uuid.UUID, list[auto_rules.ProviderLead]] = defaultdict(list)
    by_phone: dict[str, list[auto_rules.ProviderLead]] = defaultdict(list)
    for x in await store.provider_leads(conn, provider=provider, customer_ids=[r["customer_id"] for r in requests],
                                        phones=[r["phone"] for r in requests if r["phone"]]):
        lead = auto_rules.ProviderLead(package_id=x["package_id"], customer_id=x["customer_id"], phone=x["phone"],
                                       delivered_at=x["delivered_at"])
        by_customer[lead.customer_id].append(lead)
        if key := phone_key(lead.phone):
            by_phone[key].append(lead)
    return {r["id"]: by_customer.get(r["customer_id"], []) + by_phone.get(phone_key(r["phone"]) or "", [])
            for r in requests}


async def _cases(conn: asyncpg.Connection, provider: str, submitted: Sequence[asyncpg.Record],
                 flagged: set[uuid.UUID], rules: Sequence[auto_rules.Rule]) -> list[auto_rules.Case]:
    """What the rules look at, read only for the requests some rule's kind needs it for (a flagged
    request needs nothing: no rule decides it)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        kinds[rule.reason_code].add(rule.kind)
    wanted = [r for r in submitted if r["reason_code"] in kinds]
    open_ = [r for r in wanted if r["id"] not in flagged]
    calls = await _calls(conn, [r for r in open_ if "min_calls_with_outcome" in kinds[r["reason_code"]]])
    leads = await _provider_leads(conn, provider,
                                  [r for r in open_ if "duplicate_of_provider_lead" in kinds[r["reason_code"]]])
    return [auto_rules.Case(request_id=r["id"], reason_code=r["reason_code"], package_id=r["package_id"],
                            customer_id=r["customer_id"], phone=r["phone"], delivered_at=r["delivered_at"],
                            calls=calls.get(r["customer_id"], []), provider_leads=leads.get(r["id"], []),
                            flagged=r["id"] in flagged) for r in wanted]


async def _auto_decide(uow: UnitOfWork, provider: str, submitted: Sequence[asyncpg.Record],
                       flagged: set[uuid.UUID], batch: asyncpg.Record) -> asyncpg.Record | None:
    """The active rules decide what they can, in their position order (never a flagged request)."""
    rules = [auto_rules.Rule(id=r["id"], reason_code=r["reason_code"], kind=r["kind"], params=dict(r["params"]),
                             decision=r["decision"], position=r["position"])
             for r in await store.active_rules(uow.conn, sorted({r["reason_code"] for r in submitted}))]
    if not rules:
        return None
    verdicts = [(case.request_id, verdict)
                for case in await _cases(uow.conn, provider, submitted, flagged, rules)
                if (verdict := auto_rules.decide(case, rules)) is not None]
    decided = await store.decide(uow.conn, [(request_id, v.decision, None, v.rule_id) for request_id, v in verdicts],
                                 decided_by=None)
    return await decisions.apply(uow, decided, batch=batch, actor_id=None)


# --- reads ---------------------------------------------------------------------------------------

async def list_batches(pool: asyncpg.Pool, *, principal: Principal, status: str | None,
                       package_id: uuid.UUID | None, cursor: str | None,
                       limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Reviewers and admins: the queue, oldest first (open batches unless `status` is named); others:
    the batches of the packages they see, newest first."""
    async with pool.acquire() as conn:
        rows = await store.list_batches(conn, principal, status=status, package_id=package_id,
                                        oldest_first=decisions.may_decide(principal), after=time_id_after(cursor), limit=limit)
    return page_of([dict(r) for r in rows], limit, lambda r: time_id_cursor(r, "submitted_at"))


async def get_batch(pool: asyncpg.Pool, *, principal: Principal, batch_id: uuid.UUID) -> dict[str, Any]:
    """The batch with its requests (those the caller sees)."""
    async with pool.acquire() as conn:
        return await _batch_with_requests(conn, principal, batch_id)


async def _batch_with_requests(conn: asyncpg.Connection, principal: Principal, batch_id: uuid.UUID) -> dict[str, Any]:
    batch = await store.get_batch(conn, principal, batch_id)
    if batch is None:
        raise NotFound()
    requests = await store.batch_requests(conn, principal, batch_id)
    return {**dict(batch), "items": [as_request(r) for r in requests]}
