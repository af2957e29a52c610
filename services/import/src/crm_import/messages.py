"""Problem texts of the import service, and the reasons a row failed as the result file says them
(Vietnamese first)."""
from crmkit import i18n

from crm_import.files.errors import REASONS

i18n.register(
    problems={
        **{code: {"vi": (vi, vi), "en": (en, en)} for code, (_, vi, en) in REASONS.items()},
        "group_name_required": {
            "vi": ("Vui lòng nhập tên nhóm", "Vui lòng nhập tên nhóm."),
            "en": ("Group name required", "Please enter the group's name."),
        },
        "import_not_cancellable": {
            "vi": ("Không thể hủy", "Lần nhập đã kết thúc ({status}), không thể hủy."),
            "en": ("Not cancellable", "The import has already ended ({status})."),
        },
        "upload_expired": {
            "vi": ("Tệp đã bị xóa", "Tệp tải lên đã quá thời hạn lưu và đã bị xóa: vui lòng tải lên lại."),
            "en": ("File deleted", "The uploaded file passed its retention period and was deleted: upload it again."),
        },
        "import_files_expired": {
            "vi": ("Tệp kết quả đã bị xóa", "Tệp kết quả chỉ được lưu {days} ngày sau khi nhập xong."),
            "en": ("Result file deleted", "Result files are kept for {days} days after the import ends."),
        },
        "import_not_finished": {
            "vi": ("Chưa có tệp kết quả", "Lần nhập chưa kết thúc ({status}): tệp kết quả có khi nhập xong."),
            "en": ("No result file yet", "The import has not ended yet ({status}): the result file comes at the end."),
        },
    },
    field_errors={
        # the same words as the customers service's (one registry per process: tests load both)
        "unknown_column": {"vi": "Cột {column} không tồn tại.", "en": "Unknown column {column}."},
        "duplicate_column": {"vi": "Cột {column} đã được gán cho trường khác.",
                             "en": "Column {column} is mapped to another field too."},
        "required_field": {"vi": "Cần gán cột cho trường bắt buộc {field}.",
                           "en": "Map a column to the required field {field}."},
        "upload_not_found": {"vi": "Không tìm thấy tệp đã tải lên.", "en": "No such uploaded file."},
        "owner_not_allowed": {"vi": "Người phụ trách phải là bạn hoặc người trong đơn vị bạn quản lý.",
                              "en": "The owner must be you or someone in a unit you manage."},
        "group_not_found": {"vi": "Không tìm thấy nhóm khách hàng.", "en": "No such customer group."},
        "template_headers": {"vi": "Tệp không theo mẫu: thiếu cột {columns}.",
                             "en": "The file does not follow the template: missing {columns}."},
    },
)

# the result file's reason per failing cell, by the customers service's codes (and the import's own)
ROW_REASONS: dict[str, tuple[str, str]] = {
    "required": ("Bắt buộc nhập.", "Required."),
    "invalid_phone": ("Số điện thoại không hợp lệ.", "Invalid phone number."),
    "invalid_email": ("Email không hợp lệ.", "Invalid e-mail address."),
    "invalid_tax_code": ("Mã số thuế không hợp lệ.", "Invalid tax code."),
    "invalid_province": ("Tỉnh/thành phố không hợp lệ.", "Unknown province."),
    "invalid_date": ("Ngày không hợp lệ (dd/mm/yyyy).", "Invalid date (dd/mm/yyyy)."),
    "invalid_value": ("Giá trị không hợp lệ.", "Invalid value."),
    "too_long": ("Quá dài.", "Too long."),
    "not_editable": ("Số điện thoại đã có trên một khách hàng bạn không được sửa.",
                     "The phone belongs to a customer you may not edit."),
    "unknown_attribute": ("Thuộc tính không tồn tại.", "No such attribute."),
    "unknown_group": ("Nhóm khách hàng không tồn tại.", "No such customer group."),
    "owner_not_in_reach": ("Người phụ trách ngoài phạm vi của bạn.", "The owner is outside your reach."),
    "duplicate_in_file": ("Trùng số điện thoại với một dòng phía trên trong tệp.",
                          "Same phone as a row above in the file."),
}


def row_reason(code: str, language: str) -> str:
    vi, en = ROW_REASONS.get(code, (code, code))
    return en if language == "en" else vi
