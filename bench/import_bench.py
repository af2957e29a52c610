"""The import benchmark of issue 11 ("Performance"), end to end through the gateway against a
running platform (`make up`, or a private stack of deploy/local/crm-local):

    CRM_GATEWAY_RATE_LIMIT_USER_PER_MINUTE=1000000 CRM_GATEWAY_RATE_LIMIT_USER_BURST=100000 \\
    CRM_IMPORT_MAX_UPLOAD_BYTES=209715200 CRM_GATEWAY_IMPORT_UPLOAD_MAX_BYTES=209715200 deploy/local/crm-local up
    .venv/bin/python bench/import_bench.py --rows 100000
    .venv/bin/python bench/import_bench.py --rows 1000000

(The generated million-row file is ~110 MB: xlsxwriter's constant-memory mode writes every string
inline, where Excel would share them; the service's default upload limit is 100 MB, hence the
raised CRM_IMPORT_MAX_UPLOAD_BYTES. The raised per-user rate limit lets the bench poll freely.)

The file (generated once, cached as .local/bench/import_bench_<rows>.xlsx) is bench/import_readers.py's
realistic 15-column customer sheet (Vietnamese names with diacritics, dates as cells and as text, a
formula…) with its phones chosen here: unique 9-digit mobile numbers in six writings (0912 345 678,
+84912345678, 84-91-234-5678, 0912.345.678, 0912345678, and a number cell that lost its 0), and
- 5% invalid rows (row % 20 == 3): in turn a too-short phone, a bad e-mail, 31/02/1990, an unknown
  gender, an unknown province, a blank name;
- 5% phones that already exist (row % 20 == 11): created before the run by a first import of a
  CSV of those phones (`<name>,0<9 digits>`, through the same API: no COPY behind the services'
  backs); the run updates them; re-posting that CSV returns its first job (M-6), so a second run
  on the same stack seeds nothing;
- 1% duplicates inside the file (row % 100 == 50): the phone of row - 37 in another writing.
The 100,000-row file has other phones than the million's (both can run on one stack). Each run
imports into a new group (a new name each run: a new job, not the previous one), so a second run
of the same file on the same stack finds its customers already there (updates instead of creates).

Mapped: name, phone, email, birthday, gender, province, address, company_name, source, note
(10 of the 15 columns: the tax codes are random digits that fail the checksum; status values are
not the configured ones; counts and amounts have no attribute defined).

Measured in one run (each a JSON line on stdout and in .local/bench/results.jsonl):
1. upload (multipart through the gateway) → job `completed` (polled every 0.25 s), the counters
   (created + updated + failed + duplicates_in_file = rows, and against what the file holds), the
   customers written since the start counted in crm_customers, then how long until the last row's
   customer is found by GET /customers?q=<its phone> and its timeline has the `imported` line;
2. the import service's RSS (/proc/<pid>/status VmRSS, pid from $CRM_LOCAL_DIR/run/import.pid)
   every 0.5 s: idle, peak during the upload, peak during the job;
3. the gaps between `event: progress` messages of GET /imports/{id}/events (through the gateway);
4. where the time went, from crm_import.job_chunks (sent_at, applied_at): reading and sending,
   waiting for answers (in flight), the customers service's pace between answers; and the CPU
   seconds each process of the stack used from the upload to `completed` (/proc/<pid>/stat);
5. the reference, in a child process after the import: python-calamine parses the same file (all
   rows to Python lists), then the same rows (in-file duplicates left out: the phone is unique) are
   COPYed into a customers table made by the customers service's own migrations (every index) in
   a scratch database on the same PostgreSQL, dropped afterwards; import / (parse + COPY).
The machine is shared: the 1-minute load average is reported beside every number.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_readers as sheet_maker  # noqa: E402  (bench/import_readers.py: the realistic sheet)

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".local" / "bench"
GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
PG = f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}"
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
LOCAL_DIR = Path(os.environ.get("CRM_LOCAL_DIR", ROOT / ".local" / "dev"))
CUSTOMERS_MIGRATIONS = ROOT / "services" / "customers" / "migrations"

# field → 1-based column of import_readers.HEADERS
MAPPING = {"name": 1, "phone": 2, "email": 3, "birthday": 4, "gender": 5, "province": 6, "address": 7,
           "company_name": 9, "source": 10, "note": 15}
# (0-based column, text) written over an invalid row, in turn
SPOILS = [(1, "0{row} (thiếu số)"), (2, "kh.khong-hop-le@@example"), (3, "31/02/1990"), (4, "Không rõ"),
          (5, "Tỉnh Mây Trắng"), (0, " ")]
DUPLICATE_OF = 37  # a duplicate row repeats the phone of the row this far above, in another writing
# the million's phones come from rows 1..1,000,000 of the bijection, another size's from
# 1,000,000 + rows onwards: the 100,000-row file and the million share no phone
PHONE_BASE = {1_000_000: 0}
# --variant N (N ≥ 1): the same sheet with other phones, so that runs before and after a change on
# one stack both create their customers (a second run of one file updates them instead): rows of
# the bijection no other file uses — the 100,000-row variants 1-10 from 2,000,000 + (N - 1) × rows,
# the million's 1-7 from 8, 9, 3, 4, 5, 6, 7 million
VARIANT = 0
MILLION_VARIANTS = [8, 9, 3, 4, 5, 6, 7]  # × 1,000,000
# import_readers.PREFIXES without 89: phonenumbers (the customers service's rules) takes only some 089x
PREFIXES = [prefix for prefix in sheet_maker.PREFIXES if prefix != "89"]


# --- the file -------------------------------------------------------------------------------------


def kind(row: int) -> str:
    """What a data row (1-based, under the header) is meant to test."""
    if row % 20 == 3:
        return "invalid"
    if row % 20 == 11:
        return "existing"
    if row % 100 == 50:
        return "duplicate"
    return "new"


def expected(rows: int) -> dict[str, int]:
    counts = {"new": 0, "invalid": 0, "existing": 0, "duplicate": 0}
    for row in range(1, rows + 1):
        counts[kind(row)] += 1
    return counts


def phone_body(row: int, rows: int) -> str:
    """The 9 digits after the 0 of a row's phone: unique (an affine bijection of 0..10^7-1)."""
    base = PHONE_BASE.get(rows, 1_000_000 + rows)
    if VARIANT and rows <= 100_000:
        base = 2_000_000 + (VARIANT - 1) * rows
        assert base + rows <= 3_000_000, "no variant that far (the million's variants come next)"
    elif VARIANT:
        assert rows == 1_000_000 and VARIANT <= len(MILLION_VARIANTS), "no such variant of this size"
        base = MILLION_VARIANTS[VARIANT - 1] * 1_000_000
    return PREFIXES[row % len(PREFIXES)] + f"{((row + base) * 7_654_321 + 1_234_567) % 10**7:07d}"


def phone_cell(row: int, rows: int) -> str | int:
    source = row - DUPLICATE_OF if kind(row) == "duplicate" else row
    return sheet_maker._phone(None, phone_body(source, rows), form=row % 6)  # type: ignore[arg-type]


def spoiled(row: int) -> dict[int, str]:
    if kind(row) != "invalid":
        return {}
    column, text = SPOILS[(row // 20) % len(SPOILS)]
    return {column: text.format(row=row)}  # a short phone of its own: not a duplicate of the others


def files(rows: int) -> tuple[Path, Path]:
    """The sheet and the CSV of the phones that must exist before it is imported (made once)."""
    suffix = f"_variant{VARIANT}" if VARIANT else ""
    sheet = STATE / f"import_bench_{rows}{suffix}.xlsx"
    seed = STATE / f"import_bench_{rows}{suffix}_existing.csv"
    if not seed.exists():
        lines = ["Tên,Số điện thoại"] + [f"Khách cũ {row},0{phone_body(row, rows)}"
                                          for row in range(1, rows + 1) if kind(row) == "existing"]
        STATE.mkdir(parents=True, exist_ok=True)
        seed.write_text("\n".join(lines) + "\n")
    if not sheet.exists():
        started = time.perf_counter()
        sheet_maker.generate(sheet, rows, phone=lambda row, _rnd: phone_cell(row, rows), spoil=spoiled)
        print(f"# generated {sheet} ({sheet.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    return sheet, seed


# --- reporting ------------------------------------------------------------------------------------


def load() -> float:
    return round(os.getloadavg()[0], 1)


def report(name: str, **values: Any) -> None:
    line = json.dumps({"bench": name, **values, "machine": sheet_maker._machine(),
                       "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}, ensure_ascii=False, default=str)
    print(line, flush=True)
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "results.jsonl", "a") as results:
        results.write(line + "\n")


class Sampler(threading.Thread):
    """The import service's RSS (MiB) and the load average, every 0.5 s, with the time."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    @staticmethod
    def rss_mib(pid: int) -> float:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.monotonic(), self.rss_mib(self.pid), os.getloadavg()[0]))
            self.stop.wait(0.5)

    def peak(self, start: float, end: float) -> float:
        return max((rss for at, rss, _ in self.samples if start <= at <= end), default=0.0)

    def mean_load(self, start: float, end: float) -> float:
        loads = [avg for at, _, avg in self.samples if start <= at <= end]
        return round(statistics.fmean(loads), 1) if loads else load()


def _cpu_s(pid: int) -> float:
    """utime + stime of a process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot() -> dict[str, float]:
    """CPU seconds used so far by each process of the stack: the services and Kafka (their pid
    files), PostgreSQL (the postmaster and its children: backends, WAL writer, checkpointer…)."""
    used = {path.stem: _cpu_s(int(path.read_text())) for path in (LOCAL_DIR / "run").glob("*.pid")}
    postmaster = int((LOCAL_DIR / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    postgres = _cpu_s(postmaster)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            postgres += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    used["postgres"] = postgres
    return used


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: round(after.get(name, 0.0) - spent, 1) for name, spent in before.items()
            if after.get(name, 0.0) - spent >= 0.05}


# --- through the gateway --------------------------------------------------------------------------


async def login(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def upload(client: httpx.AsyncClient, headers: dict[str, str], path: Path) -> dict[str, Any]:
    with open(path, "rb") as file:
        response = await client.post("/api/v1/imports/uploads", headers=headers, files={"file": (path.name, file)})
    assert response.status_code == 201, response.text
    return response.json()


async def start(client: httpx.AsyncClient, headers: dict[str, str], upload_id: str, mapping: dict[str, int],
                group: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"upload_id": upload_id, "start_row": 2, "mapping": mapping}
    if group:
        body["new_group"] = {"name": group}
    response = await client.post("/api/v1/imports", headers=headers, json=body)
    assert response.status_code in (200, 202), response.text
    return response.json()


async def finished(client: httpx.AsyncClient, headers: dict[str, str], job_id: str, *,
                   interval: float = 0.25) -> tuple[dict[str, Any], float]:
    while True:
        job = (await client.get(f"/api/v1/imports/{job_id}", headers=headers)).json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job, time.monotonic()
        await asyncio.sleep(interval)


async def progress_times(client: httpx.AsyncClient, headers: dict[str, str], job_id: str) -> list[float]:
    """When each `event: progress` of the job's SSE stream arrived (monotonic seconds)."""
    times: list[float] = []
    async with client.stream("GET", f"/api/v1/imports/{job_id}/events", headers=headers, timeout=None) as stream:
        async for line in stream.aiter_lines():
            if line == "event: progress":
                times.append(time.monotonic())
            elif line == "event: end":
                break
    return times


async def searchable(client: httpx.AsyncClient, headers: dict[str, str], phone: str, *,
                     timeout: float = 900) -> tuple[str | None, float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = (await client.get("/api/v1/customers", params={"q": phone}, headers=headers)).json()["items"]
        if items:
            return items[0]["id"], time.monotonic()
        await asyncio.sleep(0.25)
    return None, time.monotonic()


async def on_timeline(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, *,
                      timeout: float = 1800) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = await client.get(f"/api/v1/customers/{customer_id}/timeline", headers=headers)
        items = response.json().get("items", []) if response.status_code == 200 else []  # 404: not known yet
        if any(item["type"] == "imported" for item in items):
            return time.monotonic()
        await asyncio.sleep(0.5)
    return None


async def seed_existing(client: httpx.AsyncClient, headers: dict[str, str], seed: Path) -> dict[str, Any]:
    """The customers whose phones the file's 'existing' rows carry: a first import of a CSV."""
    started = time.monotonic()
    uploaded = await upload(client, headers, seed)
    job = await start(client, headers, uploaded["id"], {"name": 1, "phone": 2})
    job, ended = await finished(client, headers, job["id"], interval=0.5)
    return {"job_id": job["id"], "status": job["status"], "rows": job["total_rows"], "created": job["created"],
            "updated": job["updated"], "failed": job["failed"], "seconds": round(ended - started, 1)}


# --- where the time went --------------------------------------------------------------------------


async def chunk_timings(job_id: str) -> dict[str, Any]:
    """From crm_import: when each chunk was sent (its transaction with the outbox command) and
    answered; the job's start and end."""
    conn = await asyncpg.connect(f"{PG}/crm_import")
    try:
        job = await conn.fetchrow("SELECT created_at, started_at, finished_at FROM jobs WHERE id = $1",
                                  uuid.UUID(job_id))
        chunks = await conn.fetch("SELECT chunk_no, rows, sent_at, applied_at FROM job_chunks WHERE job_id = $1"
                                  " ORDER BY chunk_no", uuid.UUID(job_id))
    finally:
        await conn.close()
    if not chunks:
        return {}
    sent = [c["sent_at"] for c in chunks]
    applied = sorted(c["applied_at"] for c in chunks if c["applied_at"])
    latency = [(c["applied_at"] - c["sent_at"]).total_seconds() for c in chunks if c["applied_at"]]
    paces = [(b - a).total_seconds() for a, b in zip(applied, applied[1:], strict=False)]
    # a chunk's own apply time ~ the gap before its answer while the customers consumer is busy
    in_flight = [sum(1 for o in chunks if o["sent_at"] <= c["sent_at"] and (o["applied_at"] or c["sent_at"]) >
                     c["sent_at"]) for c in chunks]

    def s(a: dt.datetime, b: dt.datetime) -> float:
        return round((b - a).total_seconds(), 2)

    return {
        "chunks": len(chunks), "rows_per_chunk": chunks[0]["rows"],
        "queued_to_started_s": s(job["created_at"], job["started_at"]),
        "started_to_first_sent_s": s(job["started_at"], sent[0]),
        "first_to_last_sent_s": s(sent[0], sent[-1]),
        "first_sent_to_first_applied_s": s(sent[0], applied[0]) if applied else None,
        "first_to_last_applied_s": s(applied[0], applied[-1]) if applied else None,
        "last_applied_to_finished_s": s(applied[-1], job["finished_at"]) if applied and job["finished_at"] else None,
        "answer_pace_median_s": round(statistics.median(paces), 3) if paces else None,
        "answer_pace_p90_s": round(sorted(paces)[int(len(paces) * 0.9)], 3) if paces else None,
        "sent_to_applied_median_s": round(statistics.median(latency), 2) if latency else None,
        "sent_to_applied_max_s": round(max(latency), 2) if latency else None,
        "in_flight_when_sent_median": statistics.median(in_flight),
        "in_flight_when_sent_max": max(in_flight),
    }


async def written_since(since: dt.datetime) -> dict[str, int]:
    conn = await asyncpg.connect(f"{PG}/crm_customers")
    try:
        row = await conn.fetchrow("SELECT count(*) FILTER (WHERE created_at >= $1) AS created,"
                                  " count(*) FILTER (WHERE created_at < $1 AND updated_at >= $1) AS updated"
                                  " FROM customers WHERE updated_at >= $1", since)
        return dict(row)
    finally:
        await conn.close()


# --- the run --------------------------------------------------------------------------------------


async def run(rows: int, sheet: Path, seed: Path) -> dict[str, Any]:
    pid = int((LOCAL_DIR / "run" / "import.pid").read_text())
    counts = expected(rows)
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=600) as client:
        headers = await login(client)
        report("import_seed_existing", rows_in_file=rows, load_avg_1m=load(),
               **await seed_existing(client, headers, seed))
        await asyncio.sleep(2)
        sampler = Sampler(pid)
        sampler.start()
        await asyncio.sleep(1.6)
        idle = min(rss for _, rss, _ in sampler.samples)
        since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        load_before = load()
        cpu_before = cpu_snapshot()
        t0 = time.monotonic()
        uploaded = await upload(client, headers, sheet)
        t_uploaded = time.monotonic()
        group = f"Bench import {rows} {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S}"
        job = await start(client, headers, uploaded["id"], MAPPING, group=group)
        t_posted = time.monotonic()
        sse = asyncio.create_task(progress_times(client, headers, job["id"]))
        job, t_done = await finished(client, headers, job["id"])
        cpu_after = cpu_snapshot()
        last_phone = "0" + phone_body(max(r for r in range(rows - 100, rows + 1) if kind(r) == "new"), rows)
        customer_id, t_found = await searchable(client, headers, last_phone, timeout=900 if job["created"] else 5)
        t_timeline = await on_timeline(client, headers, customer_id) if customer_id else None
        sampler.stop.set()
        try:
            events = await asyncio.wait_for(sse, 30)
        except TimeoutError:
            events = []
    written = await written_since(since)
    gaps = [b - a for a, b in zip(events, events[1:], strict=False)]
    total = job["created"] + job["updated"] + job["failed"] + job["duplicates_in_file"]
    result = {
        "rows": rows, "file_mb": round(sheet.stat().st_size / 2**20, 1), "job_id": job["id"], "status": job["status"],
        "upload_s": round(t_uploaded - t0, 2), "post_s": round(t_posted - t_uploaded, 2),
        "upload_to_completed_s": round(t_done - t0, 2), "upload_to_searchable_s": round(t_found - t0, 2),
        "upload_to_timeline_s": round(t_timeline - t0, 2) if t_timeline else None,
        "created": job["created"], "updated": job["updated"], "failed": job["failed"],
        "duplicates_in_file": job["duplicates_in_file"], "total_rows": job["total_rows"],
        "counters_add_up": total == rows == job["total_rows"] == job["processed_rows"],
        "expected": {"created": counts["new"], "updated": counts["existing"], "failed": counts["invalid"],
                     "duplicates_in_file": counts["duplicate"]},
        "customers_written_since_start": written,
        "rss_idle_mib": round(idle), "rss_upload_peak_mib": round(sampler.peak(t0, t_uploaded)),
        "rss_job_peak_mib": round(sampler.peak(t_uploaded, t_done)),
        "rss_peak_above_idle_mib": round(sampler.peak(t0, t_done) - idle),
        "progress_events": len(events), "progress_gap_max_s": round(max(gaps), 2) if gaps else None,
        "progress_gaps_over_1s": sum(1 for gap in gaps if gap > 1.05),
        "progress_gap_median_s": round(statistics.median(gaps), 2) if gaps else None,
        "load_avg_1m_before": load_before, "load_avg_1m_during": sampler.mean_load(t0, t_done),
        "cpu_s_upload_to_completed": cpu_used(cpu_before, cpu_after),  # postgres: only backends alive at both ends
        "timings": await chunk_timings(job["id"]),
    }
    report("import_end_to_end", **result)
    return result


# --- the reference: bare parse + bare COPY (a child process: its memory is its own) ---------------


def parse_all(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as workbook:
        return list(workbook.get_sheet_by_index(0).iter_rows())


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(str(value), "%d/%m/%Y").date()
    except ValueError:
        return None


GENDERS = {"Nam": "male", "Nữ": "female", "Khác": "other"}


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


COPY_COLUMNS = ["id", "name", "phone", "email", "birthday", "gender", "province_name", "address", "company_name",
                "source", "note", "owner_id", "created_by"]


def records(table: list[list[Any]]) -> list[tuple[Any, ...]]:
    """The mapped cells as the customers table's columns: the phone reduced to +84 and 9 digits
    (the same key as the import's duplicate check: in-file duplicates left out)."""
    import re

    not_digits = re.compile(r"\D")
    owner = uuid.uuid4()
    seen: set[str] = set()
    out = []
    for cells in table[1:]:
        digits = not_digits.sub("", str(int(cells[1])) if isinstance(cells[1], float) else str(cells[1]))
        digits = (digits[2:] if digits.startswith("84") and len(digits) >= 11 else digits).lstrip("0")
        if digits in seen:
            continue
        seen.add(digits)
        out.append((uuid.uuid4(), _text(cells[0]) or "-", "+84" + digits, _text(cells[2]), _date(cells[3]),
                    GENDERS.get(cells[4]), _text(cells[5]), _text(cells[6]), _text(cells[8]), _text(cells[9]),
                    _text(cells[14]), owner, owner))
    return out


async def copy_reference(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    from crmkit.db import migrate

    name = f"bench_import_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(f"{PG}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        conn = await asyncpg.connect(f"{PG}/{name}")
        try:
            await migrate(conn, CUSTOMERS_MIGRATIONS)
            indexes = await conn.fetchval("SELECT count(*) FROM pg_indexes WHERE tablename = 'customers'")
            load_before = load()
            started = time.perf_counter()
            await conn.copy_records_to_table("customers", records=rows, columns=COPY_COLUMNS)
            seconds = time.perf_counter() - started
            return {"copy_s": round(seconds, 2), "copied_rows": len(rows), "indexes": indexes,
                    "copy_load_avg_1m": round((load_before + load()) / 2, 1)}
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def reference(path: Path) -> dict[str, Any]:
    load_before = load()
    started = time.perf_counter()
    table = parse_all(path)
    parse_s = time.perf_counter() - started
    parse_load = round((load_before + load()) / 2, 1)
    started = time.perf_counter()
    rows = records(table)
    del table
    prepare_s = time.perf_counter() - started
    copied = asyncio.run(copy_reference(rows))
    return {"file": path.name, "parse_s": round(parse_s, 2), "parse_load_avg_1m": parse_load,
            "prepare_s": round(prepare_s, 2), **copied}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--variant", type=int, default=0, help="other phones (before/after runs on one stack)")
    parser.add_argument("--reference", help=argparse.SUPPRESS)  # child mode: the reference of one file
    args = parser.parse_args()
    if args.reference:
        print(json.dumps(reference(Path(args.reference))), flush=True)
        return
    global VARIANT
    VARIANT = args.variant
    sheet, seed = files(args.rows)
    if args.generate_only:
        return
    result = asyncio.run(run(args.rows, sheet, seed))
    if args.no_reference:
        return
    child = subprocess.run([sys.executable, __file__, "--reference", str(sheet)], capture_output=True, text=True,
                           check=True)
    ref = json.loads(child.stdout.strip().splitlines()[-1])
    bare = ref["parse_s"] + ref["copy_s"]
    report("import_reference", rows=args.rows, **ref, parse_plus_copy_s=round(bare, 2),
           import_s=result["upload_to_completed_s"],
           import_over_reference=round(result["upload_to_completed_s"] / bare, 2),
           import_over_reference_with_prepare=round(result["upload_to_completed_s"] / (bare + ref["prepare_s"]), 2))


if __name__ == "__main__":
    main()
