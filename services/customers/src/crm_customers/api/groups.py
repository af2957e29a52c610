from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm_customers.api.configuration import configuration_router
from crm_customers.api.documented import NotNull, text
from crm_customers.domain.configuration import DESCRIPTION_MAX_LENGTH, GROUP_NAME_MAX_LENGTH


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name", "description"]})

    name: str | NotNull = Field(None, examples=["Khách hội chợ tháng 9"],
                                json_schema_extra=text(GROUP_NAME_MAX_LENGTH))
    description: str | NotNull = Field(None, examples=["Danh sách thu thập tại hội chợ"],
                                       json_schema_extra=text(DESCRIPTION_MAX_LENGTH))


class GroupUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | NotNull = Field(None, json_schema_extra=text(GROUP_NAME_MAX_LENGTH))
    description: str | NotNull = Field(None, json_schema_extra=text(DESCRIPTION_MAX_LENGTH))


class GroupPublic(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    created_at: datetime
    updated_at: datetime


router = configuration_router(kind="group", path="customer-groups", tag="customer groups",
                              create=GroupCreate, update=GroupUpdate, public=GroupPublic)
