"""Fixtures for the sandbox tests: an in-process ``SandboxServer`` and an httpx client.

``api`` is fresh for each test (a 300-product shop builds in ~15 ms); ``shared`` is one
server per module for read-only tests. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_helpers import Api, make


@pytest.fixture
def api() -> Iterator[Api]:
    with make() as server:
        client = Api(server)
        yield client
        client.close()


@pytest.fixture(scope="module")
def shared() -> Iterator[Api]:
    with make() as server:
        client = Api(server)
        yield client
        client.close()
