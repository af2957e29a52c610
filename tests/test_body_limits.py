"""Request bodies over a service's limit (issue 8, item 8): the gateway refuses them from their
Content-Length before proxying (413, never a 502), each route with its own limit (JSON small,
file uploads large), and what a service answers before a body has all arrived reaches the client."""
from __future__ import annotations

import pytest

from e2e_support import attachment_url_of_new_customer, upload_once_known

MiB = 1024 * 1024


@pytest.mark.parametrize("path", ["/api/v1/customers", "/api/v1/comments/00000000-0000-0000-0000-000000000001/acks",
                                  "/api/v1/jobs"])
async def test_an_oversized_json_body_is_413_not_502(client, org, path):
    body = b'{"name": "' + b"a" * (10 * MiB) + b'"}'
    headers = {**org["rep"]["headers"], "Content-Type": "application/json", "Accept-Language": "en"}
    for _ in range(4):
        response = await client.post(path, content=body, headers=headers)
        assert response.status_code == 413, response.text
        assert response.json()["code"] == "payload_too_large"


async def test_an_upload_has_the_attachment_limit_and_early_refusals_reach_the_client(client, org):
    rep = org["rep"]
    url = await attachment_url_of_new_customer(client, rep, "Phạm Thị Giới Hạn")
    big_text = b"Hop dong.\n" * (512 * 1024)  # 5 MiB: over the JSON limit, under the attachment one
    await upload_once_known(client, url, params={"filename": "hop-dong.txt"}, content=big_text,
                            headers={**rep["headers"], "Content-Type": "text/plain"})
    # refused by the service from its first bytes, while 15 MiB are still coming: its own answer
    executable = b"MZ\x90\x00" + b"\x00" * (15 * MiB)
    for _ in range(3):
        refused = await client.post(url, params={"filename": "setup.exe"}, content=executable,
                                    headers={**rep["headers"], "Content-Type": "application/octet-stream"})
        assert refused.status_code == 415, refused.text
