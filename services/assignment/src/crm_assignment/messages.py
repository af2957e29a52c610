"""Problem and field-error texts of the assignment service (Vietnamese first)."""
from crmkit import i18n

i18n.register(
    problems={
        "not_a_distributor": {
            "vi": ("Không có quyền giao việc", "Chỉ quản lý và quản trị viên được giao, thu hồi khách hàng."),
            "en": ("Not allowed to distribute", "Only managers and administrators assign and recall customers."),
        },
        "quantities_mismatch": {
            "vi": ("Số lượng không khớp",
                   "Tổng số khách hàng giao cho các sale ({assigned}) phải bằng số khách hàng đã chọn ({selected})."),
            "en": ("Quantities do not add up",
                   "The quantities per rep ({assigned}) must add up to the selected customers ({selected})."),
        },
        "capacity_exceeded": {
            "vi": ("Vượt quá năng lực nhận",
                   "Các sale đã chọn chỉ nhận thêm được {room} khách hàng, nhưng có {selected} khách hàng."),
            "en": ("Capacity exceeded", "The chosen reps can take {room} more leads, not {selected}."),
        },
        "customers_already_assigned": {
            "vi": ("Khách hàng đang được giao",
                   "{count} khách hàng đang thuộc một lượt giao việc khác (customer_ids); hãy thu hồi trước khi giao"
                   " lại."),
            "en": ("Already assigned",
                   "{count} customers are in another open assignment (customer_ids); recall them first."),
        },
        "not_assignee": {
            "vi": ("Không phải người được giao", "Chỉ người được giao mới nhận hoặc từ chối lượt giao việc này."),
            "en": ("Not the assignee", "Only the assignee accepts or declines this assignment."),
        },
        "assignment_not_offered": {
            "vi": ("Không còn chờ xác nhận", "Lượt giao việc này đang ở trạng thái {status}."),
            "en": ("Not an open offer", "This assignment is {status}."),
        },
        "too_many_matched": {
            "vi": ("Quá nhiều khách hàng",
                   "Bộ lọc khớp {matched} khách hàng; mỗi lần chỉ giao được tối đa {max}. Hãy thu hẹp bộ lọc."),
            "en": ("Too many customers", "The filter matches {matched} customers; at most {max} are distributed at"
                                         " a time. Narrow the filter."),
        },
        "nothing_covered": {
            "vi": ("Không khách hàng nào thuộc địa bàn",
                   "Không khách hàng nào trong {selected} khách hàng đã chọn có tỉnh/thành thuộc địa bàn của các sale"
                   " đã chọn."),
            "en": ("No customer covered", "None of the {selected} selected customers is in a province covered by"
                                          " the chosen reps' units."),
        },
        "unknown_unit": {"vi": ("Đơn vị không tồn tại", "Không tìm thấy đơn vị đã chọn."),
                         "en": ("Unknown unit", "The chosen unit does not exist.")},
        "territory_out_of_reach": {
            "vi": ("Ngoài phạm vi quản lý",
                   "Bạn chỉ gán tỉnh/thành cho đơn vị thuộc phạm vi của mình, và chỉ với tỉnh/thành chưa gán hoặc"
                   " đang gán trong phạm vi đó."),
            "en": ("Out of reach", "You map provinces only to units within your reach, and only provinces unmapped"
                                   " or mapped within it."),
        },
    },
    field_errors={
        "blank": {"vi": "Trường này không được để trống.", "en": "This field must not be blank."},
        "warn_before_sla": {"vi": "Thời gian cảnh báo phải nhỏ hơn thời hạn liên hệ (sla_minutes).",
                            "en": "The warning must come before the contact deadline (less than sla_minutes)."},
        "too_many": {"vi": "Tối đa {max} khách hàng mỗi lần.", "en": "At most {max} customers at a time."},
        "exactly_one_of": {"vi": "Cần đúng một trường trong số: {fields}.", "en": "Exactly one of {fields} is required."},
        "only_with_assignment": {
            "vi": "Chỉ chọn khách hàng khi thu hồi từ một lần giao (assignment_id) hoặc một giao việc (job_id).",
            "en": "Customers are chosen only when recalling from an assignment (assignment_id) or a job (job_id)."},
        "strategy_with_quantities": {
            "vi": "Chiến lược chia chỉ dùng cùng assignees, không dùng cùng quantities.",
            "en": "A strategy goes with assignees, not with quantities."},
        "not_assignable_customers": {
            "vi": "{count} khách hàng không tồn tại, đã xóa hoặc ngoài phạm vi của bạn: {ids}.",
            "en": "{count} customers are unknown, deleted or outside your reach: {ids}."},
        "unknown_unit": {"vi": "Đơn vị không tồn tại.", "en": "Unknown unit."},
        "nothing_matched": {"vi": "Không khách hàng nào khớp bộ lọc trong phạm vi của bạn.",
                            "en": "No customer within your reach matches the filter."},
        "not_assignable_reps": {
            "vi": "{count} người không phải sale đang hoạt động trong phạm vi của bạn: {ids}.",
            "en": "{count} users are not active sales reps within your reach: {ids}."},
    },
)
