"""Ozon's documents as the oracle of answers: schemas, examples and the client's reading.

- ``operation``/``response_schema``: a method's documented operation and the JSON Schema
  of one of its answers (``$ref`` inlined, OpenAPI's ``nullable`` as a JSON Schema null,
  recursion cut at a depth), from the 2026-06-11 document where it has the path, else
  the 2026-10 derived one.
- ``examples``: the answer examples the document gives for a method; ``built_example``
  one made from the schema (every property, the documented ``example`` or a typed
  value) for a method whose document gives none.
- ``READERS``: for every method of the endpoint table, how the client reads its answer
  (the resource method a command calls, its results consumed); ``read`` runs one answer
  through it over a mocked transport and returns the results as plain data.
- ``COUNTS``: what the run fed through the client, printed at the end of the run (see
  conftest's terminal summary).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from ozonctl.client.endpoints import Endpoint

COUNTS: Counter[str] = Counter()
METHODS: set[str] = set()

MAX_DEPTH = 8
DAY = dt.date(2026, 11, 1)
SINCE = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


def operation(specs: dict[str, Any], ep: Endpoint) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the document, the operation) of ``ep``."""
    for name in ("official", "derived"):
        op = specs[name]["paths"].get(ep.path, {}).get(ep.method.lower())
        if op is not None:
            return specs[name], op
    raise LookupError(f"{ep.method} {ep.path} is in neither document")


def _target(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


JSON_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})


def to_json_schema(doc: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """``node`` as a self-contained JSON Schema (refs inlined, ``nullable`` as null)."""
    if isinstance(node, list):
        return [to_json_schema(doc, n, depth) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        if depth >= MAX_DEPTH:
            return {}
        return to_json_schema(doc, _target(doc, node["$ref"]), depth + 1)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("example", "examples", "description", "title", "x-enum-descriptions"):
            continue
        if key == "pattern":  # Ozon writes placeholders there (" YYYY-MM-DD"), not regexes
            continue
        if key == "properties":
            out[key] = {k: to_json_schema(doc, v, depth) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "not"):
            out[key] = to_json_schema(doc, value, depth)
        elif key == "nullable":
            continue
        elif key == "type" and value not in JSON_TYPES:
            # Ozon's slips in /v1/question/*: "timestamp" (a date-time string), "enum"
            if value == "timestamp":
                out[key] = "string"
            if value == "int":  # /v2/posting/fbs/act/list, get-postings: an int64 id
                out[key] = "integer"
        else:
            out[key] = value
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def response_content(op: dict[str, Any], status: str) -> dict[str, Any]:
    """The JSON answer; where the document names a file type (``application/pdf``) but
    gives a JSON object's schema and example (``/v1/return/giveout/get-pdf``), that."""
    resp = op.get("responses", {}).get(status) or {}
    found = resp.get("content", {})
    content: dict[str, Any] = found.get("application/json") or next(
        (c for c in found.values() if c.get("schema")), {}
    )
    return content


def pdf_answer(specs: dict[str, Any], ep: Endpoint) -> bool:
    """Whether the document makes ``ep``'s 200 answer a PDF (``application/pdf``)."""
    _, op = operation(specs, ep)
    content = (op.get("responses", {}).get("200") or {}).get("content", {})
    return "application/pdf" in content and "application/json" not in content


def response_schema(specs: dict[str, Any], ep: Endpoint, status: str = "200") -> Any:
    doc, op = operation(specs, ep)
    schema = response_content(op, status).get("schema")
    return to_json_schema(doc, schema) if schema is not None else None


def error_statuses(specs: dict[str, Any], ep: Endpoint) -> list[str]:
    """The documented error answers of ``ep`` (``default`` stands for any)."""
    _, op = operation(specs, ep)
    return [s for s in op.get("responses", {}) if s != "200"]


def examples(specs: dict[str, Any], ep: Endpoint, status: str = "200") -> list[Any]:
    """The examples the document gives for an answer of ``ep``."""
    _, op = operation(specs, ep)
    content = response_content(op, status)
    found = [content["example"]] if "example" in content else []
    found += [e["value"] for e in (content.get("examples") or {}).values() if "value" in e]
    return found


def _total_items(result: dict[str, Any], items: str) -> None:
    result.pop("total", None)
    result["total_items"] = len(result.get(items) or [])


def _declared_price(items: list[Any], inside: str | None) -> None:
    for item in items:
        target = item.get(inside) if inside else item
        if isinstance(target, dict):
            target["declared_price"] = {"amount": "1000", "currency": "RUB"}


# Ozon's answers as they are now (OZON-NOTES.md "Changes since the copies", quoting
# excerpts-2026-09-28-official.md): `total` off since 2026-11-23 for `total_items`;
# `declared_price`, a Money object ("In the v5 example declared_price is a Money object
# {"amount":"1000","currency":"RUB"}").
SINCE_THE_DOCUMENT: dict[str, Callable[[dict[str, Any]], None]] = {
    "/v3/product/list": lambda b: _total_items(b.get("result") or {}, "items"),
    "/v4/product/info/stocks": lambda b: _total_items(b, "items"),
    "/v5/product/info/prices": lambda b: (
        _total_items(b, "items"),
        _declared_price(b.get("items") or [], "price"),
    ),
    "/v3/product/info/list": lambda b: _declared_price(b.get("items") or [], None),
}


def todays_examples(specs: dict[str, Any], ep: Endpoint) -> list[Any]:
    """The documented examples of ``ep`` changed as Ozon's answers changed since."""
    change = SINCE_THE_DOCUMENT.get(ep.path)
    if change is None:
        return []
    out = []
    for example in examples(specs, ep):
        body = copy.deepcopy(example)
        change(body)
        out.append(body)
    return out


def built_example(specs: dict[str, Any], ep: Endpoint) -> Any:
    """An answer with every documented property of ``ep``'s 200 schema: the documented
    ``example`` of a property where there is one, else a value of its type (money and
    counts as ``"1000"``/``1000``-like figures, so a 0 shown in their place is caught)."""
    doc, op = operation(specs, ep)
    return _build(doc, response_content(op, "200").get("schema") or {}, 0, "")


def _build(doc: dict[str, Any], node: Any, depth: int, name: str) -> Any:
    if not isinstance(node, dict):
        return None
    if "$ref" in node:
        return (
            None if depth >= MAX_DEPTH else _build(doc, _target(doc, node["$ref"]), depth + 1, name)
        )
    if "example" in node:
        return copy.deepcopy(node["example"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            return _build(doc, options[0], depth, name) if options else None
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {k: _build(doc, v, depth, k) for k, v in (node.get("properties") or {}).items()}
    if kind == "array":
        return [_build(doc, node.get("items") or {}, depth, name)]
    if "enum" in node:
        return node["enum"][0]
    if kind in ("integer", "int"):  # "int": Ozon's slip in /v2/posting/fbs/act/*
        if node.get("format") == "int64" and ("id" in name or name == "sku"):
            return 1000123
        return 7
    if kind == "number":
        return 1000.5
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = node.get("format")
        if fmt == "date-time":
            return "2026-11-20T10:00:00Z"
        if fmt == "date":
            return "2026-11-20"
        if name in MONEY_KEYS:
            return "1000.50"
        if fmt in ("int64", "double", "decimal") or name.endswith(("id", "ids", "sku", "skus")):
            return "1000123"
        return f"{name or 'text'}-1"
    return None


MONEY_KEYS = frozenset(
    {
        "price",
        "old_price",
        "min_price",
        "marketing_seller_price",
        "marketing_price",
        "amount",
        "action_price",
        "max_action_price",
        "min_seller_price",
        "base_price",
        "approved_price",
        "requested_price",
        "original_price",
        "declared_price",
        "payout",
        "commission_amount",
    }
)
"""Keys that hold money in Ozon's answers: a figure there must be read as it was sent."""


# -- the client reading one answer ------------------------------------------------------


PDF_PATHS = frozenset({"/v2/posting/fbs/act/get-pdf"})
"""Methods whose answer is the PDF itself (``pdf_answer``): a 200 of theirs is PDF bytes."""


def answering(body: Any, status: int = 200) -> httpx.MockTransport:
    """A transport answering ``body`` (with ``status``) to the first call of each path
    and ``{}`` (an empty page, which ends every walk) to the calls after it; label files
    and the 200 of a PDF method as bytes."""
    seen: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.url.host != "127.0.0.1" or (path in PDF_PATHS and status == 200):
            return httpx.Response(200, content=b"%PDF-1.4")
        if path in seen:
            return httpx.Response(200, json={})
        seen.add(path)
        return httpx.Response(status, content=json.dumps(body).encode())

    return httpx.MockTransport(handler)


def client_for(transport: httpx.BaseTransport) -> Any:
    from ozonctl.client import OzonClient

    return OzonClient(
        client_id="1",
        api_key="k",
        base_url="http://127.0.0.1:9",
        rps=None,
        max_retries=0,
        transport=transport,
        sleep=lambda _s: None,
    )


def read(key: str, body: Any, status: int = 200) -> Any:
    """``body`` as Ozon's answer to ``key``'s method, read by the client as a command
    reads it; the results as plain data (a batch's error as the exception)."""
    readers = READERS[key]
    out = []
    for reader in readers if isinstance(readers, tuple) else (readers,):
        with client_for(answering(body, status)) as client:
            out.append(plain(reader(client)))
    return out


def plain(value: Any) -> Any:
    """Models, named tuples, dataclasses, iterators as JSON-like data (Decimals kept)."""
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if hasattr(value, "_asdict"):
        return plain(value._asdict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset) or (
        isinstance(value, Iterable) and not isinstance(value, str | bytes)
    ):
        return [plain(v) for v in value]
    return value


def _per_item(results: Any) -> list[Any]:
    return [*results.results, *(error for _, error in results.failed)]


def _outcomes(report: Any) -> list[Any]:
    return [o.response if o.error is None else o.error for o in report.outcomes]


Reader = Callable[[Any], Any]


def _keys_fetch(client: Any) -> Any:
    from pathlib import Path

    from ozonctl.keys import fetch

    return fetch(client, Path("/nonexistent/key.toml"), remember=False)


def _seller_write(verb: str, kind: str) -> Reader:
    """A create or update of a seller promotion of mechanic ``kind`` with every field."""
    import datetime as dt

    from ozonctl.client.models.promos import SellerActionSpec

    spec = SellerActionSpec.model_validate(
        {
            "title": "t",
            "date_start": dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            "date_end": dt.datetime(2030, 2, 1, tzinfo=dt.UTC),
            "min_action_percent": 10,
            "discount_type": "PERCENT",
            "discount_value": 10,
            "min_order_amount": 1000,
            "discount_levels": [
                {"order_amount": 1000, "discount_value": 5},
                {"order_amount": 2000, "discount_value": 10},
            ],
            "budget": 1000,
            "voucher_parameters": {"count_codes": 1, "is_private": False, "type": "MULTIPLE"},
        }
    )
    if verb == "create":
        return lambda c: c.promos.create_seller_action(kind, spec)
    return lambda c: c.promos.update_seller_action(kind, 1, spec)


def _rfbs_step(step: str) -> Reader:
    return lambda c: c.postings.set_rfbs_status(step, "1-1-1")


def _readers() -> dict[str, Reader | tuple[Reader, ...]]:
    from ozonctl.client.models.analytics import AnalyticsQuery
    from ozonctl.client.models.postings import (
        CancelItem,
        ShipPackage,
        ShipProduct,
        TrackingNumber,
    )
    from ozonctl.client.models.products import PriceUpdate, StockUpdate
    from ozonctl.client.models.promos import (
        SELLER_ACTION_KINDS,
        ApproveTask,
        AutoAddUpdate,
        DeclineTask,
        ProductUpdate,
        SellerProductAdd,
    )
    from ozonctl.client.models.rfbs_returns import RfbsActionRequest

    def tracking(c: Any) -> Any:
        report = c.postings.set_tracking(
            [TrackingNumber(posting_number="1-1-1", tracking_number="T")]
        )
        # what ``order track`` shows per posting, and the batch's error it comes from
        shown = [c.postings.tracking_results(o) for o in report.outcomes]
        return [*shown, *(o.error for o in report.outcomes if o.error is not None)]

    update = ProductUpdate.model_validate({"product_id": 1, "action_price": {"amount": "10"}})
    auto_add = AutoAddUpdate.model_validate({"id": 1, "action_price": {"amount": "10"}})
    return {
        "seller.info": lambda c: c.account.seller_info(),
        # the typed model, and the cache-making reader the CLI uses before writes (no file)
        "roles": (
            lambda c: c.account.roles(),
            lambda c: _keys_fetch(c),
        ),
        "warehouse.list": lambda c: c.account.warehouses(),
        "actions.list": lambda c: c.promos.list_actions(),
        "actions.products": lambda c: c.promos.products(1),
        "actions.candidates": lambda c: c.promos.candidates(1),
        "actions.products.update": lambda c: _outcomes(c.promos.update_products(1, [update])),
        "actions.products.deactivate": lambda c: _outcomes(c.promos.deactivate(1, [1])),
        "actions.autoadd.list": lambda c: c.promos.auto_add_products(1, "2026-12-01"),
        "actions.autoadd.candidates": lambda c: c.promos.auto_add_candidates(1, "2026-12-01"),
        "actions.autoadd.update": lambda c: _outcomes(
            c.promos.auto_add_update(1, "2026-12-01", [auto_add])
        ),
        "actions.autoadd.delete": lambda c: _outcomes(
            c.promos.auto_add_delete(1, "2026-12-01", [1])
        ),
        "actions.discounts.list": lambda c: c.promos.discount_tasks(),
        "actions.discounts.approve": lambda c: _outcomes(
            c.promos.approve_tasks(
                [
                    ApproveTask(
                        id=1, approved_price=10, approved_quantity_min=1, approved_quantity_max=1
                    )
                ]
            )
        ),
        "actions.discounts.decline": lambda c: _outcomes(
            c.promos.decline_tasks([DeclineTask(id=1)])
        ),
        "seller_actions.list": lambda c: c.promos.seller_actions(),
        "seller_actions.products": lambda c: c.promos.seller_action_products(1),
        "seller_actions.change_activity": lambda c: c.promos.change_activity(1, True),
        "seller_actions.candidates": lambda c: c.promos.seller_action_candidates(1),
        "seller_actions.add": lambda c: _outcomes(
            c.promos.seller_add(1, [SellerProductAdd(sku=1, discount_percent=Decimal(10))])
        ),
        "seller_actions.delete": lambda c: _outcomes(c.promos.seller_delete(1, [1])),
        **{
            f"seller_actions.{verb}.{kind}": _seller_write(verb, kind)
            for verb in ("create", "update")
            for kind in SELLER_ACTION_KINDS
        },
        "seller_actions.archive": lambda c: c.promos.archive_seller_action(1),
        "seller_actions.voucher_codes": lambda c: c.promos.voucher_codes_file(1),
        "product.list": lambda c: c.products.list(),
        "product.info": lambda c: c.products.info(product_ids=[1]),
        "product.archive": lambda c: _outcomes(c.products.archive([1])),
        "product.unarchive": lambda c: _outcomes(c.products.unarchive([1])),
        "product.delete": lambda c: _per_item(c.products.delete(["a"])),
        "product.stocks": lambda c: c.products.stocks(),
        "product.stocks_by_warehouse": lambda c: c.products.stocks_by_warehouse(offer_ids=["a"]),
        "product.stocks.update": lambda c: _per_item(
            c.products.set_stocks([StockUpdate(product_id=1, warehouse_id=1, stock=1)])
        ),
        "product.prices": lambda c: c.products.prices(),
        "product.prices.update": lambda c: _per_item(
            c.products.set_prices([PriceUpdate(product_id=1, price=Decimal(10))])
        ),
        "posting.fbs.list": lambda c: c.postings.fbs_list(SINCE, UNTIL),
        "posting.fbs.unfulfilled": lambda c: c.postings.fbs_unfulfilled(SINCE, UNTIL),
        "posting.fbs.get": lambda c: c.postings.fbs_get("1-1-1"),
        "posting.fbs.ship": lambda c: c.postings.ship(
            "1-1-1", [ShipPackage(products=[ShipProduct(product_id=1, quantity=1)])]
        ),
        "posting.fbs.cancel_reasons": lambda c: c.postings.cancel_reasons(),
        "posting.fbs.cancel_reasons_for": lambda c: c.postings.cancel_reasons_for(["1-1-1"]),
        "posting.fbs.cancel": lambda c: c.postings.cancel("1-1-1", 1),
        "posting.fbs.product_cancel": lambda c: c.postings.cancel_products(
            "1-1-1", 1, "m", [CancelItem(sku=1, quantity=1)]
        ),
        "posting.fbs.label_create": lambda c: c.postings.create_label_tasks(["1-1-1"]),
        "posting.fbs.label_get": lambda c: c.postings.label_task(1),
        "posting.fbs.tracking_set": tracking,
        **{
            f"posting.rfbs.{step}": _rfbs_step(step)
            for step in ("delivering", "last_mile", "delivered")
        },
        "giveout.list": lambda c: c.postings.giveouts(),
        "giveout.info": lambda c: c.postings.giveout(1),
        "giveout.enabled": lambda c: c.postings.giveout_enabled(),
        "giveout.barcode": lambda c: c.postings.giveout_barcode(),
        "giveout.pdf": lambda c: c.postings.giveout_file("pdf"),
        "giveout.png": lambda c: c.postings.giveout_file("png"),
        "posting.fbo.list": lambda c: c.postings.fbo_list(SINCE, UNTIL),
        "posting.fbo.get": lambda c: c.postings.fbo_get("1-1-1"),
        "returns.list": lambda c: c.postings.returns(SINCE, UNTIL),
        "rating.summary": lambda c: c.postings.rating_summary(),
        "act.create": lambda c: c.postings.create_act(1),
        "act.check_status": lambda c: c.postings.act_status(1),
        "act.list": lambda c: c.postings.acts(SINCE, UNTIL),
        "act.postings": lambda c: c.postings.act_postings(1),
        "act.pdf": lambda c: c.postings.act_pdf(1),
        "cancellation.list": lambda c: c.postings.cancel_requests(),
        "cancellation.approve": lambda c: c.postings.decide_cancel_request(True, 1, "ok"),
        "cancellation.reject": lambda c: c.postings.decide_cancel_request(False, 1, "no"),
        "rating.index.postings": lambda c: c.postings.index_postings(SINCE, UNTIL),
        "rating.index.info": lambda c: c.postings.index_info(),
        "rating.history": lambda c: c.postings.rating_history(SINCE, UNTIL, ["rating_on_time"]),
        "returns.rfbs.list": lambda c: c.postings.rfbs_returns(),
        "returns.rfbs.get": lambda c: c.postings.rfbs_return(1),
        "returns.rfbs.action": lambda c: c.postings.rfbs_return_act(
            RfbsActionRequest(return_id=1, id=1020, compensation_amount=1.0)
        ),
        "finance.accrual.by_day": lambda c: c.finance.accruals_of_day(DAY),
        "finance.accrual.postings": lambda c: c.finance.posting_accruals(["1-1-1"]),
        "finance.accrual.types": lambda c: c.finance.accrual_types(),
        "finance.realization": lambda c: c.finance.realization(2026, 10),
        "finance.cash_flow": lambda c: c.finance.cash_flows(SINCE, UNTIL),
        "finance.balance": lambda c: c.finance.balance_period((DAY, DAY)),
        "analytics.data": lambda c: c.analytics.data(
            AnalyticsQuery(
                date_from="2026-11-01",
                date_to="2026-11-26",
                metrics=["ordered_units", "revenue"],
                dimension=["sku", "day"],
            )
        ),
        "analytics.turnover": lambda c: c.analytics.turnover(),
        "review.list": lambda c: c.reviews.list(),
        "review.info": lambda c: c.reviews.info("r-1"),
        "review.count": lambda c: c.reviews.count(),
        "review.comment.list": lambda c: c.reviews.comments("r-1"),
        "review.comment.create": lambda c: c.reviews.reply("r-1", "Спасибо"),
        "review.change_status": lambda c: c.reviews.change_status(["r-1"], "PROCESSED"),
        "question.list": lambda c: c.questions.list(),
        "question.info": lambda c: c.questions.info("q-1"),
        "question.count": lambda c: c.questions.count(),
        "question.answer.list": lambda c: c.questions.answers("q-1", 1),
        "question.answer.create": lambda c: c.questions.answer("q-1", 1, "Да, подойдёт"),
        "chat.list": (lambda c: c.chats.list(), lambda c: c.chats.first_page()),
        "chat.history": (lambda c: c.chats.history("c-1"), lambda c: c.chats.messages("c-1", [1])),
        "chat.send": lambda c: c.chats.send("c-1", "Здравствуйте"),
        "chat.send_file": lambda c: c.chats.send_file("c-1", "a.png", b"png"),
        "chat.read": lambda c: c.chats.read("c-1"),
        "chat.start": lambda c: c.chats.start("1-1-1"),
    }


READERS = _readers()


# -- figures -------------------------------------------------------------------------------


def as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def money_figures(data: Any, found: list[tuple[str, Any]] | None = None) -> list[tuple[str, Any]]:
    """Every (key, amount) of a money key in ``data``, at any depth (the amount None when
    the key holds nothing); a Money object ``{amount, currency}`` counts under the key
    that holds it."""
    found = [] if found is None else found
    if isinstance(data, dict):
        for key, value in data.items():
            if key in MONEY_KEYS and not isinstance(value, list):
                if not isinstance(value, dict):
                    found.append((key, as_decimal(value)))
                    continue
                if "amount" in value:
                    found.append((key, as_decimal(value["amount"])))
                    continue
            money_figures(value, found)
    elif isinstance(data, list):
        for value in data:
            money_figures(value, found)
    return found
