"""``ozonctl sandbox serve``: a local Seller API emulator with a seeded demo shop.

On start it prints ``export OZON_API_URL=...``, ``export OZON_CLIENT_ID=...`` and
``export OZON_API_KEY=...`` on stdout (flushed line by line, so a parent process or
``eval`` can read them), and what it serves on stderr. Ctrl-C or SIGTERM stop it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from ozonctl.cli.commas import commas

if TYPE_CHECKING:
    from ozonctl.sandbox.faults import FaultRule

app = typer.Typer(help="Run a local Seller API emulator with a demo shop.", no_args_is_help=True)

DEFAULT_PORT = 8642
"""Where the built-in ``sandbox`` profile looks (``http://127.0.0.1:8642``)."""


@app.callback()
def _group() -> None:
    """Run a local Seller API emulator with a demo shop."""


def _today(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    return value


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but loopback gets a warning.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port; 0 picks a free one.")] = (
        DEFAULT_PORT
    ),
    products: Annotated[
        int, typer.Option(min=0, max=100_000, help="Products in the demo shop.")
    ] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the demo shop (same seed, same shop).")] = 1,
    rps: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            help="Requests a second per Client-Id before 429 (code 8); also turns on the "
            "per-method limits of the endpoint table. Default: no limit.",
        ),
    ] = None,
    latency: Annotated[
        float,
        typer.Option(
            min=0,
            help="Round trip in milliseconds: every API answer leaves this long after its "
            "request came in (Ozon's is 80-250 ms), or when ready if that takes longer.",
        ),
    ] = 0,
    today: Annotated[
        str | None,
        typer.Option(callback=_today, help="Pin 'today' (YYYY-MM-DD) so the data is reproducible."),
    ] = None,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            help="PATH=KIND[:COUNT]: the first COUNT calls to PATH (* = any) fail with KIND "
            "(html502, empty503, 503, 500, 410, 429, 302, reset, slow:<ms>); repeat or "
            "comma-separate.",
            **commas(),
        ),
    ] = None,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Skip checking bodies against Ozon's OpenAPI.")
    ] = False,
    client_id: Annotated[str, typer.Option(help="The Client-Id the sandbox accepts.")] = "sandbox",
    api_key: Annotated[str, typer.Option(help="The Api-Key the sandbox accepts.")] = "sandbox-key",
    key_expires_in: Annotated[
        float,
        typer.Option(
            help="Days until the API key expires (/v1/roles' expires_at; 0 or less: already "
            "expired, refused as Ozon refuses one). Also POST /__sandbox/key.",
        ),
    ] = 90.0,
) -> None:
    """Serve the Seller API on HOST:PORT until Ctrl-C or SIGTERM."""
    from ozonctl.sandbox.faults import parse_rule
    from ozonctl.sandbox.server import is_loopback

    try:
        rules = [parse_rule(text) for text in fault or []]
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--fault") from None
    if not is_loopback(host):
        typer.echo(
            f"warning: the sandbox listens on {host}; anyone who can reach it can use the "
            "demo keys. Use 127.0.0.1 unless you mean it.",
            err=True,
        )
    stop = threading.Event()
    with _stop_on_sigterm(stop):
        _run(
            stop,
            host,
            port,
            products,
            seed,
            rps,
            latency,
            today,
            rules,
            no_validate,
            client_id,
            api_key,
            key_expires_in,
        )


@contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM sets ``stop`` from the very start (a shop of 100,000 takes a second)."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    try:
        previous = signal.signal(signal.SIGTERM, on_signal)
    except ValueError:  # not the main thread (an embedding test runner): no handler
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(
    stop: threading.Event,
    host: str,
    port: int,
    products: int,
    seed: int,
    rps: float | None,
    latency: float,
    today: str | None,
    rules: list[FaultRule],
    no_validate: bool,
    client_id: str,
    api_key: str,
    key_expires_in: float,
) -> None:
    from ozonctl.sandbox.server import SandboxServer

    sandbox = SandboxServer(
        products,
        seed,
        host=host,
        port=port,
        rps=rps,
        latency_ms=latency,
        today=today,
        faults=rules,
        validate=not no_validate,
        client_id=client_id,
        api_key=api_key,
    )
    sandbox.shop.key.configure({"expires_in_days": key_expires_in})
    try:
        sandbox.bind()
    except OSError as err:
        typer.echo(f"error: cannot listen on {host}:{port}: {err.strerror or err}", err=True)
        raise typer.Exit(1) from None
    for name, value in (
        ("OZON_API_URL", sandbox.base_url),
        ("OZON_CLIENT_ID", client_id),
        ("OZON_API_KEY", api_key),
    ):
        print(f"export {name}={value}", flush=True)
    shop = sandbox.shop
    checks = "on" if sandbox.app.validating else "off (no spec or --no-validate)"
    typer.echo(
        f"ozonctl sandbox: {shop.size} products, seed {seed}, today {shop.today.isoformat()}, "
        f"schema checks {checks}; serving {sandbox.base_url} (Ctrl-C to stop)",
        err=True,
    )
    try:
        sandbox.start()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
        typer.echo("ozonctl sandbox: stopped", err=True)


@app.command()
def tour(
    products: Annotated[
        int, typer.Option("--products", min=50, max=5000, help="Size of the demo shop.")
    ] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the demo shop.")] = 1,
) -> None:
    """A short scripted tour of the main jobs against a sandbox it starts and stops itself:
    promotions (leave, then undo), stale SKUs (dry run, then for real), orders to ship,
    last month's payout. Your own ozonctl files are never touched."""
    from ozonctl.tour import run_tour

    def say(text: str) -> None:
        typer.echo(text)

    code = run_tour(products=products, seed=seed, say=say)
    if code:
        raise typer.Exit(code)
