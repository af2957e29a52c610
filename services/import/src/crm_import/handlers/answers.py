"""The customers service's answers to the chunks a job sent (`customers.import_chunk_applied`):
counted once per chunk (the inbox skips a redelivery; a chunk already answered is left as it is),
the failing cells kept for the result file; the last answer ends the job."""
from __future__ import annotations

import asyncpg

from crmkit.events import Envelope
from crmkit.unit_of_work import UnitOfWork

from crm_import.consumed_events import ChunkApplied
from crm_import.handlers.lifecycle import end_if_done
from crm_import.handlers.problems import SOURCE
from crm_import.store import jobs as store


async def on_chunk_applied(conn: asyncpg.Connection, envelope: Envelope, answer: ChunkApplied) -> None:
    async with UnitOfWork.joining(conn, source=SOURCE) as uow:
        failing_rows = {failure.row for failure in answer.failures}
        job = await store.apply_answer(uow.conn, job_id=answer.job_id, chunk_no=answer.chunk_no,
                                       created=answer.created, updated=answer.updated, failed=len(answer.failures),
                                       failed_rows=len(failing_rows))
        if job is None:  # an unknown job, or this chunk was answered already
            return
        await store.add_failures(uow.conn, answer.job_id,
                                 [(failure.row, failure.field, failure.code) for failure in answer.failures])
        await end_if_done(uow, job)
