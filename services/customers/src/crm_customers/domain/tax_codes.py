"""Vietnamese tax codes (mã số thuế, MST): `N1N2 N3…N9 N10` plus an optional branch suffix
`N11N12N13`, written `0100109106` or `0100109106-001`.

Structure and check digit, as documented by python-stdnum (`stdnum/vn/mst.py`, after the General
Department of Taxation's rules) and by published MST guides:
- N1N2: province range of the issuing tax office; N3…N9: sequence number 0000001…9999999;
- N10: check digit, `10 - (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11`;
  when that is 10 (weighted sum ≡ 0 mod 11) no digit fits and the number is never issued;
- N11…N13: dependent unit / branch number 001…999 (000 is not issued).
Published codes that satisfy the rule: 0100109106 (Viettel), 0100112437 (Vietcombank),
0300588569 (Vinamilk), 0101248141 (FPT)."""
from __future__ import annotations

import re

from crm_customers.domain.errors import RuleViolation

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SEPARATORS = re.compile(r"[\s.]")
_SHAPE = re.compile(r"(\d{10})(?:-?(\d{3}))?", re.ASCII)


class InvalidTaxCode(RuleViolation):
    code = "invalid_tax_code"


class TaxCodeChecksum(InvalidTaxCode):
    """The shape is right but the tenth digit is not the check digit of the first nine (a typo)."""
    code = "tax_code_checksum"


def check_digit(first_nine: str) -> int | None:
    """The tenth digit for these nine digits, or None when no digit fits (result 10)."""
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_nine, strict=True))
    result = 10 - total % 11
    return None if result == 10 else result




def normalize_tax_code(raw: object) -> str:
    """Return `NNNNNNNNNN` or `NNNNNNNNNN-BBB`, or raise InvalidTaxCode."""
    if not isinstance(raw, str) or len(raw) > 32:
        raise InvalidTaxCode(raw)
    match = _SHAPE.fullmatch(_SEPARATORS.sub("", raw))
    if not match:
        raise InvalidTaxCode(raw)
    base, branch = match.groups()
    if base[2:9] == "0000000" or branch == "000":  # never issued
        raise InvalidTaxCode(raw)
    if check_digit(base[:9]) != int(base[9]):
        raise TaxCodeChecksum(raw)
    return f"{base}-{branch}" if branch else base
