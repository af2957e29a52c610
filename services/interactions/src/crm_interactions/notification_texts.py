"""The words of a notification in the reader's language (I-9, issue 8): a notification is stored as
its `type` and `data` (the parameters), and its title (and, for some types, its body) is rendered
when read, in the language of the request (Accept-Language; Vietnamese by default).

The stored `title` is the Vietnamese rendering made at write time: what a row shows when its type
is unknown here or its data lacks a parameter (rows written before the parameters were stored).
A stored `body` is the user's own text (a comment's excerpt, a decision note, a file name, an
error) and is shown as it is, unless the type has a body of its own (a decline's reason)."""
from __future__ import annotations

from typing import Any

from crmkit.i18n import DEFAULT_LANGUAGE

# type (or type.variant) -> language -> title template; `{customers}` is "N khách hàng" / "N customer(s)"
TITLES: dict[str, dict[str, str]] = {
    "mention": {"vi": "@{author_username} nhắc đến bạn trong một bình luận",
                "en": "@{author_username} mentioned you in a comment"},
    "assignment_offered": {"vi": "Bạn được giao {customers} — cần nhận hoặc từ chối",
                           "en": "You were assigned {customers} — accept or decline"},
    "assignment_direct": {"vi": "Bạn được giao {customers}", "en": "You were assigned {customers}"},
    "assignment_declined": {"vi": "{customers} bị từ chối nhận, đã trả về kho",
                            "en": "{customers} declined, back in the pool"},
    "assignment_declined.named": {"vi": "{assignee_name} từ chối nhận {customers}, đã trả về kho",
                                  "en": "{assignee_name} declined {customers}, back in the pool"},
    "assignment_expired": {"vi": "{customers} quá hạn nhận, đã trả về kho",
                           "en": "{customers} not accepted in time, back in the pool"},
    "assignment_expired.assignee_deactivated": {
        "vi": "{assignee_name} đã ngừng hoạt động: {customers} chưa nhận đã trả về kho",
        "en": "{assignee_name} was deactivated: {customers} not yet accepted are back in the pool"},
    "assignment_recalled": {"vi": "{customers} đã bị thu hồi", "en": "{customers} recalled from you"},
    "assignment_sla_warning": {"vi": "{customers} sắp bị thu hồi do chưa liên hệ",
                               "en": "{customers} will soon be recalled: not contacted yet"},
    "compensation_decided.approved": {"vi": "Yêu cầu bồi hoàn đã được duyệt",
                                      "en": "Compensation request approved"},
    "compensation_decided.rejected": {"vi": "Yêu cầu bồi hoàn bị từ chối", "en": "Compensation request rejected"},
    "compensation_batch_completed": {"vi": "Đợt yêu cầu bồi hoàn đã xử lý xong",
                                     "en": "Compensation request batch processed"},
    "import_finished": {"vi": "Nhập dữ liệu xong: {rows_ok} dòng thành công, {rows_failed} dòng lỗi",
                        "en": "Import finished: {rows_ok} rows imported, {rows_failed} failed"},
    "import_failed": {"vi": "Nhập dữ liệu thất bại", "en": "Import failed"},
}
BODIES: dict[str, dict[str, str]] = {
    "assignment_declined": {"vi": "Lý do: {reason}", "en": "Reason: {reason}"},
}
DEFAULTS = {"rows_ok": 0, "rows_failed": 0}


def _customers(count: Any, lang: str) -> str | None:
    if not isinstance(count, int):
        return None
    if lang == "en":
        return f"{count} customer" if count == 1 else f"{count} customers"
    return f"{count} khách hàng"


def _key(type_: str, data: dict[str, Any]) -> str:
    if type_ == "compensation_decided":
        return f"{type_}.{data.get('decision')}"
    if type_ == "assignment_declined" and data.get("assignee_name"):
        return f"{type_}.named"
    if type_ == "assignment_expired" and data.get("reason") == "assignee_deactivated" and data.get("assignee_name"):
        return f"{type_}.assignee_deactivated"
    return type_


def _format(templates: dict[str, str] | None, lang: str, data: dict[str, Any]) -> str | None:
    """The template in `lang` filled from `data`; None when there is none or a parameter is missing."""
    if templates is None:
        return None
    params = {**DEFAULTS, **data, "customers": _customers(data.get("count"), lang)}
    try:
        return (templates.get(lang) or templates[DEFAULT_LANGUAGE]).format_map(
            {k: v for k, v in params.items() if v is not None})
    except (KeyError, ValueError, IndexError):
        return None


def title(type_: str, data: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str | None:
    return _format(TITLES.get(_key(type_, data)), lang, data)


def body(type_: str, data: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str | None:
    return _format(BODIES.get(type_), lang, data)


def has_own_body(type_: str) -> bool:
    return type_ in BODIES


def localized(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """The notification `row` with its title and body in `lang` (the stored ones as the fallback)."""
    data = row.get("data") or {}
    rendered = {**row, "title": title(row["type"], data, lang) or row["title"]}
    if has_own_body(row["type"]):
        rendered["body"] = body(row["type"], data, lang) or row["body"]
    return rendered
