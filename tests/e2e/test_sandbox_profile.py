"""`ozonctl sandbox serve` with no flags and `ozonctl --profile sandbox …` with no set-up
at all (no environment, no login) find each other on the default address."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_the_builtin_profile_reaches_a_default_sandbox(ozonctl_home: Path) -> None:
    if not port_free(8642):
        pytest.skip("127.0.0.1:8642 is in use by something else")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZON")}
    env["OZONCTL_HOME"] = str(ozonctl_home)
    server = subprocess.Popen(
        [sys.executable, "-m", "ozonctl", "sandbox", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline().strip()
        assert first == "export OZON_API_URL=http://127.0.0.1:8642"
        r = subprocess.run(
            [sys.executable, "-m", "ozonctl", "--profile", "sandbox", "promo", "list", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        assert any(p["owner"] == "ozon" for p in json.loads(r.stdout))
        status = subprocess.run(
            [sys.executable, "-m", "ozonctl", "--profile", "sandbox", "auth", "status"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert status.returncode == 0 and "builtin" in status.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
