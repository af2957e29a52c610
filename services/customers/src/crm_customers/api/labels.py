from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm_customers.api.configuration import configuration_router


class LabelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name"]})

    key: str | None = Field(None, description="stable slug; made from the name when absent", examples=["hot"])
    name: str | None = Field(None, examples=["Nóng"])
    name_en: str | None = Field(None, description="English name (optional)", examples=["Hot"])
    category: str | None = Field(None, description="a family of labels, e.g. temperature", examples=["temperature"])
    position: int = 0


class LabelUpdate(BaseModel):
    """The key never changes."""
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    name_en: str | None = Field(None, description="English name; empty or null removes it")
    category: str | None = None
    position: int | None = None


class LabelPublic(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    name_en: str | None = Field(description="English name (null: none given, show `name`)")
    category: str | None
    position: int
    created_at: datetime
    updated_at: datetime


router = configuration_router(kind="label", path="customer-labels", tag="customer labels",
                              create=LabelCreate, update=LabelUpdate, public=LabelPublic)
