"""A local, stateful emulator of Ozon's Seller API with a seeded demo shop.

``from ozonctl.sandbox import SandboxServer`` (see ``server.py``); ``Shop`` is the state.
Names load lazily so importing the package stays cheap (and never pulls in httpx or
pydantic).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import DEFAULT_API_KEY, DEFAULT_CLIENT_ID
    from .faults import FaultRule
    from .server import DEFAULT_HOST, DEFAULT_PORT, SandboxServer
    from .shop import Shop

_EXPORTS = {
    "SandboxServer": "server",
    "DEFAULT_HOST": "server",
    "DEFAULT_PORT": "server",
    "DEFAULT_CLIENT_ID": "app",
    "DEFAULT_API_KEY": "app",
    "Shop": "shop",
    "FaultRule": "faults",
}

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "FaultRule",
    "SandboxServer",
    "Shop",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
