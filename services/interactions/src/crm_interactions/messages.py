"""Problem and field-error texts of the interactions service (Vietnamese first)."""
from crmkit import i18n

i18n.register(
    problems={
        "invalid_transition": {
            "vi": ("Chuyển trạng thái không hợp lệ",
                   "Không thể chuyển phiếu từ trạng thái {from} sang {to}."),
            "en": ("Invalid transition", "The ticket cannot go from {from} to {to}."),
        },
        "ticket_not_manageable": {
            "vi": ("Không có quyền giao lại hoặc xóa phiếu",
                   "Người được giao xử lý phiếu nhưng chỉ người được sửa khách hàng mới giao lại hoặc xóa phiếu."),
            "en": ("Not allowed to reassign or delete",
                   "The assignee works the ticket; only who may edit the customer may reassign or delete it."),
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

# Comments (I-3, I-4) and notifications (I-9).
i18n.register(problems={
    "not_mentioned": {
        "vi": ("Không được nhắc tên", "Chỉ người được nhắc tên trong bình luận mới xác nhận được."),
        "en": ("Not mentioned", "Only a user mentioned in the comment can acknowledge it."),
    },
    "not_comment_author": {
        "vi": ("Không phải người viết", "Chỉ người viết bình luận mới được sửa bình luận."),
        "en": ("Not the author", "Only the author of a comment may edit it."),
    },
    "not_deletable": {
        "vi": ("Không có quyền xóa", "Bạn không có quyền xóa bình luận này."),
        "en": ("Not deletable", "You may not delete this comment."),
    },
    "deleted_comments_forbidden": {
        "vi": ("Không có quyền xem", "Chỉ quản lý và quản trị viên xem được bình luận đã xóa."),
        "en": ("Forbidden", "Only managers and administrators may list deleted comments."),
    },
})

# Mentions that cannot reach their user (issue 8): never a notification with the comment then.
i18n.register(field_errors={
    "unknown_mention": {"vi": "Không có người dùng (hoặc tài khoản đã khóa): {usernames}.",
                        "en": "No such user (or the account is deactivated): {usernames}."},
    "mention_not_visible": {
        "vi": "{usernames} không xem được khách hàng này nên không thể được nhắc tên.",
        "en": "{usernames} may not see this customer, so cannot be mentioned."},
    "mention_not_visible_shareable": {
        "vi": "{usernames} không xem được khách hàng này; hãy thêm họ làm người xem rồi nhắc tên lại.",
        "en": "{usernames} may not see this customer; add them as viewers, then mention them again."},
})

# Notifications (I-9).
i18n.register(problems={
    "too_many_streams": {
        "vi": ("Quá nhiều kết nối thông báo",
               "Mỗi người dùng mở tối đa {max} luồng thông báo cùng lúc; hãy đóng bớt tab."),
        "en": ("Too many notification streams",
               "At most {max} notification streams may be open per user; close a tab."),
    },
})

# Attachments (I-5).
i18n.register(
    problems={
        "attachment_too_large": {
            "vi": ("Tệp quá lớn", "Mỗi tệp đính kèm tối đa {limit_mb} MB ({limit} byte); tệp không được lưu."),
            "en": ("Attachment too large", "An attachment may have at most {limit_mb} MB ({limit} bytes);"
                   " nothing was stored."),
        },
        "attachment_type_not_allowed": {
            "vi": ("Loại tệp không được phép", "Không được đính kèm tệp chương trình (exe, ELF, script)."),
            "en": ("File type not allowed", "Executable files (exe, ELF, scripts) cannot be attached."),
        },
        "attachment_not_deletable": {
            "vi": ("Không có quyền xóa", "Chỉ người tải lên, quản lý cấp trên hoặc quản trị viên được xóa tệp này."),
            "en": ("Not deletable", "Only the uploader, a manager above the owner or an admin may delete this file."),
        },
    },
    field_errors={
        "empty_file": {"vi": "Tệp rỗng.", "en": "The file is empty."},
        "invalid_filename": {"vi": "Tên tệp không được chứa dấu / hoặc \\.",
                             "en": "A file name must not contain / or \\."},
    },
)

# Call result sheets (I-2).
i18n.register(problems={
    "call_already_logged": {
        "vi": ("Cuộc gọi đã được ghi nhận", "Mã cuộc gọi (external_id) này đã được ghi cho một khách hàng khác."),
        "en": ("Call already logged", "This external_id was already logged for another customer."),
    },
})
