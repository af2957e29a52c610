"""The files the import writes with xlsxwriter (constant memory: row by row).

* The result file (M-5): every row that failed, with its original values, each failing cell
  highlighted with the reason in a comment, and the reasons of the row in a last column — one
  file per language, both written in one pass when the job ends (re-reading the upload is the cost).
* The template (M-4): the headers of the built-in fields and of the attributes defined now, a
  sample row, and drop-downs (data validation) for gender, province (the 34 units of 2025), status
  and select attributes.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from vietnam_provinces import Province

from crm_import.domain import fields as field_rules
from crm_import.files import column_letter
from crm_import.messages import row_reason

Failures = Mapping[int, list[tuple[str | None, str]]]  # row → [(field, code)]


def group_failures(rows: Iterable[Mapping[str, Any]]) -> dict[int, list[tuple[str | None, str]]]:
    grouped: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    for failure in rows:
        grouped[failure["row"]].append((failure["field"], failure["code"]))
    return grouped


def write_results(paths: Mapping[str, Path], *, rows: Iterator[tuple[int, list[str | None]]], failures: Failures,
                  headers: list[str | None], field_columns: Mapping[str, int]) -> int:
    """Write the failing rows of `rows` (every row of the sheet, all columns) to one file per
    language (`paths`: language → file) in one pass over the sheet — reading a million rows again
    costs far more than writing the few that failed; returns how many rows each file has."""
    sheets = [_ResultSheet(path, language, headers, field_columns) for language, path in paths.items()]
    written = 0
    try:
        for number, cells in rows:
            problems = failures.get(number)
            if problems:
                written += 1
                for sheet in sheets:
                    sheet.add(written, number, cells, problems)
    finally:
        for sheet in sheets:
            sheet.close()
    return written


class _ResultSheet:
    """One language's result file, written row by row (xlsxwriter's constant memory)."""

    def __init__(self, path: Path, language: str, headers: list[str | None], field_columns: Mapping[str, int]) -> None:
        english = language == "en"
        self.language, self.width, self.field_columns = language, len(headers), field_columns
        self.workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                                        "strings_to_formulas": False, "strings_to_urls": False})
        self.sheet = self.workbook.add_worksheet("Result" if english else "Kết quả")
        self.failed = self.workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        titles = ["Row" if english else "Dòng"] + [h or column_letter(i + 1) for i, h in enumerate(headers)]
        self.sheet.write_row(0, 0, titles + ["Reasons" if english else "Lý do"], self.workbook.add_format({"bold": True}))

    def add(self, line: int, number: int, cells: list[str | None], problems: list[tuple[str | None, str]]) -> None:
        cells = (cells + [None] * self.width)[:max(self.width, len(cells))]
        failing = {self.field_columns.get(field or "", 0): code for field, code in problems if field}
        self.sheet.write_number(line, 0, number)
        for index, value in enumerate(cells, start=1):
            code = failing.get(index)
            self.sheet.write_string(line, index, value or "", self.failed if code else None)
            if code:
                self.sheet.write_comment(line, index, row_reason(code, self.language))
        reasons = [f"{_title(field, self.language)}: {row_reason(code, self.language)}" if field
                   else row_reason(code, self.language) for field, code in problems]
        self.sheet.write_string(line, len(cells) + 1, "; ".join(reasons))

    def close(self) -> None:
        self.workbook.close()


def _title(field: str, language: str) -> str:
    return field_rules.title(field, language, {}) if field in field_rules.BUILT_IN or field.startswith(
        field_rules.ATTRIBUTE_PREFIX) else field


GENDERS = {"vi": ["Nam", "Nữ", "Khác"], "en": ["Male", "Female", "Other"]}
SAMPLE = {"name": "Nguyễn Văn An", "phone": "0912345678", "email": "an.nguyen@example.com",
          "birthday": "15/08/1990", "province": "Thành phố Hà Nội", "address": "12 Tràng Tiền, Hoàn Kiếm",
          "source": "Website", "company_name": "Công ty TNHH An Phát", "tax_code": "0101245486",
          "position": "Giám đốc"}


def write_template(path: Path, *, attributes: Sequence[Mapping[str, Any]], statuses: list[str], language: str) -> None:
    english = language == "en"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Customers" if english else "Khách hàng")
    lists = workbook.add_worksheet("Lists" if english else "Danh sách")
    lists.hide()
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    fields = list(field_rules.BUILT_IN) + [f"{field_rules.ATTRIBUTE_PREFIX}{a['key']}" for a in attributes]
    names = {a["key"]: a["name"] for a in attributes}
    sheet.write_row(0, 0, [field_rules.title(field, language, names) for field in fields], bold)
    sheet.write_row(1, 0, [SAMPLE.get(field, "") for field in fields])
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(fields) - 1, 20)
    choices: dict[str, list[str]] = {
        "gender": GENDERS["en" if english else "vi"],
        "province": [unit.name for unit in Province.iter_all()],
        "status": statuses,
    }
    for attribute in attributes:
        if attribute["type"] == "select":
            options = attribute["options"] if isinstance(attribute["options"], list) else []
            choices[f"{field_rules.ATTRIBUTE_PREFIX}{attribute['key']}"] = [o.get("label") or o["value"]
                                                                           for o in options]
    for list_column, (field, values) in enumerate(choices.items()):
        if not values or field not in fields:
            continue
        lists.write_column(0, list_column, values)
        letter = column_letter(list_column + 1)
        column = fields.index(field)
        sheet.data_validation(1, column, 100_000, column, {
            "validate": "list", "source": f"='{lists.get_name()}'!${letter}$1:${letter}${len(values)}",
            "error_type": "warning"})
    workbook.close()
