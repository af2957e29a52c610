"""What the import service reads of other services' events (validated once by crmkit.consumer.typed)."""
from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel


class AttributeDefinition(BaseModel):
    """`customer_attribute.defined|changed|deleted`"""
    key: str
    name: str
    type: str
    options: list[dict[str, Any]] = []
    required: bool = False
    display_order: int = 0


class ConfigChanged(BaseModel):
    """`customer_config.changed`: a status, label or group created, updated or deleted."""
    kind: Literal["status", "label", "group"]
    action: Literal["created", "updated", "deleted"]
    item: dict[str, Any]


class ChunkFailure(BaseModel):
    row: int
    field: str | None = None
    code: str


class ChunkApplied(BaseModel):
    """`customers.import_chunk_applied`: the customers service's answer to one chunk."""
    job_id: uuid.UUID
    chunk_no: int
    dry_run: bool = False
    created: int
    updated: int
    failures: list[ChunkFailure] = []
