"""The 34 provinces and centrally-run cities of Vietnam since 1 July 2025 (Resolution
202/2025/QH15), by GSO code, from the `vietnam-provinces` package: one list for every service (the
customers service normalises what users type against it, the assignment service maps them to
units as territories).

The package versions that run on Python 3.11 (≤ 2025.10.1) predate three promotions to
centrally-run cities; their names are corrected here (as in vietnam-provinces 2026.9.0)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from vietnam_provinces import Province as PackageProvince


@dataclass(frozen=True)
class Province:
    code: int
    name: str


# Promoted to centrally-run cities after the data of the newest package usable on Python 3.11
# (2025.10.1); names as in vietnam-provinces 2026.9.0.
RENAMED_SINCE_PACKAGE_DATA = {
    22: "Thành phố Quảng Ninh",
    24: "Thành phố Bắc Ninh",
    75: "Thành phố Đồng Nai",
}


@functools.cache
def current_provinces() -> dict[int, Province]:
    """The current units by GSO code, in code order."""
    units = (Province(int(unit.code), RENAMED_SINCE_PACKAGE_DATA.get(int(unit.code), unit.name))
             for unit in PackageProvince.iter_all())
    return {unit.code: unit for unit in sorted(units, key=lambda unit: unit.code)}
