"""M-6 through the gateway against the running platform: kill -9 the import service, then the
customers service, in the middle of an import; restarted (`crm-local services-start` starts what
is not running), the job resumes, and the end state is a clean run's — every row's customer once,
no row lost, one `imported` timeline line per customer, counters that add up."""
from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from e2e_support import eventually

ROOT = Path(__file__).resolve().parents[1]
CRM_LOCAL = ROOT / "deploy" / "local" / "crm-local"
ROWS = 60_000

pytestmark = [
    pytest.mark.skipif(not os.environ.get("CRM_LOCAL_DIR"),
                       reason="needs the platform started by deploy/local (make test)"),
    pytest.mark.serial,  # kills the import and customers services every other test is using
]


def kill(service: str) -> None:
    pid = int((Path(os.environ["CRM_LOCAL_DIR"]) / "run" / f"{service}.pid").read_text())
    os.kill(pid, signal.SIGKILL)


async def restart_what_is_not_running() -> None:
    done = await asyncio.to_thread(subprocess.run, [str(CRM_LOCAL), "services-start"], capture_output=True,
                                   text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr


async def job_of(client, user: dict, job_id: str) -> dict:
    response = await client.get(f"/api/v1/imports/{job_id}", headers=user["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def unused_phones(prefix: str) -> list[str]:
    """ROWS numbers no other test makes (random_mobile draws from 09x, the demo organisation from
    03x, 07x and 08x: Vietnamobile's 056 and 058 are left) and no other run of this one (its own
    prefix), consecutive from a random start."""
    start = random.randrange(10**7 - ROWS)
    return [f"{prefix}{start + i:07d}" for i in range(ROWS)]


async def started_import(client, user: dict, tag: str, prefix: str) -> tuple[str, list[str]]:
    phones = unused_phones(prefix)
    lines = ["Tên,Số điện thoại"] + [f"Khách {tag} {i},{phone}" for i, phone in enumerate(phones)]
    uploaded = await client.post("/api/v1/imports/uploads", headers=user["headers"],
                                 files={"file": (f"{tag}.csv", "\n".join(lines).encode())})
    assert uploaded.status_code == 201, uploaded.text
    started = await client.post("/api/v1/imports", headers=user["headers"], json={
        "upload_id": uploaded.json()["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}})
    assert started.status_code == 202, started.text
    return started.json()["id"], phones


async def kill_midway(client, user: dict, job_id: str, service: str) -> int:
    """Kill `service` once part of the job is applied; the rows applied then."""
    async def under_way():
        job = await job_of(client, user, job_id)
        assert job["status"] in ("queued", "running"), job
        return job if job["processed_rows"] >= ROWS // 10 else None

    job = await eventually(under_way, timeout=120, interval=0.1)
    kill(service)
    assert job["processed_rows"] < ROWS, "the import ended before the kill: make it bigger"
    await restart_what_is_not_running()
    return job["processed_rows"]


async def check_clean_end(client, user: dict, job_id: str, tag: str, phones: list[str]) -> None:
    async def ended():
        job = await job_of(client, user, job_id)
        return job if job["status"] in ("completed", "failed", "cancelled") else None

    job = await eventually(ended, timeout=240, interval=0.5)
    assert (job["status"], job["total_rows"], job["processed_rows"]) == ("completed", ROWS, ROWS), job
    assert (job["created"], job["updated"], job["failed"], job["duplicates_in_file"]) == (ROWS, 0, 0, 0), job
    export = await client.post("/api/v1/customers/exports", headers=user["headers"],
                               json={"format": "csv", "filter": {"q": f"Khách {tag}"}})  # an exact count
    assert export.status_code == 202, export.text

    async def exported():
        done = (await client.get(f"/api/v1/customers/exports/{export.json()['id']}", headers=user["headers"])).json()
        return done if done["status"] in ("done", "failed") else None

    assert (await eventually(exported, timeout=120))["row_count"] == ROWS
    for phone in random.sample(phones, 3):
        found = (await client.get("/api/v1/customers", params={"q": phone}, headers=user["headers"])).json()["items"]
        assert len(found) == 1, found

        async def one_line(customer_id=found[0]["id"]):
            timeline = await client.get(f"/api/v1/customers/{customer_id}/timeline", headers=user["headers"])
            imported = [e for e in timeline.json()["items"] if e["type"] == "imported"]
            return imported if imported else None

        assert len(await eventually(one_line, timeout=60)) == 1


@pytest.mark.parametrize(("service", "prefix"), [("import", "056"), ("customers", "058")])
async def test_a_killed_service_resumes_the_import_to_a_clean_runs_end(client, org, service, prefix):
    user = org["manager"]
    tag = uuid.uuid4().hex[:8]
    job_id, phones = await started_import(client, user, tag, prefix)
    await kill_midway(client, user, job_id, service)
    await check_clean_end(client, user, job_id, tag, phones)
