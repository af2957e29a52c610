"""The request-serving processes of one service, for the callers that spread requests over them
(the gateway, and the services that call the customers service). Scale-out (S-2) runs several:
the setting that names a service's URL takes a comma-separated list.

Requests rotate over the processes; a process that refused a connection rests for a moment (its
requests go to the others first) so that a dead replica costs one failed connect per rest, not one
per request. Only a connection that never opened is tried again elsewhere: nothing of the request
reached that process, so it cannot have had an effect. A request lost after it was sent is the
caller's to retry (with its `Idempotency-Key`)."""
from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from crmkit.logging import get_logger

REST_SECONDS = 2.0
T = TypeVar("T")
log = get_logger(__name__)


def parse(value: str) -> list[str]:
    """`"http://a:1, http://b:2/"` -> ["http://a:1", "http://b:2"]."""
    urls = [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
    if not urls:
        raise ValueError("no URL given")
    return urls


class Upstreams:
    def __init__(self, urls: str, *, name: str = "", rest_seconds: float = REST_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.urls = parse(urls)
        self.name = name
        self._turn = itertools.count()
        self._resting_until = dict.fromkeys(self.urls, 0.0)
        self._rest_seconds = rest_seconds
        self._clock = clock

    def order(self) -> list[str]:
        """Every URL once, for one request: the next in turn first, resting ones last."""
        start = next(self._turn) % len(self.urls)
        rotated = self.urls[start:] + self.urls[:start]
        now = self._clock()
        return sorted(rotated, key=lambda url: self._resting_until[url] > now)

    def refused(self, url: str) -> None:
        self._resting_until[url] = self._clock() + self._rest_seconds

    async def send(self, attempt: Callable[[str], Awaitable[T]], *,
                   refused: type[BaseException] | tuple[type[BaseException], ...]) -> T:
        """`attempt(base_url)` on the processes in turn until one takes the connection: `refused`
        (the client's error for a connection that never opened) passes it to the next; the last
        one's answer or error is the caller's."""
        *others, last = self.order()
        for base in others:
            try:
                return await attempt(base)
            except refused as exc:
                log.info("upstream_refused", service=self.name, upstream=base, error=repr(exc))
                self.refused(base)
        return await attempt(last)
