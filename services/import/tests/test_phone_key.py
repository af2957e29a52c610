"""The in-file duplicate key of a phone: every writing of one number, its pre-2018 prefix included,
gives one key; different numbers give different keys."""
import pytest

from crmkit.vn_phones import LEGACY_MOBILE_PREFIXES, phone_key


@pytest.mark.parametrize("writing", ["0912345678", "+84 912 345 678", "84912345678", "912345678", "0912.345.678",
                                     "(+84) 912-345-678"])
def test_writings_of_one_number_give_one_key(writing):
    assert phone_key(writing) == "912345678"


@pytest.mark.parametrize(("old", "new"), sorted(LEGACY_MOBILE_PREFIXES.items()))
def test_a_legacy_prefix_is_the_number_it_became(old, new):
    assert phone_key(old + "1234567") == phone_key(new + "1234567") == phone_key("+84" + old[1:] + "1234567")


def test_other_numbers_stay_apart():
    assert phone_key("0912345678") != phone_key("0912345679")
    assert phone_key("02838123456") == "2838123456"   # a landline keeps its digits
    assert phone_key("") is None and phone_key("abc") is None
