"""Attachments over HTTP (I-5), in-process with a signed token: raw-body uploads streamed to a
temporary directory, downloads with the UTF-8 name and nosniff, the 413 problem with nothing
stored, executables refused, a colleague's 404, delete rights."""
from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from interactions_support import auth, running_app, visible_customer

from crm_interactions.settings import InteractionsSettings

LIMIT = 64 * 1024
PDF = b"%PDF-1.4\n" + b"0123456789abcdef" * 300 + b"\n%%EOF\n"


@pytest.fixture
async def app(tmp_path):
    """With a small upload limit (64 KiB), to test the refusals cheaply."""
    async with running_app(attachment_max_bytes=LIMIT, attachment_dir=str(tmp_path / "files")) as application:
        yield application


def stored(app) -> list[Path]:
    return [p for p in Path(app.state.settings.attachment_dir).rglob("*") if p.is_file()]


async def in_chunks(data: bytes, size: int = 4096):
    for at in range(0, len(data), size):
        yield data[at:at + size]


def test_the_body_limit_leaves_room_for_uploads(monkeypatch):
    for name in ("CRM_INTERACTIONS_ATTACHMENT_MAX_BYTES", "CRM_INTERACTIONS_MAX_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)
    settings = InteractionsSettings()
    assert settings.attachment_max_bytes == 20 * 1024 * 1024
    assert settings.max_body_bytes == settings.attachment_max_bytes + 1024 * 1024


async def test_round_trip_of_a_pdf_and_a_vietnamese_text(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/attachments"
    created = await api.post(url, params={"filename": "Hợp đồng.pdf"}, content=in_chunks(PDF),
                             headers={**me, "Content-Type": "application/octet-stream"})
    assert created.status_code == 201, created.text
    pdf = created.json()
    assert (pdf["filename"], pdf["content_type"], pdf["size"]) == ("Hợp đồng.pdf", "application/pdf", len(PDF))
    assert created.headers["location"] == f"/api/v1/attachments/{pdf['id']}"

    text = "Khách hẹn gọi lại lúc 9 giờ sáng thứ Hai.\n".encode() * 10
    name = "Ghi chú cuộc gọi – Đà Nẵng.txt"
    created = await api.post(url, content=text, headers={
        **me, "Content-Type": "application/pdf",  # what the client says is not believed
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
    assert created.status_code == 201, created.text
    note = created.json()
    assert note["filename"] == name and note["content_type"] == "text/plain; charset=utf-8"

    listed = await api.get(url, headers=me)
    assert [a["id"] for a in listed.json()["items"]] == [note["id"], pdf["id"]]
    assert (await api.get(f"/api/v1/attachments/{pdf['id']}", headers=me)).json() == pdf

    download = await api.get(f"/api/v1/attachments/{pdf['id']}/content", headers=me)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-length"] == str(len(PDF))
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Hop dong.pdf\"; filename*=UTF-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng.pdf")
    download = await api.get(f"/api/v1/attachments/{note['id']}/content", headers=me)
    assert download.content == text and download.headers["content-type"] == "text/plain; charset=utf-8"
    assert f"filename*=UTF-8''{quote(name, safe='')}" in download.headers["content-disposition"]
    assert len(stored(app)) == 2


async def test_over_the_limit_is_a_413_problem_and_nothing_is_stored(app, api):
    rep = uuid.uuid4()
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/attachments?filename=ghi-am.wav"
    streamed = await api.post(url, content=in_chunks(b"\x00" * (LIMIT + 1)),
                              headers={**auth(rep), "Accept-Language": "en"})
    assert streamed.status_code == 413, streamed.text
    problem = streamed.json()
    assert problem["code"] == "attachment_too_large" and problem["limit"] == LIMIT
    assert streamed.headers["content-type"] == "application/problem+json"
    declared = await api.post(url, content=b"\x00" * (LIMIT + 1), headers=auth(rep))
    assert declared.status_code == 413 and declared.json()["code"] == "attachment_too_large"
    assert "Tệp" in declared.json()["title"]
    beyond = await api.post(url, content=in_chunks(b"\x00" * (LIMIT + 2 * 1024 * 1024)), headers=auth(rep))
    assert beyond.status_code == 413
    assert beyond.headers["connection"] == "close"  # the rest of the body is not read: the connection ends
    async with app.state.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM attachments") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'attachment.added'") == 0
    assert stored(app) == []


async def test_refusals(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/attachments"
    exe = await api.post(url, params={"filename": "bao-gia.pdf"}, content=b"MZ\x90\x00" + b"\x00" * 9000, headers=me)
    assert exe.status_code == 415 and exe.json()["code"] == "attachment_type_not_allowed"
    empty = await api.post(url, params={"filename": "a.txt"}, content=b"", headers=me)
    assert empty.status_code == 422 and empty.json()["errors"][0]["code"] == "empty_file"
    for bad in ("../../etc/passwd", "a" * 256, ""):
        refused = await api.post(url, params={"filename": bad}, content=PDF, headers=me)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "filename", bad
    unnamed = await api.post(url, content=PDF, headers=me)
    assert unnamed.status_code == 422
    mixed = await api.post(url, content=PDF, headers={**me, "Content-Type": "multipart/mixed; boundary=x"})
    assert mixed.status_code == 415
    assert stored(app) == []


async def test_a_multipart_form_upload(app, api):
    """What browser forms and HTTP clients send by default: the part `file`, named by its filename."""
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/attachments"
    created = await api.post(url, files={"file": ("Báo giá.pdf", PDF, "application/octet-stream")},
                             data={"note": "ignored"}, headers=me)
    assert created.status_code == 201, created.text
    assert (created.json()["filename"], created.json()["size"], created.json()["content_type"]) == (
        "Báo giá.pdf", len(PDF), "application/pdf")
    download = await api.get(f"/api/v1/attachments/{created.json()['id']}/content", headers=me)
    assert download.content == PDF
    renamed = await api.post(url, params={"filename": "hop-dong.pdf"}, files={"file": ("x.pdf", PDF)}, headers=me)
    assert renamed.json()["filename"] == "hop-dong.pdf"

    missing = await api.post(url, data={"note": "no file"}, files={"other": ("a.pdf", PDF)},
                             headers={**me, "Accept-Language": "en"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "file"
    unnamed = await api.post(url, files={"file": ("", PDF)}, headers=me)
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["field"] == "filename"
    broken = await api.post(url, content=b"--x\r\nnot a form", headers={**me,
                            "Content-Type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_multipart"
    exe = await api.post(url, files={"file": ("a.pdf", b"MZ\x90\x00" + b"\x00" * 9000)}, headers=me)
    assert exe.status_code == 415
    assert len(stored(app)) == 2


async def test_a_multipart_form_over_the_limit_is_413_while_streaming(app, api):
    rep = uuid.uuid4()
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/attachments"
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n").encode()
    body = head + b"\x00" * (LIMIT + 1) + f"\r\n--{boundary}--\r\n".encode()
    streamed = await api.post(url, content=in_chunks(body),
                              headers={**auth(rep), "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert streamed.status_code == 413 and streamed.json()["code"] == "attachment_too_large"
    async with app.state.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM attachments") == 0
    assert stored(app) == []


async def test_a_colleague_gets_404_and_delete_rights(app, api):
    rep, colleague, manager = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/attachments"
    pdf = (await api.post(url, params={"filename": "a.pdf"}, content=PDF, headers=auth(rep))).json()
    other = auth(colleague)
    assert (await api.post(url, params={"filename": "a.pdf"}, content=PDF, headers=other)).status_code == 404
    assert (await api.get(url, headers=other)).status_code == 404
    for path in (f"/api/v1/attachments/{pdf['id']}", f"/api/v1/attachments/{pdf['id']}/content"):
        assert (await api.get(path, headers=other)).status_code == 404
    assert (await api.delete(f"/api/v1/attachments/{pdf['id']}", headers=other)).status_code == 404
    assert (await api.get(f"/api/v1/attachments/{uuid.uuid4()}/content", headers=auth(rep))).status_code == 404

    boss = auth(manager, "manager")  # unit path PATH: above the owner's unit (the same one)
    assert (await api.get(f"/api/v1/attachments/{pdf['id']}/content", headers=boss)).content == PDF
    assert (await api.delete(f"/api/v1/attachments/{pdf['id']}", headers=boss)).status_code == 204
    assert (await api.get(url, headers=auth(rep))).json()["items"] == []
    assert (await api.get(f"/api/v1/attachments/{pdf['id']}/content", headers=auth(rep))).status_code == 404
    assert len(stored(app)) == 1  # soft delete: the file stays


async def test_openapi_and_asyncapi_document_attachments(api):
    paths = (await api.get("/openapi.json")).json()["paths"]
    upload = paths["/api/v1/customers/{customer_id}/attachments"]["post"]
    assert "413" in upload["responses"] and upload["requestBody"]["content"]["*/*"]["schema"]["format"] == "binary"
    channels = str((await api.get("/asyncapi.json")).json())
    assert "attachment.added" in channels and "attachment.deleted" in channels
