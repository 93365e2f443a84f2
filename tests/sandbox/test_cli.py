"""``ozonctl sandbox serve`` as a real process, and its argument checks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ozonctl.commands.sandbox import app
from ozonctl.sandbox.server import is_loopback

SRC = str(Path(__file__).resolve().parents[2] / "src")


def start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    for name in ("OZON_API_URL", "OZON_CLIENT_ID", "OZON_API_KEY"):
        env.pop(name, None)
    command = [sys.executable, "-m", "ozonctl", "sandbox", "serve", "--port", "0", *args]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    values: dict[str, str] = {}
    for _ in range(3):
        line = proc.stdout.readline().strip()
        key, _, value = line.removeprefix("export ").partition("=")
        values[key] = value
    return proc, values


@pytest.mark.e2e
def test_serve_prints_exports_answers_and_stops_on_sigterm() -> None:
    proc, values = start(
        "--products",
        "50",
        "--seed",
        "3",
        "--today",
        "2026-11-27",
        "--fault",
        "/v1/seller/info=503:1",
    )
    try:
        assert set(values) == {"OZON_API_URL", "OZON_CLIENT_ID", "OZON_API_KEY"}
        assert values["OZON_API_URL"].startswith("http://127.0.0.1:")
        headers = {"Client-Id": values["OZON_CLIENT_ID"], "Api-Key": values["OZON_API_KEY"]}
        with httpx.Client(base_url=values["OZON_API_URL"], headers=headers, timeout=10) as client:
            assert client.post("/v1/seller/info", json={}).status_code == 503
            assert client.post("/v1/seller/info", json={}).status_code == 200
            listed = client.post(
                "/v3/product/list", json={"filter": {}, "limit": 1000, "last_id": ""}
            )
            assert (
                listed.json()["result"]["total_items"]
                == client.get("/__sandbox/state").json()["products"]
                - client.get("/__sandbox/state").json()["archived"]
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "stopped" in err


@pytest.mark.e2e
def test_port_in_use_is_an_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = CliRunner().invoke(app, ["serve", "--port", port, "--products", "5"])
    assert result.exit_code == 1
    assert "cannot listen" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--fault", "/x=boom"],
        ["--fault", "nonsense"],
        ["--today", "27.11.2026"],
        ["--port", "-1"],
        ["--products", "100001"],
    ],
)
def test_bad_arguments_are_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 2


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
