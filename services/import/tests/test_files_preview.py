"""The upload screen's preview: letters, the detected header row, its texts, bounded rows."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from crm_import.files import Limits, preview, sniff


def test_preview_of_a_sheet_with_a_title(tmp_path: Path):
    path = tmp_path / "khach.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "DANH SÁCH KHÁCH HÀNG")
    sheet.write_row(2, 0, ["Họ tên", "Điện thoại", "Ngày sinh"])
    for index in range(100):
        sheet.write_row(3 + index, 0, [f"Khách {index}", f"09{index:08d}"])
    workbook.close()
    info = sniff(path, filename="khach.xlsx", limits=Limits())
    shown = preview(path, info, sheet=0, rows=5)
    assert shown.sheet == 0
    assert shown.detected_header_row == 3
    assert [(column.index, column.letter, column.header) for column in shown.columns] == [
        (1, "A", "Họ tên"), (2, "B", "Điện thoại"), (3, "C", "Ngày sinh")]
    assert [row.row_number for row in shown.rows] == [1, 3, 4, 5, 6]
    assert shown.rows[0].cells == ["DANH SÁCH KHÁCH HÀNG", None, None]
    assert shown.rows[2].cells == ["Khách 0", "0900000000", None]


def test_preview_of_a_csv_is_bounded(tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_text("ten;sdt\n" + "".join(f"Khách {i};09{i:08d}\n" for i in range(5000)), encoding="utf-8")
    info = sniff(path, filename="big.csv", limits=Limits())
    shown = preview(path, info, sheet=0, rows=10_000)
    assert len(shown.rows) == 200
    assert shown.detected_header_row == 1
    assert [column.header for column in shown.columns] == ["ten", "sdt"]


def test_preview_of_an_empty_sheet(tmp_path: Path):
    path = tmp_path / "empty.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet()
    workbook.close()
    info = sniff(path, filename="empty.xlsx", limits=Limits())
    shown = preview(path, info, sheet=0)
    assert (shown.detected_header_row, shown.columns, shown.rows) == (None, [], [])
