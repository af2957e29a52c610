"""An upload written to disk as it arrives: never whole in memory, its sha256 and size computed on
the way, refused (413 `file_too_large`, the partial file deleted) as soon as it passes the limit.

The input is any async iterator of bytes chunks: `crmkit.uploads.open_file(...).chunks` for a
multipart body, or the request's own stream for a raw body. Writes go through a thread so the
event loop keeps serving while the disk works (one write per chunk; chunks are ~64 KiB)."""
from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from crm_import.files.errors import FileRejected
from crm_import.files.formats import Limits


@dataclass(frozen=True)
class StoredFile:
    path: Path
    size_bytes: int
    sha256: str


async def store_upload(chunks: AsyncIterator[bytes], *, directory: Path | str, limits: Limits,
                       name: str | None = None) -> StoredFile:
    """Write `chunks` to `directory`/`name` (a new uuid by default; written as `.part` and renamed
    when complete). Raises FileRejected("file_too_large") past `limits.max_upload_bytes` and
    FileRejected("empty_file") for no bytes; on any error the partial file is gone."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / (name or uuid.uuid4().hex)
    partial = final.with_name(final.name + ".part")
    digest = hashlib.sha256()
    size = 0
    file = await asyncio.to_thread(open, partial, "wb")
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limits.max_upload_bytes:
                raise FileRejected("file_too_large", f"Tối đa {limits.max_upload_bytes // 2**20} MB.",
                                   f"At most {limits.max_upload_bytes // 2**20} MB.")
            digest.update(chunk)
            await asyncio.to_thread(file.write, chunk)
        await asyncio.to_thread(file.close)
        if size == 0:
            raise FileRejected("empty_file")
        os.replace(partial, final)
    except BaseException:
        file.close()
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(final, size, digest.hexdigest())
