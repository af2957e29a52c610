"""Base class of the domain's field-level rule violations: each carries a stable machine `code`
(the field-error code the API reports) and the `params` its message template uses. A use case
gathers them per field and refuses the write with `crmkit.domain_errors.Invalid`."""
from __future__ import annotations

from typing import Any, ClassVar


class RuleViolation(ValueError):
    code: ClassVar[str] = "invalid_value"

    def __init__(self, value: Any = None, /, **params: Any) -> None:
        super().__init__(f"{self.code}: {value!r}")
        self.value = value
        self.params = params


class Required(RuleViolation):
    code = "required"


class TooLong(RuleViolation):
    code = "too_long"


class InvalidType(RuleViolation):
    code = "invalid_type"


class InvalidChoice(RuleViolation):
    code = "invalid_choice"


FieldProblem = tuple[str, str, dict[str, Any]]


class ValidationErrors(RuleViolation):
    """Every problem of one write at once: `(field path, code, params)` triples."""

    code = "validation_error"

    def __init__(self, errors: list[FieldProblem]) -> None:
        super().__init__(None)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{path}: {code}" for path, code, _ in self.errors)


def problem(path: str, error: RuleViolation) -> FieldProblem:
    return path, error.code, error.params
