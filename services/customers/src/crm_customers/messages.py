"""Problem and field-error texts of the customers service (Vietnamese first)."""
from crmkit import i18n

i18n.register(
    problems={
        "phone_exists": {
            "vi": ("Số điện thoại đã tồn tại", "Số điện thoại {phone} đã tồn tại trong hệ thống."),
            "en": ("Phone number already exists", "The phone number {phone} already exists."),
        },
    },
    field_errors={
        "invalid_phone": {"vi": "Số điện thoại không hợp lệ.", "en": "Invalid phone number."},
    },
)
