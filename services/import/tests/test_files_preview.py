"""The upload screen's preview: letters, the detected header row, its texts, bounded rows."""
from __future__ import annotations

import time
import tracemalloc
from itertools import islice
from pathlib import Path

import pytest
import xlsxwriter

from crm_import.files import Limits, preview, read_rows, sniff


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


def _workbook_of_every_kind(path: Path, options: dict[str, bool]) -> Path:
    import datetime as dt

    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.add_worksheet("Bìa")
    sheet = workbook.add_worksheet("Dữ liệu")
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = workbook.add_format({"num_format": "hh:mm"})
    money = workbook.add_format({"num_format": '#,##0 "đ"'})
    sheet.write_row(1, 1, ["Họ tên", "Điện thoại", "Ngày", "Lúc", "Giờ", "Tiền", "Đúng", "Công thức", "Lỗi"])
    for index in range(30):
        row = 2 + index * 2  # every other row empty
        sheet.write_string(row, 1, f"Nguyễn Văn {index} ")
        sheet.write_number(row, 2, 912345000 + index)
        sheet.write_datetime(row, 3, dt.datetime(1904 + index * 4, 2, 29), date)
        sheet.write_datetime(row, 4, dt.datetime(2024, 1, 1 + index, index % 24, 5, 6), stamp)
        sheet.write_datetime(row, 5, dt.datetime(1899, 12, 31, 10, 30), clock)
        sheet.write_number(row, 6, 1500000.25 * index, money)
        sheet.write_boolean(row, 7, index % 2 == 0)
        sheet.write_formula(row, 8, f"=C{row + 1}+1", None, 912345001 + index)
        sheet.write_formula(row, 9, "=1/0", None, "#DIV/0!")
    workbook.close()
    return path


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}, {"date_1904": True}],
                         ids=["shared-strings", "inline-strings", "date-1904"])
def test_streamed_xlsx_preview_agrees_with_the_reader(tmp_path: Path, options: dict[str, bool]):
    path = _workbook_of_every_kind(tmp_path / "every.xlsx", options)
    info = sniff(path, filename="every.xlsx", limits=Limits())
    shown = preview(path, info, sheet=1, rows=25)
    read = list(islice(read_rows(path, info, sheet=1), 25))
    width = len(shown.columns)
    assert [(row.row_number, row.cells) for row in shown.rows] == [
        (number, (cells + [None] * width)[:width]) for number, cells in read]
    assert shown.detected_header_row == 2
    assert shown.columns[1].header == "Họ tên" and shown.columns[0].letter == "A"


def test_preview_of_a_big_xlsx_reads_only_its_head(tmp_path: Path):
    path = tmp_path / "big.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Tên", "SĐT"])
    for index in range(1, 100_001):
        sheet.write_string(index, 0, f"Khách {index}")
        sheet.write_number(index, 1, 900_000_000 + index)
    workbook.close()
    info = sniff(path, filename="big.xlsx", limits=Limits())
    tracemalloc.start()
    started = time.perf_counter()
    shown = preview(path, info, sheet=0, rows=20)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [row.row_number for row in shown.rows] == list(range(1, 21))
    assert shown.rows[1].cells == ["Khách 1", "900000001"]
    assert peak < 4 * 2**20 and elapsed < 2.0
