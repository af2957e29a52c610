"""Measure one import chunk applied by the customers service (not a test: run it by hand).

    source /work/notes/env-i<k>.sh; eval "$(deploy/local/crm-local env)"
    .venv/bin/python services/customers/tests/bench_import_chunk.py [--rows 5000] [--rounds 5]

A database migrated as the service's (crmkit.testing.temp_database), an importer (rep) in the
directory, a table grown to `--base` customers by the import itself; then for each round one chunk
of `--rows` rows × 15 mapped columns (Vietnamese names with diacritics, phones in mixed writings,
e-mails, provinces with old names, dd/mm/yyyy birthdays, a select and a number attribute), applied
by `handlers.imports.apply_import_chunk` in one committed transaction: all new rows, then rows of
which half hold the phone of an existing customer of the importer (updates). Prints the median of
the rounds, and apart the pure row checks (`import_rows.check_rows`) of the same rows.

    … bench_import_chunk.py --overlap 12 [--rows 2900] [--rounds 3]

instead applies 12 new chunks one after the other, then 12 others by two workers side by side
(as the service's two import consumers do: `consumers.IMPORT_MEMBERS`), alternately for each
round (the machine is shared: alternating spreads its load over both); prints the wall and CPU
seconds (this process and PostgreSQL's backends) of each.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from pathlib import Path

from crmkit import directory
from crmkit.db import create_pool
from crmkit.events import Envelope
from crmkit.testing import temp_database

from crm_customers import consumed_events as consumed
from crm_customers.domain import import_rows
from crm_customers.handlers.attributes import create_attribute
from crm_customers.handlers.customers import configuration
from crm_customers.handlers.imports import apply_import_chunk

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
FIELDS = ["name", "phone", "email", "birthday", "province", "gender", "address", "source", "company_name",
          "position", "customer_type", "industry", "note", "attributes.tier", "attributes.budget"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quốc"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Linh", "Nam", "Phúc", "Quân", "Thảo"]
PROVINCES = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hà Giang", "Bình Dương", "Thừa Thiên Huế", "Cần Thơ"]
PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "032", "033", "035", "038", "070", "077", "081", "085"]


def writing(rng: random.Random, number: int) -> str:
    """A distinct mobile number in one of the writings people use."""
    national = PREFIXES[number % len(PREFIXES)] + f"{number // len(PREFIXES):07d}"
    form = rng.randrange(4)
    if form == 0:
        return national
    if form == 1:
        return f"+84 {national[1:4]} {national[4:7]} {national[7:]}"
    if form == 2:
        return f"{national[:4]}.{national[4:7]}.{national[7:]}"
    return "84" + national[1:]


def row_values(rng: random.Random, number: int) -> list[str | None]:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return [name, writing(rng, number), f"khach{number}@example.vn",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2004)}",
            rng.choice(PROVINCES), rng.choice(["Nam", "Nữ", None]), f"{rng.randint(1, 300)} Lê Lợi, phường Bến Thành",
            "Hội chợ", rng.choice([None, "Công ty TNHH Minh Phát"]), rng.choice([None, "Giám đốc"]), "Bán lẻ",
            "Thực phẩm", None, rng.choice(["gold", "Bạc"]), str(rng.randint(1, 10**7))]


def chunk(importer: uuid.UUID, numbers: list[int], rng: random.Random) -> tuple[consumed.ImportChunk, uuid.UUID]:
    job = uuid.uuid4()
    data = {"job_id": job, "chunk_no": 0, "importer_id": importer, "fields": FIELDS,
            "rows": [{"row": i + 2, "values": row_values(rng, n)} for i, n in enumerate(numbers)]}
    return consumed.ImportChunk.model_validate(data), uuid.uuid5(job, "chunk-0")


async def apply(pool, command: consumed.ImportChunk, batch_id: uuid.UUID) -> float:
    async with pool.acquire() as conn:
        start = time.perf_counter()
        async with conn.transaction():
            await apply_import_chunk(conn, command=command, batch_id=batch_id)
        return time.perf_counter() - start


async def bare_copy(pool, importer: uuid.UUID, numbers: list[int], rng: random.Random) -> float:
    """The baseline: the same number of already-clean rows COPYed straight into customers (every
    index and generated column of the table, nothing checked, no events)."""
    records = [(uuid.uuid4(), f"Khách {n}", f"+84{800000000 + n}", f"bare{n}@example.vn", "Hội chợ", importer,
                "/r/b1/t1/", "new") for n in numbers]
    async with pool.acquire() as conn:
        start = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table("customers", records=records, columns=[
                "id", "name", "phone", "email", "source", "owner_id", "owner_unit_path", "status"])
        return time.perf_counter() - start


async def main(rows: int, rounds: int, base: int) -> None:
    rng = random.Random(11)
    async with temp_database(MIGRATIONS) as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=2)
        importer = uuid.uuid4()
        user = {"id": str(importer), "username": "rep", "unit_id": str(uuid.uuid4()), "unit_path": "/r/b1/t1/",
                "roles": ["sales"], "active": True}
        async with pool.acquire() as conn:
            await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                    subject=user["id"], data=user))
        admin = type("Admin", (), {"user_id": uuid.uuid4()})()
        await create_attribute(pool, principal=admin, values={  # type: ignore[arg-type]
            "key": "tier", "name": "Hạng", "type": "select",
            "options": [{"value": "gold", "label": "Vàng"}, {"value": "silver", "label": "Bạc"}]})
        await create_attribute(pool, principal=admin, values={  # type: ignore[arg-type]
            "key": "budget", "name": "Ngân sách", "type": "number"})
        next_number = 0
        for _ in range(base // rows):  # grow the table with the import itself
            await apply(pool, *chunk(importer, list(range(next_number, next_number + rows)), rng))
            next_number += rows
        await pool.execute("DELETE FROM outbox")
        await pool.execute("VACUUM ANALYZE customers")

        new, mixed, bare = [], [], []
        for round_no in range(rounds):
            bare.append(await bare_copy(pool, importer, list(range(round_no * rows, (round_no + 1) * rows)), rng))
            numbers = list(range(next_number, next_number + rows))
            next_number += rows
            new.append(await apply(pool, *chunk(importer, numbers, rng)))
            half = rng.sample(range(next_number - rows), rows // 2)  # existing, the importer's own
            fresh = list(range(next_number, next_number + rows - rows // 2))
            next_number += len(fresh)
            mixed.append(await apply(pool, *chunk(importer, half + fresh, rng)))
        async with pool.acquire() as conn:
            config = await configuration(conn)
        command, _ = chunk(importer, list(range(rows)), rng)
        start = time.perf_counter()
        import_rows.check_rows(command.fields, [(r.row, r.values) for r in command.rows], config=config)
        checks = time.perf_counter() - start
        total = await pool.fetchval("SELECT count(*) FROM customers")
        await pool.close()
    print(f"table: {total} customers after the runs ({base} before); {rows} rows × {len(FIELDS)} columns a chunk")
    print(f"all new:        median {statistics.median(new) * 1000:.0f} ms  (runs: "
          f"{', '.join(f'{t * 1000:.0f}' for t in new)})")
    print(f"half updates:   median {statistics.median(mixed) * 1000:.0f} ms  (runs: "
          f"{', '.join(f'{t * 1000:.0f}' for t in mixed)})")
    print(f"bare COPY:      median {statistics.median(bare) * 1000:.0f} ms  (runs: "
          f"{', '.join(f'{t * 1000:.0f}' for t in bare)})")
    print(f"row checks only (pure, one core): {checks * 1000:.0f} ms = {checks / rows * 1e6:.0f} µs a row")


async def _backends_cpu_s(pool) -> float:
    """CPU seconds of this database's backends (/proc: PostgreSQL on this machine)."""
    pids = [r["pid"] for r in await pool.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def overlap(rows: int, rounds: int, chunks: int) -> None:
    rng = random.Random(12)
    async with temp_database(MIGRATIONS) as dsn:
        pool = await create_pool(dsn, min_size=2, max_size=2)
        importer = await _importer(pool)
        next_number = 0

        async def run(workers: int) -> tuple[float, float, float]:
            nonlocal next_number
            commands = []
            for _ in range(chunks):
                commands.append(chunk(importer, list(range(next_number, next_number + rows)), rng))
                next_number += rows
            queue = list(reversed(commands))

            async def worker() -> None:
                while queue:
                    await apply(pool, *queue.pop())
            cpu, pg = time.process_time(), await _backends_cpu_s(pool)
            start = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(workers)))
            wall = time.perf_counter() - start
            return wall, time.process_time() - cpu, await _backends_cpu_s(pool) - pg

        await run(1)  # warm-up: caches, statements, the table's first pages
        results: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
        for round_no in range(rounds):
            for workers in ((1, 2) if round_no % 2 == 0 else (2, 1)):
                results[workers].append(await run(workers))
                print(f"round {round_no + 1}, {workers} worker(s): wall {results[workers][-1][0]:.2f} s, "
                      f"CPU here {results[workers][-1][1]:.2f} s, PostgreSQL {results[workers][-1][2]:.2f} s, "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
        total = await pool.fetchval("SELECT count(*) FROM customers")
        await pool.close()
    print(f"{chunks} chunks of {rows} new rows × {len(FIELDS)} columns per run; table {total} customers at the end")
    for workers, runs in results.items():
        walls = [w for w, _, _ in runs]
        print(f"{workers} worker(s): median wall {statistics.median(walls):.2f} s "
              f"({statistics.median(walls) / chunks * 1000:.0f} ms a chunk), CPU here "
              f"{statistics.median(c for _, c, _ in runs):.2f} s, PostgreSQL {statistics.median(p for _, _, p in runs):.2f} s")


async def _importer(pool) -> uuid.UUID:
    importer = uuid.uuid4()
    user = {"id": str(importer), "username": "rep", "unit_id": str(uuid.uuid4()), "unit_path": "/r/b1/t1/",
            "roles": ["sales"], "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                subject=user["id"], data=user))
    admin = type("Admin", (), {"user_id": uuid.uuid4()})()
    await create_attribute(pool, principal=admin, values={  # type: ignore[arg-type]
        "key": "tier", "name": "Hạng", "type": "select",
        "options": [{"value": "gold", "label": "Vàng"}, {"value": "silver", "label": "Bạc"}]})
    await create_attribute(pool, principal=admin, values={  # type: ignore[arg-type]
        "key": "budget", "name": "Ngân sách", "type": "number"})
    return importer


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--base", type=int, default=50_000)
    parser.add_argument("--overlap", type=int, default=0, help="chunks per run: one worker against two")
    arguments = parser.parse_args()
    if arguments.overlap:
        asyncio.run(overlap(arguments.rows, arguments.rounds, arguments.overlap))
    else:
        asyncio.run(main(arguments.rows, arguments.rounds, arguments.base))
