"""crmkit.uploads: the file part of a multipart/form-data body, streamed."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from crmkit import uploads
from crmkit.errors import ProblemError

BOUNDARY = "----crmkitBoundary7MA4YWxk"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def part(name: str, content: bytes, filename: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + content + b"\r\n"


def form(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


async def in_chunks(body: bytes, size: int = 7, consumed: list[int] | None = None) -> AsyncIterator[bytes]:
    for at in range(0, len(body), size):
        if consumed is not None:
            consumed.append(at + size)
        yield body[at:at + size]


async def read(part_: uploads.FilePart) -> bytes:
    return b"".join([chunk async for chunk in part_.chunks])


async def test_the_file_part_with_its_name_and_type_other_fields_ignored():
    body = form(part("note", b"hello"), part("file", b"%PDF-1.7 content\r\n--not-a-boundary", "hóa đơn.pdf",
                                             "application/pdf"), part("after", b"x"))
    found = await uploads.open_file(in_chunks(body), CONTENT_TYPE)
    assert (found.filename, found.content_type) == ("hóa đơn.pdf", "application/pdf")
    assert await read(found) == b"%PDF-1.7 content\r\n--not-a-boundary"


async def test_bytes_are_handed_on_before_the_body_has_arrived():
    content = b"a" * 100_000
    consumed: list[int] = []
    found = await uploads.open_file(in_chunks(form(part("file", content, "big.txt")), 1000, consumed), CONTENT_TYPE)
    first = await found.chunks.__anext__()
    assert first and len(consumed) < 10  # streamed: the first bytes come after a few chunks of 100


async def test_a_missing_file_part_is_422_naming_the_field():
    with pytest.raises(ProblemError) as caught:
        await uploads.open_file(in_chunks(form(part("note", b"hello"))), CONTENT_TYPE)
    assert caught.value.status == 422
    assert [(e.field, e.code) for e in caught.value.errors] == [("file", "required")]


async def test_a_second_file_part_is_refused():
    found = await uploads.open_file(in_chunks(form(part("file", b"one", "a.txt"), part("file", b"two", "b.txt"))),
                                    CONTENT_TYPE)
    with pytest.raises(ProblemError) as caught:
        await read(found)
    assert caught.value.status == 422 and caught.value.errors[0].code == "multiple_files"


@pytest.mark.parametrize("body, content_type", [
    (form(part("file", b"x", "a.txt")), "multipart/form-data"),  # no boundary
    (form(part("file", b"x", "a.txt"))[:-20], CONTENT_TYPE),  # cut short
    (b"this is not multipart at all", CONTENT_TYPE),
])
async def test_a_malformed_body_is_400(body, content_type):
    with pytest.raises(ProblemError) as caught:
        found = await uploads.open_file(in_chunks(body), content_type)
        await read(found)
    assert (caught.value.status, caught.value.code) == (400, "invalid_multipart")


async def test_other_fields_are_bounded():
    body = form(part("note", b"n" * (uploads.MAX_OTHER_BYTES + 1)), part("file", b"x", "a.txt"))
    with pytest.raises(ProblemError) as caught:
        await uploads.open_file(in_chunks(body, 4096), CONTENT_TYPE)
    assert caught.value.status == 413
    many = form(*(part(f"f{i}", b"v") for i in range(uploads.MAX_OTHER_PARTS + 1)), part("file", b"x", "a.txt"))
    with pytest.raises(ProblemError):
        await uploads.open_file(in_chunks(many), CONTENT_TYPE)


def test_content_type_and_size_bound():
    assert uploads.is_multipart("Multipart/Form-Data; boundary=x")
    assert not uploads.is_multipart("application/pdf")
    assert uploads.file_size_at_least(None) is None
    assert uploads.file_size_at_least(10) == 0
    assert uploads.file_size_at_least(uploads.ENVELOPE_BYTES + 5) == 5
