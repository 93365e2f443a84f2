"""``order list``, ``order show``, ``order returns``, ``order rating``, ``cancel-reasons``."""

from __future__ import annotations

from typing import Any

from fake_ozon import SKU_A, SKU_B, FakeOzon, posting


def test_list_pipe_is_tsv_with_sku_qty_products(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("11-1-1", products=[(SKU_A, "offer-a", 2), (SKU_B, "offer-b", 1)]))
    ozon.add(posting("11-2-1", "delivered"))
    res = cli("order", "list")
    assert res.exit_code == 0, res.stderr
    lines = [line.split("\t") for line in res.stdout.splitlines()]
    assert [r[0] for r in lines] == ["11-1-1", "11-2-1"]
    first = lines[0]
    assert first[1] == "awaiting_packaging"
    assert first[2].endswith("+00:00") and first[3].endswith("+00:00")
    assert first[4] == f"{SKU_A}:2,{SKU_B}:1" and first[5] == "Main"


def test_list_json_has_products_in_full_and_status_filter(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("11-1-1"), posting("11-2-1", "delivered"))
    res = cli("order", "list", "--status", "delivered", "--json", "--since", "2026-11-01")
    assert res.exit_code == 0, res.stderr
    rows = res.json()
    assert [r["posting_number"] for r in rows] == ["11-2-1"]
    assert rows[0]["products"][0] == {
        "sku": SKU_A,
        "offer_id": "offer-a",
        "name": "Product offer-a",
        "quantity": 2,
        "price": "1299.90",
        "currency": "RUB",
    }
    body = ozon.bodies("/v4/posting/fbs/list")[0]
    assert body["filter"]["statuses"] == ["delivered"]
    assert body["filter"]["since"] == "2026-11-01T00:00:00Z"


def test_list_unfulfilled_uses_the_unfulfilled_method(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("11-1-1"), posting("11-2-1", "delivered"))
    res = cli("order", "list", "--unfulfilled", "--json")
    assert [r["posting_number"] for r in res.json()] == ["11-1-1"]
    assert ozon.bodies("/v4/posting/fbs/list") == []
    assert len(ozon.bodies("/v4/posting/fbs/unfulfilled/list")) == 1


def test_list_fbo(cli: Any, ozon: FakeOzon) -> None:
    ozon.fbo = [
        {
            "posting_number": f"F-{i}",
            "status": "delivered",
            "created_at": "2026-11-20T10:00:00Z",
            "products": [{"sku": 5, "offer_id": "o", "quantity": 1, "price": {"amount": "10"}}],
            "analytics_data": {"warehouse_name": "Хоругвино"},
        }
        for i in range(150)
    ]
    res = cli("order", "list", "--fbo")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 150
    assert lines[0].split("\t") == [
        "F-0",
        "delivered",
        "2026-11-20T10:00:00+00:00",
        "",
        "5:1",
        "Хоругвино",
    ]
    assert len(ozon.bodies("/v3/posting/fbo/list")) == 2


def test_list_bad_dates_are_usage_errors(cli: Any, ozon: FakeOzon) -> None:
    res = cli("order", "list", "--since", "yesterday")
    assert res.exit_code == 2 and "not a date" in res.stderr
    res = cli("order", "list", "--since", "2024-01-01", "--to", "2026-01-01")
    assert res.exit_code == 2 and "one year" in res.stderr
    res = cli("order", "list", "--fbo", "--unfulfilled")
    assert res.exit_code == 2


def test_show_pipe_and_json(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("12-1-1"))
    res = cli("order", "show", "12-1-1")
    assert res.exit_code == 0, res.stderr
    lines = dict(
        line.split("\t", 1) for line in res.stdout.splitlines() if not line.startswith("product")
    )
    assert lines["posting"] == "12-1-1" and lines["status"] == "awaiting_packaging"
    assert f"product\t{SKU_A}\toffer-a\t2\t1299.90\tProduct offer-a" in res.stdout
    doc = cli("order", "show", "12-1-1", "--json").json()
    assert doc["posting_number"] == "12-1-1" and doc["products"][0]["price"] == "1299.90"
    assert ozon.bodies("/v3/posting/fbs/get")[0] == {
        "posting_number": "12-1-1",
        "with": {"related_postings": True},
    }


def test_show_unknown_posting_is_one_line_error(cli: Any, ozon: FakeOzon) -> None:
    res = cli("order", "show", "nope")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "not found" in res.stderr


def test_returns_rows(cli: Any, ozon: FakeOzon) -> None:
    ozon.returns = [
        {
            "id": 31,
            "posting_number": "13-1-1",
            "schema": "FBS",
            "type": "FullReturn",
            "return_reason_name": "Брак",
            "product": {
                "sku": 5,
                "offer_id": "o-5",
                "quantity": 1,
                "price": {"price": 10.5, "currency_code": "RUB"},
            },
            "visual": {"status": {"display_name": "В пути", "sys_name": "MovingToSeller"}},
            "logistic": {"return_date": "2026-11-20T00:00:00Z"},
        }
    ]
    res = cli("order", "returns", "--since", "10d")
    assert res.stdout.split("\t")[:7] == [
        "31",
        "13-1-1",
        "fbs",
        "FullReturn",
        "В пути",
        "Брак",
        "5",
    ]
    doc = cli("order", "returns", "--json", "--schema", "fbo").json()
    assert doc[0]["price"] == "10.50" and doc[0]["status_code"] == "MovingToSeller"
    assert ozon.bodies("/v1/returns/list")[-1]["filter"]["return_schema"] == "FBO"
    assert cli("order", "returns", "--schema", "x").exit_code == 2


def test_rating_puts_cancellation_first(cli: Any, ozon: FakeOzon) -> None:
    ozon.rating_items.reverse()
    res = cli("order", "rating")
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert rows[0][:4] == [
        "rating_general_indicator_fbs_rfbs",
        "Индекс ошибок FBS и rFBS",
        "1.2",
        "1.5",
    ]
    assert rows[0][-1] == "5" and rows[1][-1] == ""
    doc = cli("order", "rating", "--json").json()
    assert doc[0]["cancel_threshold"] == 5 and doc[1]["cancel_threshold"] is None


def test_rating_figures_are_rounded_to_two_decimals(cli: Any, ozon: FakeOzon) -> None:
    """Issue 16.15: ratings are rounded (Ozon may send 4.7166666)."""
    ozon.rating_items[0]["current_value"] = 4.7166666
    ozon.rating_items[0]["past_value"] = 0.005
    ozon.rating_items[1]["current_value"] = 96.0
    rows = [line.split("\t") for line in cli("order", "rating").stdout.splitlines()]
    assert rows[0][2:4] == ["4.72", "0.01"]
    assert rows[1][2] == "96"
    doc = cli("order", "rating", "--json").json()
    assert doc[0]["value"] == 4.72 and doc[1]["value"] == 96


def test_cancel_reasons_all_and_for_posting(cli: Any, ozon: FakeOzon) -> None:
    res = cli("order", "cancel-reasons")
    assert res.stdout.splitlines()[0] == "352\tТовар закончился\tseller\ttrue"
    res = cli("order", "cancel-reasons", "14-1-1", "--json")
    assert [r["id"] for r in res.json()] == [352, 402]
    assert ozon.bodies("/v1/posting/fbs/cancel-reason") == [{"related_posting_numbers": ["14-1-1"]}]


def test_order_list_keeps_since_and_takes_month(cli: Any, ozon: FakeOzon) -> None:
    res = cli("order", "list", "--since", "2026-11-01", "--json")
    assert res.exit_code == 0, res.stderr
    res = cli("order", "list", "--month", "2026-10", "--json")
    assert res.exit_code == 0, res.stderr
    res = cli("order", "returns", "--from", "2w", "--json")
    assert res.exit_code == 0, res.stderr
    bodies = ozon.bodies("/v4/posting/fbs/list")
    assert bodies[0]["filter"]["since"] == "2026-11-01T00:00:00Z"
    assert (bodies[1]["filter"]["since"], bodies[1]["filter"]["to"]) == (
        "2026-10-01T00:00:00Z",
        "2026-10-31T23:59:59Z",
    )
    assert "--since" not in cli("order", "list", "--help").stdout
