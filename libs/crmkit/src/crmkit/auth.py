"""Who is calling: JWT verification with the gateway's public key, the principal, role checks.

Every service verifies the token itself (no trust in the network). The gateway signs tokens
with Ed25519 (EdDSA); API keys are exchanged by the gateway for a short-lived service token,
so services only ever see JWTs.
"""
from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from starlette.applications import Starlette

from crmkit.errors import ProblemError
from crmkit.unit_of_work import bind_actor

ALGORITHMS = ["EdDSA", "RS256"]
ADMIN, MANAGER, SALES, REVIEWER, INTEGRATOR = "admin", "manager", "sales", "reviewer", "integrator"
ROLES = (ADMIN, MANAGER, SALES, REVIEWER, INTEGRATOR)


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    username: str
    unit_id: uuid.UUID | None
    unit_path: str  # "/<root id>/<branch id>/.../<unit id>/" — prefix match = subtree
    roles: frozenset[str]
    permissions: frozenset[str] = field(default_factory=frozenset)
    kind: str = "user"  # or "service" for integrator keys
    issued_at: float = 0.0  # the token's `iat_ms` / 1000, else `iat` (see crmkit.revocation)
    expires_at: float = float("inf")  # the token's `exp` (long-lived streams end with their token)
    # the access token itself: a service asking another one on the caller's behalf forwards it
    # (crmkit.customers_client), so the other service answers exactly what this caller may see
    bearer: str = field(default="", repr=False, compare=False)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def is_manager(self) -> bool:
        return MANAGER in self.roles

    def can(self, permission: str) -> bool:
        """Integrator keys carry explicit permissions; people act through their roles."""
        return self.kind == "user" or self.is_admin or permission in self.permissions

    def reaches_unit_path(self, unit_path: str | None) -> bool:
        """A manager reaches every unit in their subtree (whole path segments); a principal
        without a unit reaches none."""
        if not unit_path or not self.unit_path:
            return False
        own = self.unit_path if self.unit_path.endswith("/") else self.unit_path + "/"
        target = unit_path if unit_path.endswith("/") else unit_path + "/"
        return target.startswith(own)


def unit_path(ids: list[uuid.UUID | str]) -> str:
    return "/" + "".join(f"{i}/" for i in ids)


class TokenVerifier:
    """Verifies access tokens. A verified token is remembered until it expires, so a client's
    repeated requests cost one signature check, not one per request (tokens are immutable)."""

    CACHE_SIZE = 10_000

    def __init__(self, public_key_pem: bytes, *, issuer: str = "crm-gateway", audience: str = "crm") -> None:
        self.public_key = public_key_pem
        self.issuer = issuer
        self.audience = audience
        self._verified: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> TokenVerifier:
        return cls(Path(path).read_bytes(), **kwargs)

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None and cached[0] > time.time():
            return cached[1]
        principal, expires_at = self._verify_signature(token)
        self._verified[token] = (expires_at, principal)
        if len(self._verified) > self.CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    def _verify_signature(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(
                token, self.public_key, algorithms=ALGORITHMS, issuer=self.issuer, audience=self.audience,
                options={"require": ["exp", "sub", "iat"]}, leeway=5,
            )
        except jwt.PyJWTError:
            raise ProblemError(401, "invalid_token", headers={"WWW-Authenticate": "Bearer"}) from None
        if claims.get("typ") != "access":
            raise ProblemError(401, "invalid_token", headers={"WWW-Authenticate": "Bearer"})
        try:
            return replace(principal_from_claims(claims), bearer=token), float(claims["exp"])
        except (KeyError, TypeError, ValueError):  # a well-signed token with malformed claims
            raise ProblemError(401, "invalid_token", headers={"WWW-Authenticate": "Bearer"}) from None


def _strings(value: object, name: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"claim {name} must be a list of strings")
    return frozenset(value)


def _issued_at(claims: dict[str, Any]) -> float:
    precise = claims.get("iat_ms")
    return precise / 1000 if isinstance(precise, int) else float(claims.get("iat") or 0)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """Raises KeyError/TypeError/ValueError on malformed claims."""
    unit = claims.get("unit")
    return Principal(
        user_id=uuid.UUID(claims["sub"]),
        username=str(claims.get("username") or ""),
        unit_id=uuid.UUID(unit) if unit else None,
        unit_path=str(claims.get("unit_path") or ""),
        roles=_strings(claims.get("roles"), "roles"),
        permissions=_strings(claims.get("perms"), "perms"),
        kind=str(claims.get("kind") or "user"),
        issued_at=_issued_at(claims),
        expires_at=float(claims["exp"]) if "exp" in claims else float("inf"),
    )


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ProblemError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


async def current_principal(request: Request) -> Principal:
    """The caller of a verified access token, unless their user changed after it was issued
    (`app.state.token_revocations`, see crmkit.revocation): then 401 `token_revoked`."""
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.verify(_bearer(request))
    if not still_valid(request.app, principal):
        raise ProblemError(401, "token_revoked", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    request.state.principal = principal
    bind_actor(principal.user_id)  # the actor of what this request publishes (crmkit.unit_of_work)
    return principal


def still_valid(app: Starlette, principal: Principal) -> bool:
    """The token behind `principal` has not expired and its user has not changed since; what a
    long-lived response (a Server-Sent Events stream) checks while it runs."""
    if time.time() >= principal.expires_at:
        return False
    revocations = getattr(app.state, "token_revocations", None)
    return revocations is None or revocations.allows(principal)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Any:  # a Depends(...), as FastAPI types it
    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(ADMIN, *roles):
            raise ProblemError(403, "forbidden")
        return principal

    return Depends(check)


def require_permission(permission: str) -> Any:  # a Depends(...), as FastAPI types it
    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.can(permission):
            raise ProblemError(403, "forbidden")
        return principal

    return Depends(check)
