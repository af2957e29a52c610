"""CSV files in each encoding a Vietnamese office produces, each delimiter, and TCVN3/VNI bytes:
sniffed (format, encoding, delimiter) and read back as the same Unicode (NFC) text."""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from crm_import.files import FileRejected, Limits, ReadStats, read_rows, sniff
from crm_import.files.vietnamese import TCVN3, VNI_PAIRS

ROWS = [
    ["Họ và tên", "Số điện thoại", "Địa chỉ", "Ghi chú"],
    ["Nguyễn Văn An", "0912345678", "Số 12 đường Lê Lợi, Quận 1", "Khách quen"],
    ["Trần Thị Thu Hương", "+84 987 654 321", "Phường Bến Thành", "Gọi buổi sáng; đã hẹn"],
    ["Đặng Thùy Dương", "0243 826 1234", "Hà Nội", ""],
    ["Lê Hoàng Phúc", "84-912-000-111", 'Tòa nhà "Sông Hồng"', "Ưu tiên"],
]


def csv_text(rows: list[list[str]], delimiter: str) -> str:
    def field(value: str) -> str:
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in f'{delimiter}"\n') else value
    return "\r\n".join(delimiter.join(field(value) for value in row) for row in rows) + "\r\n"


def expected(rows: list[list[str]]) -> list[tuple[int, list[str | None]]]:
    return [(number, [value or None for value in row]) for number, row in enumerate(rows, start=1)]


def read_back(path: Path) -> tuple[object, list[tuple[int, list[str | None]]]]:
    info = sniff(path, filename=path.name, limits=Limits())
    return info, list(read_rows(path, info, sheet=0))


@pytest.mark.parametrize(("encoding", "reported", "prefix"), [
    ("utf-8", "utf-8", b""),
    ("utf-8", "utf-8-sig", codecs.BOM_UTF8),
    ("utf-16-le", "utf-16", codecs.BOM_UTF16_LE),
    ("utf-16-be", "utf-16", codecs.BOM_UTF16_BE),
    ("utf-16-le", "utf-16-le", b""),
])
def test_unicode_encodings(tmp_path: Path, encoding: str, reported: str, prefix: bytes):
    path = tmp_path / "khach.csv"
    path.write_bytes(prefix + csv_text(ROWS, ",").encode(encoding))
    info, rows = read_back(path)
    assert (info.format, info.encoding, info.delimiter) == ("csv", reported, ",")
    assert [sheet.name for sheet in info.sheets] == ["khach"]
    assert rows == expected(ROWS)


def test_windows_1258_with_combining_marks_becomes_nfc(tmp_path: Path):
    path = tmp_path / "cp1258.csv"
    # Windows-1258 has no "ễ": it writes "ê" + the combining tilde, as Excel's "CSV (Windows)" does
    data = csv_text(ROWS, ",")
    path.write_bytes(_encode_1258(data))
    assert "\u0303".encode("cp1258") in path.read_bytes()
    info, rows = read_back(path)
    assert info.encoding == "windows-1258"
    assert rows == expected(ROWS)
    assert all(unicodedata.is_normalized("NFC", cell) for _, row in rows for cell in row if cell)


def _encode_1258(text: str) -> bytes:
    """Windows-1258 bytes: precomposed where the code page has the letter, else the letter without
    its tone mark followed by the combining tone."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = next(mark for mark in decomposed if mark in tones)
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe"), (",", "comma")])
def test_delimiters(tmp_path: Path, delimiter: str, name: str):
    path = tmp_path / f"{name}.csv"
    path.write_text(csv_text(ROWS, delimiter), encoding="utf-8")
    info, rows = read_back(path)
    assert info.delimiter == delimiter
    assert rows == expected(ROWS)


def test_one_column_csv(tmp_path: Path):
    path = tmp_path / "phones.csv"
    path.write_text("Số điện thoại\n0912345678\n0987654321\n", encoding="utf-8")
    info, rows = read_back(path)
    assert info.delimiter == "," and rows == [(1, ["Số điện thoại"]), (2, ["0912345678"]), (3, ["0987654321"])]


def test_quoted_newlines_count_as_one_row(tmp_path: Path):
    path = tmp_path / "multiline.csv"
    path.write_text('ten,ghi_chu\nAn,"dòng 1\ndòng 2"\nBình,x\n', encoding="utf-8")
    _, rows = read_back(path)
    assert rows == [(1, ["ten", "ghi_chu"]), (2, ["An", "dòng 1\ndòng 2"]), (3, ["Bình", "x"])]


def to_tcvn3(text: str) -> bytes:
    reverse = {letter: legacy for legacy, letter in TCVN3.items()}
    chars = (reverse.get(char) or reverse.get(char.lower()) or char for char in unicodedata.normalize("NFC", text))
    return "".join(chars).encode("latin-1")


def to_vni(text: str) -> bytes:
    from crm_import.files.vietnamese import _VNI_SINGLE

    reverse = {letter: legacy for legacy, letter in VNI_PAIRS.items()}
    reverse.update({letter: legacy for legacy, letter in _VNI_SINGLE.items() if legacy != letter})
    return "".join(reverse.get(char, char) for char in unicodedata.normalize("NFC", text)).encode("latin-1")


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni], ids=["tcvn3", "vni"])
def test_legacy_font_csv_is_converted(tmp_path: Path, encode):
    path = tmp_path / "legacy.csv"
    path.write_bytes(encode(csv_text(ROWS, ",")))
    info = sniff(path, filename=path.name, limits=Limits())
    assert info.encoding == "windows-1252"
    stats = ReadStats()
    assert list(read_rows(path, info, sheet=0, stats=stats)) == expected(ROWS)
    assert stats.legacy_converted >= 10


def test_unbalanced_quote_at_the_end_is_malformed(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text('ten,sdt\nAn,0912345678\n"Bình,0987654321\n', encoding="utf-8")
    with pytest.raises(FileRejected) as caught:
        sniff(path, filename="bad.csv", limits=Limits())
    assert caught.value.code == "malformed_csv"


def test_stray_quote_inside_a_quoted_field_is_malformed(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text('ten,sdt\n"An"x,0912345678\n', encoding="utf-8")
    with pytest.raises(FileRejected) as caught:
        sniff(path, filename="bad.csv", limits=Limits())
    assert caught.value.code == "malformed_csv"


def test_empty_file_is_refused(tmp_path: Path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileRejected) as caught:
        sniff(path, filename="empty.csv", limits=Limits())
    assert caught.value.code == "empty_file"
