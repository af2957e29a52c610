"""`#hashtags` and `@username` mentions in comment text, parsed server-side (I-3, I-4).

Hashtags may hold Vietnamese letters ("#chăm_sóc"); they are kept folded (lower case, no
diacritics, words joined by "_") so that "#Tele", "#tele" and "#TÉLÉ" are one tag. Usernames
are ASCII letters, digits, ".", "_" and "-"; a mention inside an e-mail address is not one.
"""
from __future__ import annotations

import re

from crm_interactions.domain.text import fold

MAX_TAG = 64
_HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?)")


def fold_hashtag(tag: str) -> str:
    """"#Chăm_Sóc" / "chăm sóc" -> "cham_soc"; "" when nothing searchable is left."""
    return "_".join(fold(tag.lstrip("#").replace("_", " ")).split())[:MAX_TAG]


def hashtags(text: str) -> list[str]:
    """Distinct folded hashtags in order of appearance (digits-only tags like "#1" are skipped)."""
    found: list[str] = []
    for match in _HASHTAG.finditer(text or ""):
        tag = fold_hashtag(match.group(1))
        if tag and not tag.replace("_", "").isdigit() and tag not in found:
            found.append(tag)
    return found


def mentions(text: str) -> list[str]:
    """Distinct usernames mentioned (lower case), in order of appearance."""
    found: list[str] = []
    for match in _MENTION.finditer(text or ""):
        name = match.group(1).lower()
        if name not in found:
            found.append(name)
    return found
