"""Dead-letter inspection and replay.

    crm-dlq list   --topic crm.customers      # print what is in crm.customers.dlq
    crm-dlq replay --topic crm.customers      # republish every dead letter to its original topic

Replay republishes the original bytes and key; every consumer is idempotent (inbox), so the
consumers that had already handled the event skip it and the one that failed tries again.
Replay commits its own consumer-group offsets, so a dead letter is replayed once.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from crmkit.consumer import dlq_topic

REPLAY_GROUP = "crm-dlq-replay"


def _header(record: Any, name: str) -> str | None:
    for key, value in record.headers or []:
        if key == name:
            return str(value.decode())
    return None


async def _read_to_end(consumer: AIOKafkaConsumer, timeout: float) -> AsyncIterator[Any]:
    """Yield every record from the consumer's position up to the end offsets seen at the start.

    Waits (bounded) for the partitions to be assigned first: joining a group takes a moment, and
    an empty first poll does not mean the topic is empty.
    """
    deadline = time.monotonic() + timeout
    while not consumer.assignment():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no partitions assigned within {timeout:g}s")
        await consumer.getmany(timeout_ms=200)
    partitions = sorted(consumer.assignment())
    end = await consumer.end_offsets(partitions)
    while True:
        pending = [tp for tp in partitions if await consumer.position(tp) < end[tp]]
        if not pending:
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"could not read {pending} to the end within {timeout:g}s")
        batch = await consumer.getmany(*pending, timeout_ms=500)
        for tp in pending:
            for record in batch.get(tp, []):
                if record.offset < end[tp]:
                    yield record


async def list_dead_letters(bootstrap: str, topic: str, *, timeout: float = 60.0) -> list[dict[str, Any]]:
    consumer = AIOKafkaConsumer(dlq_topic(topic), bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        return [
            {"offset": r.offset, "error": _header(r, "dlq_error"), "consumer": _header(r, "dlq_consumer"),
             "event_id": _header(r, "ce_id"), "type": _header(r, "ce_type"),
             "original_topic": _header(r, "dlq_original_topic"),
             "original_partition": _header(r, "dlq_original_partition"),
             "original_offset": _header(r, "dlq_original_offset")}
            async for r in _read_to_end(consumer, timeout)
        ]
    finally:
        await consumer.stop()


async def replay(bootstrap: str, topic: str, group: str = REPLAY_GROUP, *, timeout: float = 60.0) -> int:
    """Republish every dead letter not replayed yet to its original topic; returns how many."""
    consumer = AIOKafkaConsumer(dlq_topic(topic), bootstrap_servers=bootstrap, group_id=f"{group}.{topic}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    try:
        await producer.start()
        count = 0
        try:
            async for record in _read_to_end(consumer, timeout):
                target = _header(record, "dlq_original_topic") or topic
                headers = [(k, v) for k, v in record.headers or [] if not k.startswith("dlq_")]
                await producer.send_and_wait(target, value=record.value, key=record.key, headers=headers)
                # commit exactly this record (not the whole fetched batch): a crash replays the rest
                await consumer.commit({TopicPartition(record.topic, record.partition): record.offset + 1})
                count += 1
        finally:
            await producer.stop()
    finally:
        await consumer.stop()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-dlq", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("--topic", required=True, help="the original topic, e.g. crm.customers")
    parser.add_argument("--bootstrap", default=os.environ.get("CRM_KAFKA_BOOTSTRAP", "127.0.0.1:29092"))
    args = parser.parse_args(argv)
    if args.command == "list":
        for item in asyncio.run(list_dead_letters(args.bootstrap, args.topic)):
            print(item)
    else:
        print(f"replayed {asyncio.run(replay(args.bootstrap, args.topic))} dead letters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
