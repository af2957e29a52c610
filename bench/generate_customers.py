"""Load realistic customers straight into the customers database with COPY, for benchmarks.

Vietnamese names with diacritics, unique valid mobile numbers (E.164), the 34 provinces, statuses,
labels, birthdays, creation dates over two years, owners spread over the 300 benchmark teams
(10 synthetic reps per team) and a share owned by the benchmark rep of bench_org.py.

    .venv/bin/python bench/generate_customers.py --org .local/bench/org.json --count 1000000

Rows go in with binary COPY (100,000 rows per statement) from one worker process per core; the
search rows, constraints and indexes are maintained by PostgreSQL as for any insert, so the time
includes them — except into empty tables, whose secondary indexes are built after the rows (see
DEFERRED; `--keep-indexes` keeps them up row by row anyway). `--reference` then COPYs the same rows
into a table without indexes, the same-run floor. The output reports the client's and the COPY backends' CPU seconds beside the wall time:
on a shared machine the CPU is what the load costs (docs/benchmarks.md, issue 14).

Into a database that already holds customers: the rows continue after the rows the table has
(`--offset` defaults to its row count, so consecutive runs draw disjoint phones), and a phone some
other customer already has (a test's, an import's) is replaced by one from the unused half of the
generator's number space, so the run never stops on `customers_phone_key`.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg

from crm_customers.domain.provinces import list_provinces

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Gia", "Xuân", "Bảo",
           "Kim", "Anh", "Phương", "Quang", "Trọng", "Diệu", "Khánh"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Lan", "Linh", "Long",
          "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đông", "Giang",
          "Khoa", "Loan", "My", "Nhung", "Oanh", "Phong", "Quyên", "Tài", "Uyên", "Việt", "Xuân", "Thắng", "Đức"]
MOBILE_PREFIXES = ["32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83",
                   "84", "85", "86", "88", "90", "91", "93", "94", "96", "97", "98", "56", "58", "59"]
STATUSES = ["new"] * 5 + ["contacted"] * 3 + ["potential"] * 2 + ["contract_closed", "refused", "wrong_number"]
LABELS = ["reputable", "regular", "premium", "hot", "warm", "cold"]
SOURCES = ["facebook", "zalo", "website", "referral", "event", "cold_call"]
COLUMNS = ["id", "name", "phone", "email", "lifecycle", "party_type", "status", "owner_id", "owner_unit_id",
           "owner_unit_path", "created_by", "version", "created_at", "updated_at", "birthday", "province_code",
           "province_name", "gender", "source", "labels"]
CHUNK = 100_000
REPS_PER_TEAM = 10
SPARE = 150_000_000  # a phone taken by someone else is replaced by phone(i + SPARE): the other half of the space
DEFAULT_DSN = f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers"


def phone(i: int) -> str:
    """A bijection from i < 300,000,000 to mobile numbers: prefix by i mod 30, 7 digits from a
    permutation of i // 30 (7,919 is prime to 10^7), shifted per prefix — without the shift the 30
    prefixes repeated each 7-digit tail, and a 6-digit suffix matched 30 customers (a full page of 20)
    where a real book of a million holds ~1; now 1-3 (a million rows: 420,310 suffixes, at most 3)."""
    n = len(MOBILE_PREFIXES)
    prefix = MOBILE_PREFIXES[i % n]
    return f"+84{prefix}{(i // n * 7_919 + 1_234_567 + i % n * 3_331_333) % 10_000_000:07d}"


class Pools:
    """Everything a row draws from, built once per worker: drawing an index into a list is ~5x
    cheaper than random.choice/sample/timedelta per row, and ids go to asyncpg as hex text (its
    C codec parses them) instead of uuid.UUID objects. The distributions are the ones the
    generator always had: 20 x 20 x 40 names, uniform owners (1 in 500 the benchmark rep), two
    years of creation dates, 0-2 labels, 60% birthdays, 40% emails, 20% customers."""

    def __init__(self, org: dict) -> None:
        provinces = list_provinces()
        teams = org["teams"]
        self.reps = [(uuid.UUID(int=(t + 1) * 1000 + r), uuid.UUID(teams[t]["id"]), teams[t]["path"])
                     for t in range(len(teams)) for r in range(REPS_PER_TEAM)]
        self.bench_rep = (uuid.UUID(org["rep"]["id"]), uuid.UUID(org["rep"]["unit_id"]), org["rep"]["path"])
        self.names = [f"{s} {m} {g}" for s in SURNAMES for m in MIDDLES for g in GIVENS]
        epoch = datetime(2024, 11, 1, tzinfo=UTC)
        self.days = [epoch + timedelta(days=d) for d in range(2 * 365)]
        self.seconds = [timedelta(seconds=s) for s in range(86_400)]
        self.birthdays = [date(1960, 1, 1) + timedelta(days=d) for d in range(16_000)]
        self.places = [(p.code, p.name) for p in provinces]
        # (0, 0, 1, 1, 2) labels, as rnd.sample(LABELS, k) drew them: 2/5 none, 2/5 one, 1/5 an ordered pair
        singles = [[label] for label in LABELS]
        pairs = [[a, b] for a in LABELS for b in LABELS if a != b]
        self.labels = [[]] * 60 + singles * 10 + pairs
        self.tail = [(status, gender, source) for status in STATUSES for gender in ("male", "female")
                     for source in SOURCES]


def rows(start: int, stop: int, pools: Pools, seed: str, taken: dict[int, str] | None = None):
    """Rows start..stop-1; `taken` replaces the phones of rows whose own number someone else has."""
    rnd = random.Random(f"{seed}:{start}")
    rand, bits = rnd.random, rnd.getrandbits
    reps, n_reps, bench_rep = pools.reps, len(pools.reps), pools.bench_rep
    names, n_names = pools.names, len(pools.names)
    days, seconds, birthdays = pools.days, pools.seconds, pools.birthdays
    places, n_places, labels, n_labels = pools.places, len(pools.places), pools.labels, len(pools.labels)
    tail, n_tail = pools.tail, len(pools.tail)
    taken = taken or {}
    for i in range(start, stop):
        owner, unit, path = bench_rep if i % 500 == 0 else reps[int(rand() * n_reps)]
        created = days[int(rand() * 730)] + seconds[int(rand() * 86_400)]
        code, province = places[int(rand() * n_places)]
        status, gender, source = tail[int(rand() * n_tail)]
        yield (
            f"{bits(128) | (1 << 127):032x}", names[int(rand() * n_names)], taken.get(i) or phone(i),
            f"kh{i}@example.vn" if rand() < 0.4 else None,
            "customer" if rand() < 0.2 else "lead", "individual", status,
            owner, unit, path, owner, 1, created, created,
            birthdays[int(rand() * 16_000)] if rand() < 0.6 else None,
            code, province, gender, source, labels[int(rand() * n_labels)],
        )


async def phones_taken(conn: asyncpg.Connection, start: int, stop: int) -> dict[int, str]:
    """The replacement phone of each row in start..stop-1 whose number another customer already
    has (a test's, an import's, another benchmark's, an interrupted run's): phone(SPARE + i), or
    the next free number of the spare half after it (phone() repeats with period 2 x SPARE, so the
    spare half never reaches back into the rows' half). One index probe per row, in one query."""
    async def taken(candidates: dict[str, int]) -> set[str]:
        found = await conn.fetch("SELECT phone FROM customers WHERE phone = ANY($1::text[])", list(candidates))
        return {record["phone"] for record in found}

    wanted = {phone(i): i for i in range(start, stop)}
    pending = sorted(wanted[p] for p in await taken(wanted))
    replaced: dict[int, str] = {}
    k = 0
    while pending:
        candidates = {phone(SPARE + (i + k * 1_000_003) % SPARE): i for i in pending}
        busy = await taken(candidates)
        for candidate, i in candidates.items():
            if candidate not in busy:
                replaced[i] = candidate
        pending, k = [i for i in pending if i not in replaced], k + 1
    return replaced


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float | None:
    """The CPU seconds of a connection's backend (`pg_backend_pid()`); None when PostgreSQL runs on
    another host."""
    try:
        return cpu_seconds(pid)
    except OSError:
        return None


def cpu_since(pid: int, before: float | None) -> float | None:
    after = None if before is None else backend_cpu(pid)
    return None if after is None or before is None else round(after - before, 1)


async def load_range(dsn: str, start: int, stop: int, org: dict, seed: str, table: str, chunk: int) -> dict:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET synchronous_commit = off")
        # the search GINs' pending lists are merged in work_mem-sized batches (their size: see
        # pending_lists_for_the_load)
        await conn.execute("SET work_mem = '512MB'")
        backend = await conn.fetchval("SELECT pg_backend_pid()")
        server_before = backend_cpu(backend)
        pools, clashes = Pools(org), 0
        for chunk_start in range(start, stop, chunk):
            chunk_stop = min(chunk_start + chunk, stop)
            taken = await phones_taken(conn, chunk_start, chunk_stop) if table == "customers" else {}
            clashes += len(taken)
            await conn.copy_records_to_table(table, records=rows(chunk_start, chunk_stop, pools, seed, taken),
                                             columns=COLUMNS)
        return {"clashes": clashes, "server_cpu": cpu_since(backend, server_before), "client_cpu": round(time.process_time(), 1)}
    finally:
        await conn.close()


def worker(args: tuple) -> dict:
    return asyncio.run(load_range(*args))


async def first_free_row(dsn: str) -> int:
    """The offset of a run into a database that holds customers: the number of rows the table has
    (tombstones included), so that consecutive runs draw disjoint row numbers and so phones; any
    other clash (customers not made by this generator) is moved aside by phones_taken."""
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval("SELECT count(*) FROM customers")
    finally:
        await conn.close()


# An empty table takes its rows faster without its secondary indexes, each built afterwards in one
# pass over the rows (as pg_restore does). At 1.09M rows, building the 18 non-unique indexes (16 since
# customers 0022) of customers and customer_search took 39.8 s of one backend (the word-prefix GIN 14.7,
# the trigram GIN 5.8, the B-trees 0.2–4.5 each), where keeping them up row by row is ~85% of a 1M
# load's ~100 server CPU-s. Their definitions go to DEFERRED, in the transaction that drops them: a
# load killed midway leaves them there, and the next run builds them before anything else.
DEFERRED = "bench_deferred_indexes"


async def defer_indexes(dsn: str, *, even_with_rows: bool = False) -> bool:
    """Drop the non-unique indexes of `customers` and of the tables its triggers keep (`customer_search`,
    `customer_names`) when they are empty (or `even_with_rows`: the services' lists and searches scan
    meanwhile), their definitions kept in DEFERRED; False (nothing done) when they hold rows."""
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            if not even_with_rows and await conn.fetchval(
                    "SELECT EXISTS (SELECT FROM customers) OR EXISTS (SELECT FROM customer_search)"):
                return False
            await conn.execute(
                f"CREATE TABLE {DEFERRED} AS SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition"
                "  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                "  WHERE i.indrelid = ANY(ARRAY[to_regclass('customers'), to_regclass('customer_search'),"
                "                              to_regclass('customer_names')])"  # before customers 0024: none
                "    AND NOT i.indisunique")
            for name in await conn.fetch(f"SELECT name FROM {DEFERRED}"):
                await conn.execute(f'DROP INDEX "{name[0]}"')
        return True
    finally:
        await conn.close()


async def build_deferred(dsn: str, builders: int) -> dict | None:
    """Build the indexes in DEFERRED (`builders` connections, the GINs first: they take longest),
    then drop it; wall and backend CPU seconds, None when nothing was deferred."""
    async def builder(queue: list[str]) -> float | None:
        c = await asyncpg.connect(dsn)
        try:
            await c.execute("SET maintenance_work_mem = '1GB'")
            backend = await c.fetchval("SELECT pg_backend_pid()")
            before = backend_cpu(backend)
            while queue:  # IF NOT EXISTS: a killed build may have made some
                await c.execute(queue.pop(0).replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            return cpu_since(backend, before)
        finally:
            await c.close()

    conn = await asyncpg.connect(dsn)
    try:
        if await conn.fetchval("SELECT to_regclass($1)", DEFERRED) is None:
            return None
        queue = sorted((r["definition"] for r in await conn.fetch(f"SELECT definition FROM {DEFERRED}")),
                       key=lambda definition: " USING gin " not in definition)
        started = time.perf_counter()
        cpu = await asyncio.gather(*(builder(queue) for _ in range(max(1, builders))))
        seconds = time.perf_counter() - started
        await conn.execute(f"DROP TABLE {DEFERRED}")
    finally:
        await conn.close()
    known = [seconds for seconds in cpu if seconds is not None]
    server_cpu = round(sum(known), 1) if len(known) == len(cpu) else None
    return {"index_build_seconds": round(seconds, 1), "index_build_server_cpu_seconds": server_cpu}


SEARCH_GINS = ("customer_search_prefixes", "customer_search_doc")  # the second: before customers 0030
LOAD_PENDING_LIST_KB = 262_144


async def _pending_list_limits(dsn: str, limits: dict[str, str | None]) -> dict[str, str | None]:
    """Set each search GIN's `gin_pending_list_limit` (None: reset it); return what each had. On
    reset, merge what the load left in the list, so that searches do not read it."""
    conn = await asyncpg.connect(dsn)
    try:
        before = {}
        for index, limit in limits.items():
            if await conn.fetchval("SELECT to_regclass($1)", index) is None:  # deferred: built after the load
                continue
            options = await conn.fetchval("SELECT reloptions FROM pg_class WHERE relname = $1", index) or []
            before[index] = next((o.split("=", 1)[1] for o in options if o.startswith("gin_pending_list_limit=")), None)
            await conn.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = {int(limit)})" if limit
                               else f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
            if limit is None or int(limit) < LOAD_PENDING_LIST_KB:
                await conn.execute("SELECT gin_clean_pending_list($1::regclass)", index)
        return before
    finally:
        await conn.close()


@contextlib.contextmanager
def pending_lists_for_the_load(dsn: str, table: str):
    """The customers service keeps the search GINs' pending lists small (searches read them whole:
    migration 0018); a bulk load merges the same entries in far fewer passes with a large one. So
    the load raises the limit and puts back each index's own afterwards, merging the list."""
    if table != "customers":
        yield
        return
    saved = asyncio.run(_pending_list_limits(dsn, dict.fromkeys(SEARCH_GINS, str(LOAD_PENDING_LIST_KB))))
    try:
        yield
    finally:
        asyncio.run(_pending_list_limits(dsn, saved))


def load(dsn: str, org: dict, count: int, offset: int, workers: int, seed: str, table: str = "customers",
         chunk: int = CHUNK) -> dict:
    step = -(-count // workers)
    ranges = [(dsn, offset + s, offset + min(s + step, count), org, seed, table, chunk)
              for s in range(0, count, step)]
    started = time.perf_counter()
    with pending_lists_for_the_load(dsn, table), multiprocessing.Pool(len(ranges)) as pool:
        results = pool.map(worker, ranges)
    elapsed = time.perf_counter() - started
    servers = [r["server_cpu"] for r in results]
    return {"table": table, "rows": count, "offset": offset, "workers": len(ranges),
            "seconds": round(elapsed, 1), "rows_per_second": round(count / elapsed),
            "phones_moved_aside": sum(r["clashes"] for r in results),
            "client_cpu_seconds": round(sum(r["client_cpu"] for r in results), 1),
            "server_cpu_seconds": round(sum(servers), 1) if None not in servers else None,
            "load_average": os.getloadavg()[0]}


async def bare_table(dsn: str, drop: bool) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_customers_bare")
        if not drop:
            await conn.execute("CREATE TABLE bench_customers_bare (LIKE customers INCLUDING DEFAULTS INCLUDING GENERATED)")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--org", required=True)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--offset", type=int, default=None,
                        help="first row number (phones follow it); default: the number of rows the table holds")
    parser.add_argument("--seed", default=None, help="the rows' random draws; default: the offset")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--chunk", type=int, default=CHUNK, help="rows per COPY")
    parser.add_argument("--reference", action="store_true",
                        help="then COPY the same rows into a table without indexes, constraints or triggers "
                             "(generated columns kept) and drop it: the same-run floor")
    indexes = parser.add_mutually_exclusive_group()
    indexes.add_argument("--keep-indexes", action="store_true",
                         help="into empty tables too, maintain the indexes row by row instead of building them after")
    indexes.add_argument("--rebuild-indexes", action="store_true",
                         help="into tables that hold rows too, build the indexes after the rows (cheaper when the "
                              "load is about as large as the table or larger; searches and lists scan meanwhile)")
    parser.add_argument("--dsn", default=os.environ.get("CRM_CUSTOMERS_DATABASE_URL", DEFAULT_DSN))
    args = parser.parse_args()
    org = json.load(open(args.org))
    leftover = asyncio.run(build_deferred(args.dsn, args.workers))  # a load killed before its indexes were built
    if leftover:
        print(json.dumps({"indexes_of_an_interrupted_load": leftover}), flush=True)
    offset = args.offset if args.offset is not None else asyncio.run(first_free_row(args.dsn))
    seed = args.seed if args.seed is not None else str(offset)
    deferred = not args.keep_indexes and asyncio.run(defer_indexes(args.dsn, even_with_rows=args.rebuild_indexes))
    result = load(args.dsn, org, args.count, offset, args.workers, seed, chunk=args.chunk)
    if deferred:
        built = asyncio.run(build_deferred(args.dsn, args.workers)) or {}
        result = {**result, "copy_seconds": result["seconds"], **built,
                  "seconds": round(result["seconds"] + built.get("index_build_seconds", 0), 1)}
        result["rows_per_second"] = round(args.count / result["seconds"])
    print(json.dumps(result), flush=True)
    if args.reference:
        asyncio.run(bare_table(args.dsn, drop=False))
        try:
            print(json.dumps(load(args.dsn, org, args.count, offset, args.workers, seed, "bench_customers_bare",
                                  args.chunk)), flush=True)
        finally:
            asyncio.run(bare_table(args.dsn, drop=True))


if __name__ == "__main__":
    main()
