"""Attachments through the gateway (I-5): upload, list, download the same bytes; an upload over
the limit (the default 20 MiB) refused with 413 and nothing stored; a rep of another branch gets
404; the customer's detail counts the attachment."""
from __future__ import annotations

from urllib.parse import quote

from e2e_support import eventually, random_mobile

LIMIT = 20 * 1024 * 1024
PDF = b"%PDF-1.4\n" + "Hợp đồng bảo hiểm nhân thọ\n".encode() * 500 + b"%%EOF\n"


async def over_the_limit():
    """20 MiB + 1 byte, generated chunk by chunk (never held in memory)."""
    chunk, left = b"\x00" * (1024 * 1024), LIMIT + 1
    while left:
        yield chunk[:min(left, len(chunk))]
        left -= min(left, len(chunk))


async def test_upload_download_limit_and_visibility(client, org):
    rep, outsider = org["rep"], org["outsider"]
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Lê Văn Đính", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()
    url = f"/api/v1/customers/{customer['id']}/attachments"
    name = "Hợp đồng Lê Văn Đính.pdf"

    async def uploaded():  # interactions learns of the customer asynchronously
        attempt = await client.post(url, params={"filename": name}, content=PDF,
                                    headers={**rep["headers"], "Content-Type": "application/pdf"})
        assert attempt.status_code in (201, 404), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    pdf = await eventually(uploaded, timeout=30)
    assert (pdf["filename"], pdf["content_type"], pdf["size"]) == (name, "application/pdf", len(PDF))

    listed = await client.get(url, headers=rep["headers"])
    assert listed.status_code == 200 and [a["id"] for a in listed.json()["items"]] == [pdf["id"]]
    download = await client.get(f"/api/v1/attachments/{pdf['id']}/content", headers=rep["headers"])
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert f"filename*=UTF-8''{quote(name, safe='')}" in download.headers["content-disposition"]

    too_big = await client.post(url, params={"filename": "ghi-am.wav"}, content=over_the_limit(),
                                headers={**rep["headers"], "Content-Type": "audio/wav"})
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["code"] == "attachment_too_large"
    assert [a["id"] for a in (await client.get(url, headers=rep["headers"])).json()["items"]] == [pdf["id"]]

    assert (await client.get(url, headers=outsider["headers"])).status_code == 404
    assert (await client.get(f"/api/v1/attachments/{pdf['id']}", headers=outsider["headers"])).status_code == 404
    assert (await client.get(f"/api/v1/attachments/{pdf['id']}/content",
                             headers=outsider["headers"])).status_code == 404
    refused = await client.post(url, params={"filename": "x.pdf"}, content=PDF, headers=outsider["headers"])
    assert refused.status_code == 404

    async def counted():
        detail = await client.get(f"/api/v1/customers/{customer['id']}", headers=rep["headers"])
        return detail.json()["counts"]["attachments"] == 1

    await eventually(counted, timeout=30)


async def test_files_on_a_support_ticket_and_on_a_comment(client, org):
    """A support ticket's and a comment's files (I-3, I-7): the ticket's assignee attaches a
    screenshot, the comment's author a contract; the comment shows its file; an outsider gets 404
    on both; the customer's file list holds both."""
    rep, colleague, outsider = org["rep"], org["rep2"], org["outsider"]
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Võ Thị Tệp", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()

    async def ticket_created():
        attempt = await client.post("/api/v1/support-tickets", headers=rep["headers"], json={
            "customer_id": customer["id"], "title": "Không đăng nhập được", "assignee_id": colleague["id"]})
        assert attempt.status_code in (201, 404), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    ticket = await eventually(ticket_created, timeout=30)
    shot = await client.post(f"/api/v1/support-tickets/{ticket['id']}/attachments", params={"filename": "loi.pdf"},
                             content=PDF, headers={**colleague["headers"], "Content-Type": "application/pdf"})
    assert shot.status_code == 201, shot.text
    assert (shot.json()["parent_type"], shot.json()["parent_id"]) == ("support_ticket", ticket["id"])

    comment = (await client.post(f"/api/v1/customers/{customer['id']}/comments", headers=rep["headers"],
                                 json={"text": "Hợp đồng đính kèm"})).json()
    contract = await client.post(f"/api/v1/comments/{comment['id']}/attachments", params={"filename": "hd.pdf"},
                                 content=PDF, headers={**rep["headers"], "Content-Type": "application/pdf"})
    assert contract.status_code == 201, contract.text
    shown = (await client.get(f"/api/v1/comments/{comment['id']}", headers=rep["headers"])).json()
    assert [f["id"] for f in shown["attachments"]] == [contract.json()["id"]]

    for path in (f"/api/v1/attachments/{shot.json()['id']}/content", f"/api/v1/comments/{comment['id']}/attachments",
                 f"/api/v1/support-tickets/{ticket['id']}/attachments"):
        assert (await client.get(path, headers=outsider["headers"])).status_code == 404
    foreign = await client.post(f"/api/v1/comments/{comment['id']}/attachments", params={"filename": "x.pdf"},
                                content=PDF, headers={**outsider["headers"], "Content-Type": "application/pdf"})
    assert foreign.status_code == 404
    downloaded = await client.get(f"/api/v1/attachments/{shot.json()['id']}/content", headers=colleague["headers"])
    assert downloaded.status_code == 200 and downloaded.content == PDF
    every = await client.get(f"/api/v1/customers/{customer['id']}/attachments", headers=rep["headers"])
    assert {a["id"] for a in every.json()["items"]} == {shot.json()["id"], contract.json()["id"]}
