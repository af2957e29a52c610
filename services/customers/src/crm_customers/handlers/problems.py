"""Domain problems as the API's 422 answer."""
from __future__ import annotations

from crmkit.errors import FieldError, ProblemError
from crm_customers.domain.errors import FieldProblem

SOURCE = "customers"


def unprocessable(problems: list[FieldProblem]) -> ProblemError:
    return ProblemError(422, "validation_error",
                        errors=[FieldError(path, code, params) for path, code, params in problems])
