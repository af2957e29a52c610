"""crmkit.background: the job workers' loop."""
from __future__ import annotations

import asyncio

import pytest

from crmkit.background import poll_forever, worker_name


async def test_a_step_that_worked_runs_again_at_once_and_failures_wait():
    outcomes = iter([True, True, RuntimeError("database away"), None, True])
    calls: list[float] = []

    async def step() -> object:
        calls.append(asyncio.get_running_loop().time())
        outcome = next(outcomes, None)
        if isinstance(outcome, Exception):
            raise outcome
        if len(calls) == 5:
            raise asyncio.CancelledError
        return outcome

    with pytest.raises(asyncio.CancelledError):
        await poll_forever(step, idle_seconds=0.2, error_event="test_worker_error")
    gaps = [later - earlier for earlier, later in zip(calls, calls[1:], strict=False)]
    assert [gap >= 0.2 for gap in gaps] == [False, False, True, True]


def test_two_workers_have_two_names():
    assert worker_name() != worker_name()
