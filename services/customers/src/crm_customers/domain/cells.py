"""Spreadsheet cells of customer exports (C-13): formula-injection neutralisation and the
download file name. Pure functions, no I/O.

Formula injection (OWASP "CSV Injection"): a spreadsheet program evaluates a cell whose text
starts with `=`, `+`, `-` or `@` (and, in some programs, after a leading tab or carriage return)
as a formula, which can run commands (DDE) or leak data. Every *text* cell whose first
character — or first character after leading spaces, tabs or line breaks — is one of these is
prefixed with a single quote `'`, which spreadsheets show as text and never evaluate.

Decisions:
* Numbers, booleans and dates are written as such (a number `-5` is not a formula); only text is
  neutralised.
* CSV: *every* text cell is neutralised, phones included: `+84912345678` becomes `'+84912345678`
  (OWASP: a CSV cell cannot be marked as text any other way). Programs reading the file back
  strip one leading `'` from a phone (`strip_neutraliser`).
* XLSX: every cell is written as a typed cell (a text cell is never evaluated), and text is still
  neutralised (a user who edits the cell and presses Enter would make Excel parse it again) —
  except phones, which are validated E.164 (`+` and digits only: they can hold no formula, at
  worst Excel re-reads one as a number) and so stay directly usable (`PHONE_SAFE`).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

TRIGGERS = frozenset("=+-@\t\r")
LEADING_SPACE = " \t\r\n"
QUOTE = "'"
PHONE_SAFE = re.compile(r"\+\d{6,15}")


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could evaluate `text` as a formula."""
    if not text:
        return False
    if text[0] in TRIGGERS:
        return True
    stripped = text.lstrip(LEADING_SPACE)
    return bool(stripped) and stripped[0] in TRIGGERS


def neutralise(text: str) -> str:
    """`text`, prefixed with `'` when a spreadsheet would evaluate it."""
    return QUOTE + text if is_dangerous(text) else text


def neutralise_phone_xlsx(phone: str) -> str:
    """A phone in an XLSX text cell: an E.164 number stays as it is, anything else is neutralised."""
    return phone if PHONE_SAFE.fullmatch(phone) else neutralise(phone)


def strip_neutraliser(text: str) -> str:
    """The original text of a neutralised cell (for reading an export back)."""
    return text[1:] if text.startswith(QUOTE) and is_dangerous(text[1:]) else text


# Download file names (RFC 6266 + RFC 5987)

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def ascii_fallback(name: str) -> str:
    """The file name without diacritics (đ → d) for clients that ignore `filename*`."""
    name = name.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = _UNSAFE_NAME.sub("_", folded).strip() or "export"
    return folded.replace("%", "_")


def content_disposition(name: str) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''percent-encoded` for a Vietnamese name."""
    safe = _UNSAFE_NAME.sub("_", name).strip() or "export"
    return f"attachment; filename=\"{ascii_fallback(safe)}\"; filename*=UTF-8''{quote(safe, safe='')}"
