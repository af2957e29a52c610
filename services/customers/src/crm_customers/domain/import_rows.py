"""The rows of an import chunk (M-2 … M-4): each value checked by the same rules as
`POST /customers` (`record.check_record`: fields, phones, e-mails, tax codes, provinces, dates,
status, labels, attributes), the failures named with the import's stable codes, and each row's
decision — create, update the customer that holds its phone, or fail — once the store has said
which phones exist. Pure: no database (tests/test_import_rows.py).

The codes (`IMPORT_CODES`) are what the import service turns into reasons in the result file;
the domain's finer codes map onto them (`tax_code_checksum` → `invalid_tax_code`,
`date_in_future` → `invalid_date`, an unknown choice, number, boolean, URL, status or label →
`invalid_value`). Beyond the brief's list: `duplicate_in_file` (two rows of one chunk whose
phones are the same number once normalised, e.g. `0912…` and `+84 912…`: the first wins, as the
import side does with the raw text), `owner_not_in_reach` and `unknown_group` (the import's owner
or group, checked by the import service when the job was posted, are no longer acceptable: every
row fails).
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm_customers.domain.attributes import CHOICE_TYPES, AttributeType
from crm_customers.domain.fields import FIELDS, phone_value
from crm_customers.domain.record import Configuration, check_record, one_per_category
from crm_customers.domain.text import fold

ATTRIBUTE_PREFIX = "attributes."
CONFIGURED_FIELDS = ("status", "labels")  # by key or by name; groups come from the job's group_id
IMPORT_CODES = frozenset({
    "required", "invalid_phone", "invalid_email", "invalid_tax_code", "invalid_province", "invalid_date",
    "invalid_value", "too_long", "not_editable", "unknown_attribute", "duplicate_in_file",
    "owner_not_in_reach", "unknown_group",
})
DOMAIN_CODES = {
    "tax_code_checksum": "invalid_tax_code",
    "date_too_early": "invalid_date",
    "date_in_future": "invalid_date",
    "unknown_field": "unknown_attribute",
}
LIST_SEPARATORS = re.compile(r"\s*[,;\n]\s*")  # labels and multi-select values in one cell
# The answer must fit one Kafka record (crmkit.outbox: 1,000,000 bytes of JSON) however badly a
# file is mapped: failures are listed within this many bytes (estimated per failure).
ANSWER_FAILURE_BYTES = 800_000
# the column defaults of a new customer (migrations 0001): COPY writes every column explicitly
NEW_CUSTOMER_DEFAULTS = {"party_type": "individual", "lifecycle": "lead"}


@dataclass(frozen=True)
class Failure:
    row: int
    field: str | None
    code: str


@dataclass(frozen=True)
class Spellings:
    """Names accepted besides keys, folded (`fold`): status and label names in both languages."""
    statuses: Mapping[str, str] = field(default_factory=dict)  # folded name or key → key
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass
class CheckedRow:
    """A row after the value rules: `values` in record form (as `check_record` returns them; only
    the non-empty mapped ones), the `(field, code)` of each failing field, and the mapped fields
    the row gives a value for (`name`, `attributes.tier`…: valid or not)."""
    row: int
    values: dict[str, Any]
    failures: list[tuple[str | None, str]]
    given: frozenset[str] = frozenset()

    @property
    def phone(self) -> str | None:
        if self.failures and any(f == "phone" for f, _ in self.failures):
            return None
        return self.values.get("phone")


@dataclass(frozen=True)
class Existing:
    """The customer that holds a phone, as the importer's rights see it."""
    id: uuid.UUID
    editable: bool  # by the importer (store.customers.editable_sql), and not deleted


@dataclass
class Plan:
    """What a chunk does: `creates` (row, values), `updates` (row, customer id, values), `failures`."""
    creates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[int, uuid.UUID, dict[str, Any]]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def import_code(code: str) -> str:
    """The import's stable code for a domain rule's code."""
    code = DOMAIN_CODES.get(code, code)
    return code if code in IMPORT_CODES else "invalid_value"


def _reported_field(path: str) -> str:
    """`attributes.tags.0` → `attributes.tags`, `labels.1` → `labels`: the mapped field, not the item."""
    if path.startswith(ATTRIBUTE_PREFIX):
        return ATTRIBUTE_PREFIX + path[len(ATTRIBUTE_PREFIX):].split(".")[0]
    return path.split(".")[0]


def _items(text: str) -> list[str]:
    return [item for item in LIST_SEPARATORS.split(text.strip()) if item]


def _spelled(spellings: Mapping[str, str], text: str) -> str:
    """The key a name stands for; else the text itself, for the domain rule to judge."""
    return spellings.get(fold(text), text.strip())


@dataclass(frozen=True)
class ChunkRules:
    """What every row of a chunk is checked against, worked out once per chunk (not per row: the
    per-row cost is what a million-row import pays a million times)."""
    fields: tuple[str, ...]
    config: Configuration
    spellings: Spellings
    unknown: frozenset[str]  # mapped fields neither built-in nor a defined attribute
    choices: Mapping[str, Mapping[str, str]]  # choice attribute key → folded label or value → value
    multi: frozenset[str]  # multi-select attribute keys


def unknown_fields(fields: Sequence[str], config: Configuration) -> list[str]:
    """Mapped fields that are neither built-in nor a defined attribute (each fails every row that
    has a value for it: `unknown_attribute`)."""
    keys = {d.key for d in config.attributes}
    known = set(FIELDS) | set(CONFIGURED_FIELDS)
    return [name for name in fields
            if (name[len(ATTRIBUTE_PREFIX):] not in keys if name.startswith(ATTRIBUTE_PREFIX) else name not in known)]


def chunk_rules(fields: Sequence[str], *, config: Configuration, spellings: Spellings = Spellings()) -> ChunkRules:
    choice_types = [d for d in config.attributes if d.type in CHOICE_TYPES]
    return ChunkRules(
        fields=tuple(fields), config=config, spellings=spellings,
        unknown=frozenset(unknown_fields(fields, config)),
        choices={d.key: {fold(o.label): o.value for o in d.options} | {fold(o.value): o.value for o in d.options}
                 for d in choice_types},
        multi=frozenset(d.key for d in choice_types if d.type == AttributeType.MULTI_SELECT))


def _attribute_value(rules: ChunkRules, key: str, text: str) -> object:
    """A cell as the attribute rules take it: multi-select values split; an option's label read as
    its value (the template's drop-downs show labels)."""
    options = rules.choices.get(key)
    if options is None:
        return text
    if key in rules.multi:
        return [options.get(fold(item), item) for item in _items(text)]
    return options.get(fold(text), text)


def row_values(rules: ChunkRules, cells: Sequence[str | None]) -> dict[str, Any]:
    """The non-empty cells of a row as the values of a write (`check_record`'s input)."""
    values: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for name, cell in zip(rules.fields, cells, strict=False):
        if cell is None or not cell.strip():
            continue
        if name.startswith(ATTRIBUTE_PREFIX):
            key = name[len(ATTRIBUTE_PREFIX):]
            attributes[key] = _attribute_value(rules, key, cell)
        elif name == "status":
            values["status"] = _spelled(rules.spellings.statuses, cell)
        elif name == "labels":
            values["labels"] = [_spelled(rules.spellings.labels, item) for item in _items(cell)]
        else:
            values[name] = cell
    if attributes:
        values["attributes"] = attributes
    return values


def check_row(row: int, fields: Sequence[str], cells: Sequence[str | None], *, config: Configuration,
              spellings: Spellings = Spellings()) -> CheckedRow:
    """One row through the rules of a partial write (only its non-empty cells); the phone is
    required of every row. Every failing field is listed once."""
    return checked_row(row, cells, chunk_rules(fields, config=config, spellings=spellings))


def checked_row(row: int, cells: Sequence[str | None], rules: ChunkRules) -> CheckedRow:
    """`check_row` with the chunk's rules worked out already."""
    values = row_values(rules, cells)
    known = {k: v for k, v in values.items() if k not in rules.unknown} if rules.unknown else values
    cleaned, problems = check_record(known, partial=True, config=rules.config)
    failures: list[tuple[str | None, str]] = []
    for path, code, _ in problems:
        failure = (_reported_field(path), import_code(code))
        if failure not in failures:
            failures.append(failure)
    given = frozenset(name for name, cell in zip(rules.fields, cells, strict=False) if cell is not None and cell.strip())
    failures += [(name, "unknown_attribute") for name in rules.fields
                 if name in rules.unknown and name in given and (name, "unknown_attribute") not in failures]
    if "phone" not in values:
        failures.append(("phone", "required"))
    elif "phone" not in cleaned and all(name != "phone" for name, _ in failures):
        # check_record returns no built-in value once one of them fails; the phone still decides
        # whether the row would update someone's customer (`not_editable` is said too)
        cleaned["phone"] = phone_value(values["phone"])
    if "labels" in cleaned:
        cleaned["labels"] = one_per_category(cleaned["labels"], rules.config.label_categories)
    return CheckedRow(row=row, values=cleaned, failures=failures, given=given)


def check_rows(fields: Sequence[str], rows: Sequence[tuple[int, Sequence[str | None]]], *,
               config: Configuration, spellings: Spellings = Spellings()) -> list[CheckedRow]:
    """Every row checked; a phone already taken by an earlier row of the chunk fails the later one
    (`duplicate_in_file`)."""
    rules = chunk_rules(fields, config=config, spellings=spellings)
    checked: list[CheckedRow] = []
    seen: set[str] = set()
    for row, cells in rows:
        result = checked_row(row, cells, rules)
        phone = result.phone
        if phone is not None and phone in seen:
            result.failures.append(("phone", "duplicate_in_file"))
        elif phone is not None:
            seen.add(phone)
        checked.append(result)
    return checked


def _needed(config: Configuration) -> list[str]:
    """What a new customer needs beyond the row's values: a name, the required attributes."""
    return ["name", *(ATTRIBUTE_PREFIX + d.key for d in config.attributes if d.required)]


def _creation_failures(row: CheckedRow, needed: Sequence[str]) -> list[tuple[str | None, str]]:
    return [(name, "required") for name in needed if name not in row.given]


def new_customer(values: Mapping[str, Any], config: Configuration) -> dict[str, Any]:
    """A new customer's values: the row's, over the defaults of `POST /customers` (first status of
    the pipeline, individual, lead)."""
    return {**NEW_CUSTOMER_DEFAULTS, "status": config.default_status, **values}


def decide(checked: Sequence[CheckedRow], existing: Mapping[str, Existing], *, config: Configuration) -> Plan:
    """Create, update or fail each row: a phone nobody holds creates (with a name and the
    required attributes), a phone held by a customer the importer may edit updates it, any other
    holder (not editable, or deleted) fails the row with `not_editable` and nothing else about it."""
    plan = Plan()
    needed = _needed(config)
    for row in checked:
        failures = list(row.failures)
        found = existing.get(row.phone) if row.phone else None
        if found is not None and not found.editable:
            failures.append(("phone", "not_editable"))
        elif found is None and row.phone:
            failures += [f for f in _creation_failures(row, needed) if f not in failures]
        if failures:
            plan.failures += [Failure(row.row, name, code) for name, code in failures]
        elif found is not None:
            plan.updates.append((row.row, found.id, row.values))
        else:
            plan.creates.append((row.row, new_customer(row.values, config)))
    return plan


def _size(failure: Failure) -> int:
    """JSON bytes of `{"row": …, "field": "…", "code": "…"}, ` (a bound, not exact)."""
    return 40 + len(str(failure.row)) + len(failure.field or "null") + len(failure.code)


def answer_failures(failures: Sequence[Failure], budget: int = ANSWER_FAILURE_BYTES) -> tuple[list[Failure], int]:
    """The failures an answer lists, and how many it leaves out: all of them when they fit
    `budget`; else every failing row's first failure, then the others in row order while they fit
    (a file mapped to the wrong columns fails every cell of 5,000 rows: the rows are all named,
    not every cell of them). 5,000 first failures take ≤ 0.7 MB even with 64-character keys."""
    if sum(_size(f) for f in failures) <= budget:
        return list(failures), 0
    first = {f.row: f for f in reversed(failures)}
    kept = set(map(id, first.values()))
    room = budget - sum(_size(f) for f in first.values())
    for failure in failures:
        if id(failure) not in kept and _size(failure) <= room:
            kept.add(id(failure))
            room -= _size(failure)
    listed = [f for f in failures if id(f) in kept]
    return listed, len(failures) - len(listed)


def every_row_fails(rows: Sequence[int], field_name: str, code: str) -> Plan:
    """A chunk refused as a whole (owner or group no longer acceptable): each row fails alike."""
    return Plan(failures=[Failure(row, field_name, code) for row in rows])
