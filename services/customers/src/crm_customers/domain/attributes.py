"""Admin-defined customer attributes (C-3): the definitions, and the validation and normalisation
of the values a write carries for them."""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crm_customers.domain.dates import parse_date
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
from crm_customers.domain.fields import phone_value
from crm_customers.domain.text import strip_diacritics


class AttributeType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    SELECT = "select"
    MULTI_SELECT = "multi-select"
    PHONE = "phone"
    EMAIL = "email"
    URL = "url"


CHOICE_TYPES = frozenset({AttributeType.SELECT, AttributeType.MULTI_SELECT})
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}", re.ASCII)
NAME_MAX_LENGTH = 200
OPTION_VALUE_MAX_LENGTH = 100
OPTION_LABEL_MAX_LENGTH = 200
MAX_OPTIONS = 500
TEXT_MAX_LENGTH = 2000
URL_MAX_LENGTH = 2000
MAX_SAFE_NUMBER = 2**53 - 1  # larger integers lose precision in JavaScript clients
TRUE_WORDS = frozenset({"true", "yes", "co", "1"})
FALSE_WORDS = frozenset({"false", "no", "khong", "0"})


@dataclass(frozen=True)
class AttributeOption:
    value: str
    label: str


@dataclass(frozen=True)
class AttributeDefinition:
    key: str
    name: str
    type: AttributeType
    options: tuple[AttributeOption, ...] = ()
    required: bool = False
    display_order: int = 0
    filterable: bool = False

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


class InvalidAttributeDefinition(ValidationErrors):
    code = "invalid_attribute_definition"


class InvalidAttributes(ValidationErrors):
    code = "invalid_attributes"


class InvalidAttributeKey(RuleViolation):
    code = "invalid_attribute_key"


class OptionsRequired(RuleViolation):
    code = "options_required"


class OptionsNotAllowed(RuleViolation):
    code = "options_not_allowed"


class DuplicateValue(RuleViolation):
    code = "duplicate_value"


class InvalidNumber(RuleViolation):
    code = "invalid_number"


class OutOfRange(RuleViolation):
    code = "out_of_range"


class InvalidBoolean(RuleViolation):
    code = "invalid_boolean"


class InvalidUrl(RuleViolation):
    code = "invalid_url"


class _ItemErrors(Exception):
    def __init__(self, errors: list[tuple[int, RuleViolation]]) -> None:
        super().__init__(errors)
        self.errors = errors


# Definitions


def _required_text(raw: object, max_length: int) -> str:
    if raw is None:
        raise Required(raw)
    if not isinstance(raw, str):
        raise InvalidType(raw)
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        raise Required(raw)
    if len(text) > max_length:
        raise TooLong(raw, max_length=max_length)
    return text


def _checked(path: str, check: Callable[[], Any], errors: list[FieldProblem]) -> Any:
    try:
        return check()
    except RuleViolation as error:
        errors.append(problem(path, error))
        return None


def _key(raw: object) -> str:
    if raw is None:
        raise Required(raw)
    if not isinstance(raw, str) or not KEY_PATTERN.fullmatch(raw):
        raise InvalidAttributeKey(raw)
    return raw


def _type(raw: object) -> AttributeType:
    if raw is None:
        raise Required(raw)
    if not isinstance(raw, str) or raw not in {member.value for member in AttributeType}:
        raise InvalidChoice(raw, choices=", ".join(AttributeType))
    return AttributeType(raw)


def _flag(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise InvalidType(raw)
    return raw


def _order(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidType(raw)
    return raw


def _option(raw: object, path: str, errors: list[FieldProblem]) -> AttributeOption | None:
    if isinstance(raw, AttributeOption):
        raw = {"value": raw.value, "label": raw.label}
    if not isinstance(raw, Mapping):
        errors.append((path, InvalidType.code, {}))
        return None
    value = _checked(f"{path}.value", lambda: _required_text(raw.get("value"), OPTION_VALUE_MAX_LENGTH), errors)
    label = _checked(f"{path}.label", lambda: _required_text(raw.get("label"), OPTION_LABEL_MAX_LENGTH), errors)
    return AttributeOption(value, label) if value and label else None


def _options(raw: object, type_: AttributeType | None, errors: list[FieldProblem]) -> tuple[AttributeOption, ...]:
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Iterable):
        errors.append(("options", InvalidType.code, {}))
        return ()
    items = list(raw)
    if type_ in CHOICE_TYPES and not items:
        errors.append(problem("options", OptionsRequired(raw)))
    if type_ not in CHOICE_TYPES and type_ is not None and items:
        errors.append(problem("options", OptionsNotAllowed(raw)))
    if len(items) > MAX_OPTIONS:
        errors.append(problem("options", TooLong(raw, max_length=MAX_OPTIONS)))
    options, seen = [], set()
    for index, item in enumerate(items):
        option = _option(item, f"options.{index}", errors)
        if option and option.value in seen:
            errors.append(problem(f"options.{index}.value", DuplicateValue(option.value, value=option.value)))
        elif option:
            seen.add(option.value)
            options.append(option)
    return tuple(options)


def define_attribute(
    *,
    key: object = None,
    name: object = None,
    type: object = None,
    options: object = (),
    required: object = False,
    display_order: object = 0,
    filterable: object = False,
) -> AttributeDefinition:
    """A checked definition, or InvalidAttributeDefinition listing every problem. Options may be
    given as `{value, label}` mappings."""
    errors: list[FieldProblem] = []
    checked_key = _checked("key", lambda: _key(key), errors)
    checked_name = _checked("name", lambda: _required_text(name, NAME_MAX_LENGTH), errors)
    checked_type = _checked("type", lambda: _type(type), errors)
    checked_options = _options(options, checked_type, errors)
    checked_required = _checked("required", lambda: _flag(required), errors)
    checked_order = _checked("display_order", lambda: _order(display_order), errors)
    checked_filterable = _checked("filterable", lambda: _flag(filterable), errors)
    if errors:
        raise InvalidAttributeDefinition(errors)
    return AttributeDefinition(
        checked_key, checked_name, checked_type, checked_options, checked_required, checked_order, checked_filterable
    )


# Values


def _text(definition: AttributeDefinition, raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidType(raw)
    text = unicodedata.normalize("NFC", raw).strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise TooLong(raw, max_length=TEXT_MAX_LENGTH)
    return text


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


def _number(definition: AttributeDefinition, raw: object) -> int | float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and len(raw) <= 40 and _NUMBER.fullmatch(raw.strip()):
        value = float(raw) if "." in raw else int(raw)
    else:
        raise InvalidNumber(raw)
    if not math.isfinite(value) or abs(value) > MAX_SAFE_NUMBER:
        raise OutOfRange(raw)
    return value


def _date(definition: AttributeDefinition, raw: object) -> str:
    return parse_date(raw).isoformat()


def _boolean(definition: AttributeDefinition, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = strip_diacritics(str(raw)).strip().lower() if isinstance(raw, (str, int)) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidBoolean(raw)


def _choice(definition: AttributeDefinition, raw: object) -> str:
    value = raw.strip() if isinstance(raw, str) else raw
    if value not in definition.option_values:
        raise InvalidChoice(raw, choices=", ".join(definition.option_values))
    return value


def _multi_choice(definition: AttributeDefinition, raw: object) -> list[str]:
    if not isinstance(raw, (list, tuple)):
        raise InvalidType(raw)
    values: list[str] = []
    errors: list[tuple[int, RuleViolation]] = []
    for index, item in enumerate(raw):
        try:
            value = _choice(definition, item)
        except RuleViolation as error:
            errors.append((index, error))
            continue
        if value in values:
            errors.append((index, DuplicateValue(item, value=value)))
        values.append(value)
    if errors:
        raise _ItemErrors(errors)
    return values


def _phone(definition: AttributeDefinition, raw: object) -> str:
    return phone_value(raw)


def _email(definition: AttributeDefinition, raw: object) -> str:
    return normalize_email(raw)


def _url(definition: AttributeDefinition, raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidType(raw)
    text = raw.strip()
    if len(text) > URL_MAX_LENGTH:
        raise TooLong(raw, max_length=URL_MAX_LENGTH)
    try:
        parts = urlsplit(text)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid or parts.username is not None or any(char.isspace() for char in text):
        raise InvalidUrl(raw)
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


NORMALISERS: dict[AttributeType, Callable[[AttributeDefinition, object], Any]] = {
    AttributeType.TEXT: _text,
    AttributeType.NUMBER: _number,
    AttributeType.DATE: _date,
    AttributeType.BOOLEAN: _boolean,
    AttributeType.SELECT: _choice,
    AttributeType.MULTI_SELECT: _multi_choice,
    AttributeType.PHONE: _phone,
    AttributeType.EMAIL: _email,
    AttributeType.URL: _url,
}


def _is_blank(raw: object) -> bool:
    return raw is None or raw == [] or raw == () or (isinstance(raw, str) and not raw.strip())


def _value_problems(definition: AttributeDefinition, raw: object, path: str) -> tuple[Any, list[FieldProblem]]:
    try:
        return NORMALISERS[definition.type](definition, raw), []
    except _ItemErrors as items:
        return None, [problem(f"{path}.{index}", error) for index, error in items.errors]
    except RuleViolation as error:
        return None, [problem(path, error)]


def validate_values(
    definitions: Iterable[AttributeDefinition], values: object, *, partial: bool
) -> dict[str, Any]:
    """Normalised attribute values, or InvalidAttributes listing every problem.

    Numbers become int or float, dates ISO strings, phones E.164, multi-selects lists. A blank
    value (None, "", []) clears the attribute: kept as None in a partial update, left out
    otherwise; a required attribute may not be blank, nor missing unless `partial`.
    """
    if not isinstance(values, Mapping):
        raise InvalidAttributes([("attributes", InvalidType.code, {})])
    by_key = {definition.key: definition for definition in definitions}
    errors: list[FieldProblem] = []
    if not partial:
        missing = [key for key, definition in by_key.items() if definition.required and key not in values]
        errors += [(f"attributes.{key}", Required.code, {}) for key in missing]
    cleaned: dict[str, Any] = {}
    for key, raw in values.items():
        path = f"attributes.{key}"
        definition = by_key.get(key)
        if definition is None:
            errors.append((path, "unknown_attribute", {"key": str(key)}))
        elif _is_blank(raw):
            if definition.required:
                errors.append((path, Required.code, {}))
            elif partial:
                cleaned[key] = None
        else:
            value, problems = _value_problems(definition, raw, path)
            errors += problems
            if not problems:
                cleaned[key] = value
    if errors:
        raise InvalidAttributes(errors)
    return cleaned
