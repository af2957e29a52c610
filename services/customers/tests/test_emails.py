import pytest

from crm_customers.domain.emails import InvalidEmail, normalize_email


@pytest.mark.parametrize("raw,expected", [
    ("nguyen.van.a@example.com", "nguyen.van.a@example.com"),
    ("  an@Example.COM \n", "an@example.com"),
    ("Nguyen.Van.A@GMAIL.com", "Nguyen.Van.A@gmail.com"),
    ("sales+crm@cong-ty.com.vn", "sales+crm@cong-ty.com.vn"),
    ("x@CÔNG-TY.VN", "x@công-ty.vn"),
])
def test_valid_addresses_are_trimmed_and_the_domain_lowercased(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", [
    "", "   ", "plainaddress", "@example.com", "an@", "an@example", "an@@example.com", "an..b@example.com",
    ".an@example.com", "an b@example.com", "an@exa mple.com", "an@localhost", "an@example.test",
    "Nguyen An <an@example.com>", "an@-example.com", "a" * 250 + "@example.com",
])
def test_invalid_addresses_are_refused(raw):
    with pytest.raises(InvalidEmail):
        normalize_email(raw)


@pytest.mark.parametrize("raw", [None, 42, b"an@example.com"])
def test_non_text_is_refused(raw):
    with pytest.raises(InvalidEmail):
        normalize_email(raw)


def test_error_code():
    with pytest.raises(InvalidEmail) as caught:
        normalize_email("nope")
    assert caught.value.code == "invalid_email"
    assert isinstance(caught.value, ValueError)
