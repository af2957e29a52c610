"""The loop of a background job worker (ServiceSpec.background): the export and import workers."""
from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Awaitable, Callable

from crmkit.logging import get_logger

log = get_logger(__name__)


def worker_name() -> str:
    """Who holds a job's lease: host, process and a nonce (a restarted process is another worker)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


async def poll_forever(step: Callable[[], Awaitable[object]], *, idle_seconds: float, error_event: str) -> None:
    """Run `step` again and again: at once after a step that did something (a truthy result), after
    `idle_seconds` when it found nothing to do or failed (logged as `error_event`, never fatal)."""
    while True:
        did = None
        try:
            did = await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning(error_event, error=repr(exc))
        if not did:
            await asyncio.sleep(idle_seconds)
