"""The built-in customer fields (C-1) and their rules: which exist, which are required, the
choices of the enumerated ones (with Vietnamese and English labels, also accepted as input), the
maximum length of each text, and one `validate_fields` that applies all of it."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from crm_customers.domain.dates import parse_birthday, parse_date
from crm_customers.domain.emails import normalize_email
from crm_customers.domain.errors import (
    FieldProblem,
    InvalidChoice,
    InvalidType,
    Required,
    RuleViolation,
    TooLong,
    ValidationErrors,
    problem,
)
from crm_customers.domain.phones import InvalidPhone, normalize_phone
from crm_customers.domain.provinces import normalize_province
from crm_customers.domain.tax_codes import normalize_tax_code
from crm_customers.domain.text import fold

REQUIRED_FIELDS = ("name", "phone")
NOT_CLEARABLE = ("party_type", "lifecycle")  # stored with a default: left out of a create, never cleared

TEXT_MAX_LENGTHS = {
    "name": 200,
    "address": 500,
    "source": 100,
    "customer_type": 100,
    "company_name": 300,
    "position": 100,
    "industry": 200,
    "contact_person": 200,
    "description": 5000,
    "note": 5000,
}
MULTILINE_FIELDS = frozenset({"description", "note"})

# value → {language: label}; the labels, folded, are accepted as input too.
CHOICES: dict[str, dict[str, dict[str, str]]] = {
    "gender": {
        "male": {"vi": "Nam", "en": "Male"},
        "female": {"vi": "Nữ", "en": "Female"},
        "other": {"vi": "Khác", "en": "Other"},
    },
    "lifecycle": {
        "lead": {"vi": "Liên hệ", "en": "Lead"},
        "customer": {"vi": "Khách hàng", "en": "Customer"},
    },
    "party_type": {
        "individual": {"vi": "Cá nhân", "en": "Individual"},
        "organization": {"vi": "Tổ chức", "en": "Organization"},
    },
    "organization_size": {
        "1-9": {"vi": "1–9 nhân viên", "en": "1–9 employees"},
        "10-49": {"vi": "10–49 nhân viên", "en": "10–49 employees"},
        "50-199": {"vi": "50–199 nhân viên", "en": "50–199 employees"},
        "200-499": {"vi": "200–499 nhân viên", "en": "200–499 employees"},
        "500-999": {"vi": "500–999 nhân viên", "en": "500–999 employees"},
        "1000+": {"vi": "Từ 1000 nhân viên", "en": "1000+ employees"},
    },
}
EXTRA_SPELLINGS: dict[str, dict[str, str]] = {
    "lifecycle": {"contact": "lead"},
    "party_type": {
        "person": "individual", "organisation": "organization", "company": "organization",
        "công ty": "organization", "doanh nghiệp": "organization",
    },
}
GENDERS = tuple(CHOICES["gender"])
LIFECYCLES = tuple(CHOICES["lifecycle"])
PARTY_TYPES = tuple(CHOICES["party_type"])
ORGANIZATION_SIZES = tuple(CHOICES["organization_size"])
_SIZE_LOWER_BOUNDS = ((1000, "1000+"), (500, "500-999"), (200, "200-499"), (50, "50-199"), (10, "10-49"), (1, "1-9"))


def _spellings(field: str) -> dict[str, str]:
    table = {fold(value): value for value in CHOICES[field]}
    for value, labels in CHOICES[field].items():
        table.update({fold(label): value for label in labels.values()})
    table.update({fold(spelling): value for spelling, value in EXTRA_SPELLINGS.get(field, {}).items()})
    return table


_SPELLINGS = {field: _spellings(field) for field in CHOICES}


def normalize_choice(field: str, raw: object) -> str:
    """The canonical value of an enumerated field from its value or a label, any case or accents."""
    value = _SPELLINGS[field].get(fold(raw)) if isinstance(raw, str) else None
    if value is None:
        raise InvalidChoice(raw, choices=", ".join(CHOICES[field]))
    return value


def normalize_gender(raw: object) -> str:
    return normalize_choice("gender", raw)


def normalize_lifecycle(raw: object) -> str:
    return normalize_choice("lifecycle", raw)


def normalize_party_type(raw: object) -> str:
    return normalize_choice("party_type", raw)


def organization_size_for(employees: int) -> str:
    for lower_bound, bucket in _SIZE_LOWER_BOUNDS:
        if employees >= lower_bound:
            return bucket
    raise InvalidChoice(employees, choices=", ".join(ORGANIZATION_SIZES))


def normalize_organization_size(raw: object) -> str:
    """A bucket, given as its value (`10-49`, `10–49`), a label, or a head count."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return organization_size_for(raw)
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        return organization_size_for(int(raw))
    return normalize_choice("organization_size", raw)


_LINE_SPACES = re.compile(r"[^\S\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _one_line(text: str) -> str:
    """Control characters and runs of whitespace as one space, trimmed. `str.split()` and the
    regular expression `\\s` use the same definition of whitespace (Py_UNICODE_ISSPACE); the split
    costs ~0.4 µs where `re.sub(r"\\s+")` cost ~3 µs, paid for each text cell of an import."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def clean_text(field: str, raw: object) -> str | None:
    """NFC, trimmed text (one line unless the field is multi-line); None when blank."""
    if not isinstance(raw, str):
        raise InvalidType(raw)
    if field in MULTILINE_FIELDS:
        text = _CONTROL.sub(" ", unicodedata.normalize("NFC", raw).replace("\r\n", "\n"))
        text = "\n".join(line.strip() for line in _LINE_SPACES.sub(" ", text).strip().split("\n"))
    else:
        text = _one_line(unicodedata.normalize("NFC", raw))
    if len(text) > TEXT_MAX_LENGTHS[field]:
        raise TooLong(raw, max_length=TEXT_MAX_LENGTHS[field])
    return text or None


class InvalidPhoneNumber(RuleViolation):
    code = "invalid_phone"


def phone_value(raw: object) -> str:
    """phones.normalize_phone for any input, raising a RuleViolation with code `invalid_phone`."""
    if not isinstance(raw, str):
        raise InvalidPhoneNumber(raw)
    try:
        return normalize_phone(raw)
    except InvalidPhone:
        raise InvalidPhoneNumber(raw) from None


def _text_rule(field: str) -> Callable[[object], Any]:
    return lambda raw: clean_text(field, raw)


def _choice_rule(field: str) -> Callable[[object], Any]:
    return lambda raw: normalize_choice(field, raw)


RULES: dict[str, Callable[[object], Any]] = {
    **{field: _text_rule(field) for field in TEXT_MAX_LENGTHS},
    "phone": phone_value,
    "email": normalize_email,
    "birthday": parse_birthday,
    "founding_date": lambda raw: parse_date(raw, past_only=True),
    "province": normalize_province,
    "tax_code": normalize_tax_code,
    "gender": normalize_gender,
    "lifecycle": normalize_lifecycle,
    "party_type": normalize_party_type,
    "organization_size": normalize_organization_size,
}
FIELDS = tuple(RULES)


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _check_field(field: str, raw: object) -> tuple[Any, FieldProblem | None]:
    if field not in RULES:
        return None, (field, "unknown_field", {})
    if _is_blank(raw):
        return None, problem(field, Required(raw)) if field in REQUIRED_FIELDS else None
    try:
        return RULES[field](raw), None
    except RuleViolation as error:
        return None, problem(field, error)


def validate_fields(values: Mapping[str, object], *, partial: bool) -> dict[str, Any]:
    """Normalised built-in field values, or ValidationErrors listing every problem.

    Blank values become None (in a partial update: "clear this field", refused for the required
    and the NOT_CLEARABLE ones). Without `partial`, the required fields must be present and blank
    fields are left out of the result.
    """
    errors: list[FieldProblem] = []
    if not partial:
        errors += [(field, Required.code, {}) for field in REQUIRED_FIELDS if field not in values]
    cleaned: dict[str, Any] = {}
    for field, raw in values.items():
        value, error = _check_field(field, raw)
        if error:
            errors.append(error)
        elif value is None and partial and field in NOT_CLEARABLE:
            errors.append(problem(field, Required(raw)))
        elif value is not None or partial:
            cleaned[field] = value
    if errors:
        raise ValidationErrors(errors)
    return cleaned
