"""How many small requests a second the sandbox answers on loopback, with keep-alive.

Starts the real ``ozonctl sandbox serve --port 0`` process (so the server does not share
an interpreter with the clients), then runs ``--clients`` client processes, each with one
keep-alive HTTP/1.1 connection (stdlib ``http.client``, the lightest client at hand),
sending a rotation of small valid requests until ``--requests`` are done or
``--seconds`` have passed. Prints requests a second, latency percentiles, and the TCP
connections the sandbox accepted (from ``/__sandbox/stats``: one per client when
keep-alive works).

    .venv/bin/python bench/sandbox_throughput.py                 # 2 clients, 6,000 requests
    .venv/bin/python bench/sandbox_throughput.py --clients 1 --json
    .venv/bin/python bench/sandbox_throughput.py --no-validate    # without schema checks

127.0.0.1 only; everything it starts it stops.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
SRC = Path(__file__).resolve().parents[1] / "src"
REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("/v1/seller/info", {}),
    ("/v3/product/list", {"filter": {"visibility": "ALL"}, "last_id": "", "limit": 10}),
    ("/v3/product/info/list", {"product_id": ["801000007"]}),
    ("/v4/product/info/stocks", {"filter": {"visibility": "ALL"}, "limit": 10}),
    ("/v2/actions/products", {"action_id": 71003, "limit": 10, "last_id": ""}),
    ("/v1/rating/summary", {}),
]


def start_sandbox(
    products: int, validate: bool
) -> tuple[subprocess.Popen[str], int, dict[str, str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{SRC}{os.pathsep}{env.get('PYTHONPATH', '')}"
    command = [
        sys.executable,
        "-m",
        "ozonctl",
        "sandbox",
        "serve",
        "--host",
        HOST,
        "--port",
        "0",
        "--products",
        str(products),
        "--today",
        "2026-11-27",
    ]
    if not validate:
        command.append("--no-validate")
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stdout is not None
    values = {}
    for _ in range(3):
        key, _, value = proc.stdout.readline().strip().removeprefix("export ").partition("=")
        values[key] = value
    url = values.get("OZON_API_URL", "")
    if not url.startswith(f"http://{HOST}:"):
        proc.kill()
        raise SystemExit(f"the sandbox did not start (got {url!r})")
    headers = {
        "Client-Id": values["OZON_CLIENT_ID"],
        "Api-Key": values["OZON_API_KEY"],
        "Content-Type": "application/json",
    }
    return proc, int(url.rsplit(":", 1)[1]), headers


def client(port: int, headers: dict[str, str], count: int, deadline: float, out: Any) -> None:
    """One keep-alive connection; sends up to ``count`` requests before ``deadline``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    bodies = [(path, json.dumps(body).encode()) for path, body in REQUESTS]
    latencies: list[float] = []
    errors = 0
    for k in range(count):
        if time.perf_counter() > deadline:
            break
        path, body = bodies[k % len(bodies)]
        started = time.perf_counter()
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 200
    connection.close()
    out.put((latencies, errors))


def run(
    clients: int, requests: int, seconds: float, products: int, validate: bool
) -> dict[str, Any]:
    proc, port, headers = start_sandbox(products, validate)
    try:
        warm = http.client.HTTPConnection(HOST, port, timeout=10)
        for path, body in REQUESTS:
            warm.request("POST", path, body=json.dumps(body).encode(), headers=headers)
            warm.getresponse().read()
        warm.request("POST", "/__sandbox/reset-log")
        warm.getresponse().read()
        warm.close()
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        per_client = max(1, requests // clients)
        started = time.perf_counter()
        deadline = started + seconds
        workers = [
            ctx.Process(target=client, args=(port, headers, per_client, deadline, queue))
            for _ in range(clients)
        ]
        for w in workers:
            w.start()
        results = [queue.get(timeout=seconds + 60) for _ in workers]
        elapsed = time.perf_counter() - started
        for w in workers:
            w.join(timeout=10)
        stats_conn = http.client.HTTPConnection(HOST, port, timeout=10)
        stats_conn.request("GET", "/__sandbox/stats")
        stats = json.loads(stats_conn.getresponse().read())
        stats_conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    latencies = sorted(x for lat, _ in results for x in lat)
    done = len(latencies)
    return {
        "clients": clients,
        "requests": done,
        "errors": sum(e for _, e in results),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(done / elapsed),
        "latency_ms": {
            "p50": round(1000 * statistics.median(latencies), 3),
            "p99": round(1000 * latencies[int(0.99 * (done - 1))], 3),
        },
        "connections_accepted": stats["connections_accepted"] - 1,
        "validation": validate,
        "products": products,
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--requests", type=int, default=6000, help="total requests (default 6000)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time bound (default 30)")
    parser.add_argument("--products", type=int, default=300, help="shop size (default 300)")
    parser.add_argument("--no-validate", action="store_true", help="turn schema checks off")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    result = run(
        args.clients,
        min(args.requests, 1_000_000),
        min(args.seconds, 600),
        args.products,
        not args.no_validate,
    )
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['requests_per_second']} req/s — {result['requests']} requests, "
        f"{result['clients']} keep-alive client(s), {result['seconds']} s, "
        f"p50 {result['latency_ms']['p50']} ms, p99 {result['latency_ms']['p99']} ms, "
        f"{result['errors']} errors, {result['connections_accepted']} TCP connection(s), "
        f"schema checks {'on' if result['validation'] else 'off'}"
    )


if __name__ == "__main__":
    main()
