import unicodedata

import pytest
from vietnam_provinces import Province as PackageProvince

from crm_customers.domain.provinces import (
    LEGACY_PROVINCES,
    InvalidProvince,
    Province,
    list_provinces,
    normalize_province,
)

# Resolution 202/2025/QH15 as the vietnam-provinces conversion table records it:
# current unit → the pre-2025 provinces it was formed from.
FORMED_FROM = {
    "Thành phố Hà Nội": ["Hà Nội"],
    "Cao Bằng": ["Cao Bằng"],
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"],
    "Điện Biên": ["Điện Biên"],
    "Lai Châu": ["Lai Châu"],
    "Sơn La": ["Sơn La"],
    "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"],
    "Lạng Sơn": ["Lạng Sơn"],
    "Thành phố Quảng Ninh": ["Quảng Ninh"],
    "Thành phố Bắc Ninh": ["Bắc Ninh", "Bắc Giang"],
    "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Thành phố Hải Phòng": ["Hải Phòng", "Hải Dương"],
    "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Thanh Hóa": ["Thanh Hóa"],
    "Nghệ An": ["Nghệ An"],
    "Hà Tĩnh": ["Hà Tĩnh"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"],
    "Thành phố Huế": ["Thừa Thiên Huế"],
    "Thành phố Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"],
    "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"],
    "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Thành phố Đồng Nai": ["Đồng Nai", "Bình Phước"],
    "Thành phố Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Tây Ninh": ["Tây Ninh", "Long An"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"],
    "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "An Giang": ["An Giang", "Kiên Giang"],
    "Thành phố Cần Thơ": ["Cần Thơ", "Hậu Giang", "Sóc Trăng"],
    "Cà Mau": ["Cà Mau", "Bạc Liêu"],
}
OLD_TO_CURRENT = [(old, current) for current, olds in FORMED_FROM.items() for old in olds]


def test_there_are_34_current_units_in_code_order():
    units = list_provinces()
    assert len(units) == 34
    assert [unit.code for unit in units] == sorted(unit.code for unit in units)
    assert {unit.name for unit in units} == set(FORMED_FROM)


def test_names_follow_the_package_except_the_units_promoted_to_cities_since():
    package = {int(unit.code): unit.name for unit in PackageProvince.iter_all()}
    ours = {unit.code: unit.name for unit in list_provinces()}
    assert set(ours) == set(package)
    changed = {code: name for code, name in ours.items() if package[code] != name}
    assert set(changed) <= {22, 24, 75}
    assert ours[75] == "Thành phố Đồng Nai"


def test_the_63_old_provinces_are_all_covered():
    assert len(LEGACY_PROVINCES) == 63
    assert sorted(old for old, _ in OLD_TO_CURRENT) == sorted(name for name, _ in LEGACY_PROVINCES.values())


@pytest.mark.parametrize("old,current", OLD_TO_CURRENT)
def test_old_names_map_to_the_unit_they_merged_into(old, current):
    assert normalize_province(old).name == current
    assert normalize_province(f"Tỉnh {old}").name == current


def test_every_current_unit_kept_the_code_of_one_of_its_old_units():
    current_codes = {unit.code for unit in list_provinces()}
    assert {successor for _, successor in LEGACY_PROVINCES.values()} == current_codes
    for code in current_codes:
        assert LEGACY_PROVINCES[code][1] == code


def test_23_units_are_mergers_and_11_unchanged():
    sizes = [len(olds) for olds in FORMED_FROM.values()]
    assert sum(size > 1 for size in sizes) == 23
    assert sum(size == 1 for size in sizes) == 11


@pytest.mark.parametrize("raw,code", [
    ("Hà Nội", 1), ("ha noi", 1), ("HÀ NỘI", 1), ("Hanoi", 1), ("Thành phố Hà Nội", 1), ("TP Hà Nội", 1),
    ("TP. Hồ Chí Minh", 79), ("Thành phố Hồ Chí Minh", 79), ("thanh pho ho chi minh", 79), ("tp hcm", 79),
    ("TP.HCM", 79), ("TPHCM", 79), ("HCM", 79), ("hcmc", 79), ("Ho Chi Minh City", 79), ("Sài Gòn", 79),
    ("saigon", 79), ("Hồ Chí Minh", 79), ("ho_chi_minh", 79),
    ("Đà Nẵng", 48), ("da nang", 48), ("Danang", 48), ("ĐÀ NẴNG", 48), ("Ða Nẵng", 48),
    ("Đắk Lắk", 66), ("dak lak", 66), ("Daklak", 66), ("Đắc Lắc", 66),
    ("Thành phố Huế", 46), ("Huế", 46), ("hue", 46), ("Thừa Thiên - Huế", 46), ("TT Huế", 46),
    ("Cần Thơ", 92), ("Hải Phòng", 31), ("Tuyên Quang", 8), ("tỉnh  tuyên   quang", 8),
    ("Khánh Hoà", 56), ("Thanh Hoá", 38), ("Hoà Bình", 25), ("Bà Rịa – Vũng Tàu", 79), ("Vũng Tàu", 79),
    ("BRVT", 79), ("Bắc Cạn", 19), ("Kontum", 51), ("Dong Nai province", 75),
])
def test_current_and_common_spellings(raw, code):
    assert normalize_province(raw).code == code


@pytest.mark.parametrize("name", [unit.name for unit in PackageProvince.iter_all()])
def test_every_package_name_also_without_diacritics_or_in_nfd(name):
    expected = normalize_province(name)
    assert normalize_province(name.upper()) == expected
    assert normalize_province(unicodedata.normalize("NFD", name)) == expected
    assert normalize_province(name.replace("đ", "d").replace("Đ", "D")) == expected


@pytest.mark.parametrize("raw,code", [(1, 1), ("01", 1), ("1", 1), (79, 79), ("079", 79), (" 48 ", 48), (96, 96)])
def test_current_codes(raw, code):
    assert normalize_province(raw).code == code


@pytest.mark.parametrize("raw,code", [(74, 79), ("77", 79), (2, 8), ("89", 91), (49, 48), (87, 82), (64, 52)])
def test_old_codes_map_to_the_current_unit(raw, code):
    assert normalize_province(raw).code == code


@pytest.mark.parametrize("raw", ["", "   ", "xyz", "Hà Nộii", "tp", "Thành phố", "tỉnh", "0", 0, 3, 99, "100",
                                 "-1", -79, "7 9", "٧٩", True, None, 79.0, ["Hà Nội"], "a" * 200])
def test_unknown_input_is_refused(raw):
    with pytest.raises(InvalidProvince) as caught:
        normalize_province(raw)
    assert caught.value.code == "invalid_province"


def test_result_is_a_value_object():
    assert normalize_province("hcm") == Province(79, "Thành phố Hồ Chí Minh")
    assert len({normalize_province("hcm"), normalize_province("Bình Dương")}) == 1
    with pytest.raises(AttributeError):
        normalize_province("hcm").name = "x"
