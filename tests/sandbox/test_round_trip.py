"""``--latency``: Ozon's round trip includes Ozon's own work, so the sandbox holds an
answer until the round trip has passed since the request came in, and does not add
the round trip on top of its own work."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest

from ozonctl.sandbox import app as app_module
from ozonctl.sandbox.app import SandboxApp
from ozonctl.sandbox.shop import Shop

HEADERS = {"Client-Id": "sandbox", "Api-Key": "sandbox-key"}
PATH = "/v1/roles"


def _timed(app: SandboxApp) -> tuple[int, float]:
    started = time.monotonic()
    answer = app.handle("POST", PATH, HEADERS, b"{}", "http://sandbox")
    return answer.status, time.monotonic() - started


def _slow_handler(monkeypatch: pytest.MonkeyPatch, work_s: float) -> None:
    route = app_module.HANDLERS[PATH]

    def slow(ctx: Any, body: Any) -> Any:
        time.sleep(work_s)
        return route.handler(ctx, body)

    monkeypatch.setitem(app_module.HANDLERS, PATH, dataclasses.replace(route, handler=slow))


@pytest.mark.parametrize(
    ("work_s", "least_s", "most_s"),
    [
        (0.0, 0.20, 0.29),  # nothing to do: the round trip
        (0.12, 0.20, 0.29),  # work shorter than the round trip is inside it, not added
        (0.30, 0.30, 0.39),  # work longer than the round trip: the answer leaves when ready
    ],
)
def test_an_answer_leaves_a_round_trip_after_its_request(
    monkeypatch: pytest.MonkeyPatch, work_s: float, least_s: float, most_s: float
) -> None:
    _slow_handler(monkeypatch, work_s)
    app = SandboxApp(Shop(50, 1, "2026-11-27"), latency_ms=200, validate=False)
    status, took = _timed(app)
    assert status == 200
    assert least_s <= took < most_s


def test_an_error_answer_also_takes_the_round_trip() -> None:
    app = SandboxApp(Shop(50, 1, "2026-11-27"), latency_ms=200, validate=False)
    answer_started = time.monotonic()
    answer = app.handle("POST", "/v3/product/info/list", HEADERS, b"{not json", "http://sandbox")
    took = time.monotonic() - answer_started
    assert answer.status == 400
    assert 0.20 <= took < 0.29
