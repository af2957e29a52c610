"""CSV exports written by PostgreSQL (COPY … TO STDOUT): the same file as the per-cell Python rules
of `domain.export_columns.converter` + `export_files.CsvSink`, CRLF records with LF kept inside fields."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from pathlib import Path

import pytest

from crmkit.auth import Principal

from crm_customers.domain.cells import neutralise
from crm_customers.domain.export_columns import converter, header
from crm_customers.domain.export_jobs import principal_from_json
from crm_customers.domain.selection import CustomerFilter, parse_filter
from crm_customers.export_files import CrlfRecords, CsvSink
from crm_customers.handlers import customers, export_worker, exports
from crm_customers.settings import CustomersSettings
from crm_customers.store import exports as store
from crm_customers.store.selection import customer_where

TEAM = "/r/b/t/"


def person(*roles: str, path: str = TEAM) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


@pytest.fixture
def settings(tmp_path) -> CustomersSettings:
    return CustomersSettings(database_url="postgresql://unused", export_dir=str(tmp_path / "exports"))


NAMES = ["=1+2", "-Trần", "@x", "\tTab", "\rCR", "  =lead", "\n+line", "Nguyễn Văn An", "Đặng \"Ánh\", Hà Nội",
         "Gọi lại\nsau 5 giờ", "'quoted", "a=b", " ", "Lê\r\nThị"]


async def python_reference(pool, job) -> bytes:
    """The file of the previous implementation: every cell converted and neutralised in Python."""
    principal = principal_from_json(job["principal"])
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    async with pool.acquire() as conn:
        names = await store.names(conn, job["language"])
        attributes = await store.attribute_keys(conn)
        converters = [converter(key, names, {r["key"]: r["type"] for r in attributes})
                      for key in job["columns"]]
        where, params = await customer_where(conn, parse_filter(job["filter"]), principal)
        rows = await conn.fetch(f"SELECT c.* FROM customers c WHERE {where} ORDER BY c.created_at DESC, c.id DESC",
                                *params)
    writer.writerow([neutralise(header(k, job["language"], {r["key"]: r["name"] for r in attributes}))
                     for k in job["columns"]])
    for row in rows:
        writer.writerow([CsvSink.cell(convert(row[source])) for source, _, convert in converters])
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("columns", [None, ["name"], ["note"], ["name", "labels", "status", "owner", "birthday"]])
async def test_copy_export_is_byte_for_byte_the_python_one(pool, settings, columns):
    rep = person()
    await pool.execute("INSERT INTO directory_users (id, username, full_name, changed_at) VALUES ($1, 'rep', '=Rep',"
                       " now())", rep.user_id)
    for index, name in enumerate(NAMES):  # stored as they are: an export must cope with any stored text
        await pool.execute(
            "INSERT INTO customers (id, name, phone, note, labels, birthday, email, owner_id, owner_unit_path,"
            " attributes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() - make_interval(secs => $11))",
            uuid.uuid4(), name, f"+849120003{index:02d}", NAMES[-1 - index] if index % 3 else None,
            ["hot", "premium"] if index % 2 else [], date(1990, 8, 15) if index % 4 else None,
            f"a{index}@example.vn" if index % 5 else None, rep.user_id, TEAM, {}, float(index))
    await pool.execute("UPDATE customer_labels SET name = '-Nóng', name_en = '-Hot' WHERE key = 'hot'")  # dangerous
    job = await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter(), columns=columns,
                                      language="en")
    await export_worker.work_once(pool, settings, worker="w1")
    done = await store.get_job(pool, job["id"])
    assert done["status"] == "done" and done["row_count"] == len(NAMES)
    raw = Path(done["file_path"]).read_bytes()
    assert raw == await python_reference(pool, done)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(NAMES) + 1


async def test_an_export_keeps_the_callers_reach_and_filter(pool, settings):
    rep, other = person(), person()
    await customers.create_customer(pool, principal=rep, name="Mine hot", phone="0912000401", labels=["hot"])
    await customers.create_customer(pool, principal=rep, name="Mine cold", phone="0912000402", labels=["cold"])
    await customers.create_customer(pool, principal=other, name="Theirs hot", phone="0912000403", labels=["hot"])
    job = await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter(labels=["hot"]),
                                      columns=["name"])
    await export_worker.work_once(pool, settings, worker="w1")
    done = await store.get_job(pool, job["id"])
    assert Path(done["file_path"]).read_bytes().decode("utf-8-sig") == "Họ tên\r\nMine hot\r\n"
    manager = await exports.create_export(pool, principal=person("manager", path="/r/b/"), format="csv",
                                          flt=CustomerFilter(labels=["hot"]), columns=["name"])
    await export_worker.work_once(pool, settings, worker="w1")
    assert (await store.get_job(pool, manager["id"]))["row_count"] == 2


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_records_end_in_crlf_and_lf_inside_quotes_stays(size):
    data = b'a,"x\ny"\n"he said ""hi""\n",b\n,\n"""\n"""\nlast\n'
    records = CrlfRecords()
    out = b"".join(records(data[i:i + size]) for i in range(0, len(data), size))
    assert out == b'a,"x\ny"\r\n"he said ""hi""\n",b\r\n,\r\n"""\n"""\r\nlast\r\n'
    assert records.records == 5
