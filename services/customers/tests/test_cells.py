"""Formula-injection neutralisation and download names of exports (domain.cells)."""
from __future__ import annotations

import pytest

from crm_customers.domain.cells import (
    ascii_fallback,
    content_disposition,
    is_dangerous,
    neutralise,
    neutralise_phone_xlsx,
    strip_neutraliser,
)


@pytest.mark.parametrize("text", ["=1+1", "+84912345678", "-2+3", "@SUM(A1)", "\tcmd", "\r=x",
                                  "=HYPERLINK(\"http://x\",\"bấm\")", "  =1+1", "\n+1", " \t-1"])
def test_formula_like_text_is_prefixed_with_a_quote(text):
    assert is_dangerous(text)
    assert neutralise(text) == "'" + text
    assert strip_neutraliser(neutralise(text)) == text


@pytest.mark.parametrize("text", ["", "Nguyễn Văn An", "0912345678", "a=b", "Công ty 1+1", "'quoted", "   ", "x-y"])
def test_ordinary_text_is_unchanged(text):
    assert not is_dangerous(text)
    assert neutralise(text) == text
    assert strip_neutraliser(text) == text


def test_phones_stay_usable_in_xlsx_but_not_in_csv():
    assert neutralise("+84912345678") == "'+84912345678"  # CSV: OWASP, every cell
    assert neutralise_phone_xlsx("+84912345678") == "+84912345678"  # XLSX text cell, validated E.164
    assert neutralise_phone_xlsx("+84 91=cmd") == "'+84 91=cmd"  # not E.164: neutralised
    assert neutralise_phone_xlsx("=1+1") == "'=1+1"


def test_download_names_are_vietnamese_safe():
    header = content_disposition("khách-hàng-20250101-0930.csv")
    assert header == ("attachment; filename=\"khach-hang-20250101-0930.csv\"; "
                      "filename*=UTF-8''kh%C3%A1ch-h%C3%A0ng-20250101-0930.csv")
    assert ascii_fallback("Đơn đặt hàng.xlsx") == "Don dat hang.xlsx"
    assert '"' not in content_disposition('a"b\\c;d\r\n.csv').split("filename=")[1].split(";")[0].strip('"')
    assert content_disposition("").startswith('attachment; filename="export"')
