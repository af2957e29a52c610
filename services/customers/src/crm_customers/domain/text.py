"""Text folding for matching Vietnamese words regardless of case, diacritics and punctuation."""
from __future__ import annotations

import functools
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_D_WITH_STROKE = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D"})  # Ð (U+00D0) often stands in for Đ


def strip_diacritics(text: str) -> str:
    """`Đà Nẵng` → `Da Nang`. NFD removes the tone and vowel marks but leaves đ/Đ, a letter of its own."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_WITH_STROKE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_words(text: str) -> list[str]:
    """Lower-case ASCII words: `TP. Hồ Chí Minh` → `['tp', 'ho', 'chi', 'minh']`."""
    return _NON_ALNUM.sub(" ", strip_diacritics(text).lower()).split()


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """`fold_words` as one string. Cached: the same few spellings (genders, provinces, statuses,
    options) come back on every row of an import."""
    return " ".join(fold_words(text))
