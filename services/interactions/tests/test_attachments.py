"""Attachments (I-5) against real PostgreSQL and a local storage directory: sniffing, names,
streaming with the size limit (nothing stored when refused), visibility, delete rights, events,
and a purge removing rows and files."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from interactions_support import code_of, customer_of, principal

from crmkit.domain_errors import TooLarge

from crm_interactions.domain import attachments as rules
from crm_interactions.handlers import attachments, erasure
from crm_interactions.storage import LocalStorage

TEAM, OTHER = "/root/branch/team/", "/root/other/"
PDF = b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 200 + b"%%EOF\n"
LIMIT = 10_000


async def chunks_of(data: bytes, size: int = 1000):
    for at in range(0, len(data), size):
        yield data[at:at + size]


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def upload(pool, files, who, customer_id, data: bytes, filename="hop-dong.pdf", **kwargs):
    return await attachments.upload(pool, files, principal=who, customer_id=customer_id, filename=filename,
                                    chunks=chunks_of(data), max_bytes=kwargs.pop("max_bytes", LIMIT), **kwargs)


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, "<xml/>" * 50)
    return buffer.getvalue()


@pytest.fixture
def files(tmp_path):
    return LocalStorage(tmp_path / "attachments")


# --- sniffing and names ---------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


@pytest.mark.parametrize(("head", "filename", "expected"), [
    (PDF, "a.bin", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.jpg", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a", "image/jpeg"),
    (b"GIF89a\x01\x00", "a", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "a", "image/webp"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "ghi-am.wav", "audio/wav"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00", "a", "audio/mpeg"),
    (b"\xff\xfb\x90\x64\x00\x00", "a", "audio/mpeg"),
    (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "a", "audio/mp4"),
    (zip_with("[Content_Types].xml", "_rels/.rels", "word/document.xml"), "a",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (zip_with("[Content_Types].xml", "docProps/app.xml", "xl/workbook.xml"), "a",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (zip_with("[Content_Types].xml", "ppt/presentation.xml"), "a",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (zip_with("readme.txt"), "a.docx", "application/octet-stream"),
    (OLE, "bao-gia.doc", "application/msword"),
    (OLE, "bang-luong.XLS", "application/vnd.ms-excel"),
    (b"\x00\x01\x02\x03 binary", "a.txt", "application/octet-stream"),
])
def test_content_type_is_sniffed_from_the_bytes(head, filename, expected):
    text = rules.TextSniffer()
    text.feed(head, final=True)
    assert rules.content_type(head[:rules.HEAD_BYTES], filename, text.text) == expected


def test_utf8_text_is_text_and_csv_by_its_name():
    data = "Họ tên,Số điện thoại\nNguyễn Văn A,0912345678\n".encode()
    text = rules.TextSniffer()
    for i in range(len(data)):  # split inside multi-byte characters
        text.feed(data[i:i + 1])
    text.feed(b"", final=True)
    assert text.text
    assert rules.content_type(data, "khach.csv", True) == "text/csv; charset=utf-8"
    assert rules.content_type(data, "ghi-chu.txt", True) == "text/plain; charset=utf-8"
    latin1 = rules.TextSniffer()
    latin1.feed("café".encode("latin-1"), final=True)
    assert not latin1.text


@pytest.mark.parametrize("head", [b"MZ\x90\x00", b"\x7fELF\x02\x01", b"#!/bin/sh\nrm -rf /", b"\xcf\xfa\xed\xfe"])
def test_executables_are_recognised(head):
    assert rules.is_executable(head)


def test_file_names_are_cleaned_and_validated():
    assert rules.clean_filename("  Hợp đồng\x00 bảo hiểm\x1f.pdf ") == ("Hợp đồng bảo hiểm.pdf", None)
    decomposed = "Nguye\u0302\u0303n.txt"  # NFD from macOS
    assert rules.clean_filename(decomposed) == ("Nguyễn.txt", None)
    assert rules.clean_filename("../etc/passwd") == (None, "invalid_filename")
    assert rules.clean_filename("C:\\x.exe") == (None, "invalid_filename")
    assert rules.clean_filename("..") == (None, "invalid_filename")
    assert rules.clean_filename(" \x01 ") == (None, "required")
    assert rules.clean_filename(None) == (None, "required")
    assert rules.clean_filename("ả" * 255) == ("ả" * 255, None)
    assert rules.clean_filename("a" * 256) == (None, "too_long")


@pytest.mark.parametrize("raw", [
    "invoice\u202egpj.exe",  # right-to-left override: shown as "invoiceexe.jpg"
    "invoice\u202bgpj\u202c.exe", "invoice\u2066gpj\u2069.exe", "invoice\u200f\u200egpj.exe",
    "invoice\u061c\u200bgpj\ufeff.exe", "invoice\x85\x9bgpj.exe", "invoice\u2028gpj\u2029.exe"])
def test_bidi_and_other_invisible_characters_do_not_survive_in_names(raw):
    assert rules.clean_filename(raw) == ("invoicegpj.exe", None)
    assert rules.clean_filename("\u202e\u200f") == (None, "required")


def test_the_download_name_has_no_invisible_characters_even_if_stored_before():
    header = rules.content_disposition("invoice\u202egpj.exe")
    assert header == "attachment; filename=\"invoicegpj.exe\"; filename*=UTF-8''invoicegpj.exe"
    assert rules.content_disposition("\u202e") == "attachment; filename=\"file\"; filename*=UTF-8''file"


def test_content_disposition_both_ways():
    assert rules.filename_from_disposition("attachment; filename*=UTF-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng.pdf") \
        == "Hợp đồng.pdf"
    assert rules.filename_from_disposition('attachment; filename="a \\"b\\".txt"') == 'a "b".txt'
    assert rules.filename_from_disposition("attachment; filename=plain.txt") == "plain.txt"
    assert rules.filename_from_disposition("inline") is None
    assert rules.content_disposition("Hợp đồng Đà Nẵng.pdf") == (
        "attachment; filename=\"Hop dong Da Nang.pdf\"; "
        "filename*=UTF-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng%20%C4%90%C3%A0%20N%E1%BA%B5ng.pdf")


# --- uploads --------------------------------------------------------------------------------

async def test_upload_round_trip_with_event(pool, files):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    row = await upload(pool, files, rep, customer_id, PDF, filename="Hợp đồng.pdf")
    assert (row["filename"], row["content_type"], row["size"]) == ("Hợp đồng.pdf", "application/pdf", len(PDF))
    assert row["uploaded_by"] == rep.user_id
    full = await attachments.get(pool, principal=rep, attachment_id=row["id"], with_key=True)
    assert b"".join([c async for c in files.open_reader(full["storage_key"])]) == PDF
    assert not list((files.root / ".partial").iterdir())
    events = [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = 'attachment.added'")]
    assert events == [{"id": str(row["id"]), "customer_id": str(customer_id), "filename": "Hợp đồng.pdf",
                       "size": len(PDF), "content_type": "application/pdf", "parent_type": None, "parent_id": None}]
    listed, _ = await attachments.list_attachments(pool, principal=rep, customer_id=customer_id)
    assert [a["id"] for a in listed] == [row["id"]]


async def test_over_the_limit_is_refused_and_nothing_is_stored(pool, files):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    assert await code_of(upload(pool, files, rep, customer_id, b"x" * (LIMIT + 1))) == (413, "attachment_too_large")
    assert await code_of(upload(pool, files, rep, customer_id, b"x", declared_length=LIMIT + 1)) \
        == (413, "attachment_too_large")
    exactly = await upload(pool, files, rep, customer_id, b"y" * LIMIT, filename="vua-du.txt")
    assert exactly["size"] == LIMIT
    assert await pool.fetchval("SELECT count(*) FROM attachments") == 1
    assert len(stored_files(files.root)) == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'attachment.added'") == 1


async def test_the_partial_file_goes_as_soon_as_the_limit_is_passed(pool, files):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    sent = []

    async def endless():
        while True:
            sent.append(1)
            yield b"z" * 1000

    with pytest.raises(TooLarge):
        await attachments.upload(pool, files, principal=rep, customer_id=customer_id, filename="a.bin",
                                 chunks=endless(), max_bytes=LIMIT)
    assert len(sent) == LIMIT // 1000 + 1 and stored_files(files.root) == []


async def test_executables_and_empty_files_are_refused(pool, files):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    for data in (b"MZ" + b"\x00" * 5000, b"\x7fELF" + b"\x00" * 10, b"#!/bin/bash\necho hi\n", b"MZ"):
        assert await code_of(upload(pool, files, rep, customer_id, data, filename="setup.pdf")) \
            == (415, "attachment_type_not_allowed")
    assert await code_of(upload(pool, files, rep, customer_id, b"")) == (422, "validation_error")
    assert await code_of(upload(pool, files, rep, customer_id, PDF, filename="../x.pdf")) == (422, "validation_error")
    assert await pool.fetchval("SELECT count(*) FROM attachments") == 0
    assert stored_files(files.root) == []


async def test_only_those_who_see_the_customer_upload_list_and_read(pool, files):
    rep, colleague, viewer = principal(TEAM), principal(TEAM), principal(OTHER)
    manager, other_manager = principal("/root/branch/", "manager"), principal(OTHER, "manager")
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))
    row = await upload(pool, files, rep, customer_id, PDF)
    for outsider in (colleague, other_manager):
        assert await code_of(upload(pool, files, outsider, customer_id, PDF)) == (404, "not_found")
        assert await code_of(attachments.list_attachments(pool, principal=outsider, customer_id=customer_id)) \
            == (404, "not_found")
        assert await code_of(attachments.get(pool, principal=outsider, attachment_id=row["id"])) == (404, "not_found")
    for insider in (viewer, manager, principal(OTHER, "admin")):
        assert (await attachments.get(pool, principal=insider, attachment_id=row["id"]))["id"] == row["id"]
    assert (await upload(pool, files, viewer, customer_id, b"ghi chu"))["content_type"] == "text/plain; charset=utf-8"
    assert len(stored_files(files.root)) == 2


async def test_delete_rights_and_soft_delete(pool, files):
    rep, viewer = principal(TEAM), principal(OTHER)
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))
    by_viewer = await upload(pool, files, viewer, customer_id, PDF)
    by_rep = await upload(pool, files, rep, customer_id, PDF)
    by_rep_2 = await upload(pool, files, rep, customer_id, PDF)

    async def delete(who, row):
        await attachments.delete(pool, principal=who, attachment_id=row["id"])

    assert await code_of(delete(viewer, by_rep)) == (403, "attachment_not_deletable")
    assert await code_of(delete(rep, by_viewer)) == (403, "attachment_not_deletable")  # the owner is not the uploader
    assert await code_of(delete(principal(TEAM), by_rep)) == (404, "not_found")
    assert await code_of(delete(principal(OTHER, "manager"), by_rep)) == (404, "not_found")
    await delete(viewer, by_viewer)
    await delete(principal("/root/", "manager"), by_rep)
    await delete(principal(OTHER, "admin"), by_rep_2)
    assert await code_of(delete(viewer, by_viewer)) == (404, "not_found")
    assert await code_of(attachments.get(pool, principal=rep, attachment_id=by_rep["id"])) == (404, "not_found")
    assert (await attachments.list_attachments(pool, principal=rep, customer_id=customer_id))[0] == []
    deleted = [r["payload"]["data"]["id"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = 'attachment.deleted' ORDER BY id")]
    assert deleted == [str(by_viewer["id"]), str(by_rep["id"]), str(by_rep_2["id"])]
    assert len(stored_files(files.root)) == 3  # soft: the files stay until a purge


async def test_a_purge_removes_the_customers_files_and_rows(pool, files):
    rep = principal(TEAM)
    purged, kept = await customer_of(pool, rep), await customer_of(pool, rep)
    first = await upload(pool, files, rep, purged, PDF)
    await upload(pool, files, rep, purged, b"ghi chu")
    await attachments.delete(pool, principal=rep, attachment_id=first["id"])
    other = await upload(pool, files, rep, kept, PDF)
    async with pool.acquire() as conn, conn.transaction():
        await erasure.purge(conn, ids=[purged], files=files)
    assert [r["id"] for r in await pool.fetch("SELECT id FROM attachments")] == [other["id"]]
    assert len(stored_files(files.root)) == 1
    assert await code_of(upload(pool, files, rep, purged, PDF)) == (404, "not_found")


async def test_files_on_a_support_ticket_and_on_a_comment(pool, files):
    from crm_interactions.handlers import comments, support_tickets
    owner, viewer, outsider = principal(TEAM), principal(OTHER), principal(OTHER)
    helper = principal(OTHER)
    await pool.execute("INSERT INTO directory_users (id, username, unit_path, active, changed_at)"
                       " VALUES ($1, 'helper', $2, true, now())", helper.user_id, OTHER)
    customer_id = await customer_of(pool, owner, viewers=(viewer.user_id,))
    ticket = await support_tickets.create(pool, principal=owner, customer_id=customer_id, title="Lỗi thẻ",
                                          assignee_id=helper.user_id)
    on_ticket = await attachments.upload(pool, files, principal=helper, parent_type="support_ticket",
                                         parent_id=ticket["id"], filename="anh-loi.pdf", chunks=chunks_of(PDF),
                                         max_bytes=LIMIT)
    assert (on_ticket["customer_id"], on_ticket["parent_type"], on_ticket["parent_id"]) == (
        customer_id, "support_ticket", ticket["id"])
    comment = await comments.post(pool, principal=viewer, customer_id=customer_id, text="Gửi kèm hợp đồng")
    on_comment = await attachments.upload(pool, files, principal=viewer, parent_type="comment",
                                          parent_id=comment["id"], filename="hd.pdf", chunks=chunks_of(PDF),
                                          max_bytes=LIMIT)
    shown = await comments.get(pool, principal=owner, comment_id=comment["id"])
    assert [(f["id"], f["filename"], f["size"]) for f in shown["attachments"]] == [(str(on_comment["id"]), "hd.pdf",
                                                                                     len(PDF))]

    def target(kind, parent):
        return {"parent_type": kind, "parent_id": parent}

    async def add(who, kind, parent):
        return await attachments.upload(pool, files, principal=who, **target(kind, parent), filename="x.pdf",
                                        chunks=chunks_of(PDF), max_bytes=LIMIT)

    # adding: who may edit the ticket, the comment's author; seeing is not enough
    assert await code_of(add(viewer, "support_ticket", ticket["id"])) == (403, "not_editable")
    assert await code_of(add(owner, "comment", comment["id"])) == (403, "not_comment_author")
    assert await code_of(add(outsider, "support_ticket", ticket["id"])) == (404, "not_found")
    # reading: the assignee reaches the ticket's file but not the customer's; an outsider nothing
    assert (await attachments.get(pool, principal=helper, attachment_id=on_ticket["id"]))["id"] == on_ticket["id"]
    assert await code_of(attachments.get(pool, principal=helper, attachment_id=on_comment["id"])) == (404, "not_found")
    assert await code_of(attachments.get(pool, principal=outsider, attachment_id=on_ticket["id"])) == (404, "not_found")
    listed = lambda who, **kw: attachments.list_attachments(pool, principal=who, **kw)  # noqa: E731
    assert [a["id"] for a in (await listed(helper, **target("support_ticket", ticket["id"])))[0]] == [on_ticket["id"]]
    assert await code_of(listed(outsider, **target("comment", comment["id"]))) == (404, "not_found")
    assert {a["id"] for a in (await listed(owner, customer_id=customer_id))[0]} == {on_ticket["id"], on_comment["id"]}
    # a deleted parent takes its files out of sight
    await comments.delete(pool, principal=viewer, comment_id=comment["id"])
    assert await code_of(attachments.get(pool, principal=owner, attachment_id=on_comment["id"])) == (404, "not_found")
    assert [a["id"] for a in (await listed(owner, customer_id=customer_id))[0]] == [on_ticket["id"]]
    added = [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = 'attachment.added' ORDER BY id")]
    assert [(e["parent_type"], e["customer_id"]) for e in added] == [("support_ticket", str(customer_id)),
                                                                     ("comment", str(customer_id))]
