from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm_customers.api.configuration import configuration_router


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name", "description"]})

    name: str | None = Field(None, examples=["Khách hội chợ tháng 9"])
    description: str | None = Field(None, description="required", examples=["Danh sách thu thập tại hội chợ"])


class GroupUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    description: str | None = None


class GroupPublic(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    created_at: datetime
    updated_at: datetime


router = configuration_router(kind="group", path="customer-groups", tag="customer groups",
                              create=GroupCreate, update=GroupUpdate, public=GroupPublic)
