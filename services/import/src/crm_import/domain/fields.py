"""The fields a file's columns can be mapped to: the built-in customer fields (C-1) with their
Vietnamese and English titles (the template's headers; also accepted as header text), and the
admin-defined attributes (C-3) as `attributes.<key>`. The customers service owns every rule about
their values; here only which names exist."""
from __future__ import annotations

import re

# field → (Vietnamese title, English title), in the template's order
BUILT_IN: dict[str, tuple[str, str]] = {
    "name": ("Tên khách hàng", "Name"),
    "phone": ("Số điện thoại", "Phone"),
    "email": ("Email", "E-mail"),
    "birthday": ("Ngày sinh", "Birthday"),
    "gender": ("Giới tính", "Gender"),
    "province": ("Tỉnh/Thành phố", "Province"),
    "address": ("Địa chỉ thường trú", "Address"),
    "source": ("Nguồn khách hàng", "Source"),
    "customer_type": ("Loại hình khách hàng", "Customer type"),
    "status": ("Trạng thái", "Status"),
    "company_name": ("Tên công ty", "Company"),
    "tax_code": ("Mã số thuế", "Tax code"),
    "position": ("Chức vụ", "Position"),
    "note": ("Ghi chú", "Note"),
    "party_type": ("Kiểu khách hàng", "Party type"),
    "organization_size": ("Quy mô tổ chức", "Organization size"),
    "founding_date": ("Ngày thành lập", "Founding date"),
    "industry": ("Lĩnh vực", "Industry"),
    "description": ("Mô tả", "Description"),
    "contact_person": ("Người liên hệ", "Contact person"),
    "lifecycle": ("Giai đoạn", "Lifecycle"),
}
REQUIRED = ("name", "phone")
ATTRIBUTE_PREFIX = "attributes."
_ATTRIBUTE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def attribute_key(field: str) -> str | None:
    """`attributes.income` → `income`; None for anything else."""
    if not field.startswith(ATTRIBUTE_PREFIX):
        return None
    key = field[len(ATTRIBUTE_PREFIX):]
    return key if _ATTRIBUTE_KEY.match(key) else None


def title(field: str, language: str, attribute_names: dict[str, str]) -> str:
    key = attribute_key(field)
    if key is not None:
        return attribute_names.get(key, key)
    vi, en = BUILT_IN[field]
    return en if language == "en" else vi


def unknown_fields(fields: list[str], attribute_keys: set[str]) -> list[str]:
    """The mapped names that are neither a built-in field nor a defined attribute."""
    return [field for field in fields
            if field not in BUILT_IN and (attribute_key(field) or "") not in attribute_keys]
