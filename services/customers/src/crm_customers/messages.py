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
        "invalid_date": {
            "vi": "Ngày không hợp lệ (dạng yyyy-mm-dd hoặc dd/mm/yyyy).",
            "en": "Invalid date (yyyy-mm-dd or dd/mm/yyyy).",
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
