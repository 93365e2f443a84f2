"""A reader that hangs up (``ozonctl … | head``, a client closing its connection) is an
ordinary error: no process is killed by SIGPIPE, no state is left half-written."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest

from ozonctl.catalog.index import CatalogIndex

pytestmark = pytest.mark.e2e


@pytest.mark.sandbox_args("--products", "1500")
def test_archive_into_a_closed_pipe_keeps_index_and_journal_in_step(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    rows = ozonctl("listing", "list", "--limit", "800", "--json").json()
    offers = [row["offer_id"] for row in rows]
    listed = tmp_path / "offers.txt"
    listed.write_text("\n".join(offers) + "\n", encoding="utf-8")
    env = {**os.environ, **sandbox.env, "OZONCTL_HOME": str(ozonctl_home)}
    # `ozonctl listing archive … | head -c 10`: ten bytes are read, then the pipe closes
    proc = subprocess.Popen(
        # --allow-reserved: every product archived (products with units reserved for
        # orders are otherwise held back)
        [
            sys.executable,
            "-m",
            "ozonctl",
            "listing",
            "archive",
            "--allow-reserved",
            "--yes",
            "--from-file",
            listed,
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    # a pipe of one page: the outcomes (~40 KB) cannot all be written before it closes
    fcntl.fcntl(proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    assert len(proc.stdout.read(10)) == 10
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert code == 1, (code, err)  # not killed by SIGPIPE (-13)
    assert err.strip().splitlines()[-1] == (
        "error: the output was closed before everything was written (broken pipe)"
    )
    assert "Traceback" not in err and "Exception ignored" not in err
    # the journal says done, the index agrees, and no temporary file is left behind
    ops = list(ozonctl_home.rglob("journal/listing/archive-*/op.toml"))
    assert len(ops) == 1
    assert tomllib.loads(ops[0].read_text(encoding="utf-8"))["status"] == "done"
    (index_file,) = ozonctl_home.rglob("catalog/index.toml")
    index = CatalogIndex.read(index_file)
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as http:
        at_ozon = {o: http.get(f"/__sandbox/state/product/{o}").json()["archived"] for o in offers}
    assert sum(at_ozon.values()) > len(offers) // 2  # (some are held back: units reserved)
    in_index = {o: getattr(index.by_offer(o), "archived", None) for o in offers}
    assert in_index == at_ozon
    assert not [p for p in ozonctl_home.rglob("*") if p.name.endswith(".tmp")]


def _hang_up(base_url: str) -> None:
    """Send a request for a large answer and close the connection without reading it."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    body = json.dumps({"filter": {"visibility": "ALL"}, "limit": 1000, "last_id": ""}).encode()
    head = (
        "POST /v3/product/list HTTP/1.1\r\nHost: x\r\nClient-Id: sandbox\r\n"
        "Api-Key: sandbox-key\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(head.encode() + body)


@pytest.mark.sandbox_args("--products", "2000", "--latency", "150")
def test_sandbox_serve_survives_clients_hanging_up(sandbox: Any) -> None:
    for _ in range(3):
        _hang_up(sandbox.base_url)
        time.sleep(0.4)  # the answer is written to a closed connection meanwhile
        assert sandbox.process.poll() is None, "sandbox serve died when a client hung up"
    assert sandbox.get("/__sandbox/state")["products"] == 2000
    sandbox.process.terminate()
    _, err = sandbox.process.communicate(timeout=10)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
