"""The cost of crmkit's text rule (NUL and unpaired surrogates refused) on a clean JSON body,
beside the parse FastAPI already does for the same body (json.loads, as request.json()).

    .venv/bin/python bench/text_rule_bench.py

Pure CPU, no servers. Reported in docs/benchmarks.md as a fraction of the parse measured in the
same run, since machines differ: the rule must stay a small share of what a request costs anyway.
"""
from __future__ import annotations

import json
import timeit

import orjson

from crmkit import text


def body(rows: int) -> bytes:
    return orjson.dumps({"rows": [{"full_name": "Nguyễn Văn An", "note": "ghi chú " * 20,
                                   "phones": [{"number": "0901234567"}]} for _ in range(rows)]})


def best(fn, repeat: int = 7) -> float:
    number = max(1, int(0.05 / max(timeit.timeit(fn, number=1), 1e-7)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    print(f"{'body':>10} {'json.loads':>12} {'pre-check':>12} {'share':>7} {'full walk':>12} {'share':>7}")
    for rows in (1, 100, 2000):
        raw = body(rows)
        parsed = json.loads(raw)
        assert not text._may_be_invalid(parsed)
        parse = best(lambda raw=raw: json.loads(raw))
        check = best(lambda parsed=parsed: text._may_be_invalid(parsed))
        walk = best(lambda parsed=parsed: list(text.invalid_fields(parsed)))
        print(f"{len(raw):>9}B {parse * 1e6:>10.1f}µs {check * 1e6:>10.1f}µs {check / parse:>6.0%}"
              f" {walk * 1e6:>10.1f}µs {walk / parse:>6.0%}")


if __name__ == "__main__":
    main()
