"""Columns as users name them: a 1-based number, a letter as Excel shows it ("C", "aa"), or the
text of its header ("Số điện thoại" matches "so dien thoai", "SỐ ĐIỆN THOẠI", " Số  điện thoại ").
Also where the headers are: the first row that looks like headers above data."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

MAX_COLUMN = 16_384  # XFD, Excel's last column
_LETTERS = re.compile(r"[A-Za-z]{1,3}")


class ColumnError(ValueError):
    """A column reference that names no column; `code` is stable: `invalid_column` (not a number,
    letter or header), `column_out_of_range`, `unknown_header`, `ambiguous_header`."""

    def __init__(self, code: str, ref: object) -> None:
        self.code = code
        self.ref = ref
        super().__init__(f"{code}: {ref!r}")


def column_letter(number: int) -> str:
    """1 → "A", 27 → "AA", 16384 → "XFD"."""
    if not 1 <= number <= MAX_COLUMN:
        raise ColumnError("column_out_of_range", number)
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """"A" → 1, "aa" → 27, "XFD" → 16384."""
    if not _LETTERS.fullmatch(letters.strip()):
        raise ColumnError("invalid_column", letters)
    number = 0
    for char in letters.strip().upper():
        number = number * 26 + ord(char) - ord("A") + 1
    if number > MAX_COLUMN:
        raise ColumnError("column_out_of_range", letters)
    return number


def header_key(text: str) -> str:
    """A header as compared: lowercase, without diacritics (đ → d), spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


def resolve_column(ref: int | str, headers: Sequence[str | None]) -> int:
    """The 1-based column `ref` names: a number (int, or digits in a string), a letter, or a header
    text among `headers` (index 0 = column A). A header wins over a letter when both could match
    ("Ab" is a header and column AB: the header, since someone typed it)."""
    if isinstance(ref, bool):
        raise ColumnError("invalid_column", ref)
    if isinstance(ref, int):
        return _in_range(ref, ref)
    text = ref.strip()
    if not text:
        raise ColumnError("invalid_column", ref)
    if text.isdigit():
        return _in_range(int(text), ref)
    key = header_key(text)
    matches = [index + 1 for index, header in enumerate(headers) if header and header_key(header) == key]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ColumnError("ambiguous_header", ref)
    if _LETTERS.fullmatch(text):
        return column_number(text)
    raise ColumnError("unknown_header", ref)


def _in_range(number: int, ref: object) -> int:
    if not 1 <= number <= MAX_COLUMN:
        raise ColumnError("column_out_of_range", ref)
    return number


def _is_number_like(cell: str) -> bool:
    return bool(re.fullmatch(r"[+\-(]?[\d\s.,/:()\-+]+", cell))


def _looks_like_headers(cells: Sequence[str | None]) -> bool:
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 and not (len(filled) == 1 and len(cells) == 1):
        return False
    texts = [cell for cell in filled if not _is_number_like(cell) and len(cell) <= 80]
    return len(texts) >= 0.8 * len(filled) and len({header_key(cell) for cell in texts}) == len(texts)


def detect_header_row(rows: Sequence[tuple[int, Sequence[str | None]]]) -> int | None:
    """The row number of the first row that looks like headers (at least two filled cells, mostly
    short distinct texts, not numbers or dates) above a data row filling at least half its columns;
    a data row with a number-like cell (a phone, a date) confirms it, otherwise the first such row
    is taken. None when no row of the first dozen looks like headers."""
    fallback = None
    for position, (number, cells) in enumerate(rows[:12]):
        if not _looks_like_headers(cells):
            continue
        header_columns = {index for index, cell in enumerate(cells) if cell}
        for _, data in rows[position + 1:position + 4]:
            data_columns = {index for index, cell in enumerate(data) if cell}
            if len(header_columns & data_columns) < max(1, len(header_columns) // 2):
                continue
            if any(cell and _is_number_like(cell) for cell in data):
                return number
            fallback = fallback or number
        if position == len(rows) - 1 and fallback is None and position == 0:
            return number  # a file of headers only
    return fallback
