"""structlog JSON logging; request and correlation ids travel in contextvars."""
from __future__ import annotations

import logging
import sys

import orjson
import structlog

_configured = False


def _dumps(value: object, **_kwargs: object) -> str:
    # orjson writes UUIDs and datetimes as plain strings; anything else falls back to str()
    return orjson.dumps(value, default=str).decode()


def configure_logging(service: str, level: str = "INFO") -> None:
    """One JSON object per line on stdout, for structlog and for the standard library's loggers
    (aiokafka, asyncpg, uvicorn) alike."""
    global _configured
    if _configured:
        return
    _configured = True
    level_no = logging.getLevelName(level.upper())
    if not isinstance(level_no, int):
        level_no = logging.INFO
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = structlog.processors.JSONRenderer(serializer=_dumps)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer],
    ))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level_no)
    for noisy in ("aiokafka", "kafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level_no),
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger


def bind_ids(*, request_id: str | None = None, correlation_id: str | None = None) -> None:
    values = {k: v for k, v in {"request_id": request_id, "correlation_id": correlation_id}.items() if v}
    structlog.contextvars.bind_contextvars(**values)


def clear_ids() -> None:
    structlog.contextvars.unbind_contextvars("request_id", "correlation_id")
