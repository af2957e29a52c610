"""Faults under load (issue 15, E-1, E-2): a load driver plays reps' everyday work through the
gateway — create a customer, change its status with a note, log a call, write a note, comment
mentioning their manager —
and their manager's (distribute finished customers to another rep and recall them, give others to
a rep under a one-minute speed-to-lead SLA the rep lets pass, label others in bulk), while a
nemesis, one fault at a time, kill -9s every service (customers, interactions, assignment,
compensation, import) and the gateway, kill -9s the Kafka broker, restarts PostgreSQL, and pauses
the interactions service (SIGSTOP) past its consumer session, restarting or resuming each. The driver is a
well-behaved client: every write carries an `Idempotency-Key`, and an answer that is not one
(a 5xx, a refused connection, a timeout) is retried with the same key until it is.

When the load has stopped and the platform settled, the oracle checks exactly once, nothing lost:
- every accepted create is one customer (one per phone, found by the tag), with exactly one
  `created`, `classified`, `call_out`, `note` and `comment` line on its timeline and exactly one
  comment, and the customer's counts (C-14, kept from events) agree with its timeline; the
  distributed and recalled ones — by the manager, or by the SLA sweepers racing in every worker
  process (recalled once, `sla_missed`, nobody else to deal them to) — one `assigned` and one
  `recalled` line more and their first owner back, the labelled ones the label and one
  `classified` line more;
- each comment's mention is exactly one notification in the manager's inbox;
- every event the customers service wrote to its outbox for these customers was published and
  is in the inbox of every service that consumes it (interactions, assignment, compensation)
  once for each of its consumers of that type, and the other way round for the
  interactions service's events (the customers service's counts);
- none of these events is in a dead-letter topic;
- every failed answer during the faults was a problem+json 5xx (or no answer at all while the
  gateway was down), never a 4xx or a wrong success.
The numbers of the run (requests, retries, faults, events checked, duplicates, lost) are printed
and reported in docs/faults.md.

Scale-out (S-2): on a platform deploy/local started with three Kafka brokers and more replicas of
every service (`CRM_KAFKA_BROKERS=3 CRM_API_REPLICAS=1 CRM_WORKER_REPLICAS=1`, as `make test` runs
this test), the first fault kill -9s one broker and one process of each service at once, and the
load runs on the survivors for a while before they come back: meanwhile the gateway and the
services' calls to the customers service pass the dead processes, the consumer groups rebalance,
and the outbox relays' leadership moves to the replicas — checked on the spot: every event the
services wrote before the kill gets published while their first processes are dead. The other
faults follow (the gateway, PostgreSQL, a paused worker replica); the oracle is the same.

Runs against the platform deploy/local started (`make test`): it kills its processes, so it runs
alone (`serial`), after the tests that run side by side."""
from __future__ import annotations

import asyncio
import collections
import contextlib
import csv
import io
import json
import os
import random
import signal
import subprocess
import time
import urllib.parse
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest

from e2e_support import GATEWAY, eventually

ROOT = Path(__file__).resolve().parents[2]
CRM_LOCAL = ROOT / "deploy" / "local" / "crm-local"
WORKERS = 3  # reps working at once
CALM_SECONDS = 4  # load without a fault before each fault
PAUSED_SECONDS = 15  # past the consumers' session timeout (aiokafka's default: 10 s)
GIVE_UP_SECONDS = 180  # a request still unanswered after this fails the test
LINES = ("created", "classified", "call_out", "note", "comment", "assigned", "recalled")
MANAGED = 40  # finished customers the manager moves and, others, labels
SLA_LEADS = 20  # and, others, gives to a rep who lets the speed-to-lead SLA pass: recalled by a sweeper
IMPORT_ROWS = int(os.environ.get("CRM_FAULTS_IMPORT_ROWS", "50000"))  # a file the rep imports meanwhile
DISTRIBUTED = min(IMPORT_ROWS, int(os.environ.get("CRM_FAULTS_DISTRIBUTED", "10000")))  # of those, by filter
HALF = 5 * 10**6  # of the 10**7 numbers after a prefix
# the services whose consumers handle customer.created / status_changed (import's consumer of
# crm.customers handles only the answers to its chunks and the configuration)
CUSTOMER_EVENT_CONSUMERS = ("interactions", "assignment", "compensation")

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(not os.environ.get("CRM_LOCAL_DIR"), reason="needs the platform started by deploy/local"),
]


SERVICES = ("customers", "interactions", "assignment", "compensation", "import")
ALONE_SECONDS = 15  # the survivors carry the load alone: past the consumers' session timeout (10 s)
RUN_DIR = Path(os.environ.get("CRM_LOCAL_DIR", ".")) / "run"


def pid_of(name: str) -> int:
    return int((RUN_DIR / f"{name}.pid").read_text())


def scaled_out() -> bool:
    """Three brokers and, for every service, more than one process (deploy/local's S-2 settings)."""
    return (RUN_DIR / "kafka-2.pid").exists() and all(
        any(RUN_DIR.glob(f"{service}-[aw][0-9]*.pid")) for service in SERVICES)


async def crm_local(*args: str) -> None:
    done = await asyncio.to_thread(subprocess.run, [str(CRM_LOCAL), *args], capture_output=True, text=True,
                                   timeout=300)
    assert done.returncode == 0, f"crm-local {' '.join(args)}: {done.stdout}{done.stderr}"


async def kill(*names: str) -> None:
    pids = [pid_of(name) for name in names]
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    for pid in pids:
        while Path(f"/proc/{pid}").exists():  # a big JVM takes a moment to die and free its ports
            await asyncio.sleep(0.2)


async def kill_and_restart(name: str) -> None:
    await kill(name)
    await crm_local("kafka-start" if name.startswith("kafka") else "services-start")


async def kill_a_broker_and_a_replica_of_each_service() -> str:
    """Of every service the process that leads its outbox relay (and runs consumers), and one of
    the three brokers, die together; the others carry the load, then the dead come back."""
    killed_at = await outbox_clock()
    leaders = [await relay_leader(service) for service in SERVICES]
    await kill("kafka-2", *leaders)
    await asyncio.sleep(ALONE_SECONDS)
    published = await eventually(lambda: published_by_the_survivors(killed_at), timeout=60, interval=1)
    assert published, "the replicas' relays published what the dead processes had left"
    await crm_local("kafka-start")
    await crm_local("services-start")
    return f"killed: kafka-2 {' '.join(leaders)}; published by the survivors meanwhile: {published}"


async def relay_leader(service: str) -> str:
    """The name of the service's process that holds its relay's advisory lock (crmkit.outbox): the
    lock's session, found by its client port among the sockets of the service's processes."""
    from crmkit.db import advisory_key

    conn = await database(service)
    try:
        port = await conn.fetchval(
            "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1::bigint::oid"
            " AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            advisory_key(f"outbox:{service}"))
    finally:
        await conn.close()
    assert port, f"no relay of {service} holds its lock"
    inodes = {line.split()[9] for table in ("/proc/net/tcp", "/proc/net/tcp6")
              for line in Path(table).read_text().splitlines()[1:] if int(line.split()[1].split(":")[1], 16) == port}
    for name in [service, *(f.stem for f in RUN_DIR.glob(f"{service}-[aw][0-9]*.pid"))]:
        if socket_inodes(pid_of(name)) & inodes:
            return name
    raise AssertionError(f"the relay of {service} is in none of its processes")


def socket_inodes(pid: int) -> set[str]:
    found: set[str] = set()
    if not Path(f"/proc/{pid}/fd").exists():  # a stale pid file
        return found
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            if (target := os.readlink(fd)).startswith("socket:["):
                found.add(target[len("socket:["):-1])
    return found


async def outbox_clock() -> dict[str, int]:
    """The last outbox row of every service: the survivors must publish every row up to it."""
    clock = {}
    for service in SERVICES:
        conn = await database(service)
        try:
            clock[service] = await conn.fetchval("SELECT coalesce(max(id), 0) FROM outbox")
        finally:
            await conn.close()
    return clock


async def published_by_the_survivors(last_before_kill: dict[str, int]) -> dict[str, int] | None:
    """{service: rows published since the kill} once every row written before it is published
    (only a replica's relay can have done it: the first processes are still dead)."""
    published = {}
    for service, last in last_before_kill.items():
        conn = await database(service)
        try:
            waiting = await conn.fetchval("SELECT count(*) FROM outbox WHERE id <= $1 AND published_at IS NULL", last)
            published[service] = await conn.fetchval("SELECT count(*) FROM outbox WHERE id > $1"
                                                     " AND published_at IS NOT NULL", last)
        finally:
            await conn.close()
        if waiting:
            return None
    return published


async def restart_postgresql() -> None:
    await crm_local("pg-stop")
    await asyncio.sleep(1)
    await crm_local("pg-start")


async def pause(name: str) -> None:
    os.kill(pid_of(name), signal.SIGSTOP)
    try:
        await asyncio.sleep(PAUSED_SECONDS)
    finally:
        os.kill(pid_of(name), signal.SIGCONT)


def faults() -> list[tuple[str, Callable[[], Awaitable[str | None]]]]:
    if scaled_out():
        return [
            (f"kill -9 a Kafka broker and a process of each service, {ALONE_SECONDS} s on the survivors",
             kill_a_broker_and_a_replica_of_each_service),
            ("kill -9 gateway", lambda: kill_and_restart("gateway")),
            ("restart PostgreSQL", restart_postgresql),
            (f"pause interactions-w1 {PAUSED_SECONDS} s", lambda: pause("interactions-w1")),
        ]
    return [
        *((f"kill -9 {service}", lambda service=service: kill_and_restart(service))
          for service in (*SERVICES, "gateway")),
        ("kill -9 the Kafka broker", lambda: kill_and_restart("kafka")),
        ("restart PostgreSQL", restart_postgresql),
        (f"pause interactions {PAUSED_SECONDS} s", lambda: pause("interactions")),
    ]


@dataclass
class Tally:
    requests: int = 0
    retried: int = 0
    answers_5xx: collections.Counter = field(default_factory=collections.Counter)
    no_answer: int = 0
    not_problems: list[str] = field(default_factory=list)
    customers: dict[str, str] = field(default_factory=dict)  # id -> phone
    finished: list[str] = field(default_factory=list)  # the rep wrote all they will on these
    moved: list[str] = field(default_factory=list)  # distributed to another rep, then recalled
    missed_sla: list[str] = field(default_factory=list)  # likewise, recalled by the SLA sweepers
    missed_sla_assignment: str = ""
    import_job: dict = field(default_factory=dict)
    mentioned: str = ""  # the manager's username: each comment mentions them
    comments: list[str] = field(default_factory=list)
    export_id: str = ""
    imported_recalled: int = 0
    labelled: list[str] = field(default_factory=list)
    faults: list[tuple[str, float]] = field(default_factory=list)
    # Gmobile's 059, which no other test draws (random_mobile: 090-098; the demo: 03x, 07x, 08x; the
    # import resume tests: 056, 058), consecutive from a random start: a 409 phone_exists (or an
    # imported row that updates) can only be a create applied twice, never another test's number.
    # The creates' numbers are 059 0… to 059 4…, the import's 059 5… to 059 9….
    first_phone: int = field(default_factory=lambda: random.randrange(HALF - 100_000))
    first_imported_phone: int = field(default_factory=lambda: HALF + random.randrange(HALF - IMPORT_ROWS))

    def phone(self, n: int) -> str:
        return f"059{self.first_phone + n:07d}"

    def imported_phone(self, n: int) -> str:
        return f"059{self.first_imported_phone + n:07d}"


class Driver:
    """A rep's client: each write once, by Idempotency-Key, however often it has to be sent."""

    def __init__(self, client: httpx.AsyncClient, headers: dict, tally: Tally) -> None:
        self.client, self.headers, self.tally = client, headers, tally

    async def write(self, path: str, body: dict, *, expect: int) -> dict:
        key = uuid.uuid4().hex
        return await self.send("POST", path, expect=expect, json=body, headers={**self.headers, "Idempotency-Key": key})

    async def read(self, path: str) -> dict:
        return await self.send("GET", path, expect=200, headers=self.headers)

    async def send(self, method: str, path: str, *, expect: int, **request) -> dict:
        deadline = time.monotonic() + GIVE_UP_SECONDS
        self.tally.requests += method != "GET"
        while True:
            try:
                answer = await self.client.request(method, path, **request)
            except httpx.TransportError:
                self.tally.no_answer += 1
            else:
                if answer.status_code < 500 and answer.status_code != 429:
                    assert answer.status_code == expect, f"{path}: {answer.status_code} {answer.text}"
                    return answer.json()
                self.tally.answers_5xx[answer.status_code] += 1
                if not answer.headers.get("content-type", "").startswith("application/problem+json"):
                    self.tally.not_problems.append(f"{path}: {answer.status_code} {answer.text[:200]}")
            assert time.monotonic() < deadline, f"{path} unanswered for {GIVE_UP_SECONDS} s"
            self.tally.retried += 1
            await asyncio.sleep(0.5)

    async def one_customer(self, tag: str, n: int) -> None:
        phone = self.tally.phone(n)
        customer = await self.write("/api/v1/customers", {"name": f"Khách Sự Cố {tag} {n}", "phone": phone}, expect=201)
        self.tally.customers[customer["id"]] = phone
        base = f"/api/v1/customers/{customer['id']}"
        await self.write(f"{base}/status", {"status": "contacted", "note": "Đã liên hệ"}, expect=200)
        await self.write(f"{base}/calls", {"direction": "out", "outcome": "reached", "duration_seconds": 30,
                                           "external_id": f"fault-{customer['id']}"}, expect=201)
        await self.write(f"{base}/notes", {"text": "Khách hẹn gặp"}, expect=201)
        comment = await self.write(f"{base}/comments", {"text": f"Đã gửi báo giá, nhờ @{self.tally.mentioned} duyệt"},
                                   expect=201)
        self.tally.comments.append(comment["id"])
        self.tally.finished.append(customer["id"])

    async def run(self, tag: str, stop: asyncio.Event, first: int) -> None:
        n = first
        while not stop.is_set():
            await self.one_customer(tag, n)
            n += WORKERS


async def import_and_distribute(rep: Driver, manager: Driver, rep2_id: str, tally: Tally, tag: str) -> None:
    """The bigger work of the mix, while the faults go on: the rep imports a file of IMPORT_ROWS
    new customers (resumed by whichever import process survives); once it has completed, the rep
    exports those that stay theirs (the export workers of every customers process race for the
    job) and their manager distributes the other DISTRIBUTED by filter (their source) to another
    rep and recalls them."""
    lines = ["Tên,Số điện thoại,Nguồn"] + [
        f"Khách Nhập {tag} {i},{tally.imported_phone(i)},{imported_source(tag, i < DISTRIBUTED)}"
        for i in range(IMPORT_ROWS)]
    upload = await rep.send("POST", "/api/v1/imports/uploads", expect=201, headers=rep.headers,
                            files={"file": (f"{tag}.csv", "\n".join(lines).encode())})
    job = await rep.write("/api/v1/imports", {"upload_id": upload["id"], "start_row": 2,
                                              "mapping": {"name": 1, "phone": 2, "source": 3}}, expect=202)
    while (job := await rep.read(f"/api/v1/imports/{job['id']}"))["status"] in ("queued", "running"):
        await asyncio.sleep(1)
    tally.import_job = job
    assert (job["status"], job["created"]) == ("completed", IMPORT_ROWS), job
    export = await rep.write("/api/v1/customers/exports", {
        "format": "csv", "filter": {"source": [imported_source(tag, False)]}, "columns": ["name", "phone"]}, expect=202)
    tally.export_id = export["id"]
    made = await manager.write("/api/v1/assignments", {
        "filter": {"source": [imported_source(tag, True)]}, "text": "Chia danh sách nhập", "direct": True,
        "job": {"content": f"Sự cố nhập {tag}", "type": "telesales"},
        "quantities": [{"user_id": rep2_id, "count": DISTRIBUTED}]}, expect=201)
    assert made["matched"] == DISTRIBUTED, made
    recalled = await manager.write("/api/v1/recalls", {"assignment_id": made["assignments"][0]["id"]}, expect=200)
    tally.imported_recalled = len(recalled["recalled"])


def imported_source(tag: str, distributed: bool) -> str:
    return f"Sự cố {tag} {'chia' if distributed else 'giữ'}"


async def imports_settled(tag: str, rep_id: str) -> dict | None:
    """The imported customers, from the databases: one per row, the rep's, each with one
    `imported` line, the distributed ones one `assigned` and one `recalled` line more."""
    customers, interactions = await database("customers"), await database("interactions")
    try:
        found = await customers.fetchrow(
            "SELECT count(*) AS rows, count(DISTINCT phone) AS phones, count(*) FILTER (WHERE owner_id = $2) AS rep_owns,"
            " array_agg(id) FILTER (WHERE source LIKE '%chia') AS distributed, array_agg(id) AS ids"
            " FROM customers WHERE name LIKE $1", f"Khách Nhập {tag} %", uuid.UUID(rep_id))
        if found["rows"] != IMPORT_ROWS or found["rep_owns"] != IMPORT_ROWS:
            return None
        lines = await interactions.fetch(
            "SELECT type, count(*) AS lines, count(DISTINCT customer_id) AS customers FROM timeline_entries"
            " WHERE customer_id = ANY($1::uuid[]) AND type IN ('imported', 'assigned', 'recalled') GROUP BY type",
            found["ids"])
        by_type = {r["type"]: (r["lines"], r["customers"]) for r in lines}
        expected = {"imported": (IMPORT_ROWS, IMPORT_ROWS), "assigned": (DISTRIBUTED, DISTRIBUTED),
                    "recalled": (DISTRIBUTED, DISTRIBUTED)}
        if by_type != expected:
            return None
        return {"rows": found["rows"], "phones": found["phones"], "distributed": len(found["distributed"] or []),
                "timeline": by_type}
    finally:
        await customers.close()
        await interactions.close()


async def mentioned_once(user_id: str, comment_ids: list[str]) -> int | None:
    """The mention notifications of these comments in the mentioned user's inbox, once each is there
    exactly once (a comment's event handled twice would notify twice)."""
    conn = await database("interactions")
    try:
        rows = await conn.fetch("SELECT data->>'comment_id' AS comment_id, count(*) AS n FROM notifications"
                                " WHERE user_id = $1 AND type = 'mention' AND data->>'comment_id' = ANY($2::text[])"
                                " GROUP BY 1", uuid.UUID(user_id), comment_ids)
    finally:
        await conn.close()
    assert all(r["n"] == 1 for r in rows), [dict(r) for r in rows if r["n"] != 1]
    return len(rows) if len(rows) == len(comment_ids) else None


async def exported_once(client: httpx.AsyncClient, rep: dict, export_id: str) -> int:
    """The export's rows, once it is done: its file holds each of them once (one worker wrote it,
    even if the one that claimed it first died: a stale job is claimed again after 60 s)."""
    async def finished():
        job = (await read(client, f"/api/v1/customers/exports/{export_id}", rep["headers"])).json()
        return job if job["status"] in ("done", "failed") else None

    job = await eventually(finished, timeout=180, interval=2)
    assert job["status"] == "done", job
    file = await read(client, f"/api/v1/customers/exports/{export_id}/file", rep["headers"])
    assert file.status_code == 200, file.text
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"), newline="")))[1:]
    assert len(rows) == len({phone for _, phone in rows}) == job["row_count"], job
    return job["row_count"]


async def manage(manager: Driver, rep2_id: str, tally: Tally) -> None:
    """While the faults go on: hand finished customers to another rep under a one-minute SLA
    that rep lets pass (the assignment service's sweepers, one per worker process, recall them:
    their first owner gets them back, once); hand others over and recall them; label others in bulk."""
    while len(tally.finished) < 2 * MANAGED + SLA_LEADS:
        await asyncio.sleep(0.5)
    moved, labelled = tally.finished[:MANAGED], tally.finished[MANAGED:2 * MANAGED]
    missed = tally.finished[2 * MANAGED:2 * MANAGED + SLA_LEADS]
    made = await manager.write("/api/v1/assignments", {
        "customer_ids": missed, "text": "Gọi trong một phút", "direct": True,
        "job": {"content": f"Sự cố SLA {uuid.uuid4().hex[:6]}", "type": "telesales", "sla_minutes": 1,
                "warn_before_minutes": 0},
        "quantities": [{"user_id": rep2_id, "count": len(missed)}]}, expect=201)
    tally.missed_sla, tally.missed_sla_assignment = missed, made["assignments"][0]["id"]
    made = await manager.write("/api/v1/assignments", {
        "customer_ids": moved, "text": "Chăm sóc gấp", "direct": True,
        "job": {"content": f"Sự cố {uuid.uuid4().hex[:6]}", "type": "telesales"},
        "quantities": [{"user_id": rep2_id, "count": len(moved)}]}, expect=201)
    recalled = await manager.write("/api/v1/recalls", {"assignment_id": made["assignments"][0]["id"]}, expect=200)
    assert sorted(recalled["recalled"] + recalled["skipped"]) == sorted(moved)
    tally.moved = moved
    await manager.write("/api/v1/customers/bulk", {"action": "add_labels", "labels": ["hot"], "ids": labelled},
                        expect=200)
    tally.labelled = labelled


def expected_lines(tally: Tally, customer_id: str) -> dict[str, int]:
    moved = customer_id in tally.moved or customer_id in tally.missed_sla
    labelled = customer_id in tally.labelled
    return {"created": 1, "classified": 2 if labelled else 1, "call_out": 1, "note": 1, "comment": 1,
            "assigned": int(moved), "recalled": int(moved)}


async def nemesis(tally: Tally, stop: asyncio.Event) -> None:
    try:
        for name, fault in faults():
            await asyncio.sleep(CALM_SECONDS)
            started = time.monotonic()
            detail = await fault()
            tally.faults.append((f"{name} ({detail})" if detail else name, round(time.monotonic() - started, 1)))
        await asyncio.sleep(CALM_SECONDS)
    finally:
        stop.set()


async def read(client: httpx.AsyncClient, path: str, headers: dict) -> httpx.Response:
    """A GET as a well-behaved client: on an idle machine the load makes thousands of customers and
    the oracle reads each twice a round, past the rep's rate limit; a 429 waits its Retry-After."""
    while (answer := await client.get(path, headers=headers)).status_code == 429:
        await asyncio.sleep(float(answer.headers.get("Retry-After", "1")))
    return answer


async def settled(client: httpx.AsyncClient, rep: dict, tally: Tally) -> dict:
    """The oracle's API half, once the events have caught up: {customer id: its timeline lines}."""
    lines = {}
    for customer_id in tally.customers:
        detail = await read(client, f"/api/v1/customers/{customer_id}", rep["headers"])
        assert detail.status_code == 200, detail.text
        timeline = await read(client, f"/api/v1/customers/{customer_id}/timeline?limit=50", rep["headers"])
        assert timeline.status_code == 200, timeline.text
        types = collections.Counter(entry["type"] for entry in timeline.json()["items"])
        customer, counts = detail.json(), detail.json()["counts"]
        if {t: types[t] for t in LINES} != expected_lines(tally, customer_id) or counts["comments"] != 1 \
                or counts["timeline"] != sum(types.values()) or customer["owner_id"] != rep["id"] \
                or ("hot" in customer["labels"]) != (customer_id in tally.labelled):
            return {}
        lines[customer_id] = types
    return lines


async def tagged(client: httpx.AsyncClient, rep: dict, tag: str) -> list[str]:
    """The ids of every customer the load made (its names carry the tag), page after page."""
    found, cursor = [], None
    while True:
        params = {"q": f"Khách Sự Cố {tag}", "limit": 100, "fuzzy": "false", **({"cursor": cursor} if cursor else {})}
        page = await read(client, "/api/v1/customers?" + urllib.parse.urlencode(params), rep["headers"])
        assert page.status_code == 200, page.text
        found += [c["id"] for c in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return found


async def database(name: str) -> asyncpg.Connection:
    return await asyncpg.connect(f"postgresql://crm:crm@127.0.0.1:{os.environ['CRM_PG_PORT']}/crm_{name}")


async def delivered(producer: str, consumer_service: str, topic: str, subjects: list[str]) -> dict:
    """Each event `producer` wrote for `subjects` on `topic`: published, and in the inbox of every
    consumer of `consumer_service` that handles its type, exactly once (the inbox's key)."""
    source, target = await database(producer), await database(consumer_service)
    try:
        events = await source.fetch("SELECT event_id, event_type, published_at FROM outbox"
                                    " WHERE topic = $1 AND key = ANY($2::text[])", topic, subjects)
        unpublished = [str(e["event_id"]) for e in events if e["published_at"] is None]
        handled = await target.fetch("SELECT consumer, event_type FROM inbox WHERE event_type = ANY($1::text[])"
                                     " GROUP BY consumer, event_type", list({e["event_type"] for e in events}))
        consumers = collections.defaultdict(set)
        for row in handled:
            consumers[row["event_type"]].add(row["consumer"])
        received = collections.Counter(
            (r["consumer"], r["event_id"]) for r in await target.fetch(
                "SELECT consumer, event_id FROM inbox WHERE event_id = ANY($1::uuid[])", [e["event_id"] for e in events]))
        lost = [(c, str(e["event_id"]), e["event_type"]) for e in events for c in consumers[e["event_type"]]
                if received[(c, e["event_id"])] == 0]
        return {"events": len(events), "deliveries": sum(received.values()), "unpublished": unpublished,
                "lost": lost, "duplicates": [k for k, n in received.items() if n > 1],
                "event_ids": {str(e["event_id"]) for e in events}}
    finally:
        await source.close()
        await target.close()


async def dead_letters(event_ids: set[str]) -> list[dict]:
    from crmkit.dlq import list_dead_letters

    bootstrap = os.environ.get("CRM_KAFKA_BOOTSTRAP") or f"127.0.0.1:{os.environ['CRM_KAFKA_PORT']}"
    found = []
    for topic in ("crm.customers", "crm.interactions"):
        found += [d for d in await list_dead_letters(bootstrap, topic, timeout=60) if d["event_id"] in event_ids]
    return found


async def test_nothing_is_lost_or_doubled_while_processes_die(client, org):
    rep, tag, tally, stop = org["rep"], uuid.uuid4().hex[:6], Tally(mentioned=org["manager"]["username"]), asyncio.Event()
    await crm_local("kafka-start")  # all up, whatever an earlier run left dead
    await crm_local("services-start")
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=20) as load_client:
        drivers = [Driver(load_client, rep["headers"], tally) for _ in range(WORKERS)]
        manager = Driver(load_client, org["manager"]["headers"], tally)
        started = time.monotonic()
        await asyncio.gather(nemesis(tally, stop), manage(manager, org["rep2"]["id"], tally),
                             import_and_distribute(drivers[0], manager, org["rep2"]["id"], tally, tag),
                             *(d.run(tag, stop, n) for n, d in enumerate(drivers)))
        loaded_seconds = time.monotonic() - started
    assert len(tally.moved) == len(tally.labelled) == MANAGED and len(tally.missed_sla) == SLA_LEADS, \
        "the manager's work ended before the faults did"
    job = tally.import_job
    assert (job["status"], job["processed_rows"], job["created"], job["updated"], job["failed"]) == (
        "completed", IMPORT_ROWS, IMPORT_ROWS, 0, 0), job
    assert tally.imported_recalled == DISTRIBUTED
    imported = await eventually(lambda: imports_settled(tag, rep["id"]), timeout=180, interval=2)
    assert imported["phones"] == IMPORT_ROWS and imported["distributed"] == DISTRIBUTED
    exported = await exported_once(client, rep, tally.export_id)
    mentions = await eventually(lambda: mentioned_once(org["manager"]["id"], tally.comments), timeout=120, interval=2)
    assert exported == IMPORT_ROWS - DISTRIBUTED

    lines = await eventually(lambda: settled(client, rep, tally), timeout=180, interval=2)
    assert len(lines) == len(tally.customers) > 0
    missed = await read(client, f"/api/v1/assignments/{tally.missed_sla_assignment}", org["manager"]["headers"])
    assert {(c["state"], c["recall_reason"]) for c in missed.json()["customers"]} == {("recalled", "sla_missed")}
    dealt_again = await read(client, f"/api/v1/assignments?job_id={missed.json()['job_id']}", org["manager"]["headers"])
    assert [a["id"] for a in dealt_again.json()["items"]] == [tally.missed_sla_assignment], "no other rep to take them"
    assert sorted(await tagged(client, rep, tag)) == sorted(tally.customers), "one customer per create"

    subjects = list(tally.customers)
    flows = {f"customers -> {target}": await eventually(
        lambda target=target: _complete(delivered("customers", target, "crm.customers", subjects)),
        timeout=120, interval=2) for target in CUSTOMER_EVENT_CONSUMERS}
    flows["interactions -> customers"] = await eventually(
        lambda: _complete(delivered("interactions", "customers", "crm.interactions", subjects)), timeout=120, interval=2)
    for flow in flows.values():
        assert flow["unpublished"] == [] and flow["lost"] == [] and flow["duplicates"] == []
        assert flow["deliveries"] > 0
    dead = await dead_letters(set().union(*(flow["event_ids"] for flow in flows.values())))
    assert dead == []
    assert tally.not_problems == [], "every 5xx is a problem+json"
    assert 500 not in tally.answers_5xx, "a fault is a 502, 503 or 504 to retry, never a 500"

    report = {"scaled_out": scaled_out(), "load_seconds": round(loaded_seconds), "customers": len(tally.customers),
              "distributed_and_recalled": len(tally.moved), "recalled_by_the_sla_sweepers": len(tally.missed_sla),
              "labelled_in_bulk": len(tally.labelled), "imported": IMPORT_ROWS,
              "imported_then_distributed_and_recalled": DISTRIBUTED, "exported": exported,
              "mention_notifications": mentions,
              "writes_accepted": tally.requests, "retries": tally.retried, "answers_5xx": dict(tally.answers_5xx),
              "no_answer": tally.no_answer, "faults": tally.faults,
              "events_and_deliveries": {name: [flow["events"], flow["deliveries"]] for name, flow in flows.items()},
              "timeline_lines": sum(sum(t.values()) for t in lines.values()) + sum(
                  n for n, _ in imported["timeline"].values()),
              "duplicates": 0, "lost": 0, "dead_letters": 0}
    print("FAULTS REPORT " + json.dumps(report, ensure_ascii=False))


async def _complete(check) -> dict | None:
    """`delivered`'s answer once nothing is unpublished or missing any more (the settling)."""
    flow = await check
    return flow if not flow["unpublished"] and not flow["lost"] else None
