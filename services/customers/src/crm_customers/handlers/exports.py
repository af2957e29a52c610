"""Export jobs (C-13): the current filter to CSV or XLSX, as a job run by the service's worker.

* `create_export` checks the filter and the columns, stores the job (`queued`) with the caller's
  principal (its reach at that moment is what the file may contain) and answers at once.
* `export_worker` (ServiceSpec.background, every replica that runs the worker) claims queued jobs
  with `FOR UPDATE SKIP LOCKED`, heart-beats while it runs one, and re-queues running jobs whose
  worker stopped heart-beating (crash, restart) — failed after `export_max_attempts`.
* A job reads the rows in one REPEATABLE READ, read-only transaction through the one selection of
  `store.queries` (visibility + scope + search + filters): memory stays flat whatever the row
  count. CSV: PostgreSQL writes the file (`COPY (SELECT …) TO STDOUT (FORMAT csv)`, names, local
  times and neutralisation in SQL — `crm_csv_cell` of migration 0006 is `domain.cells.neutralise`),
  this process adds the BOM and the header and turns record-ending LF into CRLF (`_copy_csv`;
  1M rows ~24 s instead of ~76 s, the same bytes as the per-cell rules of `_converter` + `CsvSink`,
  which tests/test_exports_copy.py keeps as the reference). XLSX: a server-side cursor
  (`export_prefetch` rows per round trip) into xlsxwriter in `constant_memory` mode, typed cells,
  a new sheet every 1,048,575 rows.
* Text cells are neutralised against formula injection (`domain.cells`, which says how phones are
  treated). Status, labels, groups and users are written as their names; dates in Vietnam's time.
* Files live in `export_dir` for `export_retention_days` (7), then are deleted (`expired`).
* `customer_export.finished` (done or failed) lets the notifications service tell the user.
"""
from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import asyncpg
from fastapi import FastAPI

from crmkit import outbox
from crmkit.auth import Principal
from crmkit.errors import FieldError, ProblemError
from crmkit.logging import get_logger
from crm_customers import events
from crm_customers.domain.cells import neutralise, neutralise_phone_xlsx
from crm_customers.handlers.problems import SOURCE
from crm_customers.store import exports as store
from crm_customers.store.customers import Params
from crm_customers.store.queries import CustomerFilter, customer_where, parse_filter

log = get_logger(__name__)
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
FORMATS = ("csv", "xlsx")
ATTRIBUTE_PREFIX = "attr."
XLSX_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    kind: str  # text, phone, id, date, datetime, status, labels, groups, user, attr
    source: str  # the customers column read


BUILT_IN = [
    Column("id", "Mã khách hàng", "Customer id", "id", "id"),
    Column("name", "Họ tên", "Name", "text", "name"),
    Column("phone", "Số điện thoại", "Phone", "phone", "phone"),
    Column("email", "Email", "E-mail", "text", "email"),
    Column("birthday", "Ngày sinh", "Birthday", "date", "birthday"),
    Column("province", "Tỉnh/Thành phố", "Province", "text", "province_name"),
    Column("gender", "Giới tính", "Gender", "text", "gender"),
    Column("address", "Địa chỉ", "Address", "text", "address"),
    Column("source", "Nguồn", "Source", "text", "source"),
    Column("customer_type", "Loại khách hàng", "Customer type", "text", "customer_type"),
    Column("company_name", "Công ty", "Company", "text", "company_name"),
    Column("tax_code", "Mã số thuế", "Tax code", "text", "tax_code"),
    Column("position", "Chức vụ", "Position", "text", "position"),
    Column("note", "Ghi chú", "Note", "text", "note"),
    Column("party_type", "Loại đối tượng", "Party type", "text", "party_type"),
    Column("organization_size", "Quy mô", "Organization size", "text", "organization_size"),
    Column("founding_date", "Ngày thành lập", "Founding date", "date", "founding_date"),
    Column("industry", "Ngành nghề", "Industry", "text", "industry"),
    Column("description", "Mô tả", "Description", "text", "description"),
    Column("contact_person", "Người liên hệ", "Contact person", "text", "contact_person"),
    Column("lifecycle", "Vòng đời", "Lifecycle", "text", "lifecycle"),
    Column("status", "Trạng thái", "Status", "status", "status"),
    Column("labels", "Nhãn", "Labels", "labels", "labels"),
    Column("groups", "Nhóm", "Groups", "groups", "groups"),
    Column("owner", "Người phụ trách", "Owner", "user", "owner_id"),
    Column("holder", "Người đang giữ", "Holder", "user", "holder_id"),
    Column("created_at", "Ngày tạo", "Created at", "datetime", "created_at"),
    Column("updated_at", "Cập nhật lúc", "Updated at", "datetime", "updated_at"),
]
BUILT_IN_KEYS = {c.key: c for c in BUILT_IN}


# The job as the API shows it


def principal_json(principal: Principal) -> dict[str, Any]:
    return {"user_id": str(principal.user_id), "username": principal.username,
            "unit_id": str(principal.unit_id) if principal.unit_id else None, "unit_path": principal.unit_path,
            "roles": sorted(principal.roles), "permissions": sorted(principal.permissions), "kind": principal.kind}


def principal_from_json(data: dict[str, Any]) -> Principal:
    return Principal(user_id=uuid.UUID(data["user_id"]), username=data.get("username") or "",
                     unit_id=uuid.UUID(data["unit_id"]) if data.get("unit_id") else None,
                     unit_path=data.get("unit_path") or "", roles=frozenset(data.get("roles") or []),
                     permissions=frozenset(data.get("permissions") or []), kind=data.get("kind") or "user")


def public_job(job: asyncpg.Record, retention_days: int) -> dict[str, Any]:
    finished = job["finished_at"]
    return {
        "id": job["id"], "status": job["status"], "format": job["format"], "row_count": job["row_count"],
        "columns": list(job["columns"]), "filter": job["filter"], "created_by": job["created_by"],
        "created_at": job["created_at"], "started_at": job["started_at"], "finished_at": finished,
        "expires_at": finished + timedelta(days=retention_days) if finished and job["status"] == "done" else None,
        "file_name": job["file_name"], "file_size": job["file_size"], "error": job["error"],
    }


# Use cases


async def _resolve_columns(conn: asyncpg.Connection, wanted: list[str] | None) -> list[str]:
    attributes = [r["key"] for r in await store.attribute_keys(conn)]
    if not wanted:
        return [c.key for c in BUILT_IN] + [ATTRIBUTE_PREFIX + key for key in attributes]
    errors, seen = [], []
    for index, key in enumerate(wanted):
        known = key in BUILT_IN_KEYS or (key.startswith(ATTRIBUTE_PREFIX) and key[len(ATTRIBUTE_PREFIX):] in attributes)
        if not known:
            errors.append(FieldError(f"columns.{index}", "unknown_column", {"column": key[:100]}))
        elif key not in seen:
            seen.append(key)
    if errors:
        raise ProblemError(422, "validation_error", errors=errors)
    return seen


async def create_export(pool: asyncpg.Pool, *, principal: Principal, format: str, flt: CustomerFilter,
                        columns: list[str] | None = None, language: str = "vi",
                        retention_days: int = 7) -> dict[str, Any]:
    if format not in FORMATS:
        raise ProblemError(422, "validation_error",
                           errors=[FieldError("format", "invalid_choice", {"choices": ", ".join(FORMATS)})])
    async with pool.acquire() as conn:
        await customer_where(conn, flt, principal)  # an invalid filter is a 422 now, not a failed job
        resolved = await _resolve_columns(conn, columns)
        job = await store.insert_job(conn, values={
            "id": uuid.uuid4(), "created_by": principal.user_id, "principal": principal_json(principal),
            "language": language if language in ("vi", "en") else "vi", "format": format,
            "filter": flt.model_dump(mode="json", exclude_none=True), "columns": resolved,
        })
        await conn.execute("NOTIFY crm_customer_exports")
    return public_job(job, retention_days)


def _may_see(job: asyncpg.Record | None, principal: Principal) -> bool:
    return job is not None and (job["created_by"] == principal.user_id or principal.is_admin)


async def get_export(pool: asyncpg.Pool, *, principal: Principal, export_id: uuid.UUID,
                     retention_days: int = 7) -> dict[str, Any]:
    job = await store.get_job(pool, export_id)
    if not _may_see(job, principal):
        raise ProblemError(404, "not_found")
    return public_job(job, retention_days)


async def list_exports(pool: asyncpg.Pool, *, principal: Principal, limit: int = 50,
                       retention_days: int = 7) -> list[dict[str, Any]]:
    return [public_job(job, retention_days) for job in await store.list_jobs(pool, created_by=principal.user_id,
                                                                             limit=limit)]


async def export_file(pool: asyncpg.Pool, *, principal: Principal, export_id: uuid.UUID,
                      retention_days: int = 7) -> tuple[Path, str, str]:
    """(path, download name, media type) of a finished export: 404, 409 `export_not_ready`,
    410 `export_expired`."""
    job = await store.get_job(pool, export_id)
    if not _may_see(job, principal):
        raise ProblemError(404, "not_found")
    if job["status"] == "expired":
        raise ProblemError(410, "export_expired", params={"days": retention_days})
    if job["status"] != "done" or not job["file_path"]:
        raise ProblemError(409, "export_not_ready", params={"status": job["status"]},
                           extra={"export_status": job["status"]})
    path = Path(job["file_path"])
    if not path.is_file():
        raise ProblemError(410, "export_expired", params={"days": retention_days})
    media = "text/csv; charset=utf-8" if job["format"] == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return path, job["file_name"], media


# Cells


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TIME).replace(tzinfo=None)


def _joined(values) -> str | None:
    return ", ".join(str(v) for v in values) if values else None


def _converter(column_key: str, names: dict[str, dict], attribute_types: dict[str, str]) -> tuple[str, str, Callable]:
    """(source column, cell kind, raw value → cell value) of one export column."""
    if column_key.startswith(ATTRIBUTE_PREFIX):
        key = column_key[len(ATTRIBUTE_PREFIX):]

        def attribute(attrs: dict | None) -> Any:
            value = (attrs or {}).get(key)
            if isinstance(value, list):
                return _joined(value)
            if isinstance(value, (dict,)):
                return str(value)
            return value
        return "attributes", "phone" if attribute_types.get(key) == "phone" else "value", attribute
    column = BUILT_IN_KEYS[column_key]
    kind = column.kind
    if kind == "id":
        return column.source, "text", lambda v: str(v)
    if kind == "datetime":
        return column.source, "value", lambda v: _local(v) if v is not None else None
    if kind == "status":
        statuses = names["status"]
        return column.source, "text", lambda v: statuses.get(v, v)
    if kind == "labels":
        labels = names["labels"]
        return column.source, "text", lambda v: _joined(labels.get(k, k) for k in v) if v else None
    if kind == "groups":
        groups = names["groups"]
        return column.source, "text", lambda v: _joined(groups.get(g, str(g)) for g in v) if v else None
    if kind == "user":
        users = names["users"]
        return column.source, "text", lambda v: users.get(v, str(v)) if v is not None else None
    return column.source, "phone" if kind == "phone" else "value", lambda v: v


def header(column_key: str, language: str, attribute_names: dict[str, str]) -> str:
    if column_key.startswith(ATTRIBUTE_PREFIX):
        return attribute_names.get(column_key[len(ATTRIBUTE_PREFIX):], column_key)
    column = BUILT_IN_KEYS[column_key]
    return column.en if language == "en" else column.vi


class CsvSink:
    """UTF-8 with BOM, RFC 4180 (quotes doubled, fields with separators quoted, CRLF)."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file, lineterminator="\r\n")

    @staticmethod
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return neutralise(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    def header(self, titles: list[str]) -> None:
        self.writer.writerow([neutralise(t) for t in titles])

    def row(self, values: list[Any], kinds: list[str]) -> None:
        cell = self.cell
        self.writer.writerow([cell(v) for v in values])

    def close(self) -> None:
        self.file.close()


class XlsxSink:
    """xlsxwriter in constant-memory mode: each row is flushed to disk as soon as the next begins."""

    def __init__(self, path: Path, sheet_name: str) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "tmpdir": str(path.parent)})
        self.date_format = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.time_format = self.book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
        self.bold = self.book.add_format({"bold": True})
        self.sheet_name = sheet_name
        self.sheets = 0
        self.titles: list[str] = []
        self.sheet = None
        self.next_row = 0

    def _new_sheet(self) -> None:
        self.sheets += 1
        name = self.sheet_name if self.sheets == 1 else f"{self.sheet_name} ({self.sheets})"
        self.sheet = self.book.add_worksheet(name[:31])
        for index, title in enumerate(self.titles):
            self.sheet.write_string(0, index, neutralise(title), self.bold)
        self.next_row = 1

    def header(self, titles: list[str]) -> None:
        self.titles = titles
        self._new_sheet()

    def row(self, values: list[Any], kinds: list[str]) -> None:
        if self.next_row >= XLSX_MAX_ROWS:
            self._new_sheet()
        sheet, r = self.sheet, self.next_row
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, neutralise_phone_xlsx(value) if kinds[c] == "phone" else neutralise(value))
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(r, c, value, self.time_format)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, self.date_format)
            else:
                sheet.write_string(r, c, neutralise(str(value)))
        self.next_row += 1

    def close(self) -> None:
        self.book.close()


def download_name(job: asyncpg.Record) -> str:
    stamp = _local(job["created_at"]).strftime("%Y%m%d-%H%M")
    base = "customers" if job["language"] == "en" else "khách-hàng"
    return f"{base}-{stamp}.{job['format']}"


# The worker


class JobLost(Exception):
    """The job was re-queued meanwhile (our heartbeat stopped for too long): another worker owns it."""


async def _publish_finished(conn: asyncpg.Connection, job: asyncpg.Record, retention_days: int) -> None:
    public = public_job(job, retention_days)
    await outbox.publish(conn, events.CustomerExportFinished(
        export_id=job["id"], user_id=job["created_by"], status=job["status"], format=job["format"],
        row_count=job["row_count"], finished_at=job["finished_at"], expires_at=public["expires_at"]),
        source=SOURCE, subject=job["id"], actor=job["created_by"])


def _csv_sql(column_key: str, params: Params, names: dict[str, dict]) -> tuple[str, bool]:
    """(SQL of the text of one CSV cell over the row `c`, whether it is neutralised): the same
    text as `_converter` + `CsvSink.cell` (names for ids, local times; `crm_csv_cell` =
    `domain.cells.neutralise` on every text)."""
    if column_key.startswith(ATTRIBUTE_PREFIX):
        value = f"(c.attributes -> {params.add(column_key[len(ATTRIBUTE_PREFIX):])}::text)"
        return (f"CASE jsonb_typeof({value})"
                f" WHEN 'string' THEN public.crm_csv_cell({value} #>> '{{}}')"
                f" WHEN 'array' THEN public.crm_csv_cell((SELECT string_agg(x, ', ')"
                f"   FROM jsonb_array_elements_text({value}) x))"
                f" WHEN 'number' THEN {value}::text WHEN 'boolean' THEN {value}::text"
                f" WHEN 'object' THEN public.crm_csv_cell({value}::text) END"), False
    column = BUILT_IN_KEYS[column_key]
    source, kind = f"c.{column.source}", column.kind
    if kind == "id":
        return f"{source}::text", False
    if kind == "date":
        return f"to_char({source}, 'YYYY-MM-DD')", False
    if kind == "datetime":
        return f"to_char({source} AT TIME ZONE {params.add(str(LOCAL_TIME))}::text, 'YYYY-MM-DD HH24:MI:SS')", False
    if kind in ("status", "user"):
        mapping = {str(k): v for k, v in names["status" if kind == "status" else "users"].items()}
        return f"coalesce({params.add(mapping)}::jsonb ->> {source}::text, {source}::text)", True
    if kind in ("labels", "groups"):
        mapping = {str(k): v for k, v in names[kind].items()}
        return (f"(SELECT string_agg(coalesce({params.add(mapping)}::jsonb ->> u.k::text, u.k::text), ', '"
                f" ORDER BY u.n) FROM unnest({source}) WITH ORDINALITY u(k, n))"), True
    return f"{source}::text", True


class CrlfRecords:
    """COPY writes records ending in LF; RFC 4180 (and the XLSX-less Excel user) want CRLF. A LF
    ends a record when the quotes before it in the record are balanced (a LF inside a quoted
    field is data and stays as it is). Counts the records it has seen."""

    def __init__(self) -> None:
        self.open_quote = False
        self.records = 0

    def __call__(self, data: bytes) -> bytes:
        parts = data.split(b"\n")
        out = []
        open_quote, records = self.open_quote, 0
        for part in parts[:-1]:
            if part.count(b'"') & 1:
                open_quote = not open_quote
            out.append(part)
            if open_quote:
                out.append(b"\n")
            else:
                out.append(b"\r\n")
                records += 1
        last = parts[-1]
        if last.count(b'"') & 1:
            open_quote = not open_quote
        out.append(last)
        self.open_quote, self.records = open_quote, self.records + records
        return b"".join(out)


COPY_TIMEOUT = 24 * 3600.0  # the job's heartbeat, not a statement timeout, bounds a running export


async def _copy_csv(pool: asyncpg.Pool, conn: asyncpg.Connection, job: asyncpg.Record, settings, worker: str,
                    part: Path, *, where: str, params: Params, names: dict[str, dict], titles: list[str]) -> int:
    """PostgreSQL writes the CSV (`COPY … TO STDOUT (FORMAT csv)`), this process only turns LF
    into CRLF and appends to the file: no Python object per cell, memory flat."""
    cells = [_csv_sql(key, params, names) for key in job["columns"]]
    # The raw texts are computed once in a subquery (OFFSET 0 keeps it apart) so that the inlined
    # `crm_csv_cell` reads a column instead of evaluating an expression several times.
    inner = ", ".join(f"{sql} AS v{i}" for i, (sql, _) in enumerate(cells))
    outer = [f"public.crm_csv_cell(x.v{i})" if neutralised else f"x.v{i}" for i, (_, neutralised) in enumerate(cells)]
    # Python's csv module writes None and "" as an empty field, and a row of one empty field as
    # `""`; COPY writes NULL unquoted and "" quoted: the same output with NULL for "" (several
    # columns) or "" for NULL (one column).
    outer = [f"nullif({cell}, '')" if len(outer) > 1 else f"coalesce({cell}, '')" for cell in outer]
    sql = (f"SELECT {', '.join(outer)} FROM (SELECT {inner} FROM customers c WHERE {where}"
           f" ORDER BY c.created_at DESC, c.id DESC OFFSET 0) x")
    records = CrlfRecords()
    beat = time.monotonic()
    with open(part, "wb") as file:
        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow([neutralise(t) for t in titles])
        file.write(header.getvalue().encode("utf-8-sig"))

        async def write(data: bytes) -> None:
            nonlocal beat
            file.write(records(data))
            if time.monotonic() - beat >= settings.export_heartbeat_seconds:
                if not await store.heartbeat(pool, job_id=job["id"], worker=worker, row_count=records.records):
                    raise JobLost(str(job["id"]))
                beat = time.monotonic()

        await conn.copy_from_query(sql, *params, output=write, format="csv", timeout=COPY_TIMEOUT)
    return records.records


async def _stream(pool: asyncpg.Pool, job: asyncpg.Record, settings, worker: str, part: Path) -> int:
    principal = principal_from_json(job["principal"])
    count = 0
    async with pool.acquire() as conn:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            names = await store.names(conn, job["language"])
            attributes = await store.attribute_keys(conn)
            attribute_types = {r["key"]: r["type"] for r in attributes}
            attribute_names = {r["key"]: r["name"] for r in attributes}
            where, params = await customer_where(conn, parse_filter(job["filter"]), principal)
            titles = [header(key, job["language"], attribute_names) for key in job["columns"]]
            if job["format"] == "csv":
                return await _copy_csv(pool, conn, job, settings, worker, part, where=where, params=params,
                                       names=names, titles=titles)
            converters = [_converter(key, names, attribute_types) for key in job["columns"]]
            sources = list(dict.fromkeys(source for source, _, _ in converters))
            position = {source: index for index, source in enumerate(sources)}
            plan = [(position[source], convert) for source, _, convert in converters]
            kinds = [kind for _, kind, _ in converters]
            sql = (f"SELECT {', '.join(f'c.{s}' for s in sources)} FROM customers c WHERE {where}"
                   f" ORDER BY c.created_at DESC, c.id DESC")
            sink = XlsxSink(part, "Customers" if job["language"] == "en" else "Khách hàng")
            try:
                sink.header(titles)
                beat = time.monotonic()
                async for record in conn.cursor(sql, *params, prefetch=settings.export_prefetch):
                    sink.row([convert(record[i]) for i, convert in plan], kinds)
                    count += 1
                    if count % 1000 == 0 and time.monotonic() - beat >= settings.export_heartbeat_seconds:
                        if not await store.heartbeat(pool, job_id=job["id"], worker=worker, row_count=count):
                            raise JobLost(str(job["id"]))
                        beat = time.monotonic()
            finally:
                sink.close()
    return count


async def run_job(pool: asyncpg.Pool, job: asyncpg.Record, settings, *, worker: str) -> asyncpg.Record | None:
    """Write the job's file and mark it done (or failed); returns the finished job (None if lost)."""
    directory = Path(settings.export_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{job['id']}.{job['format']}"
    part = directory / f"{job['id']}.{job['format']}.part"
    try:
        count = await _stream(pool, job, settings, worker, part)
        os.replace(part, path)
        values = {"status": "done", "row_count": count, "file_path": str(path.resolve()),
                  "file_name": download_name(job), "file_size": path.stat().st_size}
    except JobLost:
        log.warning("export_job_lost", export_id=str(job["id"]))
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        return None
    except Exception as exc:
        log.exception("export_job_failed", export_id=str(job["id"]))
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        values = {"status": "failed", "row_count": 0, "error": type(exc).__name__}
    async with pool.acquire() as conn, conn.transaction():
        finished = await store.finish(conn, job_id=job["id"], worker=worker, **values)
        if finished is None:  # re-queued meanwhile: the other worker writes the file again
            return None
        await _publish_finished(conn, finished, settings.export_retention_days)
    log.info("export_job_finished", export_id=str(job["id"]), status=values["status"], rows=values["row_count"])
    return finished


async def recover_stale(pool: asyncpg.Pool, settings) -> list[asyncpg.Record]:
    """Re-queue running jobs whose worker is gone (failed after the last attempt)."""
    async with pool.acquire() as conn, conn.transaction():
        jobs = await store.requeue_stale(conn, stale_seconds=settings.export_stale_seconds,
                                         max_attempts=settings.export_max_attempts)
        for job in jobs:
            log.warning("export_job_recovered", export_id=str(job["id"]), status=job["status"])
            if job["status"] == "failed":
                await _publish_finished(conn, job, settings.export_retention_days)
    return jobs


async def delete_expired_files(pool: asyncpg.Pool, settings, *, now: datetime | None = None) -> int:
    before = (now or datetime.now(UTC)) - timedelta(days=settings.export_retention_days)
    rows = await store.expire_files(pool, before=before)
    for row in rows:
        with contextlib.suppress(FileNotFoundError):
            Path(row["file_path"]).unlink()
    return len(rows)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


async def work_once(pool: asyncpg.Pool, settings, *, worker: str) -> asyncpg.Record | None:
    """Recover stale jobs, then run the oldest queued job if there is one; returns it."""
    await recover_stale(pool, settings)
    job = await store.claim_next(pool, worker=worker)
    if job is None:
        return None
    await run_job(pool, job, settings, worker=worker)
    return job


async def export_worker(app: FastAPI) -> None:
    """Background task (ServiceSpec.background) of every replica that runs the worker."""
    pool, settings, worker = app.state.pool, app.state.settings, worker_name()
    last_cleanup = 0.0
    while True:
        ran = None
        try:
            if time.monotonic() - last_cleanup >= 3600:
                last_cleanup = time.monotonic()
                await delete_expired_files(pool, settings)
            ran = await work_once(pool, settings, worker=worker)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("export_worker_error", error=repr(exc))
        if ran is None:
            await asyncio.sleep(settings.export_poll_seconds)
