"""Issue 17 at Ozon's round trip: requests that need no answer of each other overlap.

A read of many ids goes out side by side (one round trip, not one per 1000 ids); the
key's roles are read while a write command does its reads, and a failure of that read
still stops the first write; a journal step of plain values is not parsed back."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from ozonctl.client.client import OzonClient
from ozonctl.client.errors import AuthenticationError
from ozonctl.errors import AuthError
from ozonctl.keys import KeyInfo, WriteGuard
from ozonctl.state import journal as journal_mod
from ozonctl.state.files import read_toml
from ozonctl.state.journal import Journal


class Slow:
    """A fake Ozon answering after ``delay`` s; counts the requests in flight at once."""

    def __init__(self, delay: float = 0.05) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.bodies.append(body)
        time.sleep(self.delay)
        with self.lock:
            self.in_flight -= 1
        if request.url.path == "/v3/product/info/list":
            ids = body.get("product_id") or []
            return httpx.Response(200, json={"items": [_card(int(i)) for i in ids]})
        if request.url.path == "/v5/product/info/prices":
            ids = body["filter"].get("product_id") or []
            return httpx.Response(
                200,
                json={
                    "items": [{"product_id": int(i), "offer_id": f"o{i}"} for i in ids],
                    "cursor": "",
                    "total_items": len(ids),
                },
            )
        return httpx.Response(404, json={"code": 5, "message": "not found"})


def _card(pid: int) -> dict[str, Any]:
    return {
        "id": pid,
        "offer_id": f"o{pid}",
        "name": f"n{pid}",
        "sku": pid * 10,
        "is_archived": pid % 2 == 0,
        "description_category_id": 17028922,  # one of the ~45 fields no model names
        "stocks": {"stocks": [{"source": "fbs", "present": 5, "reserved": 2}]},
    }


def client_for(handler: Any, concurrency: int = 4) -> OzonClient:
    return OzonClient(
        client_id="1",
        api_key="k",
        base_url="http://127.0.0.1:9",
        rps=None,
        concurrency=concurrency,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )


def test_cards_of_many_ids_are_read_side_by_side_in_order() -> None:
    fake = Slow()
    client = client_for(fake, concurrency=4)
    ids = list(range(1, 3501))
    got = [c.id for c in client.products.info(product_ids=ids)]
    assert got == ids  # every card, in the order asked
    assert len(fake.bodies) == 4  # ⌈3500/1000⌉: no extra request
    assert 2 <= fake.max_in_flight <= 4  # side by side, within the client's concurrency


def test_prices_of_many_ids_are_read_side_by_side_in_order() -> None:
    fake = Slow()
    client = client_for(fake, concurrency=4)
    ids = list(range(1, 3001))
    got = [p.product_id for p in client.products.prices(product_ids=ids)]
    assert got == ids
    assert len(fake.bodies) == 3
    assert fake.max_in_flight >= 2


def test_one_request_worth_of_ids_is_one_request() -> None:
    fake = Slow(delay=0.0)
    client = client_for(fake)
    assert [c.id for c in client.products.info(product_ids=[5, 6])] == [5, 6]
    assert len(fake.bodies) == 1


def test_an_archive_builds_only_the_card_fields_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from ozonctl.client.models.products import ProductInfo
    from ozonctl.domain.archiving import State, read_state

    built: list[ProductInfo] = []
    client = client_for(Slow(delay=0.0))
    real = client.products.info

    def info(**kw: Any) -> Any:
        for card in real(**kw):
            built.append(card)
            yield card

    monkeypatch.setattr(client.products, "info", info)
    state = read_state(client, [1, 2])
    assert state[2] == State(True, False, 5, 2, "o2", 20)
    assert state[1].is_archived is False
    # the fields no model names are skipped, not built (most of 10,000 cards' CPU)
    assert len(built) == 2 and not any(c.model_extra for c in built)


def _info() -> KeyInfo:
    return KeyInfo(None, (("all", ("/v1/product",)),), datetime.now(UTC))


def test_the_roles_are_read_ahead_in_a_thread_and_read_once() -> None:
    calls: list[str] = []

    def load() -> KeyInfo:
        calls.append(threading.current_thread().name)
        return _info()

    guard = WriteGuard(load, "p")
    guard.prefetch().result(timeout=5)
    assert calls and calls[0] != threading.current_thread().name  # read in its own thread
    guard("/v1/product/archive")  # the first write finds them read
    assert len(calls) == 1


@pytest.mark.parametrize(
    "failure",
    [
        AuthenticationError("Invalid Api-Key", path="/v1/roles", status=401),
        OSError("network is down"),
    ],
)
def test_a_failed_read_ahead_still_stops_the_first_write(failure: Exception) -> None:
    def load() -> KeyInfo:
        raise failure

    guard = WriteGuard(load, "p")
    with pytest.raises(Exception):  # noqa: B017 - the thread's error, kept in its future
        guard.prefetch().result(timeout=5)
    expected = AuthError if isinstance(failure, AuthenticationError) else type(failure)
    for _ in range(2):  # every write, not only the first, is stopped
        with pytest.raises(expected):
            guard("/v1/product/archive")


def test_a_journal_step_of_plain_values_is_not_parsed_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    op = Journal(tmp_path, "promo").new("leave")
    parsed: list[Path] = []

    def counting(path: Path, **kw: Any) -> dict[str, Any]:
        parsed.append(path)
        return read_toml(path, **kw)

    monkeypatch.setattr(journal_mod, "read_toml", counting)
    products = [{"id": i, "name": f"n{i}", "price": "10.5", "sku": None} for i in range(300)]
    op.record(0, "snapshot", {"products": products, "keys": (1, 2), 3: True})
    assert parsed == []
    # what the process keeps is what a reader of the file gets
    on_disk = read_toml(op.folder / "00000-snapshot.toml")
    assert op.entries() == [(0, "snapshot", on_disk)]
    assert on_disk["keys"] == [1, 2] and on_disk["3"] is True
    assert "sku" not in on_disk["products"][0]
    # a float may come back otherwise: that step is read back from its file
    op.record(1, "done", {"share": 0.1})
    assert parsed == [op.folder / "00001-done.toml"]
    assert op.entries()[1] == (1, "done", {"share": 0.1})
