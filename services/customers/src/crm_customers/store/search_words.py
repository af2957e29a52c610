"""The known words of names and company names (`search_words`, customers 0028), as the typo
fallback reads them (domain.typos): held by each process, per database, as their prefixes by
length, and brought up to date before each use with the words added since (`seq`: one indexed
read of a few rows).

A word's `seq` is taken when it is inserted and seen when that transaction commits, so a word may
appear behind newer ones: each read goes back OVERLAP numbers, and the whole table is read again
every RELOAD_SECONDS. A word missed meanwhile only leaves its typos unfound for that long."""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import asyncpg

from crm_customers.domain.typos import SHORTEST_PREFIX

OVERLAP = 1_000
RELOAD_SECONDS = 300


@dataclass
class Vocabulary:
    """domain.typos.Known: the prefixes (from SHORTEST_PREFIX characters) and the words by length."""
    seq: int = 0
    loaded_at: float = field(default_factory=time.monotonic)
    _sets: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    _listed: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            self._put(("word", len(word)), word)
            for length in range(SHORTEST_PREFIX, len(word) + 1):
                self._put(("prefix", length), word[:length])

    def _put(self, key: tuple[str, int], value: str) -> None:
        known = self._sets.setdefault(key, set())
        if value not in known:
            known.add(value)
            self._listed.pop(key, None)

    def prefixes(self, length: int) -> list[str]:
        return self._list(("prefix", length))

    def words(self, length: int) -> list[str]:
        return self._list(("word", length))

    def _list(self, key: tuple[str, int]) -> list[str]:
        if key not in self._listed:
            self._listed[key] = list(self._sets.get(key, ()))
        return self._listed[key]


_KNOWN: dict[str, Vocabulary] = {}


async def vocabulary(conn: asyncpg.Connection) -> Vocabulary:
    """This database's words, with those added since the last call. A table that went back (a
    database restored, or emptied by the tests) is read again whole."""
    database, newest = await conn.fetchrow("SELECT current_database(), (SELECT max(seq) FROM search_words)")
    known = _KNOWN.get(database)
    if known is None or (newest or 0) < known.seq or time.monotonic() - known.loaded_at > RELOAD_SECONDS:
        known = _KNOWN[database] = Vocabulary()
    if newest is not None:
        since = known.seq - OVERLAP if known.seq else 0
        known.add(await conn.fetchval("SELECT array_agg(word) FROM search_words WHERE seq > $1", since) or ())
        known.seq = newest
    return known
