"""A small fake of Ozon's posting methods for the order unit tests.

``FakeOzon`` answers over respx (so the in-process ``cli`` fixture and a real
``OzonClient`` both reach it), keeps postings as Ozon's JSON, records every request,
and can be told to fail a path (``fail(path, exc_or_response)``) a number of times.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import respx

BASE = "http://127.0.0.1:9"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SKU_A, SKU_B = 1_000_001, 1_000_002


def iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def posting(
    number: str,
    status: str = "awaiting_packaging",
    *,
    hours: float = 48,
    products: list[tuple[int, str, int]] | None = None,
    created_days: float = 1,
) -> dict[str, Any]:
    lines = products if products is not None else [(SKU_A, "offer-a", 2)]
    return {
        "posting_number": number,
        "order_id": 77,
        "order_number": number.rsplit("-", 1)[0],
        "status": status,
        "substatus": "posting_created" if status == "awaiting_packaging" else "",
        "in_process_at": iso(NOW - dt.timedelta(days=created_days)),
        "shipment_date": iso(NOW + dt.timedelta(hours=hours)),
        "delivery_method": {"id": 5, "name": "Ozon", "warehouse_id": 901, "warehouse": "Main"},
        "tracking_number": "",
        "products": [
            {
                "sku": sku,
                "offer_id": offer,
                "name": f"Product {offer}",
                "quantity": qty,
                "price": {"amount": "1299.90", "currency": "RUB"},
            }
            for sku, offer, qty in lines
        ],
        "cancellation": {"cancel_reason_id": 0, "affect_cancellation_rating": False},
    }


class FakeOzon:
    def __init__(self, router: respx.MockRouter) -> None:
        self.router = router
        self.postings: dict[str, dict[str, Any]] = {}
        self.fbo: list[dict[str, Any]] = []
        self.returns: list[dict[str, Any]] = []
        self.stock: dict[int, int] = {}
        """Free FBS units by SKU; the fake reports present = free + 1 and reserved = 1."""
        self.rating_items: list[dict[str, Any]] = [
            {
                "rating": "rating_general_indicator_fbs_rfbs",
                "name": "Индекс ошибок FBS и rFBS",
                "current_value": 1.2,
                "past_value": 1.5,
                "status": "OK",
                "value_type": "PERCENT",
                "rating_direction": "LOWER_IS_BETTER",
            },
            {
                "rating": "rating_on_time",
                "name": "Доставка вовремя",
                "current_value": 97.5,
                "past_value": 96,
                "status": "OK",
                "value_type": "PERCENT",
            },
        ]
        self.reasons = [
            {
                "id": 352,
                "title": "Товар закончился",
                "type_id": "seller",
                "is_available_for_cancellation": True,
            },
            {
                "id": 402,
                "title": "Другое (вина продавца)",
                "type_id": "seller",
                "is_available_for_cancellation": True,
            },
            {
                "id": 501,
                "title": "Покупатель передумал",
                "type_id": "buyer",
                "is_available_for_cancellation": False,
            },
        ]
        self.cancel_requests: list[dict[str, Any]] = []
        """Buyers' cancellation requests (``/v2/conditional-cancellation/list``)."""
        self.ship_fails: set[str] = set()
        self.label_polls = 2
        self.label_file_body: bytes | None = None
        """What every label file holds instead of a real PDF (a broken file)."""
        self.label_tasks: dict[int, dict[str, Any]] = {}
        self.faults: dict[str, list[Any]] = {}
        self.calls: list[tuple[str, Any, httpx.Request]] = []
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "/v4/posting/fbs/list": self._fbs_list,
            "/v4/posting/fbs/unfulfilled/list": self._unfulfilled,
            "/v3/posting/fbs/get": self._get,
            "/v4/posting/fbs/ship": self._ship,
            "/v2/posting/fbs/cancel-reason/list": lambda b: {"result": self.reasons},
            "/v1/posting/fbs/cancel-reason": self._reasons_for,
            "/v2/posting/fbs/cancel": self._cancel,
            "/v2/posting/fbs/product/cancel": self._product_cancel,
            "/v3/posting/fbs/package-label/create": self._label_create,
            "/v2/posting/fbs/package-label/get": self._label_get,
            "/v2/fbs/posting/tracking-number/set": self._tracking,
            "/v3/posting/fbo/list": self._fbo_list,
            "/v1/returns/list": self._returns,
            "/v1/rating/summary": lambda b: {
                "groups": [{"group_name": "Main", "items": self.rating_items}]
            },
            "/v4/product/info/stocks": self._stocks,
            "/v2/conditional-cancellation/list": self._cancel_requests,
            "/v2/posting/fbo/get": self._fbo_get,
            "/v1/roles": lambda b: {
                "expires_at": "2099-01-01T00:00:00Z",
                "roles": [{"name": "Admin", "methods": sorted(self._handlers)}],
            },
        }
        for path in self._handlers:
            router.post(path).mock(side_effect=self._dispatch)
        router.get(url__startswith=f"{BASE}/files/").mock(side_effect=self._file)

    def _fbo_get(self, body: dict[str, Any]) -> Any:
        for p in self.fbo:
            if p["posting_number"] == body["posting_number"]:
                return {"result": p}
        raise LookupError(f"posting {body['posting_number']} not found")

    def _cancel_requests(self, body: dict[str, Any]) -> dict[str, Any]:
        state = (body.get("filters") or {}).get("state") or "ALL"
        chosen = [r for r in self.cancel_requests if state in ("ALL", r["state"]["state"])]
        return {"result": chosen, "last_id": 0}

    # --- plumbing --------------------------------------------------------------------------
    def add(self, *postings: dict[str, Any]) -> None:
        for p in postings:
            self.postings[p["posting_number"]] = p

    def fail(self, path: str, *steps: Any) -> None:
        """The next calls to ``path`` get these: an exception, an httpx.Response, or a
        function of (request, body) that returns a response or raises."""
        self.faults.setdefault(path, []).extend(steps)

    def bodies(self, path: str) -> list[Any]:
        return [body for p, body, _ in self.calls if p == path]

    def _dispatch(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content or b"{}")
        self.calls.append((path, body, request))
        if self.faults.get(path):
            step = self.faults[path].pop(0)
            if isinstance(step, Exception):
                raise step
            if callable(step):
                return step(request, body)
            return step
        try:
            result = self._handlers[path](body)
        except LookupError as exc:
            return httpx.Response(404, json={"code": 5, "message": str(exc)})
        except ValueError as exc:
            return httpx.Response(400, json={"code": 3, "message": str(exc)})
        return httpx.Response(200, json=result)

    @staticmethod
    def _page(items: list[Any], body: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        start = int(body.get("cursor") or 0)
        limit = int(body["limit"])
        page = items[start : start + limit]
        more = start + limit < len(items)
        return page, {"cursor": str(start + limit) if more else "", "has_next": more}

    # --- postings --------------------------------------------------------------------------
    def _select(self, body: dict[str, Any], unfulfilled: bool) -> list[dict[str, Any]]:
        f = body.get("filter") or {}
        statuses = set(f.get("statuses") or [])
        out = []
        for p in self.postings.values():
            if statuses and p["status"] not in statuses:
                continue
            if unfulfilled and p["status"] in ("cancelled", "delivered", "delivering"):
                continue
            out.append(p)
        return out

    def _fbs_list(self, body: dict[str, Any]) -> Any:
        assert {"since", "to"} <= set(body["filter"]), body
        page, meta = self._page(self._select(body, False), body)
        return {"postings": page, **meta}

    def _unfulfilled(self, body: dict[str, Any]) -> Any:
        assert {"cutoff_from", "cutoff_to"} <= set(body["filter"]), body
        page, meta = self._page(self._select(body, True), body)
        return {"postings": page, "count": len(page), **meta}

    def _get(self, body: dict[str, Any]) -> Any:
        p = self.postings.get(body["posting_number"])
        if p is None:
            raise LookupError(f"posting {body['posting_number']} not found")
        return {"result": p}

    def _ship(self, body: dict[str, Any]) -> Any:
        p = self._get(body)["result"]
        if p["status"] != "awaiting_packaging":
            raise ValueError("POSTING_ALREADY_SHIPPED")
        if p["posting_number"] in self.ship_fails:
            p["substatus"] = "ship_failed"
            return {"result": [p["posting_number"]]}
        numbers = [p["posting_number"]]
        for k, package in enumerate(body["packages"][1:], start=2):
            child = dict(p, posting_number=f"{p['order_number']}-{k}", status="awaiting_deliver")
            child["products"] = [
                dict(p["products"][0], sku=x["product_id"], quantity=x["quantity"])
                for x in package["products"]
            ]
            self.add(child)
            numbers.append(child["posting_number"])
        p["status"], p["substatus"] = "awaiting_deliver", "posting_transferring_to_delivery"
        return {"result": numbers}

    def _reasons_for(self, body: dict[str, Any]) -> Any:
        usable = [r for r in self.reasons if r["is_available_for_cancellation"]]
        return {
            "result": [
                {"posting_number": n, "reasons": usable} for n in body["related_posting_numbers"]
            ]
        }

    def _cancel(self, body: dict[str, Any]) -> Any:
        p = self._get(body)["result"]
        if p["status"] == "cancelled":
            raise ValueError("POSTING_ALREADY_CANCELLED")
        p["status"] = "cancelled"
        p["cancellation"] = {
            "cancel_reason_id": body["cancel_reason_id"],
            "affect_cancellation_rating": True,
        }
        return {"result": True}

    def _product_cancel(self, body: dict[str, Any]) -> Any:
        p = self._get(body)["result"]
        for item in body["items"]:
            for line in p["products"]:
                if line["sku"] == item["sku"]:
                    line["quantity"] -= item["quantity"]
        p["products"] = [line for line in p["products"] if line["quantity"] > 0]
        if not p["products"]:
            p["status"] = "cancelled"
        return {"result": p["posting_number"]}

    def _label_create(self, body: dict[str, Any]) -> Any:
        task_id = 500 + len(self.label_tasks)
        self.label_tasks[task_id] = {"numbers": body["posting_numbers"], "polls": 0}
        return {
            "tasks": [
                {"task_id": task_id, "task_type": "big_label"},
                {"task_id": task_id + 1000, "task_type": "small_label"},
            ]
        }

    def _label_get(self, body: dict[str, Any]) -> Any:
        task = self.label_tasks[body["task_id"]]
        task["polls"] += 1
        if task["polls"] < self.label_polls:
            return {"status": {"code": "in_progress"}}
        bad = [
            n
            for n in task["numbers"]
            if self.postings.get(n, {}).get("status") != "awaiting_deliver"
        ]
        good = len(task["numbers"]) - len(bad)
        return {
            "status": {
                "code": "completed",
                "postings_count": len(task["numbers"]),
                "printed_postings_count": good,
                "unprinted_postings": [
                    {"posting_number": n, "message": "wrong status"} for n in bad
                ],
            },
            "file_url": f"{BASE}/files/labels-{body['task_id']}.pdf" if good else "",
        }

    def _file(self, request: httpx.Request) -> httpx.Response:
        """A label file as Ozon's are: a PDF, one page per printed posting."""
        from ozonctl.sandbox.pdf import label_pdf

        self.calls.append((request.url.path, None, request))
        if self.label_file_body is not None:
            return httpx.Response(200, content=self.label_file_body)
        stem = request.url.path.rsplit("-", 1)[-1].removesuffix(".pdf")
        if not stem.isdigit() or int(stem) not in self.label_tasks:
            return httpx.Response(404, content=b"no such file")
        task_id = int(stem)
        numbers = self.label_tasks[task_id]["numbers"]
        printed = [
            n for n in numbers if self.postings.get(n, {}).get("status") == "awaiting_deliver"
        ]
        return httpx.Response(200, content=label_pdf(task_id, printed))

    def _tracking(self, body: dict[str, Any]) -> Any:
        out = []
        for item in body["tracking_numbers"]:
            p = self.postings.get(item["posting_number"])
            if p is None:
                out.append(
                    {
                        "posting_number": item["posting_number"],
                        "result": False,
                        "error": "POSTING_NOT_FOUND",
                    }
                )
                continue
            p["tracking_number"] = item["tracking_number"]
            out.append({"posting_number": item["posting_number"], "result": True, "error": ""})
        return {"result": out}

    def _fbo_list(self, body: dict[str, Any]) -> Any:
        page, meta = self._page(self.fbo, body)
        return {"postings": page, **meta}

    def _returns(self, body: dict[str, Any]) -> Any:
        after = int(body.get("last_id") or 0)
        rest = [r for r in self.returns if r["id"] > after]
        page = rest[: int(body["limit"])]
        return {"returns": page, "has_next": len(rest) > len(page)}

    def _stocks(self, body: dict[str, Any]) -> Any:
        offers = set(body["filter"]["offer_id"])
        items = []
        for p in self.postings.values():
            for line in p["products"]:
                if line["offer_id"] in offers and line["sku"] in self.stock:
                    offers.discard(line["offer_id"])
                    items.append(
                        {
                            "offer_id": line["offer_id"],
                            "product_id": line["sku"] - 1000,
                            "stocks": [
                                {
                                    "type": "fbs",
                                    "sku": line["sku"],
                                    "present": self.stock[line["sku"]] + 1,
                                    "reserved": 1,
                                },
                                {"type": "fbo", "sku": line["sku"], "present": 999, "reserved": 0},
                            ],
                        }
                    )
        page, meta = self._page(items, body)
        return {"items": page, "cursor": meta["cursor"], "total_items": len(items)}
