"""What a use case refuses, in the words of the domain: raised by `handlers/` and `domain/` (and
by crmkit's own rules they call), never an HTTP status. `crmkit.errors` maps each kind to its
problem+json answer once, at the edge; a Kafka consumer that meets one retries, then
dead-letters, as with any other failure.

Each error carries a stable `code` (the problem's `code`, with its texts in `crmkit.i18n` and the
services' `messages.py`), the `params` those texts use, field `errors` for `Invalid`, and
`details`: members the answer carries beside the standard ones (e.g. `existing_id`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

# RFC 9457 members and ours (`code`, `errors`): what `details` may add to a problem never replaces them
PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "code", "errors"})


@dataclass
class FieldError:
    """One refused field: its dotted path, a stable code and the params of its message."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    # already in the caller's language: a refusal passed on from the service that made it
    message: str | None = None


class DomainError(Exception):
    """Base of the refusals; a subclass says which kind (and so which answer at the edge)."""

    default_code: ClassVar[str] = "invalid_request"

    def __init__(self, code: str | None = None, /, *, params: dict[str, Any] | None = None,
                 errors: list[FieldError] | None = None, details: dict[str, Any] | None = None) -> None:
        self.code = code or self.default_code
        super().__init__(self.code)
        clashes = PROBLEM_MEMBERS.intersection(details or {})
        if clashes:
            raise ValueError(f"details of {self.code} may not replace the problem's own members: {sorted(clashes)}")
        self.params, self.errors, self.details = params or {}, errors or [], details or {}


class BadRequest(DomainError):
    """The request cannot be read as meant (a cursor this list did not give, a malformed form)."""

    default_code = "bad_request"


class Unauthenticated(DomainError):
    """The caller is not who they claim (wrong credentials, an invalid token)."""

    default_code = "unauthorized"


class Forbidden(DomainError):
    """The caller may see the object (or it has no object) but may not do this."""

    default_code = "forbidden"


class NotFound(DomainError):
    """No such object, or one the caller may not see: both answer alike."""

    default_code = "not_found"


class Conflict(DomainError):
    """The object's state refuses it (already assigned, a transition that does not exist, taken)."""

    default_code = "conflict"


class Gone(DomainError):
    """It existed and will not come back (an expired export file)."""

    default_code = "gone"


class VersionConflict(DomainError):
    """The caller read another version than the stored one (`details["current_version"]`)."""

    default_code = "version_conflict"


class VersionRequired(DomainError):
    """A write of a versioned object without naming the version it read."""

    default_code = "precondition_required"


class TooLarge(DomainError):
    default_code = "payload_too_large"


class UnsupportedType(DomainError):
    default_code = "unsupported_media_type"


class Invalid(DomainError):
    """Refused values: one `FieldError` per field, every problem of the request at once."""

    default_code = "validation_error"

    def __init__(self, *errors: FieldError, code: str | None = None, params: dict[str, Any] | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(code, params=params, errors=list(errors), details=details)


class Locked(DomainError):
    """Refused for now; `details["retry_after"]` says for how many seconds."""

    default_code = "locked"


class Unavailable(DomainError):
    """A service this one needs cannot answer now (unreachable, too slow); `details["retry_after"]`
    says when to retry."""

    default_code = "service_unavailable"


class TooManyRequests(DomainError):
    """Refused for now; `details["retry_after"]` says for how many seconds."""

    default_code = "rate_limited"
