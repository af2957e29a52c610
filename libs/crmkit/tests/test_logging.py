"""structlog JSON lines (in a subprocess: logging configuration is global)."""
from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r"""
import logging, uuid
from crmkit.logging import bind_ids, clear_ids, configure_logging, get_logger
configure_logging("svc", "info")
log = get_logger("x")
bind_ids(request_id="r-1", correlation_id="c-1")
log.info("handled", event_id=uuid.UUID("12345678-1234-5678-1234-567812345678"), text="Nguyễn")
log.debug("not shown")
clear_ids()
try:
    raise ValueError("bad")
except ValueError:
    log.exception("failed")
logging.getLogger("aiokafka").warning("library says %s", 5)
logging.getLogger("aiokafka").info("not shown either")
"""


def test_json_lines_with_ids():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=True)
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert [line["event"] for line in lines] == ["handled", "failed", "library says 5"]
    handled, failed, library = lines
    assert handled["request_id"] == "r-1" and handled["correlation_id"] == "c-1"
    assert handled["service"] == "svc" and handled["level"] == "info"
    assert handled["event_id"] == "12345678-1234-5678-1234-567812345678"
    assert handled["text"] == "Nguyễn"
    assert handled["timestamp"].endswith("Z")
    assert "request_id" not in failed and "ValueError: bad" in failed["exception"]
    assert library["logger"] == "aiokafka" and library["level"] == "warning" and library["service"] == "svc"
