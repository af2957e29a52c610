"""The columns of a customer export (C-13) and how a stored value becomes a cell. Pure, no I/O.

Status, labels, groups and users are written as their names (`names`, read by
`store.exports.names`); times in Vietnam's local time; attributes (`attr.<key>`) as their value,
a list joined with ", ". Text is neutralised against formula injection by the file writers
(`export_files`, `domain.cells`), not here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
ATTRIBUTE_PREFIX = "attr."


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    kind: str  # text, phone, id, date, datetime, status, labels, groups, user, attr
    source: str  # the customers column read


BUILT_IN = [
    Column("id", "Mã khách hàng", "Customer id", "id", "id"),
    Column("name", "Họ tên", "Name", "text", "name"),
    Column("phone", "Số điện thoại", "Phone", "phone", "phone"),
    Column("email", "Email", "E-mail", "text", "email"),
    Column("birthday", "Ngày sinh", "Birthday", "date", "birthday"),
    Column("province", "Tỉnh/Thành phố", "Province", "text", "province_name"),
    Column("gender", "Giới tính", "Gender", "text", "gender"),
    Column("address", "Địa chỉ", "Address", "text", "address"),
    Column("source", "Nguồn", "Source", "text", "source"),
    Column("customer_type", "Loại khách hàng", "Customer type", "text", "customer_type"),
    Column("company_name", "Công ty", "Company", "text", "company_name"),
    Column("tax_code", "Mã số thuế", "Tax code", "text", "tax_code"),
    Column("position", "Chức vụ", "Position", "text", "position"),
    Column("note", "Ghi chú", "Note", "text", "note"),
    Column("party_type", "Loại đối tượng", "Party type", "text", "party_type"),
    Column("organization_size", "Quy mô", "Organization size", "text", "organization_size"),
    Column("founding_date", "Ngày thành lập", "Founding date", "date", "founding_date"),
    Column("industry", "Ngành nghề", "Industry", "text", "industry"),
    Column("description", "Mô tả", "Description", "text", "description"),
    Column("contact_person", "Người liên hệ", "Contact person", "text", "contact_person"),
    Column("lifecycle", "Vòng đời", "Lifecycle", "text", "lifecycle"),
    Column("status", "Trạng thái", "Status", "status", "status"),
    Column("labels", "Nhãn", "Labels", "labels", "labels"),
    Column("groups", "Nhóm", "Groups", "groups", "groups"),
    Column("owner", "Người phụ trách", "Owner", "user", "owner_id"),
    Column("holder", "Người đang giữ", "Holder", "user", "holder_id"),
    Column("created_at", "Ngày tạo", "Created at", "datetime", "created_at"),
    Column("updated_at", "Cập nhật lúc", "Updated at", "datetime", "updated_at"),
]
BUILT_IN_KEYS = {c.key: c for c in BUILT_IN}

Converter = Callable[[Any], Any]


def attribute_key(column_key: str) -> str | None:
    """The attribute of an `attr.<key>` column, None for a built-in column."""
    return column_key[len(ATTRIBUTE_PREFIX):] if column_key.startswith(ATTRIBUTE_PREFIX) else None


def unknown_columns(wanted: list[str], attribute_keys: list[str]) -> list[tuple[int, str]]:
    """(index, key) of every wanted column that is neither built in nor a defined attribute."""
    known_attributes = set(attribute_keys)
    return [(index, key) for index, key in enumerate(wanted)
            if key not in BUILT_IN_KEYS and attribute_key(key) not in known_attributes]


def all_columns(attribute_keys: list[str]) -> list[str]:
    return [c.key for c in BUILT_IN] + [ATTRIBUTE_PREFIX + key for key in attribute_keys]


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TIME).replace(tzinfo=None)


def _joined(values: Iterable[Any] | None) -> str | None:
    return ", ".join(str(v) for v in values) if values else None


def _attribute_converter(key: str) -> Converter:
    def attribute(attrs: dict[str, Any] | None) -> Any:
        value = (attrs or {}).get(key)
        if isinstance(value, list):
            return _joined(value)
        if isinstance(value, dict):
            return str(value)
        return value
    return attribute


def converter(column_key: str, names: dict[str, dict[Any, str]],
              attribute_types: dict[str, str]) -> tuple[str, str, Converter]:
    """(source column, cell kind, raw value → cell value) of one export column."""
    key = attribute_key(column_key)
    if key is not None:
        return "attributes", "phone" if attribute_types.get(key) == "phone" else "value", _attribute_converter(key)
    column = BUILT_IN_KEYS[column_key]
    kind = column.kind
    if kind == "id":
        return column.source, "text", lambda v: str(v)
    if kind == "datetime":
        return column.source, "value", lambda v: local_time(v) if v is not None else None
    if kind == "status":
        statuses = names["status"]
        return column.source, "text", lambda v: statuses.get(v, v)
    if kind == "labels":
        labels = names["labels"]
        return column.source, "text", lambda v: _joined(labels.get(k, k) for k in v) if v else None
    if kind == "groups":
        groups = names["groups"]
        return column.source, "text", lambda v: _joined(groups.get(g, str(g)) for g in v) if v else None
    if kind == "user":
        users = names["users"]
        return column.source, "text", lambda v: users.get(v, str(v)) if v is not None else None
    return column.source, "phone" if kind == "phone" else "value", lambda v: v


def header(column_key: str, language: str, attribute_names: dict[str, str]) -> str:
    key = attribute_key(column_key)
    if key is not None:
        return attribute_names.get(key, column_key)
    column = BUILT_IN_KEYS[column_key]
    return column.en if language == "en" else column.vi
