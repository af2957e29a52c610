"""JWT verification with the gateway's public key, the principal, role checks (no I/O)."""
from __future__ import annotations

import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from crmkit import auth, errors, keys
from crmkit.auth import CurrentPrincipal, Principal, TokenVerifier, require_permission, require_roles
from crmkit.errors import ProblemError
from crmkit.testing import sign_test_token


@pytest.fixture
def verifier(jwt_keys) -> TokenVerifier:
    return TokenVerifier.from_file(jwt_keys[1])


def _rejected(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(ProblemError) as info:
        verifier.verify(token)
    assert info.value.status == 401
    assert info.value.code == "invalid_token"
    assert info.value.headers.get("WWW-Authenticate") == "Bearer"


def test_valid_token_gives_the_principal(jwt_keys, verifier):
    private, _ = jwt_keys
    user_id, unit_id = uuid.uuid4(), uuid.uuid4()
    path = auth.unit_path([uuid.uuid4(), unit_id])
    token = sign_test_token(private, user_id=user_id, roles=("manager", "sales"), unit_id=unit_id,
                            unit_path=path, username="lan")
    principal = verifier.verify(token)
    assert principal == Principal(user_id=user_id, username="lan", unit_id=unit_id, unit_path=path,
                                  roles=frozenset({"manager", "sales"}), permissions=frozenset(), kind="user",
                                  issued_at=principal.issued_at, expires_at=principal.expires_at)
    assert abs(principal.issued_at - time.time()) < 5
    assert principal.is_manager and not principal.is_admin
    assert principal.has_role("sales") and not principal.has_role("reviewer")
    # forwarded when a service asks another on the caller's behalf; never logged with the principal
    assert principal.bearer == token and token not in repr(principal)


def test_token_without_unit(jwt_keys, verifier):
    principal = verifier.verify(sign_test_token(jwt_keys[0]))
    assert principal.unit_id is None and principal.unit_path == ""
    assert principal.roles == frozenset({"sales"})


def test_keys_generate_is_idempotent(tmp_path):
    first = keys.generate(tmp_path)
    content = first[0].read_bytes()
    assert keys.generate(tmp_path) == first
    assert first[0].read_bytes() == content
    assert first[0].stat().st_mode & 0o077 == 0  # the private key is not readable by others


def test_expired_token(jwt_keys, verifier):
    _rejected(verifier, sign_test_token(jwt_keys[0], ttl=-60))


def test_wrong_issuer(jwt_keys, verifier):
    _rejected(verifier, sign_test_token(jwt_keys[0], issuer="someone-else"))


def test_wrong_audience(jwt_keys, verifier):
    _rejected(verifier, sign_test_token(jwt_keys[0], aud="other"))


def test_wrong_key(jwt_keys, verifier, tmp_path):
    other_private, _ = keys.generate(tmp_path / "other")
    _rejected(verifier, sign_test_token(other_private.read_bytes()))


def test_refresh_token_is_not_an_access_token(jwt_keys, verifier):
    _rejected(verifier, sign_test_token(jwt_keys[0], typ="refresh"))
    now = int(time.time())
    untyped = jwt.encode({"iss": "crm-gateway", "aud": "crm", "sub": str(uuid.uuid4()), "iat": now,
                          "exp": now + 60}, jwt_keys[0], algorithm="EdDSA")
    _rejected(verifier, untyped)


def test_missing_claims_and_garbage(jwt_keys, verifier):
    now = int(time.time())
    no_exp = jwt.encode({"iss": "crm-gateway", "aud": "crm", "sub": str(uuid.uuid4()), "iat": now,
                         "typ": "access"}, jwt_keys[0], algorithm="EdDSA")
    _rejected(verifier, no_exp)
    _rejected(verifier, "not.a.token")
    _rejected(verifier, "")


def test_malformed_subject_or_unit_is_401_not_500(jwt_keys, verifier):
    _rejected(verifier, sign_test_token(jwt_keys[0], sub="not-a-uuid"))
    _rejected(verifier, sign_test_token(jwt_keys[0], unit="not-a-uuid"))
    now = int(time.time())
    roles_as_text = jwt.encode({"iss": "crm-gateway", "aud": "crm", "sub": str(uuid.uuid4()), "iat": now,
                                "exp": now + 60, "typ": "access", "roles": "admin"}, jwt_keys[0], algorithm="EdDSA")
    _rejected(verifier, roles_as_text)  # a string, not a list


def test_no_algorithm_confusion(jwt_keys, verifier):
    # an HMAC token "signed" with the public key must not verify
    public_pem = jwt_keys[1].read_bytes()
    now = int(time.time())
    claims = {"iss": "crm-gateway", "aud": "crm", "sub": str(uuid.uuid4()), "iat": now, "exp": now + 60,
              "typ": "access"}
    header = jwt.api_jws.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    import hashlib
    import hmac
    import json
    payload = jwt.api_jws.base64url_encode(json.dumps(claims).encode())
    signature = jwt.api_jws.base64url_encode(hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest())
    _rejected(verifier, (header + b"." + payload + b"." + signature).decode())
    _rejected(verifier, jwt.encode(claims, None, algorithm="none"))


def test_rs256_tokens_verify_with_an_rsa_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    now = int(time.time())
    token = jwt.encode({"iss": "crm-gateway", "aud": "crm", "sub": str(uuid.uuid4()), "iat": now,
                        "exp": now + 60, "typ": "access", "roles": ["admin"]}, private, algorithm="RS256")
    assert TokenVerifier(public).verify(token).is_admin


def _principal(unit_path: str, roles=("manager",)) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=None, unit_path=unit_path, roles=frozenset(roles))


def test_reaches_unit_path():
    root, branch, team, other = (uuid.uuid4() for _ in range(4))
    branch_path = auth.unit_path([root, branch])
    assert branch_path == f"/{root}/{branch}/"
    manager = _principal(branch_path)
    assert manager.reaches_unit_path(branch_path)
    assert manager.reaches_unit_path(auth.unit_path([root, branch, team]))
    assert not manager.reaches_unit_path(auth.unit_path([root]))
    assert not manager.reaches_unit_path(auth.unit_path([root, other]))
    assert not manager.reaches_unit_path(None)
    assert not manager.reaches_unit_path("")


def test_reaches_unit_path_needs_whole_path_segments():
    manager = _principal("/r/b1")  # written without the trailing slash
    assert manager.reaches_unit_path("/r/b1/")
    assert manager.reaches_unit_path("/r/b1/t/")
    assert not manager.reaches_unit_path("/r/b10/")


def test_a_principal_without_a_unit_reaches_no_unit():
    assert not _principal("").reaches_unit_path("/r/b/")


def test_can_permission():
    person = _principal("/r/")
    assert person.can("customers:write")
    service = Principal(user_id=uuid.uuid4(), username="key", unit_id=None, unit_path="", kind="service",
                        roles=frozenset({"integrator"}), permissions=frozenset({"customers:read"}))
    assert service.can("customers:read")
    assert not service.can("customers:write")


async def test_require_roles_and_current_principal_over_http(jwt_keys, verifier):
    app = FastAPI()
    errors.install_handlers(app)
    app.state.token_verifier = verifier

    @app.get("/me")
    async def me(principal: CurrentPrincipal):
        return {"user_id": str(principal.user_id), "roles": sorted(principal.roles)}

    @app.get("/managers", dependencies=[require_roles("manager")])
    async def managers():
        return {"ok": True}

    @app.get("/reviewers")
    async def reviewers(principal: Principal = require_roles("reviewer")):
        return {"user": principal.username}

    @app.get("/integrations", dependencies=[require_permission("customers:write")])
    async def integrations():
        return {"ok": True}

    private = jwt_keys[0]
    sales = {"Authorization": f"Bearer {sign_test_token(private, roles=('sales',))}"}
    manager = {"Authorization": f"Bearer {sign_test_token(private, roles=('manager',))}"}
    admin = {"Authorization": f"Bearer {sign_test_token(private, roles=('admin',), username='root')}"}
    reviewer = {"Authorization": f"Bearer {sign_test_token(private, roles=('reviewer',), username='rev')}"}
    key = {"Authorization": "Bearer " + sign_test_token(private, roles=("integrator",), kind="service",
                                                       perms=["customers:read"])}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/me")
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
        response = await client.get("/me", headers={"Authorization": "Basic abc"})
        assert response.status_code == 401
        response = await client.get("/me", headers={"Authorization": "Bearer garbage"})
        assert response.status_code == 401 and response.json()["code"] == "invalid_token"
        assert (await client.get("/me", headers=sales)).json()["roles"] == ["sales"]

        response = await client.get("/managers", headers=sales)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert (await client.get("/managers", headers=manager)).status_code == 200
        assert (await client.get("/managers", headers=admin)).status_code == 200  # admin passes every role check
        assert (await client.get("/managers")).status_code == 401

        assert (await client.get("/reviewers", headers=reviewer)).json() == {"user": "rev"}
        assert (await client.get("/reviewers", headers=admin)).json() == {"user": "root"}
        assert (await client.get("/reviewers", headers=manager)).status_code == 403

        assert (await client.get("/integrations", headers=sales)).status_code == 200
        assert (await client.get("/integrations", headers=key)).status_code == 403


def test_a_remembered_token_is_checked_again_once_expired(jwt_keys, verifier, monkeypatch):
    private, _ = jwt_keys
    token = sign_test_token(private, ttl=60)
    checks = []
    real_check = verifier._verify_signature
    monkeypatch.setattr(verifier, "_verify_signature", lambda t: checks.append(t) or real_check(t))
    first = verifier.verify(token)
    assert verifier.verify(token) is first and len(checks) == 1  # remembered
    real_time = time.time
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + 3600)
    verifier.verify(token)
    assert len(checks) == 2  # past its expiry the cache no longer answers
