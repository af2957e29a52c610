"""E-mail addresses: syntax only (no DNS), via email-validator. The domain is lower-cased and
IDNA-normalised; the local part keeps its case, as RFC 5321 leaves it to the receiving host."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from crm_customers.domain.errors import RuleViolation

MAX_LENGTH = 254


class InvalidEmail(RuleViolation):
    code = "invalid_email"


def normalize_email(raw: object) -> str:
    """Return the normalised address or raise InvalidEmail."""
    if not isinstance(raw, str) or not raw.strip() or len(raw.strip()) > MAX_LENGTH:
        raise InvalidEmail(raw)
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidEmail(raw) from None
