"""An export job (C-13) as the API shows it, who may see it, and the principal it keeps. Pure, no I/O.

The job keeps the principal of its creator (its reach at that moment is what the file may
contain) as JSON; `job` is a row of `customer_exports` (any mapping).
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from crmkit.auth import Principal

from crm_customers.domain.export_columns import local_time

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def principal_json(principal: Principal) -> dict[str, Any]:
    return {"user_id": str(principal.user_id), "username": principal.username,
            "unit_id": str(principal.unit_id) if principal.unit_id else None, "unit_path": principal.unit_path,
            "roles": sorted(principal.roles), "permissions": sorted(principal.permissions), "kind": principal.kind}


def principal_from_json(data: dict[str, Any]) -> Principal:
    return Principal(user_id=uuid.UUID(data["user_id"]), username=data.get("username") or "",
                     unit_id=uuid.UUID(data["unit_id"]) if data.get("unit_id") else None,
                     unit_path=data.get("unit_path") or "", roles=frozenset(data.get("roles") or []),
                     permissions=frozenset(data.get("permissions") or []), kind=data.get("kind") or "user")


def public_job(job: Mapping[str, Any], retention_days: int) -> dict[str, Any]:
    finished = job["finished_at"]
    return {
        "id": job["id"], "status": job["status"], "format": job["format"], "row_count": job["row_count"],
        "columns": list(job["columns"]), "filter": job["filter"], "created_by": job["created_by"],
        "created_at": job["created_at"], "started_at": job["started_at"], "finished_at": finished,
        "expires_at": finished + timedelta(days=retention_days) if finished and job["status"] == "done" else None,
        "file_name": job["file_name"], "file_size": job["file_size"], "error": job["error"],
    }


def may_see(job: Mapping[str, Any] | None, principal: Principal) -> bool:
    return job is not None and (job["created_by"] == principal.user_id or principal.is_admin)


def media_type(job_format: str) -> str:
    return MEDIA_TYPES["csv" if job_format == "csv" else "xlsx"]


def download_name(job: Mapping[str, Any]) -> str:
    stamp = local_time(job["created_at"]).strftime("%Y%m%d-%H%M")
    base = "customers" if job["language"] == "en" else "khách-hàng"
    return f"{base}-{stamp}.{job['format']}"
