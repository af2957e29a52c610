"""File uploads as `multipart/form-data`, streamed: the one file part's bytes are handed on chunk
by chunk as the request body arrives (never the whole file in memory, never a temporary copy), so
the caller counts them and refuses with 413 as soon as its limit passes.

Parsing is python-multipart's push parser; this module only turns its callbacks into an async
iterator and applies the rules every upload endpoint shares:
- the file is the part named `file` (`field`); a missing one is 422 (`file`: `required`), a second
  one 422 (`file`: `multiple_files`);
- other form fields are read and ignored, within `MAX_OTHER_PARTS` parts and `MAX_OTHER_BYTES`
  bytes in all (more: 413 `payload_too_large`);
- a body that is not well-formed multipart (no boundary, broken framing, cut short) is 400
  `invalid_multipart`.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from crmkit import i18n
from crmkit.errors import FieldError, ProblemError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FILE_FIELD = "file"
MAX_OTHER_PARTS = 8
MAX_OTHER_BYTES = 64 * 1024
MAX_HEADER_COUNT = 8
MAX_HEADER_SIZE = 4224
# What a well-formed body may carry besides the file's bytes: the other fields, every part's
# headers and boundaries. A Content-Length minus this is a lower bound of the file's size.
ENVELOPE_BYTES = MAX_OTHER_BYTES + (MAX_OTHER_PARTS + 1) * (MAX_HEADER_COUNT * (MAX_HEADER_SIZE + 2) + 200)

i18n.register(
    problems={
        "invalid_multipart": {
            "vi": ("Dữ liệu multipart không hợp lệ",
                   "Nội dung multipart/form-data không đúng định dạng (thiếu boundary, hỏng hoặc bị cắt)."),
            "en": ("Invalid multipart body",
                   "The multipart/form-data body is malformed (no boundary, broken framing or cut short)."),
        },
    },
    field_errors={
        "multiple_files": {"vi": "Chỉ được gửi một tệp trong trường này.",
                           "en": "Send exactly one file in this field."},
    },
)


def is_multipart(content_type: str | None) -> bool:
    return (content_type or "").strip().lower().startswith("multipart/form-data")


def file_size_at_least(content_length: int | None) -> int | None:
    """The least the file of a multipart body of `content_length` bytes can weigh (for an early 413)."""
    return None if content_length is None else max(0, content_length - ENVELOPE_BYTES)


@dataclass
class FilePart:
    """The file part of a multipart body: its name and declared type, and its bytes (`chunks`,
    to be read to the end: the rest of the body is checked while reading)."""
    filename: str | None
    content_type: str | None
    chunks: AsyncIterator[bytes]


def _invalid() -> ProblemError:
    return ProblemError(400, "invalid_multipart")


def _header_text(raw: bytes) -> str:
    """Header bytes as text: UTF-8 (what browsers send for non-ASCII file names), else Latin-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _Part:
    def __init__(self, headers: dict[str, bytes]) -> None:
        _, options = parse_options_header(headers.get("content-disposition", b"").decode("latin-1"))
        self.name = _header_text(options[b"name"]) if b"name" in options else None
        self.filename = _header_text(options[b"filename"]) if b"filename" in options else None
        content_type = headers.get("content-type")
        self.content_type = content_type.decode("latin-1").strip() if content_type else None


async def _events(body: AsyncIterator[bytes], boundary: bytes) -> AsyncIterator[tuple[str, Any]]:
    """("part", _Part) · ("data", bytes) · ("part_end", None), in body order; 400 when malformed."""
    pending: list[tuple[str, Any]] = []  # (kind, value): a _Part, bytes or None as the kind says
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}
    headers: dict[str, bytes] = {}
    ended = False

    def on_header_end() -> None:
        headers[header["field"].decode("latin-1").strip().lower()] = bytes(header["value"])
        header["field"].clear()
        header["value"].clear()

    def on_headers_finished() -> None:
        pending.append(("part", _Part(dict(headers))))
        headers.clear()

    def on_end() -> None:
        nonlocal ended
        ended = True

    callbacks: MultipartCallbacks = {
        "on_header_field": lambda data, start, end: header["field"].extend(data[start:end]),
        "on_header_value": lambda data, start, end: header["value"].extend(data[start:end]),
        "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
        "on_part_data": lambda data, start, end: pending.append(("data", bytes(data[start:end]))),
        "on_part_end": lambda: pending.append(("part_end", None)),
        "on_end": on_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks, max_header_count=MAX_HEADER_COUNT,
                                 max_header_size=MAX_HEADER_SIZE)
    except (FormParserError, ValueError):
        raise _invalid() from None
    async for chunk in body:
        try:
            parser.write(chunk)
        except (FormParserError, ValueError):
            raise _invalid() from None
        for event in pending:
            yield event
        pending.clear()
        if ended:
            break
    if not ended:
        raise _invalid()


class _OtherParts:
    """The budget of the parts that are not the file: ignored, but bounded."""

    def __init__(self) -> None:
        self.parts = self.size = 0

    def count_part(self) -> None:
        self.parts += 1
        if self.parts > MAX_OTHER_PARTS:
            raise ProblemError(413, "payload_too_large", params={"limit": MAX_OTHER_BYTES})

    def count(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > MAX_OTHER_BYTES:
            raise ProblemError(413, "payload_too_large", params={"limit": MAX_OTHER_BYTES})


async def open_file(body: AsyncIterator[bytes], content_type: str | None, *, field: str = FILE_FIELD) -> FilePart:
    """Read `body` (a multipart/form-data request body) up to the headers of its `field` part;
    the returned part's `chunks` go on from there. 400, 413 and 422 as the module says."""
    _, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if not boundary:
        raise _invalid()
    events = _events(body, boundary)
    others = _OtherParts()
    async for kind, value in events:
        if kind == "part" and value.name == field:
            return FilePart(value.filename, value.content_type, _file_chunks(events, others, field))
        if kind == "part":
            others.count_part()
        elif kind == "data":
            others.count(value)
    raise ProblemError(422, "validation_error", errors=[FieldError(field, "required")])


async def _file_chunks(events: AsyncIterator[tuple[str, Any]], others: _OtherParts,
                       field: str) -> AsyncIterator[bytes]:
    in_file = True
    async for kind, value in events:
        if in_file and kind == "data":
            yield value
        elif kind == "part_end":
            in_file = False
        elif kind == "part" and value.name == field:
            raise ProblemError(422, "validation_error", errors=[FieldError(field, "multiple_files")])
        elif kind == "part":
            others.count_part()
        else:
            others.count(value)
