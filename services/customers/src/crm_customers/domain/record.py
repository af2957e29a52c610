"""The full customer record on a write: built-in fields, status, labels, groups and attributes,
checked together so that one answer lists every problem (C-1 … C-4)."""
from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from crm_customers.domain.attributes import AttributeDefinition, InvalidAttributes, validate_values
from crm_customers.domain.errors import FieldProblem, InvalidType, Required, RuleViolation, ValidationErrors, problem
from crm_customers.domain.fields import validate_fields
from crm_customers.domain.provinces import Province

CONFIGURED_FIELDS = ("status", "labels", "groups", "attributes")


class UnknownStatus(RuleViolation):
    code = "unknown_status"


class UnknownLabel(RuleViolation):
    code = "unknown_label"


class UnknownGroup(RuleViolation):
    code = "unknown_group"


@dataclass(frozen=True)
class Configuration:
    """What the admin configured, against which a record's values are checked."""
    status_keys: frozenset[str] = frozenset()
    default_status: str | None = None  # of a new customer: the first of the pipeline
    label_keys: frozenset[str] = frozenset()
    # label key → its category, for the labels that have one: a customer holds one label of a
    # category at most (hot / warm / cold: the temperature)
    label_categories: Mapping[str, str] = field(default_factory=dict)
    group_ids: frozenset[uuid.UUID] = frozenset()
    attributes: tuple[AttributeDefinition, ...] = field(default_factory=tuple)


def province_value(province: Province) -> dict[str, Any]:
    return {"code": province.code, "name": province.name}


def _status(raw: object, config: Configuration) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise Required(raw)
    if not isinstance(raw, str):
        raise InvalidType(raw)
    if raw.strip() not in config.status_keys:
        raise UnknownStatus(raw, status=raw.strip())
    return raw.strip()


def _members(path: str, raw: object, convert: Callable[[object], Any]) -> tuple[list[Any], list[FieldProblem]]:
    """A list without duplicates (first one kept) whose items all are known."""
    if raw is None:
        return [], []
    if not isinstance(raw, (list, tuple)):
        return [], [(path, InvalidType.code, {})]
    values: list[Any] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(raw):
        try:
            value = convert(item)
        except RuleViolation as error:
            problems.append(problem(f"{path}.{index}", error))
            continue
        if value not in values:
            values.append(value)
    return values, problems


def _label(config: Configuration) -> Callable[[object], str]:
    def convert(item: object) -> str:
        if not isinstance(item, str):
            raise InvalidType(item)
        if item.strip() not in config.label_keys:
            raise UnknownLabel(item, label=item.strip())
        return item.strip()
    return convert


def one_per_category(labels: list[str], categories: Mapping[str, str], held: Collection[str] = ()) -> list[str]:
    """`labels` with one label a category: of several, the one the customer does not hold yet (the
    one just set), else the last listed."""
    chosen: dict[str, str] = {}
    for label in labels:
        category = categories.get(label)
        if category is not None and (category not in chosen or label not in held or chosen[category] in held):
            chosen[category] = label
    return [label for label in labels if label not in categories or chosen[categories[label]] == label]


def displaced_by(labels: list[str], categories: Mapping[str, str]) -> list[str]:
    """The labels that adding `labels` takes off a customer: the others of their categories."""
    families = {categories[label] for label in labels if label in categories}
    return sorted(key for key, category in categories.items() if category in families and key not in labels)


def _group(config: Configuration) -> Callable[[object], uuid.UUID]:
    def convert(item: object) -> uuid.UUID:
        try:
            group_id = item if isinstance(item, uuid.UUID) else uuid.UUID(str(item))
        except ValueError:
            raise InvalidType(item) from None
        if group_id not in config.group_ids:
            raise UnknownGroup(item)
        return group_id
    return convert


def _built_ins(values: Mapping[str, object], partial: bool) -> tuple[dict[str, Any], list[FieldProblem]]:
    try:
        cleaned = validate_fields({k: v for k, v in values.items() if k not in CONFIGURED_FIELDS}, partial=partial)
    except ValidationErrors as errors:
        return {}, list(errors.errors)
    if isinstance(cleaned.get("province"), Province):
        cleaned["province"] = province_value(cleaned["province"])
    return cleaned, []


def _attributes(raw: object, config: Configuration, partial: bool) -> tuple[dict[str, Any], list[FieldProblem]]:
    try:
        return validate_values(config.attributes, raw if raw is not None else {}, partial=partial), []
    except InvalidAttributes as errors:
        return {}, list(errors.errors)


def check_record(values: Mapping[str, object], *, partial: bool, config: Configuration,
                 held_labels: Collection[str] = ()) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Normalised values of a create (`partial=False`) or an update, and every problem found.

    Built-in fields follow `fields.validate_fields`; the status must be a configured key (it
    cannot be cleared); labels and groups are lists of configured keys / ids (duplicates
    dropped; one label a category, see `one_per_category`: `held_labels` are the customer's
    labels before an update); attributes follow their definitions (in an update, a blank value clears one).
    """
    cleaned, problems = _built_ins(values, partial)
    if "status" in values or not partial:
        raw = values.get("status")
        try:
            cleaned["status"] = _status(raw if partial or raw is not None else config.default_status, config)
        except RuleViolation as error:
            problems.append(problem("status", error))
    if "labels" in values:
        labels, found = _members("labels", values["labels"], _label(config))
        cleaned["labels"] = one_per_category(labels, config.label_categories, held_labels)
        problems += found
    if "groups" in values:
        cleaned["groups"], found = _members("groups", values["groups"], _group(config))
        problems += found
    if "attributes" in values or not partial:
        cleaned["attributes"], found = _attributes(values.get("attributes"), config, partial)
        problems += found
    return cleaned, problems


def merge_attributes(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """An update's attribute values over the current ones; None clears an attribute."""
    merged = {**current, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def changed_fields(current: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [name for name, value in new.items() if current.get(name) != value]
