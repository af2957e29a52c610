from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm_customers.api.configuration import POSITION, configuration_router
from crm_customers.api.documented import KEY, Integer, NotNull, rules, text
from crm_customers.domain.configuration import NAME_MAX_LENGTH


class StatusCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name"]})

    key: str | None = Field(None, description="stable slug; made from the name when absent", examples=["potential"],
                            json_schema_extra=rules(**KEY))
    name: str | NotNull = Field(None, examples=["Tiềm năng"], json_schema_extra=text(NAME_MAX_LENGTH))
    name_en: str | None = Field(None, description="English name (optional)", examples=["Potential"],
                                json_schema_extra=rules(maxLength=NAME_MAX_LENGTH))
    position: Integer = Field(0, description="order in the pipeline", json_schema_extra=rules(**POSITION))


class StatusUpdate(BaseModel):
    """The key never changes."""
    model_config = ConfigDict(extra="forbid")

    name: str | NotNull = Field(None, json_schema_extra=text(NAME_MAX_LENGTH))
    name_en: str | None = Field(None, description="English name; empty or null removes it",
                                json_schema_extra=rules(maxLength=NAME_MAX_LENGTH))
    position: Integer | NotNull = Field(None, json_schema_extra=rules(**POSITION))


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
