"""What each part of the customers table costs the generator's COPY: the same 200,000 rows into an
unindexed copy of `customers` (with the generated `search_doc` and `phone_rev` columns it had
until migration 0014 moved them to `customer_search`, so the parts are measured as they were), alone and with one part added (the trigram
GIN, the `status` foreign key, the 8 B-trees of the hot paths), server CPU seconds of the COPY
backends beside the bare floor of the same run (docs/benchmarks.md, "Customers at scale (issue 14)",
Generator). Needs a stack with the benchmark organisation:

    .venv/bin/python bench/generate_customers_parts.py --org .local/bench/org.json
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os

import asyncpg
import generate_customers as g

TABLE = "bench_customers_part"
VARIANTS = {
    "bare": [],
    "trigram_gin": ["CREATE INDEX ON {t} USING gin (search_doc gin_trgm_ops) WHERE deleted_at IS NULL"],
    "status_fk": ["ALTER TABLE {t} ADD FOREIGN KEY (status) REFERENCES customer_statuses(key)"],
    "btrees_8": ["CREATE UNIQUE INDEX ON {t} (id)", "CREATE UNIQUE INDEX ON {t} (phone)",
                 "CREATE INDEX ON {t} (owner_id, created_at DESC, id DESC)",
                 'CREATE INDEX ON {t} (name COLLATE "vi-x-icu", id) WHERE deleted_at IS NULL',
                 "CREATE INDEX ON {t} (created_at, id) WHERE deleted_at IS NULL",
                 "CREATE INDEX ON {t} (updated_at, id) WHERE deleted_at IS NULL",
                 "CREATE INDEX ON {t} (phone_rev text_pattern_ops) WHERE deleted_at IS NULL",
                 "CREATE INDEX ON {t} (status)"],
}


async def ddl(dsn: str, statements: list[str]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--org", required=True)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--dsn", default=os.environ.get("CRM_CUSTOMERS_DATABASE_URL", g.DEFAULT_DSN))
    args = parser.parse_args()
    org = json.load(open(args.org))
    try:
        for name, statements in VARIANTS.items():
            asyncio.run(ddl(args.dsn, [
                f"DROP TABLE IF EXISTS {TABLE}",
                f"CREATE TABLE {TABLE} (LIKE customers INCLUDING DEFAULTS INCLUDING GENERATED)",
                f"ALTER TABLE {TABLE} ADD COLUMN search_doc text GENERATED ALWAYS AS"
                f" (crm_customer_search_doc(name, company_name, email, tax_code)) STORED,"
                f" ADD COLUMN phone_rev text GENERATED ALWAYS AS (crm_phone_rev(phone)) STORED",
                *(s.format(t=TABLE) for s in statements)]))
            result = g.load(args.dsn, org, args.count, 5_000_000, os.cpu_count() or 2, "parts", TABLE)
            print(json.dumps({"variant": name, **result}), flush=True)
    finally:
        asyncio.run(ddl(args.dsn, [f"DROP TABLE IF EXISTS {TABLE}"]))


if __name__ == "__main__":
    main()
