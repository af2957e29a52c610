from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm_customers.api.configuration import configuration_router


class StatusCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name"]})

    key: str | None = Field(None, description="stable slug; made from the name when absent", examples=["potential"])
    name: str | None = Field(None, examples=["Tiềm năng"])
    name_en: str | None = Field(None, description="English name (optional)", examples=["Potential"])
    position: int = Field(0, description="order in the pipeline")


class StatusUpdate(BaseModel):
    """The key never changes."""
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    name_en: str | None = Field(None, description="English name; empty or null removes it")
    position: int | None = None


class StatusPublic(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    name_en: str | None = Field(description="English name (null: none given, show `name`)")
    position: int
    created_at: datetime
    updated_at: datetime


router = configuration_router(kind="status", path="customer-statuses", tag="customer statuses",
                              create=StatusCreate, update=StatusUpdate, public=StatusPublic)
