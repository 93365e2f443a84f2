"""The shared field types of the response models: what they accept, and that ids are
read by pydantic-core itself (no Python validator per field: docs/performance.md,
"Listing pages and cards as their pydantic models")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from ozonctl.client.models.common import Int64, Int64Str, adapter
from ozonctl.client.models.products import ProductInfo, ProductListItem

BIG = 2**53 + 1  # not exact as a float


@pytest.mark.parametrize("shape", [Int64, Int64Str])
def test_ids_are_read_natively(shape: object) -> None:
    assert adapter(shape).core_schema["type"] == "int"


@pytest.mark.parametrize(
    ("sent", "held"),
    [(7, 7), ("7", 7), (" 42 ", 42), ("-5", -5), (str(BIG), BIG), (BIG, BIG), (str(2**70), 2**70)],
)
def test_an_id_is_an_int_from_a_number_or_digits(sent: object, held: int) -> None:
    assert ProductListItem.model_validate({"product_id": sent}).product_id == held
    assert adapter(Int64).validate_json(f"{sent!r}".replace("'", '"')) == held


def test_a_card_keeps_big_ids_exact_and_prices_as_sent() -> None:
    card = ProductInfo.model_validate(
        {"id": str(BIG), "sku": BIG, "price": "1809.00", "old_price": 2437, "min_price": 0.1}
    )
    assert (card.id, card.sku) == (BIG, BIG)
    assert (card.price, card.old_price, card.min_price) == (
        Decimal("1809.00"),
        Decimal(2437),
        Decimal("0.1"),
    )
    assert str(card.price) == "1809.00"


@pytest.mark.parametrize("sent", ["", "x", "1.5", 1.5, None])
def test_an_id_that_is_not_an_integer_is_refused(sent: object) -> None:
    with pytest.raises(ValidationError) as err:
        ProductListItem.model_validate({"product_id": sent})
    assert err.value.errors()[0]["loc"] == ("product_id",)
