"""The event envelope, CloudEvents Kafka headers and the registry of event types.

A service declares each event it publishes as a pydantic model of its `data`:

    @event("customer.created", topic="crm.customers", version=1)
    class CustomerCreated(BaseModel): ...

The registry feeds the AsyncAPI document and lets consumers validate payloads.
"""
from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, Field, field_validator

SYSTEM_ACTOR = "system"
SPEC_VERSION = "1.0"


class Envelope(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    source: str
    subject: str
    actor: str = SYSTEM_ACTOR
    correlation_id: str | None = None
    causation_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """Times are UTC: a naive time is taken as UTC, an aware one is converted."""
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        return cls.model_validate(orjson.loads(raw))

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        """CloudEvents Kafka protocol binding (binary mode attributes) plus W3C traceparent."""
        trace_id = uuid.UUID(self.correlation_id).hex if _is_uuid(self.correlation_id) else self.id.hex
        return [
            ("ce_specversion", SPEC_VERSION.encode()),
            ("ce_id", str(self.id).encode()),
            ("ce_type", self.type.encode()),
            ("ce_source", self.source.encode()),
            ("ce_time", self.occurred_at.isoformat().encode()),
            ("ce_subject", self.subject.encode()),
            ("content-type", b"application/json"),
            ("traceparent", f"00-{trace_id}-{self.id.hex[:16]}-01".encode()),
        ]


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class EventType:
    type: str
    version: int
    topic: str
    model: builtins.type[BaseModel]  # `type` alone is the field above
    summary: str


REGISTRY: dict[tuple[str, int], EventType] = {}
M = TypeVar("M", bound=type[BaseModel])


def event(type_: str, *, topic: str, version: int = 1) -> Callable[[M], M]:
    def register(model: M) -> M:
        summary = next((line.strip() for line in (model.__doc__ or "").splitlines() if line.strip()), type_)
        REGISTRY[(type_, version)] = EventType(type_, version, topic, model, summary)
        model.__event_type__ = type_  # type: ignore[attr-defined]
        model.__event_version__ = version  # type: ignore[attr-defined]
        model.__event_topic__ = topic  # type: ignore[attr-defined]
        return model

    return register


def build(
    data: BaseModel,
    *,
    source: str,
    subject: str | uuid.UUID,
    actor: str | uuid.UUID | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> tuple[str, Envelope]:
    """Wrap a registered event model into an envelope; returns (topic, envelope)."""
    model = type(data)
    if not hasattr(model, "__event_type__"):
        raise TypeError(f"{model.__name__} is not a registered event: decorate it with @event(...)")
    envelope = Envelope(
        type=model.__event_type__,  # known to exist: hasattr above
        version=model.__event_version__,  # type: ignore[attr-defined]
        source=source,
        subject=str(subject),
        actor=str(actor) if actor else SYSTEM_ACTOR,
        correlation_id=correlation_id,
        causation_id=causation_id,
        data=data.model_dump(mode="json"),
    )
    return model.__event_topic__, envelope  # type: ignore[attr-defined]
