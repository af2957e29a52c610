"""What the handlers refuse beyond the types, said in the OpenAPI document (the models stay as they
are: these only document the rules, so that a client that follows the document is not refused)."""
from __future__ import annotations

from pydantic.json_schema import SkipJsonSchema

# `field: X | NotNull = None`: may be left out of an update, but `null` is refused (required)
NotNull = SkipJsonSchema[None]
NOT_BLANK = r"\S"  # texts are trimmed: only spaces is empty
