"""The promotion policy file and its rules (domain/promo_policy.py): what breaks what,
and a file ozonctl does not understand stopping before anything is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ozonctl.client.models.products import ProductPrice
from ozonctl.domain.margin import Costs
from ozonctl.domain.promo_policy import DEFAULT_POLICY, Placement, Policy, load_policy
from ozonctl.errors import UsageError

D = Decimal


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
        ("min_margin_pct = 100\n", "min_margin_pct must be a percentage below 100"),
        ("min_margin_pct = true\n", "is not a percentage"),
        ('min_margin_pct = 5\nscheme = "rfbs"\n', 'scheme must be "fbs" or "fbo"'),
        ('scheme = "fbs"\n', "scheme is read only with min_margin_pct"),
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


def price_item(product_id: int, offer_id: str, net_price: float = 0) -> ProductPrice:
    """A ``/v5/product/info/prices`` item in Ozon's shape: price 1000, FBS 10 % + 50
    logistics + 25 processing + 40 last mile, FBO 12 % + 60 logistics + 40 last mile,
    acquiring 15."""
    return ProductPrice.model_validate(
        {
            "product_id": product_id,
            "offer_id": offer_id,
            "price": {"price": 1000, "net_price": net_price, "currency_code": "RUB"},
            "commissions": {
                "sales_percent_fbs": 10,
                "sales_percent_fbo": 12,
                "fbs_direct_flow_trans_max_amount": 50,
                "fbs_first_mile_max_amount": 25,
                "fbs_deliv_to_customer_amount": 40,
                "fbo_direct_flow_trans_max_amount": 60,
                "fbo_deliv_to_customer_amount": 40,
            },
            "acquiring": 15,
        }
    )


class Prices:
    """``client.products.prices`` over fixed items, counting the ids of each call."""

    def __init__(self, items: list[ProductPrice]) -> None:
        self.items = {i.product_id: i for i in items}
        self.calls: list[int] = []

    def prices(self, *, product_ids: list[int]) -> Iterator[ProductPrice]:
        self.calls.append(len(product_ids))
        return (self.items[i] for i in product_ids if i in self.items)


class Client:
    def __init__(self, items: list[ProductPrice]) -> None:
        self.products = Prices(items)


COSTS = Costs({"OF-1": D("600"), "OF-2": D("500"), "OF-3": D("715"), "OF-5": D("1")}, "c.csv")


def margin_policy(tmp_path: Path, text: str, costs: Costs = COSTS) -> Policy:
    return load_policy(policy(tmp_path, text), lambda: costs)


def test_the_margin_rule_judges_by_hand_computed_margins(tmp_path: Path) -> None:
    rules = margin_policy(tmp_path, "min_margin_pct = 5\n")
    client = Client([price_item(k, f"OF-{k}", 700 if k == 5 else 0) for k in range(1, 6)])
    one = place(product_id=1, offer_id="OF-1", action_price=D("800"))
    two = place(product_id=2, offer_id="OF-2", action_price=D("900"))
    three = place(product_id=3, offer_id="OF-3", action_price=D("1000"))
    four = place(product_id=4, offer_id="OF-4", action_price=D("900"))
    five = place(product_id=5, offer_id="OF-5", action_price=D("1000"), where="auto-add")
    rules.prepare(client, [one, two, three, four, five])  # type: ignore[arg-type]
    assert client.products.calls == [5]  # once, every product in one request
    # OF-1 at 800, cost 600 (file): FBS 80.00 + 50 + 25 + 40 + 15 = 210 -> -10.00;
    # FBO 96.00 + 60 + 40 + 15 = 211 -> -11.00, -1.375 % -> -1.4: FBO is the lower
    assert rules.breaches(one) == ["margin -11.00 (-1.4%, FBO) at the action price is below 5%"]
    # OF-2 at 900, cost 500: FBS 90 + 130 = 220 -> 180.00 (20.0 %); FBO 108 + 115 = 223
    # -> 177.00 (19.7 %)
    assert rules.breaches(two) == [] and two.margin is not None
    assert (two.margin.margin, two.margin.percent, two.margin.scheme) == (
        D("177"),
        D("19.7"),
        "fbo",
    )
    # OF-3 at 1000, cost 715: FBO 120 + 115 = 235 -> 50.00, exactly 5 %: not below
    assert rules.breaches(three) == [] and three.margin is not None
    assert three.margin.margin == D("50.00")
    # OF-4: no net_price, not in the costs file: not judged, and says why
    assert rules.breaches(four) == [] and four.margin is None
    assert rules.unjudged(four).startswith("margin unknown: no known cost")
    # OF-5 keeps net_price 700 at Ozon, which wins over the file's 1: FBO 1000 - 235 - 700
    # = 65.00 (6.5 %), on an auto-add list at the price Ozon would add it at
    assert rules.breaches(five) == [] and five.margin is not None
    assert (five.margin.margin, five.margin.cost) == (D("65.00"), D("700.00"))
    assert rules.unjudged(one) == rules.unjudged(five) == ""


def test_the_margin_rule_counts_the_scheme_given_and_a_cent_below_breaks(
    tmp_path: Path,
) -> None:
    # OF-2 at 900: FBS 180.00 = 20.0 %, FBO 177.00 = 19.67 %: 19.8 % breaks FBO only
    fbs = margin_policy(tmp_path, 'min_margin_pct = 19.8\nscheme = "fbs"\n')
    lower = margin_policy(tmp_path, "min_margin_pct = 19.8\n")
    # OF-3 with cost 715.01: FBO 49.99, a cent under 5 % of 1000
    dearer = margin_policy(tmp_path, "min_margin_pct = 5\n", Costs({"OF-3": D("715.01")}))
    two = place(product_id=2, offer_id="OF-2", action_price=D("900"))
    three = place(product_id=3, offer_id="OF-3", action_price=D("1000"))
    client = Client([price_item(2, "OF-2"), price_item(3, "OF-3")])
    fbs.prepare(client, [two])  # type: ignore[arg-type]
    assert fbs.breaches(two) == []
    lower.prepare(client, [two])  # type: ignore[arg-type]
    assert lower.breaches(two) == ["margin 177.00 (19.7%, FBO) at the action price is below 19.8%"]
    dearer.prepare(client, [three])  # type: ignore[arg-type]
    assert dearer.breaches(three) == ["margin 49.99 (5.0%, FBO) at the action price is below 5%"]


def test_the_margin_rule_reads_fees_1000_products_a_request_and_costs_once(
    tmp_path: Path,
) -> None:
    read: list[int] = []

    def costs() -> Costs:
        read.append(1)
        return COSTS

    rules = load_policy(policy(tmp_path, "min_margin_pct = 5\n"), costs)
    client = Client([price_item(1, "OF-1")])
    many = [place(product_id=k) for k in range(1, 2501)] + [place(product_id=1, action_id=2)]
    rules.prepare(client, many)  # type: ignore[arg-type]
    assert client.products.calls == [1000, 1000, 500] and read == [1]
    assert rules.unjudged(many[1]) == "margin unknown: Ozon gave no fees for it"
    # without a margin rule the costs file is never read
    load_policy(policy(tmp_path, "max_discount_pct = 30\n"), costs)
    assert read == [1]


def test_a_product_on_an_auto_add_list_and_a_candidate_for_one() -> None:
    """``on_auto_add`` is the one reading of Ozon's auto-add item for ``promo guard``,
    ``audit``, ``auto-add list`` and ``auto-add candidates``: the promotion's fields, the
    prices as money, a min price of 0 as none; a candidate has no units on the list."""
    from types import SimpleNamespace

    from ozonctl.client.models.promos import AutoAddProduct
    from ozonctl.domain.promo_policy import on_auto_add

    money = {"amount": "0", "currency": "RUB"}
    q = AutoAddProduct.model_validate(
        {
            "id": 7,
            "sku": 70,
            "offer_id": "A-7",
            "name": "Mug",
            "price": {**money, "amount": "1000"},
            "action_price_to_auto_add": {**money, "amount": "800"},
            "max_discount_price": {**money, "amount": "850"},
            "min_seller_price": money,
            "quantity_to_auto_add": 4,
        }
    )
    action = SimpleNamespace(
        id=5,
        title="Sale",
        freeze_date=None,
        is_boosting=False,
        is_voucher_action=True,
        leave_method="update",
    )
    on_list = on_auto_add(q, action, "2026-12-01T00:00:00Z")  # type: ignore[arg-type]
    assert (on_list.product_id, on_list.action_id, on_list.where) == (7, 5, "auto-add")
    assert (on_list.price, on_list.action_price, on_list.max_action_price) == (
        Decimal("1000"),
        Decimal("800"),
        Decimal("850"),
    )
    assert on_list.min_price is None and on_list.stock == 4
    assert on_list.is_voucher and on_list.leave_method == "update"
    candidate = on_auto_add(q, action, "2026-12-01T00:00:00Z", candidate=True)  # type: ignore[arg-type]
    assert (candidate.where, candidate.stock) == ("candidate", 0)
    assert candidate.auto_add_date == "2026-12-01T00:00:00Z"
