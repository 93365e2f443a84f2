"""The promotion policy file and its rules (domain/promo_policy.py): what breaks what,
and a file ozonctl does not understand stopping before anything is sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ozonctl.domain.promo_policy import DEFAULT_POLICY, Placement, load_policy
from ozonctl.errors import UsageError


def place(**kw: object) -> Placement:
    base: dict[str, object] = {
        "product_id": 1,
        "action_id": 71003,
        "title": "Sale",
        "where": "in",
        "offer_id": "OF-1",
        "sku": 1660000011,
        "price": Decimal("1000"),
        "action_price": Decimal("800"),
        "min_price": Decimal("700"),
    }
    return Placement(**{**base, **kw})  # type: ignore[arg-type]


def policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_rule_names_what_it_breaks(tmp_path: Path) -> None:
    rules = load_policy(
        policy(
            tmp_path,
            'never_below_min_price = true\nmax_discount_pct = 15\nkeep_out = ["OF-9", 5]\n'
            '[min_prices]\n"OF-2" = 900\n',
        )
    )
    assert rules.breaches(place(price=Decimal("850"))) == []  # 5.9 % off, above 700
    assert rules.breaches(place()) == ["discount 20.0% is over 15%"]
    assert rules.breaches(place(action_price=Decimal("690"), price=Decimal("700"))) == [
        "action price 690 is below the min price 700"
    ]
    # the seller's own floor wins over Ozon's min price
    own = place(offer_id="OF-2", price=Decimal("880"))
    assert rules.breaches(own) == ["action price 800 is below the min price 900"]
    assert rules.breaches(place(offer_id="OF-9", price=Decimal("850"))) == [
        "kept out of every promotion by the policy"
    ]
    assert rules.breaches(place(product_id=5, price=Decimal("850")))  # by product id too
    assert DEFAULT_POLICY.breaches(place(action_price=Decimal("600"))) != []
    assert DEFAULT_POLICY.breaches(place(min_price=None, action_price=Decimal("1"))) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("max_discount = 30\n", "unknown key 'max_discount'"),
        ("min_margin_pct = 5\n", "min_margin_pct is not supported yet"),
        ("max_discount_pct = 100\n", "must be below 100"),
        ('max_discount_pct = "lots"\n', "is not a number"),
        ("max_discount_pct = -1\n", "0 or more"),
        ('keep_out = "OF-1"\n', "keep_out must be a list"),
        ("[min_prices]\nOF = -5\n", "0 or more"),
    ],
)
def test_a_policy_ozonctl_does_not_understand_stops_with_its_file(
    tmp_path: Path, text: str, says: str
) -> None:
    with pytest.raises(UsageError) as err:
        load_policy(policy(tmp_path, text))
    assert says in err.value.message and "policy.toml" in err.value.message


def test_a_missing_policy_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no policy file"):
        load_policy(tmp_path / "nope.toml")


def test_placement_dates_and_freezing() -> None:
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    p = place(where="auto-add", auto_add_date="2026-12-03T21:00:00Z", freeze_date=now)
    assert p.auto_add_moment == dt.datetime(2026, 12, 3, 21, tzinfo=dt.UTC)
    assert p.frozen(now) and not place().frozen(now)
    assert place(auto_add_date="not a date").auto_add_moment is None


def test_a_rule_that_needs_more_data_reads_it_once_before_the_checks(tmp_path: Path) -> None:
    """The hook a margin rule uses: a maker in RULES, and ``prepare`` before ``check``."""
    from ozonctl.domain import promo_policy

    class Margin:
        def __init__(self) -> None:
            self.seen: list[int] = []

        def prepare(self, client: object, placements: list[Placement]) -> None:
            self.seen = [p.product_id for p in placements]

        def check(self, p: Placement) -> str:
            return "margin unknown" if p.product_id not in self.seen else ""

    rule = Margin()
    makers = {**promo_policy.RULES, "min_margin_pct": lambda value, table, source: rule}
    not_yet = {k: v for k, v in promo_policy.NOT_YET.items() if k != "min_margin_pct"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(promo_policy, "RULES", makers)
        mp.setattr(promo_policy, "NOT_YET", not_yet)
        rules = load_policy(policy(tmp_path, "min_margin_pct = 5\n"))
    rules.prepare(object(), [place()])  # type: ignore[arg-type]
    assert rules.breaches(place()) == [] and rules.breaches(place(product_id=2)) == [
        "margin unknown"
    ]
