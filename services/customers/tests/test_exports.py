"""Export jobs over real PostgreSQL (C-13): CSV and XLSX content, neutralisation, visibility,
access to jobs, recovery of a job whose worker died, expiry of files."""
from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Gone, Invalid, NotFound

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers import customers, export_worker, exports
from crm_customers.settings import CustomersSettings
from crm_customers.store import exports as store

TEAM = "/r/b/t/"


def person(*roles: str, path: str = TEAM) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


@pytest.fixture
def settings(tmp_path) -> CustomersSettings:
    return CustomersSettings(database_url="postgresql://unused", export_dir=str(tmp_path / "exports"),
                             export_stale_seconds=30)


async def seed(pool, rep: Principal, other: Principal) -> None:
    await customers.create_customer(pool, principal=rep, name="=HYPERLINK(\"http://evil\",\"Bấm\")", phone="0912000101",
                                    note="-2+3", birthday="15/08/1990", labels=["hot", "premium"])
    await customers.create_customer(pool, principal=rep, name="Đặng Thị Ánh, \"Ánh\"", phone="0912000102",
                                    note="Gọi lại\nsau 5 giờ", status="potential")
    await customers.create_customer(pool, principal=other, name="Khách của người khác", phone="0912000103")


async def run(pool, settings, principal, fmt, **kwargs) -> dict:
    job = await exports.create_export(pool, principal=principal, format=fmt, flt=CustomerFilter(), **kwargs)
    assert job["status"] == "queued"
    ran = await export_worker.work_once(pool, settings, worker="w1")
    assert ran["id"] == job["id"]
    return await exports.get_export(pool, principal=principal, export_id=job["id"])


def read_xlsx(path: Path) -> list[list]:
    """The first sheet's cells as text (python-calamine when installed, else the OOXML itself)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return _read_ooxml(path)
    book = CalamineWorkbook.from_path(str(path))
    return [[("" if v is None else v) for v in row] for row in book.get_sheet_by_index(0).to_python()]


def _read_ooxml(path: Path) -> list[list]:
    import xml.etree.ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in root.iterfind(".//m:sheetData/m:row", ns):
        cells = []
        for cell in row.iterfind("m:c", ns):
            text = cell.find("m:is/m:t", ns)
            value = cell.find("m:v", ns)
            cells.append(text.text if text is not None else (value.text if value is not None else ""))
        rows.append(cells)
    return rows


async def test_csv_has_a_bom_quotes_neutralises_and_holds_only_what_the_caller_sees(pool, settings):
    rep, other = person(), person()
    await seed(pool, rep, other)
    job = await run(pool, settings, rep, "csv", columns=["name", "phone", "note", "birthday", "labels", "status",
                                                          "address"])
    assert job["status"] == "done" and job["row_count"] == 2 and job["file_name"].startswith("khách-hàng-")
    raw = Path((await store.get_job(pool, job["id"]))["file_path"]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Họ tên", "Số điện thoại", "Ghi chú", "Ngày sinh", "Nhãn", "Trạng thái", "Địa chỉ"]
    by_phone = {row[1]: row for row in rows[1:]}
    assert set(by_phone) == {"'+84912000101", "'+84912000102"}  # CSV: phones neutralised too (OWASP)
    evil = by_phone["'+84912000101"]
    assert evil[0] == "'=HYPERLINK(\"http://evil\",\"Bấm\")" and evil[2] == "'-2+3"
    assert evil[3] == "1990-08-15" and evil[4] == "Nóng, Cao cấp" and evil[5] == "Mới"
    quoted = by_phone["'+84912000102"]
    assert quoted[0] == "Đặng Thị Ánh, \"Ánh\"" and quoted[2] == "Gọi lại\nsau 5 giờ" and quoted[5] == "Tiềm năng"
    assert b'"\xc4\x90\xe1\xba\xb7ng Th\xe1\xbb\x8b \xc3\x81nh, ""\xc3\x81nh"""' in raw  # RFC 4180 quoting

    manager = await run(pool, settings, person("manager", path="/r/b/"), "csv", columns=["name"])
    assert manager["row_count"] == 3


async def test_xlsx_is_typed_neutralised_and_keeps_phones_usable(pool, settings):
    rep, other = person(), person()
    await seed(pool, rep, other)
    job = await run(pool, settings, rep, "xlsx", columns=["name", "phone", "note", "birthday", "created_at"])
    assert job["status"] == "done" and job["row_count"] == 2 and job["file_name"].endswith(".xlsx")
    rows = read_xlsx(Path((await store.get_job(pool, job["id"]))["file_path"]))
    assert rows[0] == ["Họ tên", "Số điện thoại", "Ghi chú", "Ngày sinh", "Ngày tạo"]
    by_phone = {row[1]: row for row in rows[1:]}
    assert set(by_phone) == {"+84912000101", "+84912000102"}  # a text cell, no quote
    evil = by_phone["+84912000101"]
    assert evil[0] == "'=HYPERLINK(\"http://evil\",\"Bấm\")" and evil[2] == "'-2+3"
    # a typed date cell (a reader that ignores the number format sees Excel's serial day number)
    assert evil[3] in (date(1990, 8, 15), datetime(1990, 8, 15), 33100, 33100.0, "33100")


async def test_only_the_creator_or_an_admin_sees_a_job_and_its_file(pool, settings):
    rep, other = person(), person()
    await seed(pool, rep, other)
    job = await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter())
    with pytest.raises(Conflict) as caught:
        await exports.export_file(pool, principal=rep, export_id=job["id"])
    assert caught.value.code == "export_not_ready"
    await export_worker.work_once(pool, settings, worker="w1")
    path, name, media = await exports.export_file(pool, principal=rep, export_id=job["id"])
    assert path.is_file() and media.startswith("text/csv") and name.endswith(".csv")
    for intruder in (other, person("manager", path="/r/")):
        with pytest.raises(NotFound) as caught:
            await exports.get_export(pool, principal=intruder, export_id=job["id"])
    assert (await exports.get_export(pool, principal=person("admin"), export_id=job["id"]))["status"] == "done"
    [event] = [r["payload"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = 'customer_export.finished'")]
    assert event["data"]["user_id"] == str(rep.user_id) and event["data"]["row_count"] == 2

    # files older than the retention are deleted; the job says so
    assert await export_worker.delete_expired_files(pool, settings, now=datetime.now(UTC) + timedelta(days=8)) == 1
    assert not path.exists()
    with pytest.raises(Gone) as caught:
        await exports.export_file(pool, principal=rep, export_id=job["id"])
    assert caught.value.code == "export_expired"


async def test_bad_filters_and_columns_are_rejected_at_once(pool):
    rep = person()
    with pytest.raises(Invalid) as caught:
        await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter(status=["nope"]))
    with pytest.raises(Invalid) as caught:
        await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter(), columns=["name", "salary"])
    assert caught.value.errors[0].field == "columns.1" and caught.value.errors[0].code == "unknown_column"


async def test_a_running_job_whose_worker_died_is_queued_again_and_finished(pool, settings):
    rep, other = person(), person()
    await seed(pool, rep, other)
    job = await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter())
    claimed = await store.claim_next(pool, worker="dead-worker")  # the worker crashes right after claiming
    assert claimed["id"] == job["id"] and claimed["status"] == "running"
    assert await store.claim_next(pool, worker="w2") is None  # nothing else queued
    assert await export_worker.recover_stale(pool, settings) == []  # its heartbeat is still fresh
    await pool.execute("UPDATE customer_exports SET heartbeat_at = now() - interval '5 minutes'")
    recovered = await export_worker.recover_stale(pool, settings)
    assert [(r["id"], r["status"]) for r in recovered] == [(job["id"], "queued")]
    await export_worker.work_once(pool, settings, worker="w2")
    done = await store.get_job(pool, job["id"])
    assert (done["status"], done["worker"], done["attempts"], done["row_count"]) == ("done", "w2", 2, 2)
    # the dead worker's late answer changes nothing
    assert not await store.heartbeat(pool, job_id=job["id"], worker="dead-worker", row_count=0)


async def test_a_job_failing_every_attempt_ends_failed_and_says_so(pool, settings):
    rep = person()
    job = await exports.create_export(pool, principal=rep, format="csv", flt=CustomerFilter())
    for _ in range(settings.export_max_attempts):
        assert await store.claim_next(pool, worker="dying") is not None
        await pool.execute("UPDATE customer_exports SET heartbeat_at = now() - interval '5 minutes'")
        await export_worker.recover_stale(pool, settings)
    failed = await store.get_job(pool, job["id"])
    assert (failed["status"], failed["error"]) == ("failed", "worker_lost")
    [event] = [r["payload"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = 'customer_export.finished'")]
    assert event["data"]["status"] == "failed"


async def test_an_english_export_names_statuses_and_labels_in_english(pool):
    async with pool.acquire() as conn:
        english, vietnamese = await store.names(conn, "en"), await store.names(conn)
    assert (english["status"]["new"], english["labels"]["hot"]) == ("New", "Hot")
    assert (vietnamese["status"]["new"], vietnamese["labels"]["hot"]) == ("Mới", "Nóng")
