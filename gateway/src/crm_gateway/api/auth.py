"""/api/v1/auth: login, refresh (rotating), logout."""
from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crm_gateway.api.common import IdentityDep
from crm_gateway.handlers import auth as handlers
from crm_gateway.ratelimit import client_ip, limit_login

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
RefreshToken = Annotated[str, Field(min_length=1, max_length=256)]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, Field(min_length=1, max_length=128)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: RefreshToken


class TokenPairPublic(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")
    refresh_expires_in: int = Field(description="seconds until the refresh token expires")


def _client(request: Request) -> handlers.Client:
    return handlers.Client(ip=client_ip(request), user_agent=request.headers.get("user-agent"))


@router.post("/login", response_model=TokenPairPublic, dependencies=[Depends(limit_login)],
             summary="Log in with username and password",
             description="Every failure answers 401 `invalid_credentials`: a wrong password, an unknown username, "
                         "a deactivated account or a service account alike. After "
                         "CRM_GATEWAY_LOGIN_BACKOFF_AFTER_FAILURES consecutive failures of one username from one "
                         "client address, that pair answers 423 `account_locked` (Retry-After) for a wait that "
                         "doubles with each further failure; other addresses are not affected.",
             responses={401: {"description": "invalid_credentials"},
                        423: {"description": "account_locked: back-off of this username from this address"},
                        429: {"description": "rate_limited"}})
async def login(body: LoginRequest, request: Request, response: Response,
                identity: IdentityDep) -> TokenPairPublic:
    pair = await handlers.login(identity=identity, username=body.username, password=body.password,
                                client=_client(request))
    response.headers["Cache-Control"] = "no-store"
    return TokenPairPublic(**asdict(pair))


@router.post("/refresh", response_model=TokenPairPublic, summary="Exchange a refresh token for a new pair",
             responses={401: {"description": "invalid_refresh_token, refresh_token_reused, account_inactive"}})
async def refresh(body: RefreshRequest, request: Request, response: Response,
                  identity: IdentityDep) -> TokenPairPublic:
    pair = await handlers.refresh(identity=identity, refresh_token=body.refresh_token, client=_client(request))
    response.headers["Cache-Control"] = "no-store"
    return TokenPairPublic(**asdict(pair))


@router.post("/logout", status_code=204, summary="Revoke the refresh token (its whole session)")
async def logout(body: RefreshRequest, identity: IdentityDep) -> Response:
    await handlers.logout(identity=identity, refresh_token=body.refresh_token)
    return Response(status_code=204)
