"""Where attachment files live: a small interface with a local-directory implementation (an
S3-compatible store can implement the same three methods later).

Keys are relative, slash-separated names chosen by this service (never by callers). A writer
writes into a temporary file inside the storage directory and only `commit` makes the object
visible under its key, so a refused or broken upload leaves nothing behind once `abort` ran.
"""
from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import anyio

if TYPE_CHECKING:
    from crm_interactions.settings import InteractionsSettings

CHUNK = 64 * 1024
_KEY = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_.-]+)*$")


class Writer(Protocol):
    async def write(self, chunk: bytes) -> None: ...
    async def commit(self) -> None: ...
    async def abort(self) -> None: ...


class Storage(Protocol):
    async def open_writer(self, key: str) -> Writer: ...
    def open_reader(self, key: str) -> AsyncIterator[bytes]: ...
    async def delete(self, key: str) -> None: ...


class LocalWriter:
    def __init__(self, temporary: Path, final: Path) -> None:
        self.temporary, self.final = temporary, final
        self._file = open(temporary, "xb")  # noqa: SIM115 (closed by commit or abort)

    async def write(self, chunk: bytes) -> None:
        await anyio.to_thread.run_sync(self._file.write, chunk)

    async def commit(self) -> None:
        def finish() -> None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self.final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.temporary, self.final)
        await anyio.to_thread.run_sync(finish)

    async def abort(self) -> None:
        self._file.close()
        self.temporary.unlink(missing_ok=True)


class LocalStorage:
    """Files under `root`: `<root>/<key>`; uploads in progress under `<root>/.partial/`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def path_of(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    async def open_writer(self, key: str) -> LocalWriter:
        final = self.path_of(key)
        partial = self.root / ".partial"
        partial.mkdir(parents=True, exist_ok=True)
        return LocalWriter(partial / f"{uuid.uuid4().hex}.part", final)

    async def open_reader(self, key: str) -> AsyncIterator[bytes]:
        """The object's bytes, chunk by chunk; FileNotFoundError when it is gone."""
        file = await anyio.open_file(self.path_of(key), "rb")
        try:
            while chunk := await file.read(CHUNK):
                yield chunk
        finally:
            await file.aclose()

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(lambda: self.path_of(key).unlink(missing_ok=True))


_configured: Storage | None = None


def configure(storage: Storage | None) -> None:
    """Use `storage` in this process (tests; an S3 store later); None: back to the settings' directory."""
    global _configured
    _configured = storage


def for_settings(settings: InteractionsSettings) -> Storage:
    """The configured storage, else a local one under the settings' `attachment_dir`."""
    return _configured if _configured is not None else LocalStorage(settings.attachment_dir)


def current() -> Storage:
    """The storage of this process for code without an app at hand (the consumers as tests and
    benchmarks wire them); CRM_INTERACTIONS_ATTACHMENT_DIR is read from the environment, as the
    API reads it."""
    if _configured is not None:
        return _configured
    from crm_interactions.settings import InteractionsSettings
    return for_settings(InteractionsSettings())
