from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm_customers.api.configuration import CATEGORY, POSITION, configuration_router
from crm_customers.api.documented import KEY, Integer, NotNull, rules, text
from crm_customers.domain.configuration import NAME_MAX_LENGTH


class LabelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name"]})

    key: str | None = Field(None, description="stable slug; made from the name when absent", examples=["hot"],
                            json_schema_extra=rules(**KEY))
    name: str | NotNull = Field(None, examples=["Nóng"], json_schema_extra=text(NAME_MAX_LENGTH))
    name_en: str | None = Field(None, description="English name (optional)", examples=["Hot"],
                                json_schema_extra=rules(maxLength=NAME_MAX_LENGTH))
    category: str | None = Field(None, description="a family of labels, e.g. temperature; empty or null: none",
                                 examples=["temperature"], json_schema_extra=rules(**CATEGORY))
    position: Integer = Field(0, json_schema_extra=rules(**POSITION))


class LabelUpdate(BaseModel):
    """The key never changes."""
    model_config = ConfigDict(extra="forbid")

    name: str | NotNull = Field(None, json_schema_extra=text(NAME_MAX_LENGTH))
    name_en: str | None = Field(None, description="English name; empty or null removes it",
                                json_schema_extra=rules(maxLength=NAME_MAX_LENGTH))
    category: str | None = Field(None, description="empty or null: none", json_schema_extra=rules(**CATEGORY))
    position: Integer | NotNull = Field(None, json_schema_extra=rules(**POSITION))


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
