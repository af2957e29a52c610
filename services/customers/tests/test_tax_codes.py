import random

import pytest

from crm_customers.domain.tax_codes import InvalidTaxCode, check_digit, normalize_tax_code

PUBLISHED = {
    "0100109106": "Viettel",
    "0100112437": "Vietcombank",
    "0300588569": "Vinamilk",
    "0101248141": "FPT",
    "0100684378": "VNPT",
    "0100107370": "Petrolimex",
    "0100233488": "python-stdnum example",
    "0314409058": "python-stdnum example",
    "0312687878": "python-stdnum example",
}


def reference_check_digit(first_nine: str) -> int | None:
    weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
    remainder = sum(w * int(d) for w, d in zip(weights, first_nine, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def computed_valid_codes(count: int) -> list[str]:
    rng = random.Random(2025)
    codes = []
    while len(codes) < count:
        first_nine = f"{rng.randint(1, 99):02d}{rng.randint(1, 9_999_999):07d}"
        digit = reference_check_digit(first_nine)
        if digit is not None:
            codes.append(first_nine + str(digit))
    return codes


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_company_codes_are_valid(code):
    assert normalize_tax_code(code) == code


@pytest.mark.parametrize("code", computed_valid_codes(40))
def test_computed_codes_are_valid_and_every_other_tenth_digit_is_refused(code):
    assert normalize_tax_code(code) == code
    for wrong in set("0123456789") - {code[9]}:
        with pytest.raises(InvalidTaxCode):
            normalize_tax_code(code[:9] + wrong)


def test_check_digit_matches_the_weighted_mod_11_rule():
    assert check_digit("010010910") == 6
    assert check_digit("010010737") == 0
    for code in computed_valid_codes(200):
        assert check_digit(code[:9]) == int(code[9])


def test_a_weighted_sum_divisible_by_11_has_no_valid_check_digit():
    first_nine = next(f"0100{n:05d}" for n in range(100000) if reference_check_digit(f"0100{n:05d}") is None)
    assert check_digit(first_nine) is None
    for digit in "0123456789":
        with pytest.raises(InvalidTaxCode):
            normalize_tax_code(first_nine + digit)


@pytest.mark.parametrize("raw", ["0100109106-001", "0100109106001", " 0100109106 - 001 ", "0100109106 001"])
def test_branch_codes_normalise_to_the_dashed_form(raw):
    assert normalize_tax_code(raw) == "0100109106-001"


@pytest.mark.parametrize("raw,expected", [("01.00.112.437", "0100112437"), (" 0100112437\t", "0100112437"),
                                          ("0314409058-999", "0314409058-999")])
def test_spaces_and_dots_are_ignored(raw, expected):
    assert normalize_tax_code(raw) == expected


def test_sequence_number_zero_is_refused():
    first_nine = "010000000"
    digit = reference_check_digit(first_nine)
    assert digit is not None
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code(first_nine + str(digit))


@pytest.mark.parametrize("raw", [
    "", "   ", "123", "010010910", "01001091066", "010010910600", "01001091060011",
    "0100109107", "0100109106-000", "0100109106-01", "0100109106--001", "0100109106-0011",
    "0100109106_001", "O100109106", "０１００１０９１０６", "0100109106-００1", "-0100109106", "0" * 40,
])
def test_malformed_codes_are_refused(raw):
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code(raw)


@pytest.mark.parametrize("raw", [None, 100109106, 100109106.0, b"0100109106"])
def test_non_text_is_refused(raw):
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code(raw)


def test_error_carries_a_stable_code_and_is_a_value_error():
    with pytest.raises(InvalidTaxCode) as caught:
        normalize_tax_code("010010910")
    assert caught.value.code == "invalid_tax_code"
    assert isinstance(caught.value, ValueError)
    assert caught.value.value == "010010910"


@pytest.mark.parametrize("raw", ["0100109107", "0100109107-001", "0100 109 105"])
def test_a_wrong_check_digit_has_its_own_code(raw):
    with pytest.raises(InvalidTaxCode) as caught:
        normalize_tax_code(raw)
    assert caught.value.code == "tax_code_checksum"


@pytest.mark.parametrize("raw", ["01001091", "0100109106-01", "0100109106-000", "0100000000", "abc"])
def test_a_wrong_shape_is_not_a_checksum_error(raw):
    with pytest.raises(InvalidTaxCode) as caught:
        normalize_tax_code(raw)
    assert caught.value.code == "invalid_tax_code"
