"""Problem codes of the gateway, in Vietnamese (default) and English."""
from __future__ import annotations

from crmkit import i18n

PROBLEMS = {
    "invalid_credentials": {
        "vi": ("Đăng nhập thất bại", "Tên đăng nhập hoặc mật khẩu không đúng"),
        "en": ("Login failed", "The username or password is incorrect"),
    },
    "account_locked": {
        "vi": ("Tạm dừng đăng nhập",
               "Đăng nhập sai nhiều lần từ địa chỉ này. Vui lòng thử lại sau {retry_after} giây."),
        "en": ("Login paused",
               "Too many failed logins from this address. Try again in {retry_after} seconds."),
    },
    "account_inactive": {
        "vi": ("Tài khoản đã ngừng hoạt động", "Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên."),
        "en": ("Account inactive", "This account has been deactivated. Please contact an administrator."),
    },
    "invalid_refresh_token": {
        "vi": ("Phiên đăng nhập không hợp lệ",
               "Mã làm mới không hợp lệ, đã hết hạn hoặc đã bị thu hồi. Vui lòng đăng nhập lại."),
        "en": ("Invalid refresh token", "The refresh token is invalid, expired or revoked. Please sign in again."),
    },
    "session_header_required": {
        "vi": ("Thiếu tiêu đề phiên", "Yêu cầu phải có tiêu đề X-CRM-Session: 1."),
        "en": ("Session header required", "The request must carry the header X-CRM-Session: 1."),
    },
    "refresh_token_reused": {
        "vi": ("Phiên đăng nhập bị thu hồi",
               "Mã làm mới đã được sử dụng trước đó; mọi phiên liên quan đã bị thu hồi. Vui lòng đăng nhập lại."),
        "en": ("Refresh token reused",
               "This refresh token was already used; the whole session was revoked. Please sign in again."),
    },
    "invalid_api_key": {
        "vi": ("Khóa API không hợp lệ",
               "Khóa API không đúng, đã bị thu hồi hoặc tài khoản dịch vụ đã ngừng hoạt động."),
        "en": ("Invalid API key", "The API key is wrong, revoked, or its service account is inactive."),
    },
    "username_exists": {
        "vi": ("Tên đăng nhập đã tồn tại", "Tên đăng nhập '{username}' đã được sử dụng."),
        "en": ("Username taken", "The username '{username}' is already in use."),
    },
    "unit_not_found": {
        "vi": ("Không tìm thấy đơn vị", "Đơn vị tổ chức không tồn tại."),
        "en": ("Unit not found", "The organisation unit does not exist."),
    },
    "unit_cycle": {
        "vi": ("Cây tổ chức không hợp lệ", "Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị con của nó."),
        "en": ("Invalid move", "A unit cannot be moved under itself or one of its descendants."),
    },
    "unit_kind_invalid": {
        "vi": ("Cấp đơn vị không hợp lệ", "Đơn vị loại '{kind}' không thể nằm dưới đơn vị loại '{parent_kind}'."),
        "en": ("Invalid unit level", "A unit of kind '{kind}' cannot be placed under a unit of kind '{parent_kind}'."),
    },
    "unit_root_exists": {
        "vi": ("Đã có công ty gốc", "Cây tổ chức chỉ có một đơn vị gốc loại công ty."),
        "en": ("Root exists", "The organisation tree has exactly one root unit of kind company."),
    },
    "unit_name_exists": {
        "vi": ("Tên đơn vị đã tồn tại", "Đơn vị cùng cấp đã có tên '{name}'."),
        "en": ("Unit name taken", "A sibling unit is already named '{name}'."),
    },
    "last_admin": {
        "vi": ("Không thể thực hiện", "Hệ thống phải còn ít nhất một quản trị viên đang hoạt động."),
        "en": ("Not allowed", "At least one active administrator must remain."),
    },
    "api_key_user_invalid": {
        "vi": ("Tài khoản dịch vụ không hợp lệ", "Khóa API chỉ gắn được với tài khoản dịch vụ có vai trò integrator."),
        "en": ("Invalid service account",
               "An API key can only be bound to a service account with the integrator role."),
    },
    "service_unavailable": {
        "vi": ("Dịch vụ không khả dụng", "Dịch vụ {service} hiện không phản hồi. Vui lòng thử lại sau."),
        "en": ("Service unavailable", "The {service} service is not reachable right now. Please try again later."),
    },
    "gateway_timeout": {
        "vi": ("Hết thời gian chờ", "Dịch vụ {service} không trả lời kịp thời. Vui lòng thử lại sau."),
        "en": ("Gateway timeout", "The {service} service did not answer in time. Please try again later."),
    },
    "bad_gateway": {
        "vi": ("Lỗi cổng kết nối", "Dịch vụ {service} trả về phản hồi không hợp lệ."),
        "en": ("Bad gateway", "The {service} service sent an invalid response."),
    },
}

FIELD_ERRORS = {
    "invalid_role": {"vi": "Vai trò không hợp lệ: {role}.", "en": "Unknown role: {role}."},
    "unknown_permission": {"vi": "Quyền không tồn tại: {permission}. Các quyền hợp lệ: {known}.",
                           "en": "Unknown permission: {permission}. Known permissions: {known}."},
    "weak_password": {"vi": "Mật khẩu phải có ít nhất {min_length} ký tự và khác tên đăng nhập.",
                      "en": "The password needs at least {min_length} characters and must differ from the username."},
    # same texts as the customers service's (the catalogue is process-wide in shared test runs)
    "invalid_email": {"vi": "Email không hợp lệ.", "en": "Invalid e-mail address."},
    "invalid_phone": {"vi": "Số điện thoại không hợp lệ.", "en": "Invalid phone number."},
    "invalid_username": {"vi": "Tên đăng nhập chỉ gồm chữ cái, chữ số và . _ -",
                         "en": "A username may only contain letters, digits and . _ -"},
    "not_found": {"vi": "Không tìm thấy.", "en": "Not found."},
}


def register_messages() -> None:
    i18n.register(problems=PROBLEMS, field_errors=FIELD_ERRORS)
