"""Wait for the local Kafka broker, then create the platform's topics (idempotent).

Used by `deploy/local/crm-local kafka-start`:

    .venv/bin/python deploy/local/create_topics.py --bootstrap 127.0.0.1:29092 \
        --partitions 6 --dlq-partitions 1 --timeout 60 crm.customers crm.interactions ...

For every topic T it creates T (--partitions) and T.dlq (--dlq-partitions) with
--replication-factor replicas (1 by default; with 3, `min.insync.replicas=2`: an acknowledged write
is on two brokers, and one broker may die without stopping the producers), unless they exist. Exits 0 once every topic exists and every partition
has a leader; 1 on timeout or error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

TOPIC_ALREADY_EXISTS = 36


async def connect(bootstrap: str, deadline: float) -> AIOKafkaAdminClient:
    last: Exception | None = None
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        try:
            await admin.start()
            await admin.list_topics()
            return admin
        except Exception as exc:  # broker still starting
            last = exc
            await admin.close()
            await asyncio.sleep(0.5)
    raise TimeoutError(f"Kafka at {bootstrap} did not answer: {last!r}")


async def all_leaders(admin: AIOKafkaAdminClient, names: list[str]) -> bool:
    described = await admin.describe_topics(names)
    for topic in described:
        if topic.get("error_code", 0) != 0:
            return False
        partitions = topic.get("partitions") or []
        if not partitions or any(p.get("leader", -1) < 0 for p in partitions):
            return False
    return True


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--dlq-partitions", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--replication-factor", type=int, default=1)
    parser.add_argument("topics", nargs="+")
    args = parser.parse_args()

    wanted: dict[str, int] = {}
    for name in args.topics:
        wanted[name] = args.partitions
        wanted[f"{name}.dlq"] = args.dlq_partitions

    deadline = time.monotonic() + args.timeout
    admin = await connect(args.bootstrap, deadline)
    try:
        existing = set(await admin.list_topics())
        replicas = args.replication_factor
        configs = {"min.insync.replicas": "2"} if replicas >= 3 else {}
        missing = [
            NewTopic(name=name, num_partitions=n, replication_factor=replicas, topic_configs=configs)
            for name, n in wanted.items()
            if name not in existing
        ]
        if missing:
            response = await admin.create_topics(missing, timeout_ms=30000)
            for error in response.topic_errors:
                name, code = error[0], error[1]
                if code not in (0, TOPIC_ALREADY_EXISTS):
                    print(f"create topic {name} failed: error {code} {error[2:]}", file=sys.stderr)
                    return 1
            print(f"created {len(missing)} topic(s): {' '.join(t.name for t in missing)}")
        while not await all_leaders(admin, list(wanted)):
            if time.monotonic() > deadline:
                print("timed out waiting for partition leaders", file=sys.stderr)
                return 1
            await asyncio.sleep(0.2)
        # The first FindCoordinator makes the broker create __consumer_offsets; do it now so
        # that the first consumer group of a service or a test does not have to wait for it.
        while True:
            try:
                await admin.find_coordinator("crm-local-warmup")
                break
            except Exception as exc:
                if time.monotonic() > deadline:
                    print(f"group coordinator not available: {exc!r}", file=sys.stderr)
                    return 1
                await asyncio.sleep(0.2)
        return 0
    finally:
        await admin.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.CRITICAL)  # aiokafka logs every failed connect at ERROR
    try:
        sys.exit(asyncio.run(main()))
    except TimeoutError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
