import pytest

from crmkit.vn_phones import LEGACY_MOBILE_PREFIXES

from crm_customers.domain.phones import InvalidPhone, normalize_phone


@pytest.mark.parametrize("raw", ["0912 345 678", "+84912345678", "84-912-345-678", "0912.345.678",
                                 "(+84) 912 345 678", "0084912345678", "84912345678"])
def test_common_writings_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("legacy,new", [("01689123456", "+84389123456"), ("0162 912 3456", "+84329123456"),
                                        ("01203456789", "+84703456789"), ("01993456789", "+84593456789"),
                                        ("+841689123456", "+84389123456")])
def test_legacy_eleven_digit_prefixes_are_renumbered(legacy, new):
    assert normalize_phone(legacy) == new


def test_every_legacy_prefix_maps_to_a_valid_number():
    for old, new in LEGACY_MOBILE_PREFIXES.items():
        assert normalize_phone(old + "1234567") == "+84" + new[1:] + "1234567"


@pytest.mark.parametrize("raw", ["", "123", "abc", "0912", "09123456789012", "+8400000000"])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_foreign_numbers_in_international_form_are_kept():
    assert normalize_phone("+1 650 253 0000") == "+16502530000"
