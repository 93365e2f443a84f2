"""Accruals as ledger lines: kinds from type names, the breakdown of each category, the
remainder line, unknown types, filters and totals rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ozonctl.client.models.finance import Accrual, AccrualType, PostingAccruals
from ozonctl.domain.ledger import (
    REMAINDER_NAME,
    LineFilter,
    Totals,
    TypeCatalog,
    accrual_lines,
    classify,
    posting_lines,
)
from ozonctl.errors import UsageError


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Выручка от продажи", "sales"),
        ("Возврат выручки", "returns"),
        ("Вознаграждение Ozon за продажу", "commission"),
        ("Возврат вознаграждения Ozon", "returns"),
        ("Логистика", "delivery"),
        ("Доставка до покупателя", "delivery"),
        ("Обратная логистика", "returns"),
        ("Обработка возврата", "returns"),
        ("Размещение товаров на складах Ozon", "services"),
        ("Продвижение в поиске", "services"),
        ("Подписка Premium", "services"),
        ("Оплата эквайринга", "services"),
        ("Компенсация за утерянный товар", "compensations"),
        ("MarketplaceServiceItemDirectFlowLogistic", "delivery"),
        ("MarketplaceServiceItemReturnAfterDelivToCustomer", "returns"),
        ("MarketplaceSellerCompensationLossOfGoodsOperation", "compensations"),
        ("Штраф за что-то", "other"),
        ("", "other"),
    ],
)
def test_classify(name: str, kind: str) -> None:
    assert classify(name) == kind


CATALOG = TypeCatalog(
    [
        AccrualType(id=30, name="Логистика"),
        AccrualType(id=40, name="Размещение товаров на складах Ozon"),
        AccrualType(id=50, name="Продвижение в поиске"),
        AccrualType(id=77, name="Штраф за что-то"),
    ]
)


def m(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "RUB"}


def test_a_posting_sale_and_a_return() -> None:
    sale = Accrual.model_validate(
        {
            "accrual_id": "17",
            "accrued_category": "POSTING",
            "date": "2026-10-05",
            "unit_number": "0001-1",
            "total_amount": m("780.50"),
            "posting": {
                "products": [
                    {
                        "sku": "555",
                        "commission": {
                            "sale_amount": m("1000.00"),
                            "commission": m("-150.00"),
                            "sale_price": m("1100.00"),
                            "bonus": m("20.00"),
                        },
                        "delivery": {
                            "services": [{"type_id": 30, "accrued": m("-69.50")}],
                            "total_accrued": m("-69.50"),
                        },
                    }
                ]
            },
        }
    )
    lines = accrual_lines(sale, CATALOG)
    assert [(ln.kind, ln.type_id, ln.amount) for ln in lines] == [
        ("sales", None, Decimal("1000.00")),
        ("commission", None, Decimal("-150.00")),
        ("delivery", 30, Decimal("-69.50")),
    ]
    assert {(ln.accrual_id, ln.sku, ln.unit, ln.date) for ln in lines} == {
        (17, 555, "0001-1", dt.date(2026, 10, 5))
    }
    back = Accrual.model_validate(
        {
            "accrual_id": 18,
            "accrued_category": "POSTING",
            "total_amount": m("-880.00"),
            "posting": {
                "products": [
                    {
                        "sku": 555,
                        "commission": {"sale_amount": m("-1000.00"), "commission": m("150.00")},
                        "delivery": {"total_accrued": m("-30.00")},
                    }
                ]
            },
        }
    )
    lines = accrual_lines(back, CATALOG, dt.date(2026, 10, 6))
    assert [(ln.kind, ln.amount) for ln in lines] == [
        ("returns", Decimal("-1000.00")),
        ("returns", Decimal("150.00")),
        ("delivery", Decimal("-30.00")),
    ]
    assert lines[0].date == dt.date(2026, 10, 6)  # the day asked for when the accrual has none


def test_item_non_item_container_and_the_remainder() -> None:
    acc = Accrual.model_validate(
        {
            "accrual_id": 1,
            "accrued_category": "ITEM",
            "date": "2026-10-05T00:00:00Z",
            "total_amount": m("-100.00"),
            "item_fees": {"fees": [{"sku": 9, "fees": [{"type_id": 40, "accrued": m("-10.00")}]}]},
            "non_item_fee": {"type_id": 50, "accrued": m("-20.00")},
            "container_fees": {
                "fees": [
                    {"type_id": 77, "accrued": m("-30.00")},
                    {"type_id": 12345, "accrued": m("-5.00")},
                    {"type_id": 30, "accrued": m("0.00")},
                ]
            },
        }
    )
    lines = accrual_lines(acc, CATALOG)
    assert [(ln.kind, ln.type_id, ln.type_name, ln.amount) for ln in lines] == [
        ("services", 40, "Размещение товаров на складах Ozon", Decimal("-10.00")),
        ("services", 50, "Продвижение в поиске", Decimal("-20.00")),
        ("other", 77, "Штраф за что-то", Decimal("-30.00")),
        ("other", 12345, "type 12345 (not in Ozon's catalogue)", Decimal("-5.00")),
        ("other", None, REMAINDER_NAME, Decimal("-35.00")),
    ]
    assert lines[0].sku == 9 and lines[1].sku is None
    totals = Totals().add_all(lines)
    assert totals.net("RUB") == Decimal("-100.00")
    assert [(o.type_id, o.amount) for o in totals.other_types()] == [
        (None, Decimal("-35.00")),
        (77, Decimal("-30.00")),
        (12345, Decimal("-5.00")),
    ]


def test_an_accrual_with_only_a_total_is_one_other_line() -> None:
    acc = Accrual.model_validate({"accrual_id": 2, "total_amount": m("12.34")})
    (line,) = accrual_lines(acc, CATALOG, dt.date(2026, 1, 2))
    assert (line.kind, line.amount, line.category) == ("other", Decimal("12.34"), "UNSPECIFIED")
    assert accrual_lines(Accrual.model_validate({"total_amount": m("0")}), CATALOG) == []


def test_posting_lines_are_typed() -> None:
    found = PostingAccruals.model_validate(
        {
            "posting_number": "P-1",
            "accruals": [
                {"accrual_date": "2026-10-03", "type_id": 30, "sku": 5, "accrued": m("-7.00")},
                {"accrual_date": "bad", "type_id": 99, "sku": 0, "accrued": m("1.00")},
            ],
        }
    )
    lines = posting_lines(found, CATALOG)
    assert [(ln.unit, ln.kind, ln.sku, ln.amount) for ln in lines] == [
        ("P-1", "delivery", 5, Decimal("-7.00")),
        ("P-1", "other", None, Decimal("1.00")),
    ]


def test_line_filter() -> None:
    flt = LineFilter.parse(["sales, 30", "OTHER"])
    assert flt.kinds == {"sales", "other"} and flt.type_ids == {30}
    assert not LineFilter.parse([])
    with pytest.raises(UsageError):
        LineFilter.parse(["salez"])


def test_totals_rows_per_currency() -> None:
    acc = Accrual.model_validate(
        {
            "total_amount": {"amount": "5.00", "currency": "KZT"},
            "non_item_fee": {"type_id": 50, "accrued": {"amount": "5.00", "currency": "KZT"}},
        }
    )
    totals = Totals().add_all(accrual_lines(acc, CATALOG))
    rows = totals.rows()
    assert {r["currency"] for r in rows} == {"KZT"}
    assert rows[-1] == {"kind": "net", "amount": Decimal("5.00"), "currency": "KZT", "lines": 1}
    assert Totals().rows()[-1]["currency"] == "RUB"  # an empty period still has a net row
