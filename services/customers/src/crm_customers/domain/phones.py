"""Vietnamese phone numbers: any common writing → E.164, including the 2018 renumbering of
11-digit mobile numbers (0162…0169 → 032…039 and the other legacy prefixes)."""
from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "VN"

# Legacy 11-digit mobile prefix (national form, with the leading 0) → new 10-digit prefix.
LEGACY_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037",
    "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}
_SEPARATORS = re.compile(r"[\s.\-()/]")


class InvalidPhone(ValueError):
    pass


def _national_digits(raw: str) -> str | None:
    """Vietnamese national form with leading 0 if the input is a Vietnamese number, else None."""
    compact = _SEPARATORS.sub("", raw)
    if compact.startswith("+84"):
        return "0" + compact[3:]
    if compact.startswith("0084"):
        return "0" + compact[4:]
    if compact.startswith("84") and len(compact) in (11, 12):
        return "0" + compact[2:]
    if compact.startswith("0") and not compact.startswith("00"):
        return compact
    return None


def _renumber_legacy(national: str) -> str:
    if len(national) == 11:
        new_prefix = LEGACY_MOBILE_PREFIXES.get(national[:4])
        if new_prefix:
            return new_prefix + national[4:]
    return national


def normalize_phone(raw: str) -> str:
    """Return the E.164 form (`+84…`) or raise InvalidPhone."""
    if not raw or len(raw) > 32:
        raise InvalidPhone(raw)
    national = _national_digits(raw.strip())
    candidate = _renumber_legacy(national) if national else raw.strip()
    try:
        number = phonenumbers.parse(candidate, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
