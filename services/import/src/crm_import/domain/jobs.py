"""Import jobs: who may see one, what the API shows of it, when two requests are the same job (the
dedupe key of a phone inside one file is `crmkit.vn_phones.phone_key`)."""
from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from crmkit.auth import Principal

FINISHED = ("completed", "failed", "cancelled")


def may_see(job: Mapping[str, Any] | None, principal: Principal) -> bool:
    """Its importer; managers the jobs of their unit's subtree; admins all (M-5: `GET /imports`)."""
    if job is None:
        return False
    if job["created_by"] == principal.user_id or principal.is_admin:
        return True
    return principal.is_manager and bool(principal.unit_path) and (job["unit_path"] or "").startswith(
        principal.unit_path)


def fingerprint(*, sha256: str, sheet: int, start_row: int, fields: list[str], columns: list[int], template: bool,
                dry_run: bool, importer_id: uuid.UUID, owner_id: uuid.UUID | None, group_id: uuid.UUID | None,
                new_group: Mapping[str, Any] | None, lead_package_id: uuid.UUID | None) -> str:
    """The same file, sheet, rows, mapping and target by the same importer: the same job (M-6)."""
    key = {"sha256": sha256, "sheet": sheet, "start_row": start_row, "mapping": sorted(zip(fields, columns)),
           "template": template, "dry_run": dry_run, "importer": str(importer_id),
           "owner": str(owner_id) if owner_id else None, "group": str(group_id) if group_id else None,
           "new_group": dict(new_group) if new_group else None,
           "package": str(lead_package_id) if lead_package_id else None}
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def public_job(job: Mapping[str, Any], file_name: str | None) -> dict[str, Any]:
    result = (f"/api/v1/imports/{job['id']}/result.xlsx"
              if job["status"] in FINISHED and not job.get("files_expired_at") else None)
    return {
        "id": job["id"], "status": job["status"], "upload_id": job["upload_id"],
        "file_name": file_name, "sheet": job["sheet"], "start_row": job["start_row"],
        "mapping": dict(zip(job["fields"], job["columns"])), "template": job["template"], "dry_run": job["dry_run"],
        "group_id": job["group_id"], "lead_package_id": job["lead_package_id"], "owner_id": job["owner_id"],
        "created_by": job["created_by"],
        "total_rows": job["total_rows"], "processed_rows": job["processed_rows"], "created": job["created"],
        "updated": job["updated"], "failed": job["failed"], "duplicates_in_file": job["duplicates_in_file"],
        "legacy_text_converted": job["legacy_text"], "cancel_requested": job["cancel_requested"],
        "error": job["error"], "created_at": job["created_at"], "started_at": job["started_at"],
        "finished_at": job["finished_at"], "result_file_url": result,
    }


def new_group_id(job_id: uuid.UUID) -> uuid.UUID:
    """The id the customers service gives a job's new group (its `handlers.imports`)."""
    return uuid.uuid5(job_id, "group")
