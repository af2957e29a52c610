"""Field problems found by the domain's rules as the use case's refusal (`Invalid`)."""
from __future__ import annotations

from crmkit.domain_errors import FieldError, Invalid

from crm_customers.domain.errors import FieldProblem

SOURCE = "customers"


def unprocessable(problems: list[FieldProblem]) -> Invalid:
    return Invalid(*(FieldError(path, code, params) for path, code, params in problems))
