"""Sending for review behind two confirmations, the reviewers' decisions and the batch's states,
against real PostgreSQL (P-4, P-5): the token flow (stale, used once, expired), one decision per
request under concurrency, one credit per approval, batch status moves, auto decisions marked with
their rule and never for a flagged request, the queue."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import DomainError
from crmkit.errors import status_of_domain_error
from crmkit.testing import temp_pool

from crm_compensation.api.review import BatchDetail
from crm_compensation.app import MIGRATIONS
from crm_compensation.handlers import decisions, review

TEAM, OTHER_TEAM = "/r/b1/t1/", "/r/b2/t2/"
DELIVERED = datetime.now(UTC) - timedelta(days=3)
EVIDENCE = {"delivered_at": DELIVERED.isoformat(), "deadline": (DELIVERED + timedelta(days=30)).isoformat(),
            "call_attempts": 3, "calls_by_outcome": {"wrong_number": 3}, "last_call_at": None,
            "customer": {"full_name": "Nguyễn Văn A", "phone": "0901234567"}}


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        yield p


def person(*roles: str, path: str = TEAM) -> Principal:
    return Principal(user_id=uuid.uuid4(), username=f"u{uuid.uuid4().hex[:6]}", unit_id=uuid.uuid4(),
                     unit_path=path, roles=frozenset(roles))


async def package(pool, owner: Principal, *, provider: str = "LeadCo", path: str = TEAM) -> uuid.UUID:
    package_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO lead_packages (id, name, provider, owner_id, owner_unit_path, purchased_at, reasons, window_days,"
        " max_share, min_call_attempts, created_by) VALUES ($1, 'Gói tháng 11', $2, $3, $4, now(), $5, 30, 0.5, 0, $3)",
        package_id, provider, owner.user_id, path, ["wrong_number", "unreachable", "duplicate"])
    return package_id


async def leads(pool, package_id: uuid.UUID, count: int, *, owner: Principal | None = None,
                delivered_at: datetime = DELIVERED, phones: list[str] | None = None) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    for i, customer_id in enumerate(ids):
        phone = phones[i] if phones else f"09{uuid.uuid4().int % 10**8:08d}"
        await pool.execute(
            "INSERT INTO customer_refs (customer_id, owner_id, owner_unit_path, full_name, phone, version)"
            " VALUES ($1, $2, $3, 'Nguyễn Văn A', $4, 1) ON CONFLICT (customer_id) DO NOTHING",
            customer_id, owner.user_id if owner else None, TEAM, phone)
        await pool.execute("INSERT INTO package_leads (package_id, customer_id, delivered_at) VALUES ($1, $2, $3)",
                           package_id, customer_id, delivered_at)
    return ids


async def draft(pool, package_id: uuid.UUID, customer_id: uuid.UUID, requester: Principal,
                reason: str = "wrong_number") -> uuid.UUID:
    request_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO requests (id, package_id, customer_id, requester_id, reason_code, reason_text, status, evidence)"
        " VALUES ($1, $2, $3, $4, $5, 'Gọi 3 lần đều sai số', 'draft', $6)",
        request_id, package_id, customer_id, requester.user_id, reason, EVIDENCE)
    return request_id


async def refusal(awaitable) -> tuple[int, str]:
    with pytest.raises(DomainError) as caught:
        await awaitable
    return status_of_domain_error(caught.value), caught.value.code


async def published(pool, type_: str) -> list[dict]:
    return [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)]


async def send(pool, who: Principal, package_id: uuid.UUID) -> dict:
    """Both confirmations at once."""
    shown = await review.review_submission(pool, principal=who, package_id=package_id)
    return await review.submit(pool, principal=who, package_id=package_id,
                               confirmation_token=shown["confirmation_token"])


async def with_drafts(pool, count: int = 3, reasons: tuple[str, ...] = ("wrong_number",)
                      ) -> tuple[Principal, uuid.UUID, list[uuid.UUID]]:
    rep = person("sales")
    package_id = await package(pool, rep)
    customers = await leads(pool, package_id, count, owner=rep)
    ids = [await draft(pool, package_id, c, rep, reasons[i % len(reasons)]) for i, c in enumerate(customers)]
    return rep, package_id, ids


# --- the two confirmations -----------------------------------------------------------------------

async def test_first_confirmation_shows_the_drafts_by_reason_and_a_ten_minute_token(pool):
    rep, package_id, ids = await with_drafts(pool, 3, reasons=("wrong_number", "unreachable"))
    shown = await review.review_submission(pool, principal=rep, package_id=package_id)
    assert shown["count"] == 3 and {d["id"] for d in shown["drafts"]} == set(ids)
    assert shown["summary"] == [{"reason_code": "unreachable", "count": 1}, {"reason_code": "wrong_number", "count": 2}]
    assert timedelta(minutes=9) < shown["expires_at"] - datetime.now(UTC) <= timedelta(minutes=10)
    stored = await pool.fetchval("SELECT token FROM submission_tokens")
    assert stored != shown["confirmation_token"]  # kept as a digest only


async def test_the_second_confirmation_submits_the_batch_and_freezes_the_drafts(pool):
    rep, package_id, ids = await with_drafts(pool, 3)
    batch = await send(pool, rep, package_id)
    assert batch["status"] == "submitted" and batch["requests"] == 3 and batch["pending"] == 3
    assert {r["id"] for r in batch["items"]} == set(ids) and {r["status"] for r in batch["items"]} == {"submitted"}
    BatchDetail.model_validate(batch)  # what the API answers
    history = await pool.fetch("SELECT action, from_status, to_status, actor_id FROM request_history")
    assert {tuple(h) for h in history} == {("submitted", "draft", "submitted", rep.user_id)} and len(history) == 3
    [event] = await published(pool, "compensation.batch_submitted")
    assert set(event["request_ids"]) == {str(i) for i in ids} and event["owner_id"] == str(rep.user_id)


async def test_no_drafts_no_confirmation(pool):
    rep = person("sales")
    package_id = await package(pool, rep)
    assert await refusal(review.review_submission(pool, principal=rep, package_id=package_id)) == (422, "no_drafts")


async def test_a_token_is_stale_once_a_draft_is_added_changed_or_withdrawn(pool):
    rep, package_id, ids = await with_drafts(pool, 2)
    changes = [
        ("UPDATE requests SET reason_code = 'unreachable', version = version + 1 WHERE id = $1", ids[0]),
        ("UPDATE requests SET status = 'withdrawn', version = version + 1 WHERE id = $1", ids[1]),
    ]
    for sql, request_id in changes:
        shown = await review.review_submission(pool, principal=rep, package_id=package_id)
        await pool.execute(sql, request_id)
        assert await refusal(review.submit(pool, principal=rep, package_id=package_id,
                                           confirmation_token=shown["confirmation_token"])) == (409, "confirmation_stale")
    shown = await review.review_submission(pool, principal=rep, package_id=package_id)
    [customer] = await leads(pool, package_id, 1, owner=rep)
    await draft(pool, package_id, customer, rep)
    assert await refusal(review.submit(pool, principal=rep, package_id=package_id,
                                       confirmation_token=shown["confirmation_token"])) == (409, "confirmation_stale")
    assert await pool.fetchval("SELECT count(*) FROM batches") == 0


async def test_a_token_is_used_once(pool):
    rep, package_id, _ = await with_drafts(pool, 1)
    shown = await review.review_submission(pool, principal=rep, package_id=package_id)
    token = shown["confirmation_token"]
    await review.submit(pool, principal=rep, package_id=package_id, confirmation_token=token)
    assert await refusal(review.submit(pool, principal=rep, package_id=package_id,
                                       confirmation_token=token)) == (409, "confirmation_invalid")


async def test_the_same_token_twice_at_once_makes_one_batch(pool):
    rep, package_id, _ = await with_drafts(pool, 2)
    token = (await review.review_submission(pool, principal=rep, package_id=package_id))["confirmation_token"]
    results = await asyncio.gather(*(review.submit(pool, principal=rep, package_id=package_id,
                                                   confirmation_token=token) for _ in range(2)),
                                   return_exceptions=True)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code == "confirmation_invalid"
    assert await pool.fetchval("SELECT count(*) FROM batches") == 1


async def test_an_expired_unknown_or_someone_elses_token_is_invalid(pool):
    rep, package_id, _ = await with_drafts(pool, 1)
    shown = await review.review_submission(pool, principal=rep, package_id=package_id)
    await pool.execute("UPDATE submission_tokens SET expires_at = now() - interval '1 second'")
    expired = review.submit(pool, principal=rep, package_id=package_id, confirmation_token=shown["confirmation_token"])
    assert await refusal(expired) == (409, "confirmation_invalid")
    unknown = review.submit(pool, principal=rep, package_id=package_id, confirmation_token="made-up")
    assert await refusal(unknown) == (409, "confirmation_invalid")
    admin = person("admin")
    token = (await review.review_submission(pool, principal=rep, package_id=package_id))["confirmation_token"]
    borrowed = review.submit(pool, principal=admin, package_id=package_id, confirmation_token=token)
    assert await refusal(borrowed) == (409, "confirmation_invalid")


async def test_who_may_send_for_review(pool):
    _, package_id, _ = await with_drafts(pool, 1)
    stranger = person("sales", path=OTHER_TEAM)
    assert await refusal(review.review_submission(pool, principal=stranger, package_id=package_id)) == (
        404, "not_found")
    assert await refusal(review.review_submission(pool, principal=person("reviewer"), package_id=package_id)) == (
        403, "not_a_submitter")
    manager = person("manager", path="/r/b1/")
    assert (await review.review_submission(pool, principal=manager, package_id=package_id))["count"] == 1


# --- decisions -----------------------------------------------------------------------------------

async def test_two_reviewers_at_once_one_decides_the_other_is_told(pool):
    rep, package_id, [request_id] = await with_drafts(pool, 1)
    await send(pool, rep, package_id)
    first, second = person("reviewer"), person("reviewer")
    results = await asyncio.gather(
        decisions.decide(pool, principal=first, request_id=request_id, decision="approved", note="Đúng sai số"),
        decisions.decide(pool, principal=second, request_id=request_id, decision="rejected", note=None),
        return_exceptions=True)
    decided = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(decided) == 1 and len(refused) == 1
    assert refused[0].code == "already_decided" and status_of_domain_error(refused[0]) == 409
    credits = await pool.fetchval("SELECT count(*) FROM credits")
    assert credits == (1 if decided[0]["status"] == "approved" else 0)
    assert await pool.fetchval("SELECT count(*) FROM request_history WHERE action IN ('approved', 'rejected')") == 1
    assert len(await published(pool, "compensation.request_decided")) == 1


async def test_one_credit_per_approved_request_and_the_batch_moves(pool):
    rep, package_id, ids = await with_drafts(pool, 3)
    batch = await send(pool, rep, package_id)
    reviewer = person("reviewer")
    await decisions.decide(pool, principal=reviewer, request_id=ids[0], decision="approved", note=None)
    assert (await review.get_batch(pool, principal=rep, batch_id=batch["id"]))["status"] == "in_review"
    await decisions.decide(pool, principal=reviewer, request_id=ids[1], decision="rejected", note="Đã gọi được")
    assert await published(pool, "compensation.batch_completed") == []
    decided = await decisions.decide(pool, principal=person("admin"), request_id=ids[2], decision="approved", note=None)
    assert decided["status"] == "approved" and decided["decision"]["auto"] is False
    now = await review.get_batch(pool, principal=rep, batch_id=batch["id"])
    assert (now["status"], now["approved"], now["rejected"], now["pending"]) == ("completed", 2, 1, 0)
    assert now["completed_at"] is not None
    credits = await pool.fetch("SELECT request_id, amount FROM credits WHERE package_id = $1", package_id)
    assert sorted((r["request_id"], r["amount"]) for r in credits) == sorted([(ids[0], 1), (ids[2], 1)])
    [completed] = await published(pool, "compensation.batch_completed")
    assert (completed["approved"], completed["rejected"], completed["owner_id"]) == (2, 1, str(rep.user_id))
    told = await published(pool, "compensation.request_decided")
    assert [(e["request_id"], e["decision"], e["owner_id"], e["auto"]) for e in told] == [
        (str(ids[0]), "approved", str(rep.user_id), False), (str(ids[1]), "rejected", str(rep.user_id), False),
        (str(ids[2]), "approved", str(rep.user_id), False)]
    assert len(await published(pool, "compensation.credit_added")) == 2
    again = decisions.decide(pool, principal=reviewer, request_id=ids[0], decision="approved", note=None)
    assert await refusal(again) == (409, "already_decided")
    assert await pool.fetchval("SELECT count(*) FROM credits") == 2


async def test_the_last_of_concurrent_decisions_completes_the_batch_once(pool):
    rep, package_id, ids = await with_drafts(pool, 6)
    batch = await send(pool, rep, package_id)
    await asyncio.gather(*(decisions.decide(pool, principal=person("reviewer"), request_id=request_id,
                                            decision="approved" if i % 2 else "rejected", note=None)
                           for i, request_id in enumerate(ids)))
    now = await review.get_batch(pool, principal=rep, batch_id=batch["id"])
    assert (now["status"], now["approved"], now["rejected"], now["pending"]) == ("completed", 3, 3, 0)
    [completed] = await published(pool, "compensation.batch_completed")
    assert (completed["approved"], completed["rejected"]) == (3, 3)
    assert await pool.fetchval("SELECT count(*) FROM credits") == 3


async def test_a_draft_is_not_decided_and_a_rep_does_not_decide(pool):
    rep, _, [request_id] = await with_drafts(pool, 1)
    reviewer = person("reviewer")
    assert await refusal(decisions.decide(pool, principal=reviewer, request_id=request_id, decision="approved",
                                          note=None)) == (409, "not_submitted")
    assert await refusal(decisions.decide(pool, principal=rep, request_id=request_id, decision="approved",
                                          note=None)) == (403, "not_a_reviewer")
    assert await refusal(decisions.decide(pool, principal=reviewer, request_id=uuid.uuid4(), decision="approved",
                                          note=None)) == (404, "not_found")


# --- automatic decisions and the abuse guard -----------------------------------------------------

async def rule(pool, reason: str, kind: str, params: dict, *, position: int = 0, decision: str = "approved"
               ) -> uuid.UUID:
    rule_id = uuid.uuid4()
    await pool.execute("INSERT INTO auto_rules (id, reason_code, kind, params, decision, position)"
                       " VALUES ($1, $2, $3, $4, $5, $6)", rule_id, reason, kind, params, decision, position)
    return rule_id


async def calls(pool, customer_id: uuid.UUID, outcome: str, count: int, *, at: datetime | None = None) -> None:
    for i in range(count):
        await pool.execute("INSERT INTO calls (id, customer_id, direction, outcome, occurred_at) VALUES"
                           " ($1, $2, 'outbound', $3, $4)", uuid.uuid4(), customer_id, outcome,
                           at or DELIVERED + timedelta(hours=i + 1))


async def test_auto_approval_is_marked_with_its_rule(pool):
    rep = person("sales")
    package_id = await package(pool, rep)
    proven, unproven = await leads(pool, package_id, 2, owner=rep)
    await calls(pool, proven, "wrong_number", 3)
    await calls(pool, unproven, "wrong_number", 2)
    await calls(pool, unproven, "wrong_number", 5, at=DELIVERED - timedelta(days=1))  # before the delivery
    rule_id = await rule(pool, "wrong_number", "min_calls_with_outcome", {"min_calls": 3, "outcome": "wrong_number"})
    auto, manual = await draft(pool, package_id, proven, rep), await draft(pool, package_id, unproven, rep)
    batch = await send(pool, rep, package_id)
    by_id = {r["id"]: r for r in batch["items"]}
    assert by_id[auto]["status"] == "approved" and by_id[auto]["decision"] == {
        "decision": "approved", "decided_by": None, "decided_at": by_id[auto]["decision"]["decided_at"], "note": None,
        "auto": True, "auto_rule_id": rule_id}
    assert by_id[manual]["status"] == "submitted"
    assert (batch["status"], batch["approved"], batch["pending"]) == ("in_review", 1, 1)
    history = await pool.fetchrow("SELECT action, auto_rule_id, actor_id FROM request_history WHERE request_id = $1"
                                  " ORDER BY id DESC LIMIT 1", auto)
    assert tuple(history) == ("auto_approved", rule_id, None)
    [event] = await published(pool, "compensation.request_decided")
    assert (event["request_id"], event["auto"], event["auto_rule_id"]) == (str(auto), True, str(rule_id))
    assert await pool.fetchval("SELECT count(*) FROM credits WHERE request_id = $1", auto) == 1


async def test_a_batch_decided_entirely_by_rules_completes(pool):
    rep = person("sales")
    package_id = await package(pool, rep)
    [customer] = await leads(pool, package_id, 1, owner=rep)
    await calls(pool, customer, "wrong_number", 1)
    await rule(pool, "wrong_number", "min_calls_with_outcome", {"min_calls": 1, "outcome": "wrong_number"},
               decision="rejected")
    await draft(pool, package_id, customer, rep)
    batch = await send(pool, rep, package_id)
    assert (batch["status"], batch["rejected"]) == ("completed", 1)
    assert [e["rejected"] for e in await published(pool, "compensation.batch_completed")] == [1]
    assert await pool.fetchval("SELECT count(*) FROM credits") == 0


async def test_a_duplicate_of_an_older_lead_of_the_provider_is_approved(pool):
    rep = person("sales")
    older, newer = await package(pool, rep), await package(pool, rep)
    other_provider = await package(pool, rep, provider="OtherCo")
    await leads(pool, older, 1, phones=["0901111111"], delivered_at=DELIVERED - timedelta(days=20))
    await leads(pool, other_provider, 1, phones=["0902222222"], delivered_at=DELIVERED - timedelta(days=20))
    dup, not_dup = await leads(pool, newer, 2, owner=rep, phones=["0901111111", "0902222222"])
    rule_id = await rule(pool, "duplicate", "duplicate_of_provider_lead", {})
    first, second = await draft(pool, newer, dup, rep, "duplicate"), await draft(pool, newer, not_dup, rep, "duplicate")
    by_id = {r["id"]: r for r in (await send(pool, rep, newer))["items"]}
    assert (by_id[first]["status"], by_id[first]["auto_rule_id"]) == ("approved", rule_id)
    assert by_id[second]["status"] == "submitted"


async def test_a_flagged_request_is_never_decided_automatically(pool):
    """The requester asks for 6 of 10 leads; three peers of the same provider for 1 of 10: 0.6 > 3 × 0.1."""
    heavy = person("sales")
    for _ in range(3):
        peer = person("sales")
        peer_package = await package(pool, peer)
        [first, *_] = await leads(pool, peer_package, 10, owner=peer)
        await draft(pool, peer_package, first, peer)
    package_id = await package(pool, heavy)
    customers = await leads(pool, package_id, 10, owner=heavy)
    for customer in customers:
        await calls(pool, customer, "wrong_number", 3)
    await rule(pool, "wrong_number", "min_calls_with_outcome", {"min_calls": 3, "outcome": "wrong_number"})
    ids = [await draft(pool, package_id, c, heavy) for c in customers[:6]]
    batch = await send(pool, heavy, package_id)
    assert {r["status"] for r in batch["items"]} == {"submitted"} and batch["status"] == "submitted"
    flag = batch["items"][0]["flag"]
    assert flag == {"rate": 0.6, "peer_median": 0.1, "multiple": 3.0, "peers": 3, "requests": 6, "leads": 10}
    assert await pool.fetchval("SELECT count(*) FROM requests WHERE flag IS NOT NULL") == len(ids)
    assert await pool.fetchval("SELECT count(*) FROM credits") == 0


async def test_below_the_multiple_the_rules_decide(pool):
    moderate = person("sales")
    for _ in range(2):
        peer = person("sales")
        peer_package = await package(pool, peer)
        peer_leads = await leads(pool, peer_package, 10, owner=peer)
        for customer in peer_leads[:2]:
            await draft(pool, peer_package, customer, peer)
    package_id = await package(pool, moderate)
    customers = await leads(pool, package_id, 10, owner=moderate)
    for customer in customers[:5]:
        await calls(pool, customer, "wrong_number", 3)
        await draft(pool, package_id, customer, moderate)
    await rule(pool, "wrong_number", "min_calls_with_outcome", {"min_calls": 3, "outcome": "wrong_number"})
    batch = await send(pool, moderate, package_id)  # 0.5 against 3 × 0.2
    assert {(r["status"], r["flag"]) for r in batch["items"]} == {("approved", None)}


# --- reads ---------------------------------------------------------------------------------------

async def test_the_queue_oldest_first_and_who_sees_which_batch(pool):
    rep, package_id, ids = await with_drafts(pool, 1)
    old = await send(pool, rep, package_id)
    await pool.execute("UPDATE batches SET submitted_at = now() - interval '2 hours' WHERE id = $1", old["id"])
    other, other_package, _ = await with_drafts(pool, 1)
    new = await send(pool, other, other_package)
    reviewer = person("reviewer")
    queue, _ = await review.list_batches(pool, principal=reviewer, status=None, package_id=None, cursor=None, limit=50)
    assert [b["id"] for b in queue] == [old["id"], new["id"]]
    assert queue[0]["age_seconds"] >= 7200 and queue[1]["age_seconds"] < 7200
    await decisions.decide(pool, principal=reviewer, request_id=ids[0], decision="approved", note=None)
    queue, _ = await review.list_batches(pool, principal=reviewer, status=None, package_id=None, cursor=None, limit=50)
    assert [b["id"] for b in queue] == [new["id"]]
    done, _ = await review.list_batches(pool, principal=reviewer, status="completed", package_id=None, cursor=None,
                                        limit=50)
    assert [b["id"] for b in done] == [old["id"]]
    mine, _ = await review.list_batches(pool, principal=rep, status=None, package_id=None, cursor=None, limit=50)
    assert [b["id"] for b in mine] == [old["id"]]
    assert await refusal(review.get_batch(pool, principal=rep, batch_id=new["id"])) == (404, "not_found")


async def test_the_queue_pages_oldest_first(pool):
    sent = []
    for hours in (3, 2, 1):
        rep, package_id, _ = await with_drafts(pool, 1)
        batch = await send(pool, rep, package_id)
        await pool.execute("UPDATE batches SET submitted_at = now() - make_interval(hours => $2) WHERE id = $1",
                           batch["id"], hours)
        sent.append(batch["id"])
    reviewer, seen, cursor = person("reviewer"), [], None
    while True:
        page, cursor = await review.list_batches(pool, principal=reviewer, status=None, package_id=None,
                                                 cursor=cursor, limit=2)
        seen += [b["id"] for b in page]
        if cursor is None:
            break
    assert seen == sent
