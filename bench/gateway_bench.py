"""What the gateway costs on `GET /customers/{id}`, beside nginx in front of the same service, in ONE run.

    eval "$(deploy/local/crm-local env)"            # the running stack's ports, databases and keys
    .venv/bin/python bench/gateway_bench.py         # direct, nginx, gateway (1 and 2 workers), auth_request
    .venv/bin/python bench/gateway_bench.py --rounds 2 --seconds 15 --connections 20

The same client (`wrk`, 2 threads, bench/wrk/rotate.lua: 5,000 customer ids walked by every
connection, the admin's bearer token) measures, one after the other and repeated `--rounds` times
(interleaved, so that a change in the machine's load hits every target alike):

- *direct*: the customers service itself;
- *nginx*: nginx (Debian's package) with `proxy_pass` to the service over an upstream keepalive pool,
  configured and started by this script (1 worker process per core);
- *edge*: the platform's entry point as the stack runs it (deploy/local, `CRM_EDGE=nginx`: nginx with
  the config `crm_gateway.edge` renders, on CRM_GATEWAY_PORT) — per-token limits, body limits, the
  routing maps and all; the issue's "gateway, identity and limits and all" since the edge landed;
- *gateway*: the gateway, identity, rate limits and all, started by this script on its own port with
  the stack's environment (its database, key and service URLs) and a per-user limit the benchmark
  cannot reach; `--workers N` variants run N uvicorn worker processes on the one port;
- *nginx_auth*: nginx on the data path, asking the gateway "who is this?" (`auth_request` to the
  gateway's `GET /api/v1/me`, answered cached by nginx per token for 5 s): the "proxy on the data
  path, gateway for identity" design;
- *nginx_limits*: nginx on the data path with a per-token `limit_req` (out of reach) and nothing else:
  the services verify the JWT and its revocation themselves, so this is "identity in the services,
  limits in nginx".

Besides req/s and latency, each run reports the CPU milliseconds per request of the proxy (nginx
and its workers, the gateway and its workers) and of the customers service, from /proc: on this
shared machine req/s moves 2-4x between rounds with the load of others, CPU per request does not.

Results: JSON lines on stdout and in .local/bench/results.jsonl, with the load average.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from customers_bench import ADMIN, report, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SERVICE_PORT = int(os.environ.get("CRM_CUSTOMERS_PORT", "8101"))
GATEWAY_PORT = int(os.environ.get("CRM_GATEWAY_PORT", "8000"))
DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers")

NGINX_CONF = """
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  upstream customers {{ server 127.0.0.1:{service}; keepalive 64; }}
  upstream gateway {{ server 127.0.0.1:{gateway}; keepalive 64; }}
  proxy_cache_path {dir}/auth keys_zone=auth:1m max_size=10m;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://customers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
  }}
  server {{
    listen 127.0.0.1:{auth_port};
    location / {{
      auth_request /_identity;
      proxy_pass http://customers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
    location = /_identity {{
      internal;
      proxy_pass http://gateway/api/v1/me;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_cache auth;
      proxy_cache_key $http_authorization;
      proxy_cache_valid 200 5s;
      proxy_ignore_headers Cache-Control Expires Set-Cookie Vary;
    }}
  }}
  limit_req_zone $http_authorization zone=per_token:10m rate=100000r/s;
  server {{
    listen 127.0.0.1:{limits_port};
    location / {{
      limit_req zone=per_token burst=100000 nodelay;
      proxy_pass http://customers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
  }}
}}
"""


def _stat(pid: int) -> tuple[int, float] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # ppid, utime+stime


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by a process and its descendants (nginx's workers, uvicorn's)."""
    stats = {int(d): _stat(int(d)) for d in os.listdir("/proc") if d.isdigit()}
    children: dict[int, list[int]] = {}
    for pid, st in stats.items():
        if st:
            children.setdefault(st[0], []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        st = stats.get(pid)
        total += st[1] if st else 0.0
        todo += children.get(pid, [])
    return total


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready")


def start_gateway(port: int, workers: int, log: Path) -> subprocess.Popen:
    """The gateway as deployed (`python -m crm_gateway`), on its own port, limits out of reach."""
    env = {**os.environ, "CRM_GATEWAY_PORT": str(port), "CRM_GATEWAY_WORKERS": str(workers),
           "CRM_GATEWAY_RATE_LIMIT_USER_PER_MINUTE": "100000000", "CRM_GATEWAY_RATE_LIMIT_USER_BURST": "100000",
           "CRM_GATEWAY_METRICS_PORT": str(port + 1)}
    if workers > 1:
        env["PROMETHEUS_MULTIPROC_DIR"] = str(log.parent / f"metrics-{port}")
        Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "crm_gateway"], env=env, cwd=ROOT, stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    wait_ready(f"http://127.0.0.1:{port}/healthz", seconds=120)
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def ensure_nginx() -> str:
    if not shutil.which("nginx"):
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], check=True, capture_output=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


async def sample_ids(count: int = 5000) -> list[str]:
    conn = await asyncpg.connect(DSN)
    try:
        rows = await conn.fetch("SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY random() LIMIT $1", count)
        total = await conn.fetchval("SELECT count(*) FROM customers")
    finally:
        await conn.close()
    report("gateway_bench_data", customers=total, ids=len(rows))
    return [str(r["id"]) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", default="1,2", help="gateway worker counts to measure")
    parser.add_argument("--port-base", type=int, default=GATEWAY_PORT + 50)
    parser.add_argument("--targets", default="direct,nginx,edge,gateway,nginx_auth,nginx_limits")
    args = parser.parse_args()

    ids = asyncio.run(sample_ids())
    paths = [f"/api/v1/customers/{i}" for i in ids]
    login = httpx.post(f"http://127.0.0.1:{GATEWAY_PORT}/api/v1/auth/login",
                       json={"username": ADMIN[0], "password": ADMIN[1]}, timeout=30)
    login.raise_for_status()
    token = login.json()["access_token"]

    work = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    nginx_port, auth_port, limits_port = args.port_base, args.port_base + 1, args.port_base + 2
    gw_base = args.port_base + 3
    workers = [int(w) for w in args.workers.split(",")]
    targets = args.targets.split(",")
    gateways: dict[int, subprocess.Popen] = {}
    nginx = None
    try:
        for i, n in enumerate(workers):
            gateways[n] = start_gateway(gw_base + 2 * i, n, work / f"gateway-{n}.log")
        (work / "nginx.conf").write_text(NGINX_CONF.format(
            workers=os.cpu_count() or 1, dir=work, service=SERVICE_PORT, gateway=gw_base, port=nginx_port,
            auth_port=auth_port, limits_port=limits_port))
        nginx = subprocess.Popen([ensure_nginx(), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                                 start_new_session=True)
        time.sleep(1)
        local_dir = Path(os.environ.get("CRM_LOCAL_DIR", ROOT / ".local" / "dev"))
        service_pid = int((local_dir / "run" / "customers.pid").read_text())
        proxy_pid = {"direct": None, "nginx": nginx.pid, "nginx_auth": nginx.pid, "nginx_limits": nginx.pid,
                     **{f"gateway_w{n}": p.pid for n, p in gateways.items()}}
        if "edge" in targets:
            proxy_pid["edge"] = int((local_dir / "edge" / "nginx.pid").read_text())
        plan: list[tuple[str, str]] = []
        if "direct" in targets:
            plan.append(("direct", f"http://127.0.0.1:{SERVICE_PORT}"))
        if "nginx" in targets:
            plan.append(("nginx", f"http://127.0.0.1:{nginx_port}"))
        if "edge" in targets:
            plan.append(("edge", f"http://127.0.0.1:{GATEWAY_PORT}"))
        if "gateway" in targets:
            plan += [(f"gateway_w{n}", f"http://127.0.0.1:{gw_base + 2 * i}") for i, n in enumerate(workers)]
        if "nginx_auth" in targets:
            plan.append(("nginx_auth", f"http://127.0.0.1:{auth_port}"))
        if "nginx_limits" in targets:
            plan.append(("nginx_limits", f"http://127.0.0.1:{limits_port}"))
        for _, base in plan:  # warm every pool and cache once
            wrk(base, paths, token, connections=args.connections, seconds=3)
        results: dict[str, list[dict]] = {name: [] for name, _ in plan}
        for rnd in range(args.rounds):
            for name, base in plan:
                before = load_average()
                pid = proxy_pid[name]
                cpu0 = (tree_cpu_seconds(service_pid), tree_cpu_seconds(pid) if pid else 0.0)
                r = wrk(base, paths, token, connections=args.connections, seconds=args.seconds)
                cpu1 = (tree_cpu_seconds(service_pid), tree_cpu_seconds(pid) if pid else 0.0)
                # CPU per request: unlike req/s, barely moved by what else the machine runs
                r["service_cpu_ms"] = round((cpu1[0] - cpu0[0]) * 1000 / max(r["requests"], 1), 3)
                r["proxy_cpu_ms"] = round((cpu1[1] - cpu0[1]) * 1000 / max(r["requests"], 1), 3)
                if name == "nginx_auth":  # its identity subrequests are the gateway's CPU too
                    r["proxy_cpu_ms"] = None
                results[name].append(r)
                report("gateway_get_by_id", via=name, round=rnd, connections=args.connections,
                       load_before=before, load_after=load_average(), **r)
        best = {name: max(runs, key=lambda r: r["rps"]) for name, runs in results.items()}
        mean = {name: sum(r["rps"] for r in runs) / len(runs) for name, runs in results.items()}
        def median(values: list[float]) -> float:
            return sorted(values)[len(values) // 2]

        summary = {name: {"rps_mean": round(mean[name], 1), "p50_ms": best[name]["p50_ms"],
                          "service_cpu_ms": median([r["service_cpu_ms"] for r in results[name]]),
                          "proxy_cpu_ms": (median([r["proxy_cpu_ms"] for r in results[name]])
                                           if results[name][0]["proxy_cpu_ms"] is not None else None),
                          "p95_ms": best[name]["p95_ms"], "errors": sum(r["errors"] for r in results[name])}
                   for name in results}
        if "nginx" in mean:
            for name in mean:
                summary[name]["vs_nginx"] = round(mean[name] / mean["nginx"], 3)
        if "direct" in mean:
            for name in mean:
                summary[name]["vs_direct"] = round(mean[name] / mean["direct"], 3)
        report("gateway_summary", connections=args.connections, seconds=args.seconds, rounds=args.rounds,
               load=load_average(), cores=os.cpu_count(), targets=summary)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(10)
        for proc in gateways.values():
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
