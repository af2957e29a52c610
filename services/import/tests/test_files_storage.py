"""An upload streamed to disk: sha256 and size on the way, refused past the limit with the partial
file deleted, never whole in memory."""
from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crm_import.files import FileRejected, Limits, store_upload

MiB = 2**20


async def chunks(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        chunk = bytes([sent // size % 251]) * min(size, total - sent)
        sent += len(chunk)
        yield chunk


async def test_stores_with_sha256_and_size(tmp_path: Path):
    stored = await store_upload(chunks(3 * MiB + 5), directory=tmp_path / "imports", limits=Limits())
    data = stored.path.read_bytes()
    assert stored.size_bytes == len(data) == 3 * MiB + 5
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.path.parent == tmp_path / "imports"
    assert list((tmp_path / "imports").iterdir()) == [stored.path]  # no .part left


async def test_refuses_past_the_limit_and_deletes_the_partial_file(tmp_path: Path):
    with pytest.raises(FileRejected) as caught:
        await store_upload(chunks(12 * MiB), directory=tmp_path, limits=Limits(max_upload_bytes=10 * MiB), name="u1")
    assert caught.value.code == "file_too_large" and caught.value.status == 413
    assert list(tmp_path.iterdir()) == []


async def test_a_broken_stream_leaves_nothing(tmp_path: Path):
    async def broken() -> AsyncIterator[bytes]:
        yield b"x" * 1000
        raise ConnectionError("client went away")

    with pytest.raises(ConnectionError):
        await store_upload(broken(), directory=tmp_path, limits=Limits())
    assert list(tmp_path.iterdir()) == []


async def test_empty_upload_is_refused(tmp_path: Path):
    async def nothing() -> AsyncIterator[bytes]:
        return
        yield b""

    with pytest.raises(FileRejected) as caught:
        await store_upload(nothing(), directory=tmp_path, limits=Limits())
    assert caught.value.code == "empty_file"
    assert list(tmp_path.iterdir()) == []


async def test_memory_stays_flat_for_a_large_upload(tmp_path: Path):
    tracemalloc.start()
    stored = await store_upload(chunks(64 * MiB), directory=tmp_path, limits=Limits())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size_bytes == 64 * MiB
    assert peak < 4 * MiB
