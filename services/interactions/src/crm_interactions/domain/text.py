"""Text folding for search regardless of case and Vietnamese diacritics ("Đã gọi" → "da goi")."""
from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_D_WITH_STROKE = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D"})  # đ is a letter of its own, not a mark


def fold(*texts: str | None) -> str:
    """Lower-case ASCII words joined by single spaces; None parts are skipped."""
    joined = " ".join(t for t in texts if t)
    decomposed = unicodedata.normalize("NFD", joined.translate(_D_WITH_STROKE))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_ALNUM.sub(" ", plain.lower()).split())
