"""Problem and field-error texts of the interactions service (Vietnamese first)."""
from crmkit import i18n

i18n.register(
    problems={
        "invalid_transition": {
            "vi": ("Chuyển trạng thái không hợp lệ",
                   "Không thể chuyển phiếu từ trạng thái {from} sang {to}."),
            "en": ("Invalid transition", "The ticket cannot go from {from} to {to}."),
        },
        "ticket_closed": {
            "vi": ("Phiếu đã đóng", "Phiếu ở trạng thái {status} nên không thể sửa."),
            "en": ("Ticket closed", "The ticket is {status} and can no longer be edited."),
        },
    },
    field_errors={
        "unknown_user": {"vi": "Người dùng không tồn tại hoặc đã bị khóa.",
                         "en": "Unknown or deactivated user."},
        "blank": {"vi": "Trường này không được để trống.", "en": "This field must not be blank."},
    },
)

if not i18n.known_problem("not_editable"):  # the customers service's text, when both run in one process
    i18n.register(problems={
        "not_editable": {
            "vi": ("Không có quyền sửa", "Bạn chỉ có quyền xem mục này, không được sửa."),
            "en": ("Not editable", "You may see this item but not edit it."),
        },
    })
