"""The edge: nginx in front of the gateway, sending the services' ordinary requests straight to them.

Why (issue 14, docs/benchmarks.md "Gateway"): on `GET /customers/{id}` the gateway's Python proxy
spent ~1 ms of CPU a request against nginx's ~0.08, so it held the whole API to ~0.75x of nginx in
front of the same service. The services check the bearer token themselves (signature, expiry and
revocation: `crmkit.auth`, `crmkit.revocation`), so nothing on that path needs the gateway.

What goes where (the rendered config is the whole truth; this module is its one source):
- a path of `proxy.ROUTE_TABLE` goes to its service, limited per token (`limit_req`, the gateway's
  per-user rate: a user with two tokens has two buckets) and by the service's body limit;
- to the gateway: everything else (its own API, logins, the console, docs, metrics, health), and
  on the services' paths whatever needs it: requests with `X-API-Key` (exchanged there), browser
  requests with `Origin` when CORS is configured, uploads and imports (the gateway's
  `Expect: 100-continue` lets a service refuse before the body is sent), the long writes
  (`proxy.LONG_WRITES`, their own timeout) and the public calendar feed.
- nginx's own refusals (413, 429, an unreachable or silent service) are problem+json with the
  codes and texts the gateway gives (vi, or en for `Accept-Language: en…`).
- the client's address: nginx resolves it from the trusted proxies (`real_ip`) and passes that
  one address on, so the gateway trusts the edge and nothing a client wrote.

`python -m crm_gateway.edge --listen 8000 --gateway http://127.0.0.1:8002 --dir DIR` prints the
config for the environment's settings (the gateway's: CRM_GATEWAY_*).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from crmkit.errors import FieldError, problem_document

from crm_gateway import proxy
from crm_gateway.messages import register_messages
from crm_gateway.settings import GatewaySettings

GATEWAY = "gateway"
# nginx's own answers, as the gateway would give them: (status, code, Retry-After or None)
REFUSALS: dict[int, tuple[int, str, str | None]] = {
    400: (400, "bad_request", None), 413: (413, "payload_too_large", None), 414: (400, "bad_request", None),
    494: (431, "headers_too_large", None),  # nginx's own status for a header line over its buffer
    429: (429, "rate_limited", "retry_after"),
    # a service refusing connections (down, restarting) or sending garbage: nginx says 502 for both
    502: (503, "service_unavailable", "5"), 503: (503, "service_unavailable", "5"),
    504: (504, "gateway_timeout", None),
}
# vi, or en when the caller's first choice is English (crmkit.i18n also weighs q-values); and for a
# request line holding `%00` in its path, the language of the answer (else empty)
LANGUAGE = ('map $http_accept_language $crm_lang { "~*^\\s*en(?:-|;|,|\\s|$)" en; default vi; }\n'
            'map $request $crm_nul_in_path { "~^\\S+ [^ ?]*%00" $crm_lang; default ""; }\n')
# the gateway's route to send on a service's path: a status nginx never sends, turned into an
# internal redirect to the gateway's named location (`if` with `return` is safe in a location)
VIA_GATEWAY = 418


@dataclass(frozen=True, kw_only=True)
class EdgeConfig:
    listen: str
    gateway_urls: list[str]
    directory: str
    error_log: str | None = None
    workers: str = "auto"


def _servers(urls: Iterable[str]) -> list[str]:
    servers = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the edge proxies plain http:// upstreams, not {url!r}")
        servers.append(f"{parts.hostname}:{parts.port or 80}")
    return servers


def _upstream(name: str, urls: Iterable[str]) -> str:
    servers = "".join(f"  server {server} max_fails=0;\n" for server in _servers(urls))
    return f"upstream {name} {{\n{servers}  keepalive 64;\n}}\n"


def _seconds(value: float) -> str:
    return f"{max(1, math.ceil(value))}s"


def _body_limits(settings: GatewaySettings) -> dict[str, int]:
    return {GATEWAY: settings.max_body_bytes, **proxy.service_body_limits(settings)}


def _retry_after(settings: GatewaySettings) -> int:
    """Seconds until a drained per-token bucket holds a request again."""
    return max(1, math.ceil(60 / max(1, settings.rate_limit_user_per_minute)))


def _problem(status: int, code: str, lang: str, params: dict[str, object], *, field: str | None = None) -> str:
    """A problem+json body (crmkit's document, from the message catalog), quoted for nginx."""
    errors = [FieldError(field, code)] if field else []
    body = json.dumps(problem_document(status, code, lang, params, errors=errors), ensure_ascii=False)
    return "'" + body.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _answer(status: int, code: str, params: dict[str, object]) -> str:
    """`return` the problem in the caller's language (an `if` holding only `return` is safe)."""
    return (f"  if ($crm_lang = en) {{ return {status} {_problem(status, code, 'en', params)}; }}\n"
            f"  return {status} {_problem(status, code, 'vi', params)};\n")


def _refusal_uri(nginx_status: int, scope: str) -> str:
    return f"/_edge/refused/{nginx_status}/{scope}"


def _refusal_locations(scope: str, *, body_limit: int, retry_after: int) -> str:
    """nginx's refusals on one service's paths (or the gateway's): internal locations answering in
    the caller's language, their parameters written in (a variable `set` in the refused location
    does not survive the redirect). Locations by URI, not named: a request refused while its
    request line is read has no URI, and nginx cannot redirect it to a named location.

    A NUL byte in the path (`%00`) is refused by nginx itself while it reads the request line;
    it answers as a service would a path parameter holding one, 422 `invalid_characters`, the
    field being the path (nginx cannot know which parameter)."""
    params: dict[str, object] = {"limit": body_limit, "service": scope, "retry_after": retry_after}
    blocks = []
    for nginx_status, (status, code, retry) in REFUSALS.items():
        header = str(retry_after) if retry == "retry_after" else retry
        blocks.append(f"location = {_refusal_uri(nginx_status, scope)} {{\n  internal;\n"
                      "  default_type application/problem+json;\n"
                      "  add_header Content-Language $crm_lang always;\n"
                      "  add_header X-Request-ID $request_id always;\n"
                      + (f"  add_header Retry-After {header} always;\n" if header else "")
                      + (_nul_in_path(params) if nginx_status == 400 else "") + _answer(status, code, params) + "}\n")
    return "".join(blocks)


def _nul_in_path(params: dict[str, object]) -> str:
    problems = {lang: _problem(422, "invalid_characters", lang, params, field="path") for lang in ("en", "vi")}
    return (f"  if ($crm_nul_in_path = en) {{ return 422 {problems['en']}; }}\n"
            f"  if ($crm_nul_in_path = vi) {{ return 422 {problems['vi']}; }}\n")


def _error_pages(scope: str) -> str:
    """A location that sets its own error pages sets them all (nginx inherits `error_page` only
    to a level that has none)."""
    pages = "".join(f"error_page {status} = {_refusal_uri(status, scope)};\n" for status in REFUSALS)
    return pages + (f"error_page {VIA_GATEWAY} = @gateway;\n" if scope != GATEWAY else "")


def _nginx_regex(pattern: str) -> str:
    """A Python route pattern as a (quoted) nginx location regex: PCRE reads the same syntax."""
    if any(c in pattern for c in ' ;{}"\''):
        raise ValueError(f"route pattern not expressible in nginx: {pattern!r}")
    return f'"{pattern}"'


def _service_location(pattern: str, service: str, settings: GatewaySettings) -> str:
    limit = _body_limits(settings)[service]
    return (f"location ~ {_nginx_regex(pattern)} {{\n"
            f"  if ($crm_via_gateway) {{ return {VIA_GATEWAY}; }}\n"
            + _indent(_error_pages(service)) +
            f"  limit_req zone=crm_per_token burst={settings.rate_limit_user_burst} nodelay;\n"
            f"  client_max_body_size {limit};\n"
            f"  proxy_read_timeout {_seconds(settings.proxy_read_timeout)};\n"
            f"  proxy_pass http://{service};\n}}\n")


def _gateway_location(match: str) -> str:
    return f"location {match} {{ proxy_pass http://{GATEWAY}; }}\n"


def _gateway_routes() -> list[str]:
    """The services' paths that still go through the gateway (module docstring)."""
    exact = sorted(proxy.LONG_WRITES | proxy.PUBLIC_PATHS)
    regexes = [proxy.UPLOAD_ROUTES.pattern, proxy.IMPORT_UPLOAD_ROUTE.pattern]
    return [f"= {path}" for path in exact] + [f"~ {_nginx_regex(pattern)}" for pattern in regexes]


def _client_address(settings: GatewaySettings) -> str:
    if settings.forwarded_header != "x-forwarded-for":
        raise ValueError("the edge resolves clients from X-Forwarded-For: set CRM_GATEWAY_FORWARDED_HEADER="
                         "x-forwarded-for, or run without the edge")
    trusted = "".join(f"set_real_ip_from {network};\n" for network in settings.trusted_proxies)
    return (trusted + "real_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n") if trusted else ""


def _via_gateway_map(settings: GatewaySettings) -> str:
    """1 for the requests on a service's path that the gateway must handle (module docstring)."""
    source = "$http_x_api_key$http_origin" if settings.cors_origins else "$http_x_api_key"
    return f'map "{source}" $crm_via_gateway {{ "" 0; default 1; }}\n'


def _rate_limit(settings: GatewaySettings) -> str:
    """Per bearer token, keyed by its signature (~86 bytes a state instead of the whole token). Not
    per user: nginx cannot verify a token, and a key a client can write (the `sub` inside, or a
    header) would let anyone drain another user's bucket with forged tokens."""
    return ('map $http_authorization $crm_rate_key { "~\\.(?<signature>[^.]+)$" $signature; '
            "default $http_authorization; }\n"
            f"limit_req_zone $crm_rate_key zone=crm_per_token:32m rate={settings.rate_limit_user_per_minute}r/m;\n"
            "limit_req_status 429;\nlimit_req_log_level warn;\n")


def render(settings: GatewaySettings, config: EdgeConfig) -> str:
    """The whole nginx.conf. No access log: every service and the gateway log each request they
    answer, under the `X-Request-ID` the edge gives it."""
    register_messages()
    directory = config.directory.rstrip("/")
    upstreams = _upstream(GATEWAY, config.gateway_urls) + "".join(
        _upstream(service, re.split(r"\s*,\s*", urls.strip())) for service, urls in settings.service_urls().items())
    refusals = "".join(_refusal_locations(scope, body_limit=limit, retry_after=_retry_after(settings))
                       for scope, limit in _body_limits(settings).items())
    server = (_error_pages(GATEWAY) + refusals
              # the gateway's own limits and timeouts apply behind it
              + f"client_max_body_size {settings.max_body_bytes};\n"
              + f"proxy_read_timeout {_seconds(settings.proxy_long_write_timeout)};\n"
              + "".join(_gateway_location(match) for match in _gateway_routes())
              + "".join(_service_location(pattern, service, settings) for pattern, service in proxy.ROUTE_TABLE)
              + _gateway_location("@gateway") + _gateway_location("/"))
    return f"""# Rendered by `python -m crm_gateway.edge` (gateway/src/crm_gateway/edge.py): edit that, not this.
worker_processes {config.workers};
pid {directory}/nginx.pid;
error_log {config.error_log or directory + "/error.log"} warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  server_tokens off;
  client_body_temp_path {directory}/client_body;
  proxy_temp_path {directory}/proxy;
  fastcgi_temp_path {directory}/fastcgi;
  uwsgi_temp_path {directory}/uwsgi;
  scgi_temp_path {directory}/scgi;
  # streamed both ways, as the gateway did: answers as they come (SSE), bodies as they arrive
  proxy_buffering off;
  proxy_request_buffering off;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  proxy_set_header X-Forwarded-For $remote_addr;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $http_host;
  proxy_set_header X-Request-ID $request_id;
  proxy_connect_timeout {_seconds(settings.proxy_connect_timeout)};
  proxy_send_timeout {_seconds(settings.proxy_write_timeout)};
  # a process refusing connections (a replica restarting) passes the request to the next; not a
  # slow one (a timeout tried again on each replica would multiply the wait), nor a sent POST
  proxy_next_upstream error;
  proxy_next_upstream_tries 3;
  client_body_buffer_size 64k;
  # a header line up to 256 kB (allocated only for requests that need it): a browser that signed
  # many users in holds a device cookie for each (/api/v1/auth), and the gateway set no limit
  large_client_header_buffers 4 256k;
{_indent(_client_address(settings) + LANGUAGE + _via_gateway_map(settings) + _rate_limit(settings) + upstreams)}
  server {{
    listen {config.listen} backlog=4096;
{_indent(_indent(server))}  }}
}}
"""


def _indent(text: str) -> str:
    return "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print the edge's nginx config for this environment's settings.")
    parser.add_argument("--listen", required=True, help="nginx `listen`: a port or address:port")
    parser.add_argument("--gateway", required=True, help="the gateway's base URL(s), comma-separated")
    parser.add_argument("--dir", required=True, help="pid file and temporary files")
    parser.add_argument("--error-log", help="default: DIR/error.log")
    parser.add_argument("--workers", default=os.environ.get("CRM_EDGE_WORKERS", "auto"))
    args = parser.parse_args(argv)
    config = EdgeConfig(listen=args.listen, gateway_urls=args.gateway.split(","), directory=args.dir,
                        error_log=args.error_log, workers=args.workers)
    print(render(GatewaySettings(), config), end="")


if __name__ == "__main__":
    main()
