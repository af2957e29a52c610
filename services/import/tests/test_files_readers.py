"""Reading xlsx (xlsxwriter), xls (xlwt) and ods (odfpy) files made here: every cell as the text a
user sees, row numbers as the sheet shows them, column A at index 0, lazily."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from crm_import.files import FileRejected, Limits, ReadStats, cell_text, read_rows, sniff


def make_xlsx(path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Khách hàng")
    workbook.add_worksheet("Trống")
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    sheet.write_string(0, 0, "DANH SÁCH KHÁCH HÀNG")
    sheet.write_row(2, 0, ["Họ tên", "Điện thoại", "Ngày sinh", "Lần mua", "Doanh thu", "Tạo lúc", "VIP", "Tổng"])
    sheet.write_string(3, 0, "  Nguyễn Văn An  ")
    sheet.write_number(3, 1, 912345678)  # a phone typed as a number: Excel dropped its leading 0
    sheet.write_datetime(3, 2, dt.datetime(1990, 2, 28), date)
    sheet.write_number(3, 3, 12)
    sheet.write_number(3, 4, 0.1 + 0.2)
    sheet.write_datetime(3, 5, dt.datetime(2024, 5, 6, 7, 8, 9), stamp)
    sheet.write_boolean(3, 6, True)
    sheet.write_formula(3, 7, "=D4*2", None, 24)  # cached value 24, never evaluated
    sheet.write_string(4, 0, "Trần Thị Bình")
    sheet.write_string(4, 1, "0987 654 321")
    sheet.write_formula(4, 7, "=1/0", None, "#DIV/0!")
    sheet.write_formula(4, 6, '="a"&"b"', None, "ab")
    sheet.write_number(4, 4, 1234.5)
    # row 6 left empty; row 7 has one cell far right
    sheet.write_string(6, 9, "ghi chú")
    workbook.close()
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "khach.xlsx")


def rows_of(path: Path, **kwargs: int) -> list[tuple[int, list[str | None]]]:
    info = sniff(path, filename=path.name, limits=Limits())
    return list(read_rows(path, info, **kwargs))


def test_xlsx_cells_as_text(xlsx: Path):
    info = sniff(xlsx, filename="khach.xlsx", limits=Limits())
    assert info.format == "xlsx" and info.encoding is None
    assert [(sheet.index, sheet.name) for sheet in info.sheets] == [(0, "Khách hàng"), (1, "Trống")]
    rows = dict(read_rows(xlsx, info, sheet=0, start_row=1))
    assert sorted(rows) == [1, 3, 4, 5, 7]  # empty rows skipped, numbers as Excel shows them
    assert rows[4][:8] == ["Nguyễn Văn An", "912345678", "1990-02-28", "12", "0.3", "2024-05-06 07:08:09", "TRUE", "24"]
    assert rows[5][:8] == ["Trần Thị Bình", "0987 654 321", None, None, "1234.5", None, "ab", None]
    assert rows[7][9] == "ghi chú" and rows[7][:9] == [None] * 9


def test_start_row_skips_what_is_above(xlsx: Path):
    assert [number for number, _ in rows_of(xlsx, sheet=0, start_row=4)] == [4, 5, 7]


def test_an_empty_sheet_has_no_rows(xlsx: Path):
    assert rows_of(xlsx, sheet=1) == []


def test_a_missing_sheet_is_refused(xlsx: Path):
    with pytest.raises(FileRejected) as caught:
        rows_of(xlsx, sheet=5)
    assert caught.value.code == "sheet_not_found"


def test_data_starting_right_of_column_a_keeps_its_columns(tmp_path: Path):
    path = tmp_path / "offset.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(4, 2, ["Tên", "SĐT"])
    sheet.write_row(5, 2, ["An", "0912345678"])
    workbook.close()
    assert rows_of(path) == [(5, [None, None, "Tên", "SĐT"]), (6, [None, None, "An", "0912345678"])]


def test_rows_past_the_limit_are_refused_while_reading(xlsx: Path):
    info = sniff(xlsx, filename="khach.xlsx", limits=Limits())
    with pytest.raises(FileRejected) as caught:
        list(read_rows(xlsx, info, sheet=0, limits=Limits(max_rows=4)))
    assert caught.value.code == "too_many_rows"


def test_reading_is_lazy(xlsx: Path):
    info = sniff(xlsx, filename="khach.xlsx", limits=Limits())
    rows = read_rows(xlsx, info, sheet=0)
    assert next(rows)[0] == 1  # a generator: nothing past the first row was converted
    rows.close()


def make_xls(path: Path) -> Path:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Danh sách")
    workbook.add_sheet("Khác")
    date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for column, header in enumerate(["Họ tên", "Điện thoại", "Ngày sinh", "Số lần", "Điểm"]):
        sheet.write(0, column, header)
    sheet.write(1, 0, "Lê Thị Hồng Nhung")
    sheet.write(1, 1, 912345678)
    sheet.write(1, 2, dt.date(2001, 12, 31), date)
    sheet.write(1, 3, 7)
    sheet.write(1, 4, 8.25)
    sheet.write(3, 0, "Phạm Đức Thắng")
    sheet.write(3, 1, "0987654321")
    workbook.save(str(path))
    return path


def test_xls_through_the_same_reader(tmp_path: Path):
    path = make_xls(tmp_path / "cu.xls")
    info = sniff(path, filename="cu.xls", limits=Limits())
    assert info.format == "xls"
    assert [sheet.name for sheet in info.sheets] == ["Danh sách", "Khác"]
    assert list(read_rows(path, info, sheet=0)) == [
        (1, ["Họ tên", "Điện thoại", "Ngày sinh", "Số lần", "Điểm"]),
        (2, ["Lê Thị Hồng Nhung", "912345678", "2001-12-31", "7", "8.25"]),
        (4, ["Phạm Đức Thắng", "0987654321", None, None, None]),
    ]


def make_ods(path: Path) -> Path:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Trang tính 1")

    def row(*values: object) -> None:
        element = TableRow()
        for value in values:
            if value is None:
                cell = TableCell()
            elif isinstance(value, str):
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
                cell.addElement(P(text=str(value).upper()))
            else:
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            element.addElement(cell)
        table.addElement(element)

    row("Họ tên", "Điện thoại", "Ngày sinh", "Đồng ý", "Hạn mức")
    row("Võ Thị Sáu", 912345678, dt.date(1985, 7, 1), True, 1.5)
    row()
    row(None, "0912 000 111")
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def test_ods_through_the_same_reader(tmp_path: Path):
    path = make_ods(tmp_path / "bang.ods")
    info = sniff(path, filename="bang.ods", limits=Limits())
    assert info.format == "ods" and [sheet.name for sheet in info.sheets] == ["Trang tính 1"]
    assert list(read_rows(path, info, sheet=0)) == [
        (1, ["Họ tên", "Điện thoại", "Ngày sinh", "Đồng ý", "Hạn mức"]),
        (2, ["Võ Thị Sáu", "912345678", "1985-07-01", "TRUE", "1.5"]),
        (4, [None, "0912 000 111", None, None, None]),
    ]


def test_legacy_vietnamese_cells_are_converted_and_counted(tmp_path: Path):
    path = tmp_path / "cu_tcvn3.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Hä tªn", "§Þa chØ"])  # TCVN3 as Excel shows it without the .Vn font
    sheet.write_row(1, 0, ["NguyÔn V¨n An", "Sè 12 ®­êng Lª Lîi"])
    sheet.write_row(2, 0, ["Nguyeãn Thò Bình", "0912345678"])  # VNI
    sheet.write_row(3, 0, ["José Müller", "café"])  # Latin-1 text stays
    workbook.close()
    info = sniff(path, filename=path.name, limits=Limits())
    stats = ReadStats()
    rows = list(read_rows(path, info, sheet=0, stats=stats))
    assert rows == [(1, ["Họ tên", "Địa chỉ"]), (2, ["Nguyễn Văn An", "Số 12 đường Lê Lợi"]),
                    (3, ["Nguyễn Thị Bình", "0912345678"]), (4, ["José Müller", "café"])]
    assert stats.legacy_converted == 5
    assert stats.rows_read == 4


@pytest.mark.parametrize(("value", "text"), [
    (912345678.0, "912345678"), (-3.0, "-3"), (0.1 + 0.2, "0.3"), (1234567.891, "1234567.891"),
    (1e20, "1e+20"), (True, "TRUE"), (False, "FALSE"), (7, "7"), ("", None), ("   ", None),
    (dt.date(2024, 2, 29), "2024-02-29"), (dt.datetime(2024, 2, 29, 23, 59, 1), "2024-02-29 23:59:01"),
    (dt.time(8, 30), "08:30:00"), (dt.timedelta(hours=26, minutes=5), "26:05:00"), (float("nan"), None),
    ("Nguye\u0302\u0303n", "Nguyễn"),  # combining marks → NFC
])
def test_cell_text(value: object, text: str | None):
    assert cell_text(value) == text


def test_only_the_mapped_columns(xlsx: Path, tmp_path: Path):
    info = sniff(xlsx, filename="khach.xlsx", limits=Limits())
    rows = dict(read_rows(xlsx, info, sheet=0, start_row=4, columns=[2, 1, 30]))
    assert rows == {4: ["912345678", "Nguyễn Văn An", None], 5: ["0987 654 321", "Trần Thị Bình", None]}
    csv_path = tmp_path / "k.csv"
    csv_path.write_text("ten;sdt\nAn;0912345678\n;\nBình;\n", encoding="utf-8")
    csv_info = sniff(csv_path, filename="k.csv", limits=Limits())
    assert list(read_rows(csv_path, csv_info, columns=[2, 1, 5])) == [
        (1, ["sdt", "ten", None]), (2, ["0912345678", "An", None]), (4, [None, "Bình", None])]
