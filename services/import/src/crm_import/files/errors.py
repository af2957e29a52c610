"""The one exception of the files package: a file refused, with a stable code and a reason in both
languages (the API turns it into problem+json: `status`, `code`, the detail in the caller's language)."""
from __future__ import annotations

# code → (HTTP status, Vietnamese detail, English detail)
REASONS: dict[str, tuple[int, str, str]] = {
    "unsupported_format": (
        415, "Tệp không phải bảng tính Excel (.xlsx, .xls), OpenDocument (.ods) hay CSV.",
        "The file is not an Excel (.xlsx, .xls), OpenDocument (.ods) or CSV spreadsheet."),
    "zip_bomb": (
        422, "Tệp nén giải ra quá lớn hoặc có quá nhiều thành phần: có thể là tệp độc hại.",
        "The compressed file expands too much or has too many entries: it may be hostile."),
    "xml_entities": (
        422, "Tệp chứa khai báo DOCTYPE/ENTITY trong XML của bảng tính: không được chấp nhận.",
        "The workbook's XML declares a DOCTYPE/ENTITY: refused."),
    "too_many_rows": (
        422, "Trang tính có quá nhiều dòng.", "The sheet has too many rows."),
    "malformed_csv": (
        422, "Tệp CSV sai định dạng (dấu ngoặc kép không đóng, dấu phân cách hoặc số cột không nhất quán).",
        "The CSV file is malformed (unbalanced quotes, inconsistent delimiters or field counts)."),
    "file_too_large": (
        413, "Tệp vượt quá dung lượng cho phép.", "The file is larger than allowed."),
    "empty_file": (
        422, "Tệp rỗng.", "The file is empty."),
    "sheet_not_found": (
        422, "Không có trang tính này trong tệp.", "The file has no such sheet."),
}


class FileRejected(Exception):
    """A file the import refuses. `code` is stable (see REASONS); `detail_vi`/`detail_en` say why,
    with `extra` (a sentence in each language, e.g. the limit) appended when given."""

    def __init__(self, code: str, detail_vi: str | None = None, detail_en: str | None = None) -> None:
        status, vi, en = REASONS[code]
        self.code = code
        self.status = status
        self.detail_vi = f"{vi} {detail_vi}" if detail_vi else vi
        self.detail_en = f"{en} {detail_en}" if detail_en else en
        super().__init__(f"{code}: {self.detail_en}")

    def detail(self, language: str) -> str:
        return self.detail_en if language == "en" else self.detail_vi
