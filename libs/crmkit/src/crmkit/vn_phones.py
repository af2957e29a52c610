"""The 2018 renumbering of Vietnam's 11-digit mobile numbers, a fact every service that compares
phone numbers needs: the customers service normalises them with it; `phone_key` — one key for every
writing of a number — lets the import service see one number twice in a file and the compensation
service a lead delivered twice by a provider."""
from __future__ import annotations

import re

# Legacy 11-digit mobile prefix (national form, with the leading 0) → new 10-digit prefix.
LEGACY_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037",
    "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}


def renumber_legacy(national: str) -> str:
    """A national number with its leading 0 ("01629…") in its current form ("0329…"); any other
    number unchanged."""
    if len(national) == 11:
        new_prefix = LEGACY_MOBILE_PREFIXES.get(national[:4])
        if new_prefix:
            return new_prefix + national[4:]
    return national


_NOT_DIGITS = re.compile(r"\D")


def phone_key(raw: str | None) -> str | None:
    """Two writings of one Vietnamese number give one key (0912…, +84 912…, 84912…, 912… as a
    number cell that lost its 0, and a mobile number under its pre-2018 prefix: 01629… = 0329…):
    enough to see a number twice in a file, or one lead in two packages. The customers service
    applies the full phone rules."""
    if not raw:
        return None
    digits = _NOT_DIGITS.sub("", raw)
    if digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
    digits = renumber_legacy("0" + digits.lstrip("0")).lstrip("0")
    return digits or None
