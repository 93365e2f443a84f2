"""``ozonctl sandbox serve`` as a real process on 127.0.0.1, and its introspection
endpoints (``/__sandbox/stats``, ``/__sandbox/requests``)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
OZONCTL = ROOT / ".venv" / "bin" / "ozonctl"
TODAY = "2026-11-27"
SEED = 1
_EXPORT = re.compile(r"^export (OZON_API_URL|OZON_CLIENT_ID|OZON_API_KEY)=(.*)$")
START_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class Build:
    """An ozonctl to measure: this checkout's (``tag`` empty) or another checkout's with
    its own ``.venv`` (``--ozonctl before-17=/work/before17``: the code before an issue,
    run beside this one against the same sandbox)."""

    tag: str = ""
    root: Path = ROOT

    @property
    def ozonctl(self) -> Path:
        return self.root / ".venv" / "bin" / "ozonctl"

    @property
    def python(self) -> Path:
        return self.root / ".venv" / "bin" / "python"

    @property
    def client(self) -> str:
        """The client's name in the results: ``ozonctl``, ``ozonctl before-17``."""
        return f"ozonctl {self.tag}" if self.tag else "ozonctl"


THIS = Build()


class SandboxError(RuntimeError):
    pass


@dataclass
class Sandbox:
    products: int
    rps: int | None = None
    latency_ms: float = 0.0
    """The round trip (``--latency``): every answer leaves this long after its request
    came in, the sandbox's own work inside it, as Ozon's is inside its round trip
    (80–250 ms); the rate-limited runs use 80."""
    seed: int = SEED
    today: str = TODAY
    log_dir: Path = Path("/tmp")
    validate: bool = False
    """Check every request against Ozon's OpenAPI document (slower server)."""
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    start_s: float = 0.0

    @property
    def label(self) -> str:
        label = "off" if self.rps is None else f"{self.rps}/s"
        return f"{label}, {self.latency_ms:g} ms round trip" if self.latency_ms else label

    @property
    def url(self) -> str:
        return self.env["OZON_API_URL"]

    def argv(self) -> list[str]:
        argv = [
            str(OZONCTL), "sandbox", "serve", "--port", "0",
            "--today", self.today, "--products", str(self.products), "--seed", str(self.seed),
        ]  # fmt: skip
        if self.rps is not None:
            argv += ["--rps", str(self.rps)]
        if self.latency_ms:
            argv += ["--latency", f"{self.latency_ms:g}"]
        if not self.validate:
            argv.append("--no-validate")
        return argv

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Sandbox:
        """Start the server and wait (bounded) for its ``export`` lines."""
        self.stop()
        log = self.log_dir / f"sandbox-{self.rps or 'off'}-{self.starts}.log"
        self.starts += 1
        started = time.perf_counter()
        with log.open("wb") as sink:
            self.proc = subprocess.Popen(
                self.argv(),
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                env=python_env(),
                start_new_session=True,
            )
        env: dict[str, str] = {}
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(env) < 3:
            if self.proc.poll() is not None:
                raise SandboxError(
                    f"sandbox exited {self.proc.returncode}: {log.read_text()[-2000:]}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise SandboxError(f"sandbox did not start in {START_TIMEOUT_S:.0f} s ({log})")
            for line in log.read_text(errors="replace").splitlines():
                m = _EXPORT.match(line.strip())
                if m:
                    env[m.group(1)] = m.group(2).strip().strip("'\"")
            time.sleep(0.02)
        self.env = env
        if not self.url.startswith(("http://127.0.0.1:", "http://localhost:")):
            self.stop()
            raise SandboxError(f"sandbox is not on loopback: {self.url}")
        self._wait_ready(deadline)
        self.start_s = time.perf_counter() - started
        return self

    def _wait_ready(self, deadline: float) -> None:
        while True:
            try:
                self.stats()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise SandboxError("sandbox never answered /__sandbox/stats") from None
                time.sleep(0.02)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- introspection --------------------------------------------------------------------
    def _get(self, path: str, timeout: float = 30.0) -> Any:
        req = urllib.request.Request(self.url + path, method="GET")
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # 127.0.0.1 only
            return json.loads(resp.read() or b"null")

    def _post(self, path: str, body: Any = None, timeout: float = 30.0) -> Any:
        data = json.dumps(body if body is not None else {}).encode()
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", **self.auth_headers()},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read() or b"null")

    def auth_headers(self) -> dict[str, str]:
        return {"Client-Id": self.env["OZON_CLIENT_ID"], "Api-Key": self.env["OZON_API_KEY"]}

    def stats(self) -> dict[str, Any]:
        data = self._get("/__sandbox/stats", timeout=5.0)
        return data if isinstance(data, dict) else {}

    def requests(self) -> list[dict[str, Any]]:
        data = self._get("/__sandbox/requests", timeout=60.0)
        if isinstance(data, dict):
            data = data.get("requests", [])
        return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []

    def cpu_s(self) -> float | None:
        """User + system CPU seconds of the server process so far (Linux /proc)."""
        if self.proc is None:
            return None
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def state(self, path: str = "") -> Any:
        return self._get("/__sandbox/state" + path)


def connections(stats: dict[str, Any]) -> int | None:
    value = stats.get("connections_accepted")
    return value if isinstance(value, int) else None


@dataclass(slots=True)
class Traffic:
    """What one measured run sent, seen from the server."""

    requests: int
    by_path: Counter[str]
    by_status: Counter[str]
    connections: int | None
    server_cpu_s: float | None = None
    """CPU the sandbox process spent meanwhile (its share of a run's wall time)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "server_cpu_s": self.server_cpu_s,
            "by_path": dict(self.by_path),
            "by_status": dict(self.by_status),
            "connections": self.connections,
        }


class Window:
    """Traffic between ``open()`` and ``close()``, from diffs of ``/__sandbox/stats``
    (so nothing is reset between runs). Each stats call is one connection of the
    harness's own (urllib does not keep connections alive): the one made by ``close()``
    is counted in the second snapshot and taken off."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._before: dict[str, Any] = {}
        self._cpu: float | None = None

    def open(self) -> Window:
        self._before = self.sandbox.stats()
        self._cpu = self.sandbox.cpu_s()
        return self

    def close(self) -> Traffic:
        after = self.sandbox.stats()
        by_path = _diff(after.get("requests_by_path"), self._before.get("requests_by_path"))
        by_status = _diff(after.get("statuses"), self._before.get("statuses"))
        c0, c1 = connections(self._before), connections(after)
        conns = None if c0 is None or c1 is None else max(0, c1 - c0 - 1)
        cpu = self.sandbox.cpu_s()
        spent = None if cpu is None or self._cpu is None else cpu - self._cpu
        return Traffic(sum(by_path.values()), by_path, by_status, conns, spent)


def _diff(after: Any, before: Any) -> Counter[str]:
    a = Counter({str(k): int(v) for k, v in (after or {}).items()})
    a.subtract(Counter({str(k): int(v) for k, v in (before or {}).items()}))
    return Counter({k: v for k, v in a.items() if v})


def python_env() -> dict[str, str]:
    """A clean environment for children: no inherited Ozon or ozonctl settings."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("OZON", "OZONCTL"))}
    keep.setdefault("PATH", os.defpath)
    # a user's shell: buffered stdout (PYTHONUNBUFFERED makes every write a system call),
    # byte-code caches used and written, nothing on the import path
    for name in ("PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
        keep.pop(name, None)
    return keep
