"""Provinces and centrally-run cities (tỉnh, thành phố trực thuộc trung ương) after the
rearrangement of 1 July 2025 (Resolution 202/2025/QH15): 34 units, from the `vietnam-provinces`
package. Input may name a current unit or one of the 63 pre-reform units, in any case, with or
without diacritics and the "Tỉnh"/"Thành phố"/"TP." prefix, or give a GSO code, current or old.

The package versions that run on Python 3.11 (≤ 2025.10.1) ship only the current units; the
pre-reform data (`vietnam_provinces.legacy`, `_province_conversion_2025.OLD_TO_NEW`) arrived in
2026.2.0, which needs Python ≥ 3.12 and also changes the names' style ("Tỉnh Tuyên Quang"), hence
the `<2026` pin in pyproject.toml. The codes and successors in LEGACY_PROVINCES are those of
the conversion table of vietnam-provinces 2026.9.0. The only old unit it splits is Tiền Giang
(82): 164 of its wards went to Đồng Tháp and one to Tây Ninh, so it maps to Đồng Tháp, as the
resolution merged it.
Each new unit kept the GSO code of one of its old units, and every old code that is still in use
names the unit that absorbed the old one, so old codes map without ambiguity."""
from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from vietnam_provinces import Province as PackageProvince

from crmkit.provinces import Province as Province  # re-exported: the domain speaks of it
from crmkit.provinces import current_provinces

from crm_customers.domain.errors import RuleViolation
from crm_customers.domain.text import fold_words


class InvalidProvince(RuleViolation):
    code = "invalid_province"


# Pre-1 July 2025 GSO code → (name, GSO code of the current unit it belongs to).
LEGACY_PROVINCES: dict[int, tuple[str, int]] = {
    1: ("Hà Nội", 1), 2: ("Hà Giang", 8), 4: ("Cao Bằng", 4), 6: ("Bắc Kạn", 19),
    8: ("Tuyên Quang", 8), 10: ("Lào Cai", 15), 11: ("Điện Biên", 11), 12: ("Lai Châu", 12),
    14: ("Sơn La", 14), 15: ("Yên Bái", 15), 17: ("Hòa Bình", 25), 19: ("Thái Nguyên", 19),
    20: ("Lạng Sơn", 20), 22: ("Quảng Ninh", 22), 24: ("Bắc Giang", 24), 25: ("Phú Thọ", 25),
    26: ("Vĩnh Phúc", 25), 27: ("Bắc Ninh", 24), 30: ("Hải Dương", 31), 31: ("Hải Phòng", 31),
    33: ("Hưng Yên", 33), 34: ("Thái Bình", 33), 35: ("Hà Nam", 37), 36: ("Nam Định", 37),
    37: ("Ninh Bình", 37), 38: ("Thanh Hóa", 38), 40: ("Nghệ An", 40), 42: ("Hà Tĩnh", 42),
    44: ("Quảng Bình", 44), 45: ("Quảng Trị", 44), 46: ("Thừa Thiên Huế", 46), 48: ("Đà Nẵng", 48),
    49: ("Quảng Nam", 48), 51: ("Quảng Ngãi", 51), 52: ("Bình Định", 52), 54: ("Phú Yên", 66),
    56: ("Khánh Hòa", 56), 58: ("Ninh Thuận", 56), 60: ("Bình Thuận", 68), 62: ("Kon Tum", 51),
    64: ("Gia Lai", 52), 66: ("Đắk Lắk", 66), 67: ("Đắk Nông", 68), 68: ("Lâm Đồng", 68),
    70: ("Bình Phước", 75), 72: ("Tây Ninh", 80), 74: ("Bình Dương", 79), 75: ("Đồng Nai", 75),
    77: ("Bà Rịa - Vũng Tàu", 79), 79: ("Hồ Chí Minh", 79), 80: ("Long An", 80),
    82: ("Tiền Giang", 82), 83: ("Bến Tre", 86), 84: ("Trà Vinh", 86), 86: ("Vĩnh Long", 86),
    87: ("Đồng Tháp", 82), 89: ("An Giang", 91), 91: ("Kiên Giang", 91), 92: ("Cần Thơ", 92),
    93: ("Hậu Giang", 92), 94: ("Sóc Trăng", 92), 95: ("Bạc Liêu", 96), 96: ("Cà Mau", 96),
}

# Everyday and older spellings → GSO code of the current unit.
ALIASES: dict[str, int] = {
    "HCM": 79, "HCMC": 79, "TPHCM": 79, "Sài Gòn": 79, "Vũng Tàu": 79, "BRVT": 79,
    "TT Huế": 46, "Đắc Lắc": 66, "Đắc Nông": 68, "Bắc Cạn": 19,
}

_PREFIXES = (("thanh", "pho"), ("tp",), ("tinh",))
_SUFFIXES = (("city",), ("province",))


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """A spelling's lookup key (cached: an import repeats the same few dozen spellings)."""
    words = fold_words(text)
    for prefix in _PREFIXES:
        if tuple(words[: len(prefix)]) == prefix:
            words = words[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if len(words) > len(suffix) and tuple(words[-len(suffix):]) == suffix:
            words = words[: -len(suffix)]
    return "".join(words)


def _build_name_index(units: dict[int, Province]) -> dict[str, int]:
    spellings: list[tuple[str, int]] = [(unit.name, code) for code, unit in units.items()]
    spellings += [(package.codename, int(package.code)) for package in PackageProvince.iter_all()]
    spellings += [(name, successor) for name, successor in LEGACY_PROVINCES.values()]
    spellings += list(ALIASES.items())
    index: dict[str, int] = {}
    for spelling, code in spellings:
        key = _key(spelling)
        if index.setdefault(key, code) != code:
            raise RuntimeError(f"province spelling {spelling!r} names two units")
    return index


def _build_code_index(units: dict[int, Province]) -> dict[int, int]:
    index = {old: successor for old, (_, successor) in LEGACY_PROVINCES.items()}
    index.update({code: code for code in units})
    return index


_UNITS = current_provinces()
_BY_NAME = _build_name_index(_UNITS)
_BY_CODE = _build_code_index(_UNITS)


def list_provinces() -> tuple[Province, ...]:
    """The current units, by GSO code."""
    return tuple(_UNITS.values())


def _lookup_code(raw: int | str) -> int | None:
    text = str(raw).strip()
    return _BY_CODE.get(int(text)) if text.isascii() and text.isdigit() and len(text) <= 3 else None


def normalize_province(raw: object) -> Province:
    """The current unit that a name or code (current or pre-2025) refers to, or InvalidProvince.
    A `{code, name}` object (what a customer's `province` reads as) is accepted back: its code, its
    name, or both when they name the same unit."""
    return _from_object(raw) if isinstance(raw, Mapping) else _from_name_or_code(raw)


def _from_name_or_code(raw: object) -> Province:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)) or len(str(raw)) > 100:
        raise InvalidProvince(raw)
    code = _lookup_code(raw)
    if code is None and isinstance(raw, str):
        code = _BY_NAME.get(_key(raw))
    if code is None:
        raise InvalidProvince(raw)
    return _UNITS[code]


def _from_object(raw: Mapping[str, Any]) -> Province:
    given = [raw[part] for part in ("code", "name") if raw.get(part) is not None]
    if not given or set(raw) - {"code", "name"}:
        raise InvalidProvince(raw)
    units = [_from_name_or_code(value) for value in given]
    if units[-1] != units[0]:
        raise InvalidProvince(raw)
    return units[0]
