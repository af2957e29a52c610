"""What the domain rules accept, said in the OpenAPI document. The input models stay lenient (the
domain rules report every problem of a write in one 422); these only document the rules, so that
a client — or a fuzzer — that follows the document is not refused."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from crm_customers.domain.attributes import KEY_PATTERN

# `field: str | NotNull = None`: may be left out, but `null` is refused (by the domain rules)
NotNull = SkipJsonSchema[None]
NOT_BLANK = r"\S"


def _not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# a JSON integer (3, also written 3.0), never true / false (which pydantic would take as 1 / 0)
Integer = Annotated[int, BeforeValidator(_not_a_bool)]
KEY = {"pattern": f"^{KEY_PATTERN.pattern}$", "maxLength": 63}


def rules(**constraints: Any) -> Callable[[dict[str, Any]], None]:
    """`json_schema_extra` adding JSON Schema constraints (and no `default: null` for a NotNull field)."""
    def extra(schema: dict[str, Any]) -> None:
        if schema.get("default", ...) is None and "anyOf" not in schema:
            del schema["default"]
        schema.update(constraints)
    return extra


def text(max_length: int, **constraints: Any) -> Callable[[dict[str, Any]], None]:
    """Text the domain trims: at most `max_length` characters, not blank."""
    return rules(maxLength=max_length, pattern=NOT_BLANK, **constraints)
