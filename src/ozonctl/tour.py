"""``ozonctl sandbox tour``: a short scripted tour of the main jobs against a sandbox that
the tour starts and stops itself, in a throw-away ozonctl home (your own files are never
touched). Every step runs the real ``ozonctl`` process, so what a newcomer sees is
exactly what the command prints.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    title: str
    args: list[str]
    ok_codes: tuple[int, ...] = (0,)


def _ozonctl() -> list[str]:
    return [sys.executable, "-m", "ozonctl"]


def start_sandbox(products: int, seed: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start ``ozonctl sandbox serve`` on a free loopback port; return it and its env."""
    proc = subprocess.Popen(
        [
            *_ozonctl(),
            "sandbox",
            "serve",
            "--port",
            "0",
            "--products",
            str(products),
            "--seed",
            str(seed),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    env: dict[str, str] = {}
    assert proc.stdout is not None
    while len(env) < 3:
        line = proc.stdout.readline()
        if not line:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"the sandbox did not start: {err.strip()}")
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").strip().partition("=")
            if key in ("OZON_API_URL", "OZON_CLIENT_ID", "OZON_API_KEY"):
                env[key] = shlex.split(value)[0] if value else ""
    return proc, env


def _pick_promotion(run_json: Callable[[list[str]], object]) -> int | None:
    """A joined promotion with products in it, promo-code type preferred."""
    promos = run_json(["promo", "list", "--joined", "--json"])
    if not isinstance(promos, list):
        return None
    joined = [
        p
        for p in promos
        if isinstance(p, dict) and p.get("owner") == "ozon" and (p.get("participating") or 0) > 0
    ]
    joined.sort(
        key=lambda p: (p.get("leave_method") != "deactivate", -(p.get("participating") or 0))
    )
    return int(joined[0]["id"]) if joined else None


def run_tour(*, products: int = 300, seed: int = 1, say: Callable[[str], None]) -> int:
    """Run the tour; return 0 when every step did what it should, else 1."""
    home = tempfile.mkdtemp(prefix="ozonctl-tour-")
    say(
        f"Starting a sandbox shop with {products} products (seed {seed}); ozonctl's files "
        f"for this tour live in {home} and are removed at the end."
    )
    proc, sandbox_env = start_sandbox(products, seed)
    env = {**os.environ, **sandbox_env, "OZONCTL_HOME": home}
    env.pop("OZONCTL_PROFILE", None)

    def run_json(args: list[str]) -> object:
        out = subprocess.run([*_ozonctl(), *args], capture_output=True, text=True, env=env)
        try:
            return json.loads(out.stdout) if out.returncode == 0 else None
        except ValueError:
            return None

    failures: list[str] = []
    try:
        say(f"Sandbox at {sandbox_env['OZON_API_URL']}\n")
        promo = _pick_promotion(run_json)
        today = dt.date.today()
        last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        steps = [Step("Which promotions is the shop in?", ["promo", "list", "--joined"])]
        if promo is not None:
            steps += [
                Step(
                    "Which of its products lose money there?",
                    ["promo", "products", str(promo), "--discount-over", "20"],
                ),
                Step(
                    "Leave the promotion (a snapshot is kept first)",
                    ["promo", "leave", str(promo), "--all", "--yes"],
                    (0, 3),
                ),
                Step(
                    "Changed our mind: undo the leave",
                    ["promo", "rejoin", str(promo), "--yes"],
                    (0, 3),
                ),
                Step("What ozonctl changed", ["promo", "history"]),
            ]
        steps += [
            Step("Which products have not sold in 90 days?", ["listing", "stale"]),
            Step(
                "The nightly delister, dry run: stale and out of stock, the plan only",
                ["listing", "delist-stale", "--zero-stock", "--max-percent", "10", "--dry-run"],
            ),
            Step(
                "The nightly delister for real (as cron runs it)",
                ["listing", "delist-stale", "--zero-stock", "--max-percent", "10", "--yes"],
                (0, 3),
            ),
            Step(
                "What that run delisted can be put back",
                ["listing", "restore", "last", "--dry-run"],
            ),
            Step("Orders to ship", ["order", "list", "--unfulfilled"]),
            Step("Orders at risk of missing their ship-by time", ["order", "at-risk"], (0, 1)),
            Step(
                f"Last month's payout ({last_month})", ["payout", "summary", "--month", last_month]
            ),
        ]
        for n, step in enumerate(steps, 1):
            say(f"── {n}/{len(steps)}  {step.title}")
            say(f"$ ozonctl {shlex.join(step.args)}")
            sys.stdout.flush()
            code = subprocess.run([*_ozonctl(), *step.args], env=env).returncode
            if code not in step.ok_codes:
                failures.append(f"ozonctl {shlex.join(step.args)} exited {code}")
            say("")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(home, ignore_errors=True)
    if failures:
        say("The tour hit problems:\n  " + "\n  ".join(failures))
        return 1
    say(
        "That was the tour. Next: `ozonctl sandbox serve` in one terminal and "
        "`ozonctl --profile sandbox …` in another, or `ozonctl auth login` for your shop."
    )
    return 0
