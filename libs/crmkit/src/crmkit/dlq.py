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

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from crmkit.consumer import dlq_topic

REPLAY_GROUP = "crm-dlq-replay"


def _header(record, name: str) -> str | None:
    for key, value in record.headers or []:
        if key == name:
            return value.decode()
    return None


async def _drain(consumer: AIOKafkaConsumer, idle_ms: int = 2000):
    while True:
        batch = await consumer.getmany(timeout_ms=idle_ms)
        if not batch:
            return
        for records in batch.values():
            for record in records:
                yield record


async def list_dead_letters(bootstrap: str, topic: str) -> list[dict]:
    consumer = AIOKafkaConsumer(dlq_topic(topic), bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        return [
            {"offset": r.offset, "error": _header(r, "dlq_error"), "consumer": _header(r, "dlq_consumer"),
             "event_id": _header(r, "ce_id"), "type": _header(r, "ce_type")}
            async for r in _drain(consumer)
        ]
    finally:
        await consumer.stop()


async def replay(bootstrap: str, topic: str, group: str = REPLAY_GROUP) -> int:
    consumer = AIOKafkaConsumer(dlq_topic(topic), bootstrap_servers=bootstrap, group_id=f"{group}.{topic}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    count = 0
    try:
        async for record in _drain(consumer):
            target = _header(record, "dlq_original_topic") or topic
            headers = [(k, v) for k, v in record.headers or [] if not k.startswith("dlq_")]
            await producer.send_and_wait(target, value=record.value, key=record.key, headers=headers)
            await consumer.commit()
            count += 1
    finally:
        await producer.stop()
        await consumer.stop()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-dlq", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("--topic", required=True, help="the original topic, e.g. crm.customers")
    parser.add_argument("--bootstrap", default=os.environ.get("CRM_KAFKA_BOOTSTRAP", "127.0.0.1:59092"))
    args = parser.parse_args(argv)
    if args.command == "list":
        for item in asyncio.run(list_dead_letters(args.bootstrap, args.topic)):
            print(item)
    else:
        print(f"replayed {asyncio.run(replay(args.bootstrap, args.topic))} dead letters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
