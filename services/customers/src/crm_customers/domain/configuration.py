"""Rules of the configurable sets (C-4): statuses and labels have a stable slug `key`, groups a
required description."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from crm_customers.domain.attributes import KEY_PATTERN
from crm_customers.domain.errors import FieldProblem, InvalidType, Required, RuleViolation, TooLong, problem
from crm_customers.domain.text import fold_words

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000
CATEGORY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}", re.ASCII)


class InvalidKey(RuleViolation):
    code = "invalid_key"


def required_text(raw: object, max_length: int) -> str:
    text = unicodedata.normalize("NFC", raw).strip() if isinstance(raw, str) else ""
    if not text:
        raise Required(raw)
    if len(text) > max_length:
        raise TooLong(raw, max_length=max_length)
    return text


def optional_text(raw: object, max_length: int) -> str | None:
    """Like `required_text`, but blank or null is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return required_text(raw, max_length)


def slug(name: str) -> str:
    """`Đã liên hệ` → `da_lien_he`."""
    return "_".join(fold_words(name))[:63]


def config_key(raw: object, name: str | None) -> str:
    """The given key, or one made from the name; a lower-case slug either way."""
    key = raw if raw is not None else slug(name or "")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise InvalidKey(raw)
    return key


def category(raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or not CATEGORY_PATTERN.fullmatch(raw.strip()):
        raise InvalidKey(raw)
    return raw.strip()


GROUP_NAME_MAX_LENGTH = 200
POSITION_LIMIT = 1_000_000
KINDS = ("status", "label", "group")


def _position(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not -POSITION_LIMIT <= raw <= POSITION_LIMIT:
        raise InvalidType(raw)
    return raw


def _rules(kind: str) -> dict[str, Callable[[object], object]]:
    name_length = GROUP_NAME_MAX_LENGTH if kind == "group" else NAME_MAX_LENGTH
    rules: dict[str, Callable[[object], object]] = {"name": lambda raw: required_text(raw, name_length)}
    if kind == "group":
        rules["description"] = lambda raw: required_text(raw, DESCRIPTION_MAX_LENGTH)
    else:
        rules["position"] = _position
        rules["name_en"] = lambda raw: optional_text(raw, NAME_MAX_LENGTH)
    if kind == "label":
        rules["category"] = category
    return rules


def check_item(kind: str, values: Mapping[str, object], *, partial: bool) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Normalised values of a status, label or group, and every problem found. A new status or
    label gets a `key` (given, or made from its name) that never changes afterwards."""
    rules = _rules(kind)
    cleaned: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    wanted = values if partial else {"name": None, **({"description": None} if kind == "group" else {}), **values}
    for name, raw in wanted.items():
        if name == "key":
            continue
        if name not in rules:
            problems.append((name, "unknown_field", {}))
            continue
        try:
            cleaned[name] = rules[name](raw)
        except RuleViolation as error:
            problems.append(problem(name, error))
    if kind != "group" and not partial:
        try:
            cleaned["key"] = config_key(values.get("key"), cleaned.get("name"))
        except RuleViolation as error:
            problems.append(problem("key", error))
    return cleaned, problems
