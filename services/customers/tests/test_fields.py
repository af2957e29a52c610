from datetime import date

import pytest

from crm_customers.domain.errors import InvalidChoice, InvalidType, TooLong, ValidationErrors
from crm_customers.domain.fields import (
    CHOICES,
    FIELDS,
    GENDERS,
    LIFECYCLES,
    ORGANIZATION_SIZES,
    PARTY_TYPES,
    REQUIRED_FIELDS,
    TEXT_MAX_LENGTHS,
    InvalidPhoneNumber,
    clean_text,
    normalize_choice,
    normalize_gender,
    normalize_lifecycle,
    normalize_organization_size,
    normalize_party_type,
    organization_size_for,
    phone_value,
    validate_fields,
)
from crm_customers.domain.provinces import Province

C1_FIELDS = {"name", "phone", "email", "birthday", "province", "gender", "address", "source", "customer_type",
             "company_name", "tax_code", "position", "note", "party_type", "organization_size", "founding_date",
             "industry", "description", "contact_person", "lifecycle"}


def test_every_built_in_data_field_has_a_rule():
    assert set(FIELDS) == C1_FIELDS
    assert REQUIRED_FIELDS == ("name", "phone")


def test_choice_sets():
    assert GENDERS == ("male", "female", "other")
    assert LIFECYCLES == ("lead", "customer")
    assert PARTY_TYPES == ("individual", "organization")
    assert ORGANIZATION_SIZES == ("1-9", "10-49", "50-199", "200-499", "500-999", "1000+")


def test_every_choice_has_vietnamese_and_english_labels():
    for values in CHOICES.values():
        for labels in values.values():
            assert set(labels) == {"vi", "en"} and all(labels.values())


@pytest.mark.parametrize("raw,expected", [
    ("male", "male"), ("Male", "male"), ("nam", "male"), ("Nam", "male"), (" NAM ", "male"),
    ("female", "female"), ("nữ", "female"), ("Nữ", "female"), ("nu", "female"), ("NỮ", "female"),
    ("other", "other"), ("khác", "other"), ("Khac", "other"),
])
def test_gender(raw, expected):
    assert normalize_gender(raw) == expected


@pytest.mark.parametrize("raw", ["", "m", "f", "x", "nam nu", None, 1, True])
def test_unknown_gender(raw):
    with pytest.raises(InvalidChoice) as caught:
        normalize_gender(raw)
    assert caught.value.code == "invalid_choice"
    assert caught.value.params == {"choices": "male, female, other"}


@pytest.mark.parametrize("raw,expected", [("lead", "lead"), ("Contact", "lead"), ("liên hệ", "lead"),
                                          ("customer", "customer"), ("Khách hàng", "customer"),
                                          ("khach hang", "customer")])
def test_lifecycle(raw, expected):
    assert normalize_lifecycle(raw) == expected


@pytest.mark.parametrize("raw,expected", [("individual", "individual"), ("Cá nhân", "individual"),
                                          ("ca nhan", "individual"), ("organization", "organization"),
                                          ("organisation", "organization"), ("Tổ chức", "organization"),
                                          ("doanh nghiệp", "organization"), ("Công ty", "organization")])
def test_party_type(raw, expected):
    assert normalize_party_type(raw) == expected


@pytest.mark.parametrize("employees,bucket", [(1, "1-9"), (9, "1-9"), (10, "10-49"), (49, "10-49"),
                                              (50, "50-199"), (199, "50-199"), (200, "200-499"),
                                              (500, "500-999"), (999, "500-999"), (1000, "1000+"),
                                              (250000, "1000+")])
def test_organization_size_from_head_count(employees, bucket):
    assert organization_size_for(employees) == bucket
    assert normalize_organization_size(employees) == bucket
    assert normalize_organization_size(str(employees)) == bucket


@pytest.mark.parametrize("raw,bucket", [("10-49", "10-49"), ("10 – 49", "10-49"), ("1000+", "1000+"),
                                        ("50–199 nhân viên", "50-199"), ("1–9 employees", "1-9")])
def test_organization_size_from_bucket_or_label(raw, bucket):
    assert normalize_organization_size(raw) == bucket


@pytest.mark.parametrize("raw", [0, -5, "0", "10-50", "big", True, None, 12.5])
def test_unknown_organization_size(raw):
    with pytest.raises(InvalidChoice):
        normalize_organization_size(raw)


def test_normalize_choice_is_the_generic_form():
    assert normalize_choice("gender", "Nữ") == "female"


def test_text_is_nfc_trimmed_and_single_line():
    decomposed = "Nguye\u0302\u0303n  Va\u0306n\tA"
    assert clean_text("name", f"  {decomposed}\n ") == "Nguyễn Văn A"
    assert clean_text("address", "12 Lê Lợi,\nQuận 1") == "12 Lê Lợi, Quận 1"


def test_multiline_text_keeps_lines():
    assert clean_text("note", "  dòng 1  \r\n\tdòng   2\n") == "dòng 1\ndòng 2"
    assert clean_text("note", "a\x00b") == "a b"


def test_blank_text_is_none():
    assert clean_text("note", " \n ") is None


@pytest.mark.parametrize("field,limit", sorted(TEXT_MAX_LENGTHS.items()))
def test_text_limits(field, limit):
    assert clean_text(field, "x" * limit) == "x" * limit
    with pytest.raises(TooLong) as caught:
        clean_text(field, "x" * (limit + 1))
    assert caught.value.params == {"max_length": limit}


def test_known_limits():
    assert TEXT_MAX_LENGTHS["name"] == 200
    assert TEXT_MAX_LENGTHS["address"] == 500
    assert TEXT_MAX_LENGTHS["note"] == 5000


def test_text_must_be_a_string():
    with pytest.raises(InvalidType):
        clean_text("name", 12)


def test_phone_value_has_a_code():
    assert phone_value("0912 345 678") == "+84912345678"
    for raw in ("123", None, 912345678):
        with pytest.raises(InvalidPhoneNumber) as caught:
            phone_value(raw)
        assert caught.value.code == "invalid_phone"


def test_validate_fields_normalises_everything():
    values = validate_fields({
        "name": " Nguyễn  Văn A ", "phone": "0912 345 678", "email": "An@Example.COM", "birthday": "05/04/1990",
        "province": "Bình Dương", "gender": "Nữ", "tax_code": "0100109106001", "party_type": "doanh nghiệp",
        "organization_size": 25, "founding_date": "2001-01-02", "lifecycle": "customer", "note": "a\r\nb",
    }, partial=False)
    assert values == {
        "name": "Nguyễn Văn A", "phone": "+84912345678", "email": "An@example.com", "birthday": date(1990, 4, 5),
        "province": Province(79, "Thành phố Hồ Chí Minh"), "gender": "female", "tax_code": "0100109106-001",
        "party_type": "organization", "organization_size": "10-49", "founding_date": date(2001, 1, 2),
        "lifecycle": "customer", "note": "a\nb",
    }


def test_validate_fields_collects_every_problem():
    with pytest.raises(ValidationErrors) as caught:
        validate_fields({"name": " ", "email": "x", "birthday": "31/02/2000", "province": "Atlantis",
                         "tax_code": "123", "gender": "?", "founding_date": "2999-01-01", "nickname": "An",
                         "address": "x" * 501}, partial=False)
    assert sorted(caught.value.errors) == sorted([
        ("phone", "required", {}),
        ("name", "required", {}),
        ("email", "invalid_email", {}),
        ("birthday", "invalid_date", {}),
        ("province", "invalid_province", {}),
        ("tax_code", "invalid_tax_code", {}),
        ("gender", "invalid_choice", {"choices": "male, female, other"}),
        ("founding_date", "date_in_future", {}),
        ("nickname", "unknown_field", {}),
        ("address", "too_long", {"max_length": 500}),
    ])


def test_blank_optional_fields_are_dropped_on_create_and_cleared_on_update():
    assert validate_fields({"name": "An", "phone": "0912345678", "email": "", "note": None},
                           partial=False) == {"name": "An", "phone": "+84912345678"}
    assert validate_fields({"email": " ", "note": None}, partial=True) == {"email": None, "note": None}


def test_partial_update_needs_no_required_field_but_cannot_blank_one():
    assert validate_fields({"gender": "nam"}, partial=True) == {"gender": "male"}
    with pytest.raises(ValidationErrors) as caught:
        validate_fields({"name": "", "phone": None}, partial=True)
    assert caught.value.errors == [("name", "required", {}), ("phone", "required", {})]
