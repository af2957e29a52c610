"""A multipart/form-data upload through the gateway (issue 8, item 11): what browser forms, Postman
and every HTTP client send by default is accepted like the raw body, streamed, with the same
limit (413 while streaming, nothing stored) and a clear 422 when the form has no `file` part."""
from __future__ import annotations

from e2e_support import attachment_url_of_new_customer, upload_once_known

LIMIT = 20 * 1024 * 1024
PDF = b"%PDF-1.4\n" + "Giấy chứng nhận\n".encode() * 300 + b"%%EOF\n"
BOUNDARY = "e2eFormBoundary1234"


async def form_over_the_limit():
    """A form whose file part is 20 MiB + 1 byte, generated chunk by chunk (never held in memory)."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ghi-am.wav\"\r\n"
           "Content-Type: audio/wav\r\n\r\n").encode()
    chunk, left = b"\x00" * (1024 * 1024), LIMIT + 1
    while left:
        yield chunk[:min(left, len(chunk))]
        left -= min(left, len(chunk))
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def test_a_form_upload_through_the_gateway(client, org):
    rep = org["rep"]
    url = await attachment_url_of_new_customer(client, rep, "Trần Thị Mai")
    name = "Giấy chứng nhận – Trần Thị Mai.pdf"
    pdf = await upload_once_known(client, url, files={"file": (name, PDF, "application/pdf")},
                                  data={"description": "ignored"}, headers=rep["headers"])
    assert (pdf["filename"], pdf["content_type"], pdf["size"]) == (name, "application/pdf", len(PDF))
    download = await client.get(f"/api/v1/attachments/{pdf['id']}/content", headers=rep["headers"])
    assert download.status_code == 200 and download.content == PDF

    too_big = await client.post(url, content=form_over_the_limit(), headers={
        **rep["headers"], "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["code"] == "attachment_too_large"

    no_file = await client.post(url, data={"description": "no file"}, files={"attachment": ("a.pdf", PDF)},
                                headers={**rep["headers"], "Accept-Language": "en"})
    assert no_file.status_code == 422, no_file.text
    assert no_file.json()["errors"][0]["field"] == "file"
    assert no_file.headers["content-type"] == "application/problem+json"
    listed = await client.get(url, headers=rep["headers"])
    assert [a["id"] for a in listed.json()["items"]] == [pdf["id"]]
