"""Load realistic customers straight into the customers database with COPY, for benchmarks.

Vietnamese names with diacritics, unique valid mobile numbers (E.164), the 34 provinces, statuses,
labels, birthdays, creation dates over two years, owners spread over the 300 benchmark teams
(10 synthetic reps per team) and a share owned by the benchmark rep of bench_org.py.

    .venv/bin/python bench/generate_customers.py --org .local/bench/org.json --count 1000000

Rows go in with COPY from two worker processes (one per core); the search columns and indexes
are maintained by PostgreSQL as for any insert, so the time includes them.
"""
from __future__ import annotations

import argparse
import asyncio
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
CHUNK = 20_000
REPS_PER_TEAM = 10


def phone(i: int) -> str:
    """A bijection from i to mobile numbers: prefix by i mod 31, 7 digits from a permutation of i // 31."""
    prefix = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)]
    return f"+84{prefix}{(i // len(MOBILE_PREFIXES) * 7_919 + 1_234_567) % 10_000_000:07d}"


def rows(start: int, stop: int, org: dict, seed: int):
    rnd = random.Random(seed)
    provinces = list_provinces()
    teams = org["teams"]
    reps = [(uuid.UUID(int=(t + 1) * 1000 + r), teams[t]) for t in range(len(teams)) for r in range(REPS_PER_TEAM)]
    bench_rep = (uuid.UUID(org["rep"]["id"]), {"id": org["rep"]["unit_id"], "path": org["rep"]["path"]})
    epoch = datetime(2024, 11, 1, tzinfo=UTC)
    for i in range(start, stop):
        owner, team = bench_rep if i % 500 == 0 else reps[rnd.randrange(len(reps))]
        given = rnd.choice(GIVENS)
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLES)} {given}"
        created = epoch + timedelta(seconds=rnd.randrange(2 * 365 * 86400))
        province = rnd.choice(provinces)
        yield (
            uuid.UUID(int=rnd.getrandbits(128) | (1 << 127)), name, phone(i),
            f"kh{i}@example.vn" if rnd.random() < 0.4 else None,
            "customer" if rnd.random() < 0.2 else "lead", "individual", rnd.choice(STATUSES),
            owner, uuid.UUID(team["id"]), team["path"], owner, 1, created, created,
            date(1960, 1, 1) + timedelta(days=rnd.randrange(16_000)) if rnd.random() < 0.6 else None,
            province.code, province.name, rnd.choice(("male", "female")), rnd.choice(SOURCES),
            rnd.sample(LABELS, rnd.choice((0, 0, 1, 1, 2))),
        )


async def load_range(dsn: str, start: int, stop: int, org: dict) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET synchronous_commit = off")
        await conn.execute("SET gin_pending_list_limit = '256MB'")
        for chunk_start in range(start, stop, CHUNK):
            chunk = list(rows(chunk_start, min(chunk_start + CHUNK, stop), org, seed=chunk_start))
            await conn.copy_records_to_table("customers", records=chunk, columns=COLUMNS)
    finally:
        await conn.close()


def worker(args: tuple) -> None:
    asyncio.run(load_range(*args))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--org", required=True)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--offset", type=int, default=0, help="first row number (phones are unique per number)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--dsn", default=os.environ.get(
        "CRM_CUSTOMERS_DATABASE_URL", f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers"))
    args = parser.parse_args()
    org = json.load(open(args.org))
    step = -(-args.count // args.workers)
    ranges = [(args.dsn, args.offset + s, args.offset + min(s + step, args.count), org)
              for s in range(0, args.count, step)]
    started = time.perf_counter()
    with multiprocessing.Pool(len(ranges)) as pool:
        pool.map(worker, ranges)
    elapsed = time.perf_counter() - started
    print(json.dumps({"rows": args.count, "seconds": round(elapsed, 1), "rows_per_second": round(args.count / elapsed)}))


if __name__ == "__main__":
    main()
