"""The people directory's search rule (pure): accent- and case-insensitive, Vietnamese first.

The same fold runs in Python (on the query) and in SQL (`translate(lower(normalize(...)))` with
these two strings), so both sides always agree: "nguyen duc" finds "Nguyễn Đức".
"""
from __future__ import annotations

import unicodedata

ACCENTED = "àáâãăạảấầẩẫậắằẳẵặèéêẹẻẽếềểễệìíîĩỉịòóôõơọỏốồổỗộớờởỡợùúûũưụủứừửữựýỳỵỷỹđ"
PLAIN = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiiooooooooooooooooouuuuuuuuuuuuyyyyyd"
_TABLE = str.maketrans(ACCENTED, PLAIN)


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().translate(_TABLE)
