"""CPU seconds spent by each part of the platform on this machine, read from /proc: the services by
module, PostgreSQL's backends by the database they serve, the Kafka broker, the edge (nginx). A benchmark takes a
snapshot before and after a phase and reports the difference (`delta`): on two shared cores the
wall time of an event pipeline is mostly the sum of what every process spends, so where the CPU
goes says what to make cheaper. Processes that end during the phase are not counted."""
from __future__ import annotations

import os
import re

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
SERVICES = ("crm_customers", "crm_assignment", "crm_interactions", "crm_compensation", "crm_import", "crm_gateway")


def _group(command: str) -> str | None:
    if command.startswith("postgres:"):  # a backend: "postgres: <user> <database> <client> <state>"
        backend = re.match(r"postgres: \S+ (crm_\S+) ", command)
        return f"pg:{backend.group(1)}" if backend else "pg:other"
    service = next((name for name in SERVICES if name in command), None)
    if service:
        return service
    if "java" in command and "kafka" in command.lower():
        return "kafka"
    if command.startswith("nginx:"):  # the edge's master and workers (deploy/local)
        return "edge"
    return "bench" if "_bench.py" in command else None


def snap() -> dict[str, float]:
    """CPU seconds (user + system) so far, summed by group."""
    totals: dict[str, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = _group(command)
        if group is not None:
            totals[group] = totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND
    return totals


def delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """What each group spent between two snapshots (over 0.05 s)."""
    return {group: round(after.get(group, 0.0) - before.get(group, 0.0), 2)
            for group in sorted(before.keys() | after.keys())
            if abs(after.get(group, 0.0) - before.get(group, 0.0)) > 0.05}
