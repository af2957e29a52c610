"""/api/v1/auth: login, refresh (rotating), logout — and the same as a browser session.

Integrators hold their refresh token themselves (`/login`, `/refresh`, `/logout`). The web console
must not: a token readable by a script is a token any injected script can steal. `/session` keeps
the refresh token in a cookie no script can read (`HttpOnly`), sent only to `/api/v1/auth/session`
and never from another site (`SameSite=Strict`), `Secure` over https; the access token lives in the
page's memory only and a reload gets a fresh one from the cookie. Refreshing and ending a session
also require the header `X-CRM-Session: 1`, which a cross-site form cannot send and a cross-origin
script cannot send without a CORS permission.

Every successful login also leaves a device cookie (`crm_device_<hash of the username>`, an EdDSA
token naming the username and this device, `HttpOnly`, `SameSite=Strict`, path `/api/v1/auth`,
180 days): while a username is under a credential-stuffing attack from many addresses it signs in
only from such a device (handlers/auth.py). Integrators that log in with a password may keep and
send that cookie like a browser does.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.errors import ProblemError

from crm_gateway.api.common import IdentityDep
from crm_gateway.handlers import auth as handlers
from crm_gateway.handlers.common import Identity
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


DEVICE_PATH = "/api/v1/auth"


def _client(request: Request, username: str | None = None) -> handlers.Client:
    """Who is asking; for a login, also the device that signed `username` in before, if any."""
    device = request.cookies.get(_device_cookie(username)) if username else None
    device_id = request.app.state.signer.device_of(device, username) if device and len(device) < 2048 else None
    return handlers.Client(ip=client_ip(request), user_agent=request.headers.get("user-agent"), device_id=device_id)


def _device_cookie(username: str) -> str:
    return "crm_device_" + hashlib.sha256(username.lower().encode()).hexdigest()[:16]


def _remember_device(request: Request, response: Response, username: str, pair: handlers.TokenPair) -> None:
    if pair.device_token:
        response.set_cookie(_device_cookie(username), pair.device_token, path=DEVICE_PATH, httponly=True,
                            samesite="strict", secure=request.url.scheme == "https",
                            max_age=request.app.state.settings.login_device_ttl_seconds)


LOGIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "invalid_credentials"},
    423: {"description": "account_locked: back-off of this username from this address, or of this username"
                         " from any device that has not signed it in before while it is under attack"},
    429: {"description": "rate_limited"}}


async def _logged_in(body: LoginRequest, request: Request, response: Response,
                     identity: Identity) -> handlers.TokenPair:
    pair = await handlers.login(identity=identity, username=body.username, password=body.password,
                                client=_client(request, body.username))
    _remember_device(request, response, body.username, pair)
    return pair


@router.post("/login", response_model=TokenPairPublic, dependencies=[Depends(limit_login)],
             summary="Log in with username and password",
             description="Every failure answers 401 `invalid_credentials`: a wrong password, an unknown username, "
                         "a deactivated account or a service account alike. After "
                         "CRM_GATEWAY_LOGIN_BACKOFF_AFTER_FAILURES consecutive failures of one username from one "
                         "client address, that pair answers 423 `account_locked` (Retry-After) for a wait that "
                         "doubles with each further failure; other addresses are not affected. After "
                         "CRM_GATEWAY_LOGIN_GUARD_AFTER_FAILURES failures of one username from any addresses within "
                         "CRM_GATEWAY_LOGIN_GUARD_WINDOW_SECONDS (credential stuffing), it signs in only from a "
                         "device that signed it in before (the device cookie every successful login sets); "
                         "any other client gets 423 `account_locked` until then.",
             responses=LOGIN_RESPONSES)
async def login(body: LoginRequest, request: Request, response: Response,
                identity: IdentityDep) -> TokenPairPublic:
    pair = await _logged_in(body, request, response, identity)
    response.headers["Cache-Control"] = "no-store"
    return TokenPairPublic(**asdict(pair))


@router.post("/refresh", response_model=TokenPairPublic, summary="Exchange a refresh token for a new pair",
             responses={401: {"description": "invalid_refresh_token, refresh_token_reused, account_inactive"}})
async def refresh(body: RefreshRequest, request: Request, response: Response,
                  identity: IdentityDep) -> TokenPairPublic:
    pair = await handlers.refresh(identity=identity, refresh_token=body.refresh_token, client=_client(request))
    response.headers["Cache-Control"] = "no-store"
    return TokenPairPublic(**asdict(pair))


class SessionPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")


SESSION_COOKIE = "crm_refresh"
SESSION_PATH = "/api/v1/auth/session"
SESSION_HEADER = "x-crm-session"
SESSION_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "session_header_required: the request lacks `X-CRM-Session: 1`"},
    401: {"description": "invalid_refresh_token, refresh_token_reused, account_inactive"}}


async def _require_session_header(request: Request) -> None:
    if request.headers.get(SESSION_HEADER) != "1":
        raise ProblemError(400, "session_header_required")


def _session(request: Request, response: Response, pair: handlers.TokenPair) -> SessionPublic:
    response.set_cookie(SESSION_COOKIE, pair.refresh_token, max_age=pair.refresh_expires_in, path=SESSION_PATH,
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    response.headers["Cache-Control"] = "no-store"
    return SessionPublic(access_token=pair.access_token, expires_in=pair.expires_in)


def _session_cookie(request: Request) -> str:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 256:
        raise ProblemError(401, "invalid_refresh_token")
    return token


@router.post("/session", response_model=SessionPublic, dependencies=[Depends(limit_login)],
             summary="Log in for the web console: the refresh token goes into an HttpOnly cookie",
             responses=LOGIN_RESPONSES)
async def open_session(body: LoginRequest, request: Request, response: Response,
                       identity: IdentityDep) -> SessionPublic:
    return _session(request, response, await _logged_in(body, request, response, identity))


@router.post("/session/refresh", response_model=SessionPublic, responses=SESSION_RESPONSES,
             dependencies=[Depends(_require_session_header)],
             summary="A new access token from the session cookie (which rotates)")
async def refresh_session(request: Request, response: Response, identity: IdentityDep) -> SessionPublic:
    pair = await handlers.refresh(identity=identity, refresh_token=_session_cookie(request),
                                  client=_client(request))
    return _session(request, response, pair)


@router.delete("/session", status_code=204, dependencies=[Depends(_require_session_header)],
               responses={400: SESSION_RESPONSES[400]}, summary="Log out of the web console")
async def close_session(request: Request, identity: IdentityDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and len(token) <= 256:
        await handlers.logout(identity=identity, refresh_token=token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path=SESSION_PATH, httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


@router.post("/logout", status_code=204, summary="Revoke the refresh token (its whole session)")
async def logout(body: RefreshRequest, identity: IdentityDep) -> Response:
    await handlers.logout(identity=identity, refresh_token=body.refresh_token)
    return Response(status_code=204)
