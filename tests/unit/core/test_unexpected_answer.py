"""An answer the models cannot read is one line naming the method and the field, exit 1:
never a traceback, never "not JSON", never a default figure in its place."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from ozonctl.client import OzonClient
from ozonctl.client.errors import UnexpectedAnswerError

BASE = "http://127.0.0.1:9"


def client(answers: dict[str, Any]) -> OzonClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(answers.get(request.url.path, {})).encode())

    return OzonClient(
        client_id="1",
        api_key="k",
        base_url=BASE,
        rps=None,
        max_retries=0,
        transport=httpx.MockTransport(handler),
    )


def test_a_model_refusing_an_item_names_the_method_and_field() -> None:
    c = client({"/v2/warehouse/list": {"warehouses": [{"warehouse_id": "main", "name": "A"}]}})
    with pytest.raises(UnexpectedAnswerError) as caught:
        list(c.account.warehouses())
    assert str(caught.value).startswith(
        "Ozon answered something ozonctl does not understand: POST /v2/warehouse/list: "
        "warehouse_id input should be a valid integer"
    )
    assert caught.value.field == "warehouse_id" and "'main'" in caught.value.problem


def test_a_list_item_without_its_id_is_not_called_not_json() -> None:
    # was: "/v3/product/list: Ozon answered HTTP 200 with a body that is not JSON"
    c = client({"/v3/product/list": {"result": {"items": [{"offer_id": "a"}], "last_id": ""}}})
    with pytest.raises(UnexpectedAnswerError) as caught:
        list(c.products.list_pages())
    assert caught.value.method == "POST" and caught.value.path == "/v3/product/list"
    # the answer is read from its bytes in one pass, so the field is named in its place
    # (as docs/troubleshooting.md shows it)
    assert caught.value.field == "result.items[0].product_id"
    assert caught.value.problem == "is missing"


def test_a_single_answer_model_is_checked_too() -> None:
    c = client({"/v1/rating/summary": {"premium": "maybe"}})
    with pytest.raises(UnexpectedAnswerError, match=r"POST /v1/rating/summary: premium "):
        c.postings.rating_summary()


def test_the_command_prints_one_line_and_exits_1(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OZON_API_URL", BASE)
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/v3/product/list").respond(
            json={"result": {"items": [{"offer_id": "a"}], "last_id": ""}}
        )
        r = cli("listing", "list")
    assert r.exit_code == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(
        "error: Ozon answered something ozonctl does not understand: POST /v3/product/list: "
        "result.items[0].product_id is missing — "  # the field in its place in the answer
    )
    assert "Traceback" not in r.stderr and "ValidationError" not in r.stderr
