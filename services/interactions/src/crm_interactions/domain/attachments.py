"""Attachment content and names (I-5): the content type is sniffed from the first bytes (what the
client declares is ignored), executables are refused, file names are cleaned and validated."""
from __future__ import annotations

import codecs
import re
import unicodedata
from urllib.parse import quote, unquote

HEAD_BYTES = 64 * 1024  # what sniffing looks at (OOXML part names may come after docProps/)
OCTET_STREAM = "application/octet-stream"
MAX_FILENAME = 255

_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
               b"\xcf\xfa\xed\xfe")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_ZIP = ((b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
               (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
               (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"))
_OLE_BY_EXTENSION = {"xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}
_M4A_BRANDS = (b"M4A ", b"M4B ")


def is_executable(head: bytes) -> bool:
    return head.startswith(_EXECUTABLE)


def extension(filename: str) -> str:
    return filename.rpartition(".")[2].lower() if "." in filename else ""


def sniff_binary(head: bytes, filename: str = "") -> str | None:
    """The type told by the magic numbers of `head` (the first bytes), or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"PK\x03\x04"):
        return _office_zip(head)
    if head.startswith(_OLE):
        return _OLE_BY_EXTENSION.get(extension(filename), "application/msword")
    if head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS:
        return "audio/mp4"
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2):
        return "audio/mpeg"  # an ID3 tag, or an MPEG audio layer III frame header
    return None


def _office_zip(head: bytes) -> str | None:
    """OOXML: a part name under word/, xl/ or ppt/ among the local file headers in `head` (they
    follow [Content_Types].xml and _rels/.rels, a few hundred bytes each)."""
    at = head.find(b"PK\x03\x04")
    while 0 <= at and at + 30 <= len(head):
        name = head[at + 30:at + 30 + int.from_bytes(head[at + 26:at + 28], "little")]
        for prefix, kind in _OFFICE_ZIP:
            if name.startswith(prefix):
                return kind
        at = head.find(b"PK\x03\x04", at + 4)
    return None


class TextSniffer:
    """Whether the whole stream is UTF-8 text (no NUL, no control characters but tab, CR, LF, FF)."""

    _CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = True

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if not self.text:
            return
        try:
            decoded = self.decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self.text = False
            return
        if self._CONTROL.search(decoded):
            self.text = False


def content_type(head: bytes, filename: str, text: bool) -> str:
    """Magic numbers first; else UTF-8 text (CSV by its name); else application/octet-stream."""
    if kind := sniff_binary(head, filename):
        return kind
    if text:
        return "text/csv; charset=utf-8" if extension(filename) == "csv" else "text/plain; charset=utf-8"
    return OCTET_STREAM


# Control (C0, C1), format (the bidi marks, embeddings, overrides and isolates U+200E/F, U+202A-202E,
# U+2066-2069, zero-width and BOM characters) and line/paragraph separators: invisible characters
# that can make "invoice\u202egpj.exe" read as "invoiceexe.jpg".
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def without_invisible(name: str) -> str:
    return "".join(c for c in name if unicodedata.category(c) not in _INVISIBLE)


def clean_filename(raw: str | None) -> tuple[str | None, str | None]:
    """(the cleaned name, None) or (None, a field-error code). NFC, control and bidi/format
    characters removed, surrounding spaces trimmed; no path separators; at most 255 characters."""
    if raw is None:
        return None, "required"
    name = without_invisible(unicodedata.normalize("NFC", raw)).strip()
    if not name:
        return None, "required"
    if "/" in name or "\\" in name or name in (".", ".."):
        return None, "invalid_filename"
    if len(name) > MAX_FILENAME:
        return None, "too_long"
    return name, None


_DISPOSITION_EXTENDED = re.compile(r"filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[^']*'([^;\s]+)", re.IGNORECASE)
_DISPOSITION_PLAIN = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))', re.IGNORECASE)


def filename_from_disposition(header: str | None) -> str | None:
    """The file name of a `Content-Disposition` request header; `filename*` (RFC 5987) wins."""
    if not header:
        return None
    if match := _DISPOSITION_EXTENDED.search(header):
        charset, value = match.groups()
        try:
            return unquote(value, encoding=charset, errors="strict")
        except (LookupError, UnicodeDecodeError):
            return None
    if match := _DISPOSITION_PLAIN.search(header):
        quoted, bare = match.groups()
        return re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
    return None


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266 / 5987: an ASCII fallback and the UTF-8 name, both without invisible characters
    (names stored before they were cleaned on upload included)."""
    filename = without_invisible(filename) or "file"
    ascii_name = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in ascii_name if c.isascii() and c.isprintable() and c not in '"\\') or "file"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
