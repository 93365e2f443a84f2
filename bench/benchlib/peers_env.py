"""The peer clients, each in its own virtualenv under ``.bench-venvs/``, installed from
the package registry with pip on first use; and the reference client, plain httpx
from the repository's own ``.venv``."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENVS = ROOT / ".bench-venvs"
PEERS_DIR = ROOT / "bench" / "peers"


@dataclass(frozen=True, slots=True)
class Peer:
    name: str
    """Distribution name on the registry."""
    version: str
    script: str
    default_limiter: str
    """What its own limiter does when left alone (from its source)."""
    title: str = ""
    """The name in the tables (default: the name and its limiter)."""
    reference: bool = False
    """The reference client (``bare_peer.py``): no rival but the floor of a real process;
    runs with the repository's own ``.venv`` (nothing installed) and every round."""

    @property
    def venv(self) -> Path:
        return ROOT / ".venv" if self.reference else VENVS / self.name

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def adapter(self) -> Path:
        return PEERS_DIR / self.script


PEERS: tuple[Peer, ...] = (
    Peer(
        "ozonapi-async", "0.89.0", "ozonapi_async_peer.py", "27 req/s per Client-Id; stocks 80/min"
    ),
    Peer("ozon-sdk", "0.2.0", "ozon_sdk_peer.py", "2 req/s per method"),
    Peer(
        "httpx",
        "",
        "bare_peer.py",
        "50 req/s, burst 30; stocks 80 at once, then 80/min",
        title="bare httpx (reference)",
        reference=True,
    ),
)


def title(client: str) -> str:
    """How the tables name ``client``."""
    return next((p.title for p in PEERS if p.name == client and p.title), client)


def installed_version(peer: Peer) -> str | None:
    if not peer.python.exists():
        return None
    proc = subprocess.run(
        [
            str(peer.python),
            "-c",
            f"import importlib.metadata as m; print(m.version({peer.name!r}))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure(peer: Peer, log: Log) -> str:
    """Create the venv and install the pinned version unless it is already there (the
    reference: the httpx the repository's ``.venv`` has)."""
    version = installed_version(peer)
    if version == peer.version or (peer.reference and version):
        return version
    if peer.reference:
        raise RuntimeError(f"{peer.python}: no httpx (run scripts/bootstrap)")
    log(f"installing {peer.name}=={peer.version} into {peer.venv.relative_to(ROOT)}")
    if not peer.python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(peer.venv)], check=True, timeout=300)
    subprocess.run(
        [str(peer.python), "-m", "pip", "install", "-q", f"{peer.name}=={peer.version}"],
        check=True,
        timeout=900,
    )
    version = installed_version(peer)
    if version != peer.version:
        raise RuntimeError(f"{peer.name}: installed {version}, wanted {peer.version}")
    return version


class Log:
    def __call__(self, message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)
