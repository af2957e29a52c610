"""Access tokens (EdDSA JWTs), device tokens (EdDSA JWTs kept in a cookie: a browser that signed a
user in before), opaque refresh tokens and API key secrets."""
from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ISSUER = "crm-gateway"
AUDIENCE = "crm"
API_KEY_PREFIX = "crm"
DEVICE = "device"


@dataclass(frozen=True)
class TokenSubject:
    """What an access token says about its holder."""

    user_id: uuid.UUID
    username: str
    roles: list[str]
    unit_id: uuid.UUID | None
    unit_path: str
    kind: str = "user"
    permissions: tuple[str, ...] = ()


class TokenSigner:
    def __init__(self, private_key_pem: bytes, *, issuer: str = ISSUER) -> None:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the JWT signing key must be an Ed25519 private key")
        self._key = key
        self.issuer = issuer

    def public_key_pem(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def claims(self, subject: TokenSubject, *, ttl_seconds: int, now: float | None = None) -> dict[str, Any]:
        precise = now if now is not None else time.time()
        issued = int(precise)
        return {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": str(subject.user_id),
            "iat": issued,
            # `iat` is whole seconds; revocation (crmkit.revocation) compares to the millisecond
            "iat_ms": int(precise * 1000),
            "exp": issued + ttl_seconds,
            "jti": uuid.uuid4().hex,
            "typ": "access",
            "username": subject.username,
            "roles": list(subject.roles),
            "unit": str(subject.unit_id) if subject.unit_id else None,
            "unit_path": subject.unit_path,
            "kind": subject.kind,
            "perms": list(subject.permissions),
        }

    def sign(self, subject: TokenSubject, *, ttl_seconds: int) -> str:
        return jwt.encode(self.claims(subject, ttl_seconds=ttl_seconds), self._key, algorithm="EdDSA")

    def sign_device(self, username: str, *, ttl_seconds: int) -> str:
        """A device token: this client signed `username` in; its `jti` names the device."""
        issued = int(time.time())
        return jwt.encode({"iss": self.issuer, "aud": AUDIENCE, "sub": username.lower(), "typ": DEVICE,
                           "iat": issued, "exp": issued + ttl_seconds, "jti": uuid.uuid4().hex},
                          self._key, algorithm="EdDSA")

    def device_of(self, token: str, username: str) -> str | None:
        """The device id of a valid device token of `username` (None: absent, forged, expired,
        another user's or another kind of token)."""
        try:
            claims = jwt.decode(token, self._key.public_key(), algorithms=["EdDSA"], issuer=self.issuer,
                                audience=AUDIENCE, options={"require": ["exp", "sub", "jti"]})
        except jwt.PyJWTError:
            return None
        if claims.get("typ") != DEVICE or claims["sub"] != username.lower():
            return None
        return str(claims["jti"])


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def new_api_key() -> tuple[str, str]:
    """The whole key (shown once) and its public prefix (shown in listings)."""
    prefix = secrets.token_hex(4)
    return f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", f"{API_KEY_PREFIX}_{prefix}"
