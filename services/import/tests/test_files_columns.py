"""Column letters, column references (number, letter, header text) and header-row detection."""
from __future__ import annotations

import pytest

from crm_import.files import ColumnError, column_letter, column_number, detect_header_row, resolve_column


@pytest.mark.parametrize(("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"),
                                                 (702, "ZZ"), (703, "AAA"), (16384, "XFD")])
def test_letters_both_ways(number: int, letters: str):
    assert column_letter(number) == letters
    assert column_number(letters) == number
    assert column_number(letters.lower()) == number


def test_every_column_round_trips():
    assert all(column_number(column_letter(number)) == number for number in range(1, 16385))


@pytest.mark.parametrize("bad", [0, -1, 16385])
def test_numbers_out_of_range(bad: int):
    with pytest.raises(ColumnError) as caught:
        column_letter(bad)
    assert caught.value.code == "column_out_of_range"


@pytest.mark.parametrize(("letters", "code"), [("XFE", "column_out_of_range"), ("A1", "invalid_column"),
                                                ("", "invalid_column"), ("ABCD", "invalid_column")])
def test_bad_letters(letters: str, code: str):
    with pytest.raises(ColumnError) as caught:
        column_number(letters)
    assert caught.value.code == code


HEADERS = ["STT", "Họ và tên", "Số điện thoại", None, "Email", "Tỉnh / Thành phố", "Ab"]


@pytest.mark.parametrize(("ref", "column"), [
    (3, 3), ("3", 3), (" 3 ", 3), ("C", 3), ("c", 3), ("XFD", 16384),
    ("Số điện thoại", 3), ("so dien thoai", 3), ("SỐ ĐIỆN THOẠI", 3), ("  số   điện thoại ", 3),
    ("ho va ten", 2), ("email", 5), ("tinh / thanh pho", 6),
    ("Ab", 7),  # a header wins over the letter AB
    ("ab", 7), ("AC", 29),
])
def test_resolve_column(ref: int | str, column: int):
    assert resolve_column(ref, HEADERS) == column


@pytest.mark.parametrize(("ref", "code"), [
    (0, "column_out_of_range"), (16385, "column_out_of_range"), ("0", "column_out_of_range"),
    ("Điện thoại bàn", "unknown_header"), ("", "invalid_column"), (True, "invalid_column"),
])
def test_resolve_column_errors(ref: int | str, code: str):
    with pytest.raises(ColumnError) as caught:
        resolve_column(ref, HEADERS)
    assert caught.value.code == code


def test_two_columns_with_the_same_header_are_ambiguous():
    with pytest.raises(ColumnError) as caught:
        resolve_column("Ghi chú", ["Ghi chú", "Tên", "ghi chu"])
    assert caught.value.code == "ambiguous_header"


def rows(*lists: list[str | None]) -> list[tuple[int, list[str | None]]]:
    return [(number, cells) for number, cells in enumerate(lists, start=1)]


def test_headers_in_the_first_row():
    assert detect_header_row(rows(["Họ tên", "Điện thoại", "Email"], ["Nguyễn Văn An", "0912345678", "an@x.vn"],
                                  ["Trần Bình", "0987654321", None])) == 1


def test_headers_below_a_title_and_a_blank_row():
    found = detect_header_row([
        (1, ["DANH SÁCH KHÁCH HÀNG THÁNG 5", None, None, None]),
        (2, ["Ngày xuất: 01/06/2025", None, None, None]),
        (4, ["STT", "Họ tên", "SĐT", "Ngày sinh"]),
        (5, ["1", "Nguyễn Văn An", "0912345678", "1990-01-02"]),
        (6, ["2", "Trần Bình", "0987654321", None]),
    ])
    assert found == 4


def test_no_headers_when_data_starts_at_once():
    assert detect_header_row(rows(["Nguyễn Văn An", "0912345678", "1990-01-02"],
                                  ["Trần Bình", "0987654321", "1991-03-04"])) is None


def test_no_headers_in_an_empty_preview():
    assert detect_header_row([]) is None


def test_headers_over_text_only_data_are_still_found():
    assert detect_header_row(rows(["Tên", "Tỉnh", "Nguồn"], ["An", "Hà Nội", "Facebook"],
                                  ["Bình", "Huế", "Zalo"])) == 1
