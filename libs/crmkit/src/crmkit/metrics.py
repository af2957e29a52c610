"""Prometheus metrics shared by every service (exposed at /metrics)."""
from __future__ import annotations

from wsgiref.simple_server import WSGIServer

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest, start_http_server

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


def serve(host: str, port: int) -> WSGIServer:
    """/metrics on a listener of its own (a daemon thread), apart from the API's port."""
    server, _ = start_http_server(port, addr=host)
    return server
