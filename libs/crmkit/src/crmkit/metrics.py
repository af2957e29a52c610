"""Prometheus metrics shared by every service (exposed at /metrics)."""
from __future__ import annotations

import os
import tempfile
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

HTTP_LATENCY = Histogram(
    "crm_http_request_seconds", "HTTP request latency", ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_LAG = Gauge("crm_outbox_lag_seconds", "Age of the oldest unpublished outbox row", ["service"])
OUTBOX_PUBLISHED = Counter("crm_outbox_published_total", "Outbox rows published to Kafka", ["service"])
EVENTS_HANDLED = Counter(
    "crm_events_handled_total", "Events consumed", ["service", "type", "outcome"]
)
CONSUMER_LAG = Gauge("crm_consumer_lag_messages", "Messages behind the partition end", ["service", "topic"])
IMPORT_ROWS = Counter("crm_import_rows_total", "Rows processed by import jobs", ["outcome"])


def render() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST


def serve(host: str, port: int, *, worker_processes: bool = False) -> WSGIServer:
    """/metrics on a listener of its own (a daemon thread), apart from the API's port.

    `worker_processes`: the API runs in worker processes started after this (uvicorn `--workers`);
    they write their samples to files of a directory of their own (prometheus_client's multiprocess
    mode, `PROMETHEUS_MULTIPROC_DIR`, inherited by the workers), and this listener adds them up."""
    if not worker_processes:
        server, _ = start_http_server(port, addr=host)
        return server
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="crm-metrics-"))
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=os.environ["PROMETHEUS_MULTIPROC_DIR"])  # type: ignore[no-untyped-call]
    server, _ = start_http_server(port, addr=host, registry=registry)
    return server
