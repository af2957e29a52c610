"""AsyncAPI 3.0 document generated from the registered event models.

Each service serves the events it publishes at `/asyncapi.json`; the gateway merges them.
"""
from __future__ import annotations

from typing import Any

from crmkit.events import REGISTRY, Envelope


def _message_name(type_: str, version: int) -> str:
    return f"{type_}.v{version}"


def document(title: str, *, service: str | None = None) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Envelope": Envelope.model_json_schema()}
    for (type_, version), spec in sorted(REGISTRY.items()):
        name = _message_name(type_, version)
        data_schema = spec.model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, definition in data_schema.pop("$defs", {}).items():
            schemas[def_name] = definition
        schemas[name] = data_schema
        messages[name] = {
            "name": type_,
            "title": f"{type_} (v{version})",
            "summary": spec.summary,
            "contentType": "application/json",
            "headers": {"type": "object", "properties": {
                h: {"type": "string"} for h in ("ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion",
                                                 "traceparent")}},
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {"type": "object", "properties": {
                        "type": {"const": type_}, "version": {"const": version},
                        "data": {"$ref": f"#/components/schemas/{name}"}}},
                ]
            },
        }
        channel = channels.setdefault(spec.topic, {"address": spec.topic, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    for topic in channels:
        operations[f"publish.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": f"Events published on {topic} (key: the aggregate id, keeps order per subject)",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": title, "version": "1.0.0",
                 "description": "Versioned JSON envelopes with CloudEvents Kafka headers."},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
        **({"x-service": service} if service else {}),
    }


def merge(title: str, documents: list[dict[str, Any]]) -> dict[str, Any]:
    merged = document(title)
    for doc in documents:
        for key in ("channels", "operations"):
            for name, value in doc.get(key, {}).items():
                if key == "channels" and name in merged["channels"]:
                    merged["channels"][name]["messages"].update(value.get("messages", {}))
                else:
                    merged[key].setdefault(name, value)
        for key in ("messages", "schemas"):
            merged["components"][key].update(doc.get("components", {}).get(key, {}))
    return merged
