"""Message catalogue: every problem `code` and field-error `code` has a Vietnamese and an English
text. Services add their own codes with `register`. Vietnamese is the default language."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_LANGUAGE = "vi"
SUPPORTED = ("vi", "en")

# code -> {lang: (title, detail template)}
_PROBLEMS: dict[str, dict[str, tuple[str, str]]] = {
    "validation_error": {
        "vi": ("Dữ liệu không hợp lệ", "Vui lòng kiểm tra lại các trường bị lỗi."),
        "en": ("Invalid input", "Please check the fields in error."),
    },
    "bad_request": {
        "vi": ("Yêu cầu không hợp lệ", "Máy chủ không thể xử lý yêu cầu này."),
        "en": ("Bad request", "The server cannot process this request."),
    },
    "conflict": {
        "vi": ("Xung đột dữ liệu", "Yêu cầu xung đột với trạng thái hiện tại của tài nguyên."),
        "en": ("Conflict", "The request conflicts with the current state of the resource."),
    },
    "unsupported_media_type": {
        "vi": ("Kiểu nội dung không được hỗ trợ", "Kiểu nội dung (Content-Type) của yêu cầu không được hỗ trợ."),
        "en": ("Unsupported media type", "The Content-Type of the request is not supported."),
    },
    "not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy tài nguyên yêu cầu."),
        "en": ("Not found", "The requested resource was not found."),
    },
    "unauthorized": {
        "vi": ("Chưa xác thực", "Vui lòng đăng nhập để tiếp tục."),
        "en": ("Unauthorized", "Please sign in to continue."),
    },
    "invalid_token": {
        "vi": ("Phiên đăng nhập không hợp lệ", "Mã truy cập không hợp lệ hoặc đã hết hạn."),
        "en": ("Invalid token", "The access token is invalid or has expired."),
    },
    "token_revoked": {
        "vi": ("Phiên đăng nhập đã thay đổi",
               "Tài khoản vừa được cập nhật (quyền, đơn vị hoặc trạng thái); vui lòng làm mới phiên đăng nhập."),
        "en": ("Token revoked",
               "Your account changed (roles, unit or status) since this token was issued; refresh your session."),
    },
    "forbidden": {
        "vi": ("Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
        "en": ("Forbidden", "You are not allowed to perform this action."),
    },
    "method_not_allowed": {
        "vi": ("Phương thức không được hỗ trợ", "Phương thức HTTP này không được hỗ trợ."),
        "en": ("Method not allowed", "This HTTP method is not supported here."),
    },
    "headers_too_large": {
        "vi": ("Phần đầu yêu cầu quá lớn", "Phần đầu (header, cookie) của yêu cầu vượt quá giới hạn cho phép."),
        "en": ("Request headers too large", "The request's headers (or cookies) exceed the allowed size."),
    },
    "payload_too_large": {
        "vi": ("Dữ liệu quá lớn", "Kích thước yêu cầu vượt quá giới hạn {limit} byte."),
        "en": ("Payload too large", "The request body exceeds the limit of {limit} bytes."),
    },
    "database_unavailable": {
        "vi": ("Hệ thống tạm thời gián đoạn",
               "Cơ sở dữ liệu đang khởi động lại. Vui lòng thử lại sau {retry_after} giây."),
        "en": ("Temporarily unavailable", "The database is restarting. Try again in {retry_after} seconds."),
    },
    "internal_error": {
        "vi": ("Lỗi hệ thống", "Đã xảy ra lỗi không mong muốn. Mã yêu cầu: {request_id}."),
        "en": ("Internal error", "An unexpected error occurred. Request id: {request_id}."),
    },
    "version_conflict": {
        "vi": ("Dữ liệu đã bị thay đổi", "Bản ghi đã được người khác cập nhật. Vui lòng tải lại và thử lại."),
        "en": ("Version conflict", "The record was changed by someone else. Reload it and try again."),
    },
    "precondition_required": {
        "vi": ("Thiếu If-Match", "Cần gửi tiêu đề If-Match với phiên bản đã đọc."),
        "en": ("If-Match required", "Send an If-Match header with the version you read."),
    },
    "idempotency_key_reused": {
        "vi": ("Idempotency-Key đã dùng", "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."),
        "en": ("Idempotency key reused", "This Idempotency-Key was already used for a different request."),
    },
    "idempotency_in_flight": {
        "vi": ("Yêu cầu đang xử lý", "Một yêu cầu với cùng Idempotency-Key đang được xử lý."),
        "en": ("Request in progress", "A request with the same Idempotency-Key is still being processed."),
    },
    "invalid_cursor": {
        "vi": ("Con trỏ phân trang không hợp lệ", "Giá trị cursor không hợp lệ."),
        "en": ("Invalid cursor", "The cursor value is not valid."),
    },
    "invalid_characters": {
        "vi": ("Ký tự không hợp lệ",
               "Văn bản không được chứa ký tự NUL (\\u0000) hay ký tự thay thế (surrogate) đứng lẻ."),
        "en": ("Invalid characters",
               "Text must not contain the NUL character (\\u0000) or an unpaired surrogate."),
    },
    "rate_limited": {
        "vi": ("Quá nhiều yêu cầu", "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {retry_after} giây."),
        "en": ("Too many requests", "Too many requests. Try again in {retry_after} seconds."),
    },
}

# field-error code -> {lang: message template}
_FIELD_ERRORS: dict[str, dict[str, str]] = {
    "required": {"vi": "Trường này là bắt buộc.", "en": "This field is required."},
    "too_long": {"vi": "Tối đa {max_length} ký tự.", "en": "At most {max_length} characters."},
    "too_short": {"vi": "Tối thiểu {min_length} ký tự.", "en": "At least {min_length} characters."},
    "invalid_type": {"vi": "Giá trị không đúng kiểu.", "en": "Wrong type of value."},
    "invalid_value": {"vi": "Giá trị không hợp lệ.", "en": "Invalid value."},
    "invalid_choice": {"vi": "Giá trị phải là một trong: {choices}.", "en": "Must be one of: {choices}."},
    "out_of_range": {"vi": "Giá trị nằm ngoài khoảng cho phép.", "en": "Value out of the allowed range."},
    "unknown_field": {"vi": "Trường không được hỗ trợ.", "en": "Unknown field."},
    "invalid_json": {"vi": "Nội dung JSON không hợp lệ.", "en": "The JSON body is malformed."},
    "invalid_date": {"vi": "Ngày không hợp lệ, dùng định dạng YYYY-MM-DD (ví dụ 2025-03-31).",
                     "en": "Invalid date: use the format YYYY-MM-DD (e.g. 2025-03-31)."},
    "invalid_datetime": {"vi": "Thời điểm không hợp lệ, dùng định dạng ISO 8601 (ví dụ 2025-03-31T09:00:00+07:00).",
                         "en": "Invalid date and time: use ISO 8601 (e.g. 2025-03-31T09:00:00+07:00)."},
    "invalid_characters": {"vi": "Chứa ký tự không hợp lệ (NUL hoặc surrogate đứng lẻ).",
                           "en": "Contains an invalid character (NUL or an unpaired surrogate)."},
}


def register(*, problems: Mapping[str, dict[str, tuple[str, str]]] | None = None,
             field_errors: Mapping[str, dict[str, str]] | None = None) -> None:
    _PROBLEMS.update(problems or {})
    _FIELD_ERRORS.update(field_errors or {})


def language(accept_language: str | None) -> str:
    """Pick vi or en from an Accept-Language header, honouring q-values (q=0: not acceptable).

    The highest q wins; on equal q the first listed wins; nothing acceptable: Vietnamese.
    """
    if not accept_language:
        return DEFAULT_LANGUAGE
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in accept_language.split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        lang = tag.lower().split("-")[0]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        if lang in SUPPORTED and q > best_q:
            best, best_q = lang, q
    return best


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def problem_text(code: str, lang: str, params: Mapping[str, Any] | None = None) -> tuple[str, str]:
    entry = _PROBLEMS.get(code) or _PROBLEMS["internal_error"]
    title, detail = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return title, detail.format_map(_Blank(params or {}))


def field_message(code: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
    entry = _FIELD_ERRORS.get(code) or _FIELD_ERRORS["invalid_value"]
    return (entry.get(lang) or entry[DEFAULT_LANGUAGE]).format_map(_Blank(params or {}))


def known_problem(code: str) -> bool:
    return code in _PROBLEMS


def known_field_error(code: str) -> bool:
    return code in _FIELD_ERRORS
