"""TCVN3 (ABC) and VNI text, as an old spreadsheet shows it without its font, converted back to
Unicode: round trips on real Vietnamese names, and no false positive on Unicode or Latin-1 text."""
from __future__ import annotations

import itertools
import subprocess
import unicodedata

import pytest

from crm_import.files.vietnamese import (
    _VNI_SINGLE,
    TCVN3,
    VNI_PAIRS,
    LegacyFixer,
    fix_legacy_vietnamese,
    is_vietnamese_word,
)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Trịnh", "Khuất", "Nghiêm", "Quách", "Ứng", "Âu"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thành", "Minh", "Ngọc", "Thu", "Quốc", "Xuân", "Bảo", "Thùy", "Khánh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Thảo", "Thủy", "Trang", "Tuấn", "Yến",
         "Ánh", "Ước", "Nguyệt", "Khuê", "Oanh", "Thoại", "Tường", "Việt", "Đạt", "Giang"]
NAMES = [" ".join(parts) for parts in itertools.product(FAMILY, MIDDLE, GIVEN)]
PLACES = ["Số 12 đường Lê Lợi, phường Bến Thành", "Hà Nội", "Thừa Thiên Huế", "Đắk Lắk", "Bà Rịa - Vũng Tàu",
          "Công ty TNHH Thương mại Dịch vụ Hoàng Gia", "Khách quen, gọi buổi sáng", "NGUYỄN VĂN ĐỨC"]


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 as Latin-1 shows it (a capital with a tone mark has a lowercase code)."""
    reverse = {letter: legacy for legacy, letter in TCVN3.items()}
    return "".join(reverse.get(char) or reverse.get(char.lower()) or char for char in unicodedata.normalize("NFC", text))


def to_vni(text: str) -> str:
    reverse = {letter: legacy for legacy, letter in VNI_PAIRS.items()}
    reverse.update({letter: legacy for legacy, letter in _VNI_SINGLE.items() if legacy != letter})
    return "".join(reverse.get(char, char) for char in unicodedata.normalize("NFC", text))


def test_tcvn3_table_agrees_with_glibc():
    """The table is glibc iconv's TCVN5712-1 for the VN3 codes (iconv: Debian's libc-bin, essential)."""
    raw = bytes(ord(char) for char in TCVN3)
    result = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True, check=True)
    assert result.stdout.decode() == "".join(TCVN3.values())


def test_vni_table_examples():
    assert to_vni("Nguyễn Văn Ánh") == "Nguyeãn Vaên AÙnh"
    assert to_vni("Đường Trịnh Công Sơn") == "Ñöôøng Trònh Coâng Sôn"


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni], ids=["tcvn3", "vni"])
def test_round_trip_of_places_and_capitals(encode):
    for text in PLACES:
        assert fix_legacy_vietnamese(encode(text)) == (text, True), text


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni], ids=["tcvn3", "vni"])
def test_round_trip_of_10_thousand_names_in_one_file(encode):
    """Alone, ~1% of names read as Vietnamese both ways ("Vò" is a word; in TCVN3 it is "Vũ") and
    are kept; with the file as context (LegacyFixer) every one comes back. TCVN3 loses the capital
    of a toned first letter (its capitals come from another font); it is put back when the other
    words of the name are capitalised, so only names with two such words ("Ứng Văn Ánh") stay
    lowercase there."""
    fixer = LegacyFixer()
    legacy = [encode(name) for name in NAMES]
    fixed = [fixer.fix(text) for text in legacy]
    assert [(name, out) for name, out in zip(NAMES, fixed) if out.lower() != name.lower()] == []
    exact = sum(out == name for name, out in zip(NAMES, fixed))
    assert exact >= 0.998 * len(NAMES)
    assert fixer.converted == sum(text != name for name, text in zip(NAMES, legacy))
    alone = sum(fix_legacy_vietnamese(text)[0] == name for name, text in zip(NAMES, legacy))
    assert alone > 0.97 * len(NAMES)


def test_unicode_and_latin_text_is_never_converted():
    fixer = LegacyFixer()
    keep = NAMES + PLACES + ["Lâm", "Tú", "Hà", "Lê Hà", "José", "Müller", "café", "naïve", "Châu Âu", "Ông Bà",
                             "Ý", "Hồ Chí Minh", "São Paulo", "Ñandú", "50% off", "1.234,56 €", "Straße", "Ørsted"]
    assert [text for text in keep if fix_legacy_vietnamese(text)[1]] == []
    assert [text for text in keep if fixer.fix(text) != text] == []


def test_a_unicode_file_with_some_latin_only_words_stays_as_it_is():
    fixer = LegacyFixer()
    for text in ["Lâm", "Tú", "Hà"] * 10 + NAMES[:200]:
        assert fixer.fix(text) == text
    assert fixer.converted == 0


@pytest.mark.parametrize(("word", "valid"), [
    ("Nguyễn", True), ("nghiêng", True), ("khuỷu", True), ("Quỳnh", True), ("giếng", True), ("Đắk", True),
    ("NguyÔn", False), ("V¨n", False), ("trũnh", False), ("baù", False), ("quoác", False), ("Müller", False),
    ("hoà", True), ("thuý", True), ("ăn", True), ("ă", False),
])
def test_syllables(word: str, valid: bool):
    assert is_vietnamese_word(word) is valid
