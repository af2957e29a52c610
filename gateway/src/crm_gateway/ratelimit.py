"""Token-bucket rate limits, in memory per replica.

Limits are per replica: with N gateway replicas behind a load balancer a caller may get up to
N times the configured rate. That is the documented trade-off for not adding a shared store on
the hot path; the services keep their own limits on expensive operations.
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from prometheus_client import Counter

from crmkit.auth import Principal
from crmkit.errors import ProblemError

from crm_gateway.domain.client_address import bucket_key

RATE_LIMITED = Counter("crm_gateway_rate_limited_total", "Requests refused by a rate limit", ["kind"])


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, max_buckets: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_buckets = max_buckets
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def retry_after(self, key: str, *, per_minute: int, burst: int) -> float:
        """Take one token; 0 when allowed, else the seconds until a token is available."""
        now, rate = self.clock(), per_minute / 60.0
        bucket = self._buckets.pop(key, None) or _Bucket(tokens=float(burst), updated=now)
        bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        self._remember(key, bucket)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate

    def enforce(self, key: str, *, per_minute: int, burst: int) -> None:
        wait = self.retry_after(key, per_minute=per_minute, burst=burst)
        if wait > 0:
            RATE_LIMITED.labels(key.split(":", 1)[0]).inc()
            seconds = max(1, math.ceil(wait))
            raise ProblemError(429, "rate_limited", params={"retry_after": seconds},
                               headers={"Retry-After": str(seconds)}, extra={"retry_after": seconds})

    def _remember(self, key: str, bucket: _Bucket) -> None:
        self._buckets[key] = bucket
        while len(self._buckets) > self.max_buckets:
            self._buckets.popitem(last=False)


def client_ip(request: Request) -> str:
    """The client's address (ClientAddressMiddleware already resolved it through trusted proxies)."""
    return request.client.host if request.client else "unknown"


async def limit_login(request: Request) -> None:
    """Per client address (an IPv6 client per /64), in buckets of their own: a flood of addresses
    evicts only other addresses' buckets, never the users' and keys'."""
    settings = request.app.state.settings
    request.app.state.ip_rate_limiter.enforce(
        f"ip:{bucket_key(client_ip(request))}", per_minute=settings.rate_limit_login_per_minute,
        burst=settings.rate_limit_login_burst)


def limit_principal(request: Request, principal: Principal) -> None:
    """Per user; API-key callers were already limited per key when their key was exchanged."""
    if request.scope.get("state", {}).get("api_key_id"):
        return
    settings = request.app.state.settings
    request.app.state.rate_limiter.enforce(
        f"user:{principal.user_id}", per_minute=settings.rate_limit_user_per_minute,
        burst=settings.rate_limit_user_burst)


def limit_api_key(request_app: FastAPI, key_id: str, per_minute: int | None) -> None:
    settings = request_app.state.settings
    rate = per_minute or settings.rate_limit_api_key_per_minute
    request_app.state.rate_limiter.enforce(f"key:{key_id}", per_minute=rate, burst=rate)
