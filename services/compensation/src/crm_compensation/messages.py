"""Problem and field-error texts of the compensation service (Vietnamese first). Helper blocks:
the packages and requests' codes here; review, rules and reports append theirs below."""
from crmkit import i18n

i18n.register(
    problems={
        "not_package_manager": {
            "vi": ("Không có quyền quản lý gói", "Chỉ quản trị viên và quản lý của đơn vị sở hữu gói được làm việc này."),
            "en": ("Not allowed to manage the package",
                   "Only administrators and the managers of the package's unit may do this."),
        },
        "owner_not_allowed": {
            "vi": ("Chủ sở hữu ngoài phạm vi", "Chủ sở hữu của gói phải thuộc đơn vị bạn quản lý."),
            "en": ("Owner out of reach", "The package's owner must be within the units you manage."),
        },
        "unknown_reason": {
            "vi": ("Lý do không tồn tại", "Các lý do sau không có trong danh mục: {codes}."),
            "en": ("Unknown reason", "These reasons are not in the catalogue: {codes}."),
        },
        "not_admin": {
            "vi": ("Không có quyền",
                   "Chỉ quản trị viên được sửa danh mục lý do, quy tắc xét duyệt tự động và cài đặt bù lead."),
            "en": ("Not allowed",
                   "Only administrators edit the reasons' catalogue, the automatic review rules and the settings."),
        },
        "not_in_package": {
            "vi": ("Khách hàng không thuộc gói", "Khách hàng này không phải là lead của gói tài khoản nào bạn có."),
            "en": ("Not a lead of the package", "This customer is not a lead of the package."),
        },
        "not_requester": {
            "vi": ("Không được yêu cầu bù",
                   "Chỉ người đang chăm sóc khách hàng hoặc chủ gói tài khoản được yêu cầu bù."),
            "en": ("Not allowed to ask",
                   "Only whoever works the lead (its owner) or the package's owner may ask for compensation."),
        },
        "reason_not_allowed": {
            "vi": ("Lý do không được chấp nhận", "Gói tài khoản này chỉ chấp nhận các lý do: {allowed}."),
            "en": ("Reason not allowed", "This package accepts these reasons only: {allowed}."),
        },
        "outside_window": {
            "vi": ("Quá hạn yêu cầu bù", "Hạn yêu cầu bù của khách hàng này đã hết lúc {deadline}."),
            "en": ("Outside the window", "The window to ask for compensation of this lead closed at {deadline}."),
        },
        "already_compensated": {
            "vi": ("Đã được bù", "Khách hàng này đã được bù trong gói tài khoản."),
            "en": ("Already compensated", "This lead was already compensated in the package."),
        },
        "already_requested": {
            "vi": ("Đã có yêu cầu bù", "Khách hàng này đã có yêu cầu bù ({request_id})."),
            "en": ("Already requested", "This lead already has a request ({request_id})."),
        },
        "quota_exceeded": {
            "vi": ("Vượt hạn mức bù",
                   "Gói tài khoản đã có {used}/{maximum} yêu cầu bù (tối đa {max_share} số lead)."),
            "en": ("Quota exceeded", "The package already has {used} of {maximum} requests (at most {max_share} of its"
                                     " leads)."),
        },
        "not_enough_call_attempts": {
            "vi": ("Chưa đủ số cuộc gọi",
                   "Mới có {attempts} cuộc gọi được ghi nhận kể từ khi nhận lead; cần ít nhất {minimum}."),
            "en": ("Not enough call attempts",
                   "{attempts} calls were recorded since the lead was delivered; at least {minimum} are needed."),
        },
        "request_frozen": {
            "vi": ("Yêu cầu đã gửi xét duyệt", "Yêu cầu bù đang ở trạng thái {status}, không thể sửa hay rút."),
            "en": ("Request frozen", "The request is {status}: it can no longer be changed or withdrawn."),
        },
        "not_your_request": {
            "vi": ("Không phải yêu cầu của bạn", "Chỉ người tạo yêu cầu bù hoặc quản lý gói được sửa, rút yêu cầu."),
            "en": ("Not your request", "Only the requester or the package's managers change or withdraw it."),
        },
    },
    field_errors={
        "exactly_one_of": {"vi": "Cần đúng một trong hai: {fields}.", "en": "Exactly one of {fields} is required."},
        "unknown_user": {"vi": "Không có người dùng đang hoạt động này.", "en": "No such active user."},
        "unknown_unit": {"vi": "Không có đơn vị này.", "en": "No such unit."},
        "owner_not_allowed": {"vi": "Ngoài các đơn vị bạn quản lý.", "en": "Outside the units you manage."},
        "unknown_reason": {"vi": "Lý do không có trong danh mục: {codes}.",
                           "en": "Not in the reasons' catalogue: {codes}."},
    },
)

# --- review, decisions, rules and reports (helper B) ---------------------------------------------
i18n.register(
    problems={
        "not_a_submitter": {
            "vi": ("Không được gửi xét duyệt",
                   "Người xét duyệt quyết định các yêu cầu bù, không gửi chúng đi xét duyệt."),
            "en": ("Not allowed to send for review", "Reviewers decide requests; they do not send them for review."),
        },
        "no_drafts": {
            "vi": ("Không có yêu cầu nháp", "Gói tài khoản không có yêu cầu bù nháp nào của bạn để gửi xét duyệt."),
            "en": ("No drafts", "The package has no draft requests of yours to send for review."),
        },
        "confirmation_stale": {
            "vi": ("Danh sách đã thay đổi",
                   "Các yêu cầu bù nháp đã thay đổi kể từ lần xác nhận thứ nhất; vui lòng xem lại và xác nhận lại."),
            "en": ("The drafts changed",
                   "The draft requests changed since the first confirmation; review them and confirm again."),
        },
        "confirmation_invalid": {
            "vi": ("Mã xác nhận không hợp lệ",
                   "Mã xác nhận không tồn tại, đã dùng hoặc đã hết hạn (10 phút); vui lòng bấm Gửi xét duyệt lại."),
            "en": ("Invalid confirmation",
                   "The confirmation token is unknown, used or expired (10 minutes); send for review again."),
        },
        "not_a_reviewer": {
            "vi": ("Không có quyền xét duyệt", "Chỉ người xét duyệt và quản trị viên được làm việc này."),
            "en": ("Not a reviewer", "Only reviewers and administrators may do this."),
        },
        "already_decided": {
            "vi": ("Yêu cầu đã được xét duyệt", "Yêu cầu bù này đã được quyết định ({status})."),
            "en": ("Already decided", "This request was already decided ({status})."),
        },
        "not_submitted": {
            "vi": ("Yêu cầu chưa gửi xét duyệt", "Yêu cầu bù đang ở trạng thái {status}, chưa được gửi xét duyệt."),
            "en": ("Not submitted", "The request is {status}: it was not sent for review."),
        },
    },
    field_errors={
        "period_reversed": {"vi": "Thời điểm bắt đầu phải trước thời điểm kết thúc.",
                            "en": "The start must come before the end."},
    },
)
