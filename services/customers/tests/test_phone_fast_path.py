"""The fast path of Vietnamese mobile numbers (`phones.fast_mobile_e164`) answers exactly what the
phonenumbers path answers: a property test over many generated writings (a seeded random
generator: hypothesis is not a dependency of the repository), plus every 3-digit prefix."""
from __future__ import annotations

import random
import time

import phonenumbers
import pytest

from crmkit.vn_phones import LEGACY_MOBILE_PREFIXES, renumber_legacy

from crm_customers.domain import phones
from crm_customers.domain.phones import InvalidPhone, normalize_phone

SEPARATORS = ["", "", "", " ", ".", "-", "  ", "/"]


def slow_normalize(raw: str) -> str:
    """`normalize_phone` as it was before the fast path: phonenumbers decides every number."""
    if not raw or len(raw) > 32:
        raise InvalidPhone(raw)
    national = phones._national_digits(raw.strip())
    candidate = renumber_legacy(national) if national else raw.strip()
    try:
        number = phonenumbers.parse(candidate, phones.DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def outcome(normalize, raw: str) -> str:
    try:
        return normalize(raw)
    except InvalidPhone:
        return "invalid"


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _written(rng: random.Random, digits: str) -> str:
    """`digits` with separators between random groups, as people type them."""
    out, i = [], 0
    while i < len(digits):
        step = rng.randint(1, 4)
        out.append(digits[i:i + step])
        i += step
    separator = rng.choice(SEPARATORS)
    return separator.join(out)


def generated_number(rng: random.Random) -> str:
    """A writing of a (mostly) Vietnamese number: national, +84, 84, 0084, legacy 11-digit,
    wrong lengths, landlines, unusual characters."""
    kind = rng.random()
    if kind < 0.15:
        significant = rng.choice(list(LEGACY_MOBILE_PREFIXES))[1:] + _digits(rng, rng.choice([6, 7, 7, 7, 8]))
    elif kind < 0.85:
        first = rng.choice("35789") if rng.random() < 0.7 else _digits(rng, 1)  # mostly mobile ranges
        significant = first + _digits(rng, 1) + _digits(rng, rng.choice([6, 7, 7, 7, 7, 8, 9]))
    else:
        significant = _digits(rng, rng.randint(1, 12))
    prefix = rng.choice(["0", "0", "0", "+84", "84", "0084", "+84 ", "(+84) ", "+840", ""])
    raw = prefix + _written(rng, significant)
    if rng.random() < 0.03:
        raw = raw.replace("9", "٩")  # an Arabic-Indic digit: phonenumbers reads it, the fast path must not
    if rng.random() < 0.03:
        raw = raw[:rng.randint(0, len(raw))] + rng.choice("xa+#*,") + raw[rng.randint(0, len(raw)):]
    return rng.choice(["", " "]) + raw + rng.choice(["", " "])


def test_fast_and_slow_paths_agree_on_many_generated_writings():
    rng = random.Random(20261129)
    fast_answers = lost_zero = 0
    for _ in range(40_000):
        raw = generated_number(rng)
        expected = outcome(slow_normalize, raw)
        assert outcome(normalize_phone, raw) == expected, raw
        national = phones._national_digits(raw.strip())
        fast_answers += bool(national and phones.fast_mobile_e164(renumber_legacy(national)))
        lost_zero += bool(national is None and phones._lost_zero_mobile(raw.strip()))
    assert fast_answers > 8_000  # the generator exercises the fast path, not only the fallback
    assert lost_zero > 500  # and its writing without the leading 0


@pytest.mark.parametrize("first", "0123456789")
def test_every_three_digit_prefix_agrees(first):
    rng = random.Random(int(first))
    for rest in range(100):
        prefix = f"{first}{rest:02d}"
        for length in (8, 9, 10):
            for _ in range(3):
                significant = (prefix + _digits(rng, 12))[:length]
                for raw in ("0" + significant, "+84" + significant, "84" + significant, significant,
                            f"{significant[:3]} {significant[3:]}"):
                    assert outcome(normalize_phone, raw) == outcome(slow_normalize, raw), raw


def test_the_fast_path_takes_only_national_mobile_forms():
    assert phones.fast_mobile_e164("0912345678") == "+84912345678"
    assert phones.fast_mobile_e164("0389123456") == "+84389123456"
    for other in ("02431234567", "091234567", "09123456789", "0912 345678", "1912345678", "0٩12345678", ""):
        assert phones.fast_mobile_e164(other) is None, other
    assert phones._lost_zero_mobile("912 345 678") == "+84912345678"
    for other in ("091234567", "91234567", "9123456789", "243123456", "٩12345678", "+912345678"):
        assert phones._lost_zero_mobile(other) is None, other


def microseconds(normalize, writings: list[str], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for raw in writings:
            normalize(raw)
        best = min(best, time.perf_counter() - start)
    return best / len(writings) * 1e6


def test_the_fast_path_is_faster():
    """Not a timing assertion of precision: the ratio is ~7x on the development machine (the
    docstring of `fast_mobile_e164` has the numbers); 2x leaves room for a loaded machine."""
    writings = ["0912345678", "+84 912 345 678", "01689123456", "84-912-345-678", "0912.345.678", "912345678"] * 400
    assert microseconds(normalize_phone, writings) * 2 < microseconds(slow_normalize, writings)
