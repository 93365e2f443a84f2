"""A newcomer following only docs/getting-started.md, from a fresh machine, gets from
install to a dry run of the nightly delister against the sandbox.

The test runs the page's fenced ``sh`` blocks, in order, each in its own ``bash -e``,
as a new user would type them: in a fresh, empty ``HOME`` (no ``OZONCTL_HOME``, no
XDG folders set, no credentials in the environment), carrying the exported variables and
the working folder from one block to the next. Each must exit 0, and the last one must
print the delister's dry-run plan while the sandbox receives no write.

A block may be marked by an HTML comment just before it:

- ``<!-- background -->``: the page says to run it in a second terminal (the sandbox).
  The test starts it in the background, on a free port (``--port 0`` is added so
  parallel test runs cannot collide on the default port), and points the later blocks at
  it with ``OZON_API_URL``, the documented override of a profile's address.
- ``<!-- install -->``: installs ozonctl from the source folder. It needs the package
  index and a minute, so it runs only with ``OZONCTL_DOCS_INSTALL=1``; otherwise the
  development install's ``ozonctl`` is put on ``PATH`` in its place.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "getting-started.md"
BLOCK_RE = re.compile(
    r"(?:<!--\s*(?P<mark>[\w-]+)\s*-->\s*\n)?^```sh\n(?P<body>.*?)^```", re.S | re.M
)
BLOCK_TIMEOUT = 180.0


@dataclass(frozen=True)
class Block:
    body: str
    mark: str | None
    line: int


def blocks(text: str) -> list[Block]:
    return [
        Block(m["body"], m["mark"], text.count("\n", 0, m.start("body")) + 1)
        for m in BLOCK_RE.finditer(text)
    ]


def test_the_page_is_parsed_as_the_reader_sees_it() -> None:
    found = blocks(PAGE.read_text(encoding="utf-8"))
    assert [b.mark for b in found].count("background") == 1
    assert [b.mark for b in found].count("install") == 1
    assert all(b.mark in (None, "background", "install") for b in found)
    last = found[-1].body.strip()
    assert last.startswith("ozonctl --profile sandbox listing delist-stale --dry-run"), last
    # every fenced block of the page that a reader would run is a ``sh`` block
    fences = re.findall(r"^```(\w*)$", PAGE.read_text(encoding="utf-8"), re.M)
    assert set(fences) <= {"sh", "text", ""}, fences


class Shell:
    """Runs blocks one after another, like one terminal: exports and cwd carry over."""

    def __init__(self, home: Path, env: dict[str, str], cwd: Path) -> None:
        self.state = home.parent / "shell-state"
        self.state.mkdir()
        self.env_file = self.state / "env.sh"
        self.env_file.write_text("")
        self.cwd_file = self.state / "cwd"
        self.cwd_file.write_text(str(cwd))
        self.env = env

    def prelude(self) -> str:
        """What the earlier blocks left: their exported variables and working folder."""
        return (
            f"source {shlex.quote(str(self.env_file))}\n"
            f'cd "$(cat {shlex.quote(str(self.cwd_file))})"\n'
        )

    def run(self, body: str) -> subprocess.CompletedProcess[str]:
        script = (
            self.prelude() + "set -e -o pipefail\n"
            f"{body}\n"
            f"export -p > {shlex.quote(str(self.env_file))}\n"
            f"pwd > {shlex.quote(str(self.cwd_file))}\n"
        )
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )

    def start(self, body: str) -> subprocess.Popen[str]:
        command = body.strip()
        assert "\n" not in command, "a background block holds one command"
        return subprocess.Popen(
            ["bash", "--noprofile", "--norc", "-c", f"{self.prelude()}exec {command} --port 0\n"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )


def fresh_env(home: Path) -> dict[str, str]:
    drop = ("OZON", "XDG_", "CI", "NO_COLOR", "FORCE_COLOR", "VIRTUAL_ENV", "PYTHON")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["HOME"] = str(home)
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    return env


def read_exports(proc: subprocess.Popen[str]) -> dict[str, str]:
    assert proc.stdout is not None
    values: dict[str, str] = {}
    for _ in range(20):
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").strip().partition("=")
            values[key] = value.strip("'\"")
        if "OZON_API_URL" in values:
            break
    return values


@pytest.mark.e2e
def test_a_newcomer_gets_from_install_to_a_dry_run_of_the_delister(tmp_path: Path) -> None:
    import httpx

    home = tmp_path / "home"
    home.mkdir()
    env = fresh_env(home)
    really_install = os.environ.get("OZONCTL_DOCS_INSTALL") == "1"
    if not really_install:
        bin_dir = Path(sys.executable).parent
        if not (bin_dir / "ozonctl").exists():
            pytest.skip(f"no ozonctl next to {sys.executable}; run scripts/bootstrap")
        env["PATH"] = f"{bin_dir}:{env['PATH']}"
    shell = Shell(home, env, ROOT)
    sandbox: subprocess.Popen[str] | None = None
    results: list[tuple[Block, subprocess.CompletedProcess[str]]] = []
    try:
        for block in blocks(PAGE.read_text(encoding="utf-8")):
            if block.mark == "install" and not really_install:
                # the development install stands in; run what the block runs of ozonctl
                lines = [x for x in block.body.splitlines() if x.startswith("ozonctl ")]
                block = Block("\n".join(lines), block.mark, block.line)
            if block.mark == "background":
                sandbox = shell.start(block.body)
                exports = read_exports(sandbox)
                assert "OZON_API_URL" in exports, sandbox.stderr.read() if sandbox.stderr else ""
                url = exports["OZON_API_URL"]
                assert url.startswith("http://127.0.0.1:")
                shell.env_file.write_text(
                    shell.env_file.read_text() + f"export OZON_API_URL={shlex.quote(url)}\n"
                )
                continue
            done = shell.run(block.body)
            results.append((block, done))
            assert done.returncode == 0, (
                f"docs/getting-started.md line {block.line}: exit {done.returncode}\n"
                f"{block.body}\n--- stdout\n{done.stdout[-2000:]}\n--- stderr\n"
                f"{done.stderr[-2000:]}"
            )
        assert sandbox is not None, "the page never starts the sandbox"
        log = httpx.get(f"{url}/__sandbox/requests", timeout=10).json()
    finally:
        if sandbox is not None:
            sandbox.terminate()
            try:
                sandbox.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sandbox.kill()
                sandbox.wait()

    # the page's promises, checked on what the reader saw
    by_body = {b.body.strip(): r for b, r in results}
    version = next(r for b, r in by_body.items() if b.endswith("ozonctl --version"))
    assert re.fullmatch(r"ozonctl \d+\.\d+\.\d+\S*\n", version.stdout)
    doctor = by_body["ozonctl --profile sandbox doctor"]
    assert "keys\tok\t" in doctor.stdout and "all is well" in doctor.stderr
    listed = by_body["ozonctl --profile sandbox listing list --limit 5"].stdout.splitlines()
    assert len(listed) == 5 and all(len(line.split("\t")) > 3 for line in listed)

    last_block, last = results[-1]
    assert "delist-stale --dry-run" in last_block.body
    planned = [line for line in last.stdout.splitlines() if "\tplanned\t" in line]
    assert planned, last.stdout
    summary = re.search(
        r"^delist-stale \(dry run\): matched (\d+), delisted 0, failed 0, skipped 0$",
        last.stderr,
        re.M,
    )
    assert summary, last.stderr
    assert int(summary[1]) == len(planned)
    entries = log["requests"] if isinstance(log, dict) else log
    assert not [e for e in entries if e["path"].endswith("/product/archive")]
    # a fresh machine: everything ozonctl keeps went under the new user's home
    assert (home / ".local" / "state" / "ozonctl").is_dir()
    assert (home / ".cache" / "ozonctl").is_dir()
