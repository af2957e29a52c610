"""Problem and field-error texts of the customers service (Vietnamese first)."""
from crmkit import i18n

i18n.register(
    problems={
        "phone_exists": {
            "vi": ("Số điện thoại đã tồn tại", "Số điện thoại {phone} đã tồn tại trong hệ thống."),
            "en": ("Phone number already exists", "The phone number {phone} already exists."),
        },
        "not_editable": {
            "vi": ("Không có quyền sửa", "Bạn chỉ có quyền xem khách hàng này, không được sửa."),
            "en": ("Not editable", "You may see this customer but not edit it."),
        },
        "key_exists": {
            "vi": ("Mã đã tồn tại", "Mã {key} đã được dùng."),
            "en": ("Key already exists", "The key {key} is already in use."),
        },
        "name_exists": {
            "vi": ("Tên đã tồn tại", "Tên {name} đã được dùng."),
            "en": ("Name already exists", "The name {name} is already in use."),
        },
        "in_use": {
            "vi": ("Đang được sử dụng", "Mục này đang được gán cho khách hàng nên không thể xóa."),
            "en": ("In use", "This item is assigned to customers and cannot be deleted."),
        },
        "last_status": {
            "vi": ("Không thể xóa trạng thái cuối cùng", "Cần có ít nhất một trạng thái khách hàng."),
            "en": ("Last status", "At least one customer status must remain."),
        },
    },
    field_errors={
        "invalid_phone": {"vi": "Số điện thoại không hợp lệ.", "en": "Invalid phone number."},
        "invalid_email": {"vi": "Email không hợp lệ.", "en": "Invalid e-mail address."},
        "invalid_tax_code": {
            "vi": "Mã số thuế không hợp lệ (10 chữ số, hoặc 10 chữ số - 3 chữ số chi nhánh).",
            "en": "Invalid tax code (10 digits, or 10 digits - 3 branch digits).",
        },
        "tax_code_checksum": {
            "vi": "Mã số thuế sai chữ số kiểm tra (chữ số thứ 10 không khớp 9 chữ số đầu); vui lòng kiểm tra lỗi gõ.",
            "en": "Wrong tax code check digit (the 10th digit does not match the first nine); check for a typo.",
        },
        "invalid_date": {
            "vi": "Ngày không hợp lệ, dùng định dạng YYYY-MM-DD hoặc dd/mm/yyyy (ví dụ 2025-03-31 hoặc 31/03/2025).",
            "en": "Invalid date: use the format YYYY-MM-DD or dd/mm/yyyy (e.g. 2025-03-31 or 31/03/2025).",
        },
        "date_too_early": {"vi": "Ngày phải từ {min} trở đi.", "en": "The date must be {min} or later."},
        "date_in_future": {"vi": "Ngày không được ở tương lai.", "en": "The date may not be in the future."},
        "invalid_province": {"vi": "Tỉnh/thành phố không hợp lệ.", "en": "Unknown province or city."},
        "unknown_attribute": {"vi": "Thuộc tính {key} chưa được định nghĩa.", "en": "Attribute {key} is not defined."},
        "invalid_number": {"vi": "Giá trị phải là số.", "en": "Must be a number."},
        "invalid_boolean": {"vi": "Giá trị phải là Có hoặc Không.", "en": "Must be yes or no."},
        "invalid_url": {"vi": "Địa chỉ URL không hợp lệ.", "en": "Invalid URL."},
        "duplicate_value": {"vi": "Giá trị {value} bị trùng.", "en": "Duplicate value {value}."},
        "unknown_status": {"vi": "Trạng thái {status} không tồn tại.", "en": "Unknown status {status}."},
        "unknown_label": {"vi": "Nhãn {label} không tồn tại.", "en": "Unknown label {label}."},
        "unknown_group": {"vi": "Nhóm khách hàng không tồn tại.", "en": "Unknown customer group."},
        "owner_not_in_reach": {
            "vi": "Không thể giao cho người dùng này (không tồn tại, đã nghỉ hoặc ngoài phạm vi của bạn).",
            "en": "This user cannot be made owner (unknown, inactive or outside your reach).",
        },
        "unknown_user": {"vi": "Người dùng không tồn tại hoặc đã nghỉ.", "en": "Unknown or inactive user."},
        "unknown_customer": {"vi": "Khách hàng không tồn tại.", "en": "Unknown customer."},
        "referral_cycle": {
            "vi": "Người giới thiệu không thể là chính khách hàng này hoặc người được khách hàng này giới thiệu.",
            "en": "The referrer cannot be this customer or one it referred.",
        },
        "invalid_key": {
            "vi": "Mã chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ.",
            "en": "A key has lower-case letters, digits and underscores, starting with a letter.",
        },
    },
)

# Attribute definitions (C-3), saved views (C-8), referral tree (C-12).
i18n.register(
    problems={
        "attribute_in_use": {
            "vi": ("Thuộc tính đang được sử dụng",
                   "Khách hàng đang có giá trị của thuộc tính {key} mà thao tác này sẽ làm mất hoặc làm sai."),
            "en": ("Attribute in use", "Customers hold values of attribute {key} that this would remove or invalidate."),
        },
        "attribute_option_in_use": {
            "vi": ("Lựa chọn đang được sử dụng",
                   "Không thể bỏ lựa chọn {options} của thuộc tính {key} vì đang được gán cho khách hàng."),
            "en": ("Option in use", "Options {options} of attribute {key} are used by customers and cannot be removed."),
        },
    },
    field_errors={
        "immutable": {"vi": "Giá trị này không được thay đổi.", "en": "This value cannot be changed."},
        "too_many_items": {"vi": "Tối đa {max_items} mục.", "en": "At most {max_items} items."},
        "unknown_field_key": {"vi": "Trường {key} không tồn tại.", "en": "Unknown field {key}."},
        "not_filterable": {"vi": "Trường {key} không dùng để lọc được.", "en": "Field {key} cannot be filtered on."},
        "invalid_attribute_key": {
            "vi": "Mã chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ (tối đa 63 ký tự).",
            "en": "A key has lower-case letters, digits and underscores, starting with a letter (at most 63).",
        },
        "options_required": {"vi": "Kiểu lựa chọn cần ít nhất một lựa chọn.", "en": "A choice type needs at least one option."},
        "options_not_allowed": {"vi": "Chỉ kiểu lựa chọn mới có danh sách lựa chọn.", "en": "Only choice types have options."},
    },
)

# Lists and search (C-6, C-7)
i18n.register(
    problems={},
    field_errors={
        "not_filterable": {
            "vi": "Thuộc tính {key} không được đánh dấu là dùng để lọc.",
            "en": "Attribute {key} is not filterable.",
        },
    },
)

# Bulk actions, restore and purge (C-10), exports (C-13)
i18n.register(
    problems={
        "confirmation_required": {
            "vi": ("Cần xác nhận", "Xóa khách hàng cần xác nhận: gửi \"confirm\": true."),
            "en": ("Confirmation required", "Deleting customers must be confirmed: send \"confirm\": true."),
        },
        "restore_window_passed": {
            "vi": ("Đã quá hạn khôi phục", "Khách hàng đã bị xóa quá {days} ngày nên không thể khôi phục."),
            "en": ("Restore window passed", "The customer was deleted more than {days} days ago and cannot be restored."),
        },
        "not_deleted": {
            "vi": ("Khách hàng chưa bị xóa", "Khách hàng này chưa bị xóa nên không cần khôi phục."),
            "en": ("Not deleted", "This customer is not deleted."),
        },
        "export_not_ready": {
            "vi": ("Tệp xuất chưa sẵn sàng", "Tệp xuất dữ liệu đang ở trạng thái {status}; vui lòng thử lại sau."),
            "en": ("Export not ready", "The export is {status}; try again later."),
        },
        "export_expired": {
            "vi": ("Tệp xuất đã hết hạn", "Tệp xuất dữ liệu đã bị xóa sau {days} ngày; vui lòng xuất lại."),
            "en": ("Export expired", "The export file was deleted after {days} days; export again."),
        },
    },
    field_errors={
        "exactly_one_of": {
            "vi": "Cần đúng một trong hai: {fields}.",
            "en": "Exactly one of {fields} is required.",
        },
        "confirmation_required": {"vi": "Cần xác nhận xóa (true).", "en": "Deletion must be confirmed (true)."},
        "unknown_column": {"vi": "Cột {column} không tồn tại.", "en": "Unknown column {column}."},
        "not_allowed_for_action": {
            "vi": "Trường này không dùng cho thao tác {action}.",
            "en": "This field does not apply to action {action}.",
        },
    },
)
