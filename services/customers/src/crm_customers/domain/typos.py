"""Typos in a search word (the list's fallback when nothing matched exactly, C-7): the rule of
Elasticsearch's `fuzziness: AUTO` — no typo in a word of 1-2 characters, one in 3-5, two beyond;
an insertion, a deletion, a substitution or two neighbours swapped each count one (optimal string
alignment) — applied to the prefixes of known words, since a search matches the start of words:
`nguyne` finds `nguyen…`, `vna` finds `van…`, `ngyu` finds `nguy…`. A letter too many at the end
finds the shorter word itself, not every word it starts: `namm` → `nam`, not `nam…` (`trag` would
otherwise find every `tran`, `trang`, `trai`…). Such a whole word is written with a space after it.

    similar_prefixes("vna", known) -> ["vna", "van", "vnam", …]
    similar_prefixes("namm", known) -> ["namm", "nam ", …]

`known`: the names' and companies' words (store.search_words): the distinct prefixes of a length,
and the words of a length. A query's words that are no known prefix are the likely typos: only
they vary (`pham thu trag`: `trag`), unless every word is known (then any may be the typo).
Pure: no I/O."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

SHORTEST_PREFIX = 3  # a two-letter prefix found by a typo matches a large share of all names
MOST_ALTERNATIVES = 64  # the closest first: each one is a key of the prefix GIN to read


class Known(Protocol):
    def prefixes(self, length: int) -> Sequence[str]: ...

    def words(self, length: int) -> Sequence[str]: ...


def typo_budget(word: str) -> int:
    """How many typos `word` may hold: none in numbers and codes, nor below 3 letters."""
    if not word.isalpha() or len(word) < 3:
        return 0
    return 1 if len(word) <= 5 else 2


def similar_prefixes(word: str, known: Known) -> list[str]:
    """`word` and what may stand for it within its typo budget, closest first (at most
    MOST_ALTERNATIVES): known prefixes as long as it or longer, known whole words one letter
    shorter (`"nam "`); just `word` when it may hold no typo."""
    budget = typo_budget(word)
    if budget == 0:
        return [word]
    found: dict[str, float] = {word: 0}
    choices = [(known.words(len(word) - 1), " ")] if len(word) > SHORTEST_PREFIX else []
    choices += [(known.prefixes(length), "") for length in range(len(word), len(word) + budget + 1)]
    for candidates, end in choices:
        for candidate, distance, _ in process.extract(word, candidates, scorer=OSA.distance,
                                                      score_cutoff=budget, limit=None):
            found.setdefault(candidate + end, distance)
    return sorted(found, key=lambda alternative: (found[alternative], alternative))[:MOST_ALTERNATIVES]


def alternatives(words: list[str], known: Known) -> list[list[str]]:
    """For each of a query's (distinct) words, what may stand for it: its similar prefixes if it is
    a likely typo (no known prefix; every word when all are known), else itself."""
    words = list(dict.fromkeys(words))
    unknown = {word for word in words if typo_budget(word) and word not in known.prefixes(len(word))}
    varied = unknown or set(words)
    return [similar_prefixes(word, known) if word in varied else [word] for word in words]
