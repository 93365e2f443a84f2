"""End to end: ``analytics sales``/``budget``, ``promo impact`` for a promotion ozonctl never
touched, ``listing stock cover`` and ``promo products --low-cover`` against the sandbox,
each figure checked against the sandbox's postings summed here by hand; and Ozon's
analytics budget: cached answers, a run that would pass the day's budget refused before
it sends anything, and the sandbox's own counter agreeing with ozonctl's ledger."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from orders_support import api, walk

DATA = "/v1/analytics/data"
TURNOVER = "/v1/analytics/turnover/stocks"
SALE = 71003
"""Ozon's "Распродажа 11.11" in the sandbox: started 2026-11-22, ozonctl never touched it."""
PERIOD = ("--from", "2026-11-10", "--to", "2026-11-26")


def lines(sandbox: Any) -> list[tuple[dt.date, int, int, Decimal, bool]]:
    """(day, sku, units, revenue, cancelled) of every FBS and FBO posting line."""
    flt = {"filter": {"since": "2026-08-01T00:00:00Z", "to": "2026-11-28T00:00:00Z"}}
    out = []
    for path in ("/v4/posting/fbs/list", "/v3/posting/fbo/list"):
        for p in walk(sandbox, path, flt):
            day = dt.date.fromisoformat(p["in_process_at"][:10])
            for x in p["products"]:
                price = x["price"]["amount"] if isinstance(x["price"], dict) else x["price"]
                revenue = Decimal(str(price)) * x["quantity"]
                out.append((day, x["sku"], x["quantity"], revenue, p["status"] == "cancelled"))
    return out


def sums(
    found: list[tuple[dt.date, int, int, Decimal, bool]],
    first: dt.date,
    last: dt.date,
    *,
    key: Any = lambda day, sku: str(day),
    skus: set[int] | None = None,
    cancelled: bool = False,
) -> dict[str, tuple[int, str]]:
    out: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for day, sku, units, revenue, was_cancelled in found:
        wanted = skus is None or sku in skus
        if first <= day <= last and wanted and (cancelled or not was_cancelled):
            t = out[key(day, sku)]
            t[0] += units
            t[1] += revenue
    return {k: (u, f"{r:.2f}") for k, (u, r) in out.items()}


def analytics_state(sandbox: Any, advance: float = 0) -> Any:
    if advance:
        return httpx.post(
            sandbox.base_url + "/__sandbox/analytics", json={"advance": advance}, timeout=10
        ).json()
    return httpx.get(sandbox.base_url + "/__sandbox/analytics", timeout=10).json()


def tier(sandbox: Any, name: str) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": name}, timeout=10
    ).raise_for_status()


def monday(day: dt.date, sku: int = 0) -> str:
    return (day - dt.timedelta(days=day.weekday())).isoformat()


def test_sales_from_postings_by_day_and_sku(sandbox: Any, ozonctl: Any) -> None:
    found = lines(sandbox)
    first, last = dt.date(2026, 11, 10), dt.date(2026, 11, 26)
    r = ozonctl("analytics", "sales", *PERIOD, "--by", "day", "--json")
    assert r.exit_code == 0, r.stderr
    got = {row["period"]: (row["units"], row["revenue"]) for row in r.json()}
    assert got == sums(found, first, last) and len(got) > 10
    assert not any(x for x in sandbox.requests(DATA))  # no analytics request from postings

    by_sku = sums(found, first, last, key=lambda day, sku: str(sku))
    top = sorted(by_sku, key=lambda k: (-Decimal(by_sku[k][1]), int(k)))[:3]
    r = ozonctl("analytics", "sales", *PERIOD, "--sku", ",".join(top), "--json")
    assert [(str(x["sku"]), x["units"], x["revenue"]) for x in r.json()] == [
        (k, *by_sku[k]) for k in top
    ]
    assert all(x["offer_id"] for x in r.json())  # named from the catalogue
    r = ozonctl("analytics", "sales", *PERIOD, "--by", "month", "--csv", "-")
    assert r.stdout.splitlines()[0] == "period,units,revenue"
    r = ozonctl("analytics", "sales", *PERIOD, "--by", "year")
    assert r.exit_code == 2 and "sku, day, week, month" in r.stderr


def test_sales_from_ozon_are_cached_and_match_the_postings(sandbox: Any, ozonctl: Any) -> None:
    """Two identical commands send one analytics request; Ozon counts what was ordered,
    cancelled orders included."""
    found = lines(sandbox)
    first, last = dt.date(2026, 11, 10), dt.date(2026, 11, 26)
    args = ("analytics", "sales", *PERIOD, "--by", "week", "--source", "ozon", "--json")
    r = ozonctl(*args)
    assert r.exit_code == 0, r.stderr
    assert "1 request(s)" in r.stderr
    again = ozonctl(*args)
    assert again.exit_code == 0 and again.stdout == r.stdout
    assert "local cache" in again.stderr
    assert len(sandbox.requests(DATA)) == 1
    got = {row["period"]: (row["units"], row["revenue"]) for row in r.json()}
    assert got == sums(found, first, last, key=monday, cancelled=True)


def test_a_run_past_the_days_budget_is_refused_before_it_sends(sandbox: Any, ozonctl: Any) -> None:
    tier(sandbox, "none")  # no Premium Plus/Pro: 50 requests a day
    assert ozonctl("analytics", "sales", *PERIOD, "--by", "day", "--source", "ozon").exit_code == 0
    analytics_state(sandbox, advance=61)  # past Ozon's one a minute, without waiting
    assert ozonctl("analytics", "sales", *PERIOD, "--by", "week", "--source", "ozon").exit_code == 0
    budget = ozonctl("analytics", "budget", "--json").json()
    assert (budget["used"], budget["left"], budget["limit"]) == (2, 48, 50)
    assert budget["subscription"] == "UNSPECIFIED" and budget["traffic_metrics"] is False
    assert analytics_state(sandbox)["used"] == 2  # the sandbox counted the same two

    # 87 days of 600 SKUs by day: about 53 pages of 1,000 rows, more than the 48 left
    skus = ",".join(str(1_660_000_000 + 11 * k) for k in range(600))
    analytics_state(sandbox, advance=61)
    r = ozonctl(
        "analytics", "sales", "--from", "2026-09-01", "--to", "2026-11-26",
        "--by", "day", "--sku", skus, "--source", "ozon",
    )  # fmt: skip
    assert r.exit_code == 1
    (line,) = r.stderr.strip().splitlines()
    assert "needs 53 analytics request(s) and 48 of today's 50 are left" in line
    assert "nothing was sent" in line
    assert len(sandbox.requests(DATA)) == 2 and analytics_state(sandbox)["used"] == 2


def test_a_budget_spent_elsewhere_stops_ozonctl_after_one_refusal(
    sandbox: Any, ozonctl: Any
) -> None:
    """Another tool spent the day's 50: Ozon's 429 ends the run in one line and sets the
    ledger to the limit, so the next run is refused without asking Ozon."""
    tier(sandbox, "none")
    body = {"date_from": "2026-11-20", "date_to": "2026-11-21", "metrics": ["revenue"],
            "dimension": ["day"], "limit": 10}  # fmt: skip
    for _ in range(50):
        api(sandbox, DATA, body)
        analytics_state(sandbox, advance=61)
    assert analytics_state(sandbox)["used"] == 50
    args = ("analytics", "sales", *PERIOD, "--by", "day", "--source", "ozon")
    r = ozonctl(*args)
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 2  # the plan, the error
    assert "today's budget is spent" in r.stderr
    assert ozonctl("analytics", "budget", "--json").json()["left"] == 0
    sent = len(sandbox.requests(DATA))
    analytics_state(sandbox, advance=61)
    r = ozonctl(*args)
    assert r.exit_code == 1 and "nothing was sent" in r.stderr
    assert len(sandbox.requests(DATA)) == sent


def test_impact_of_a_promotion_ozonctl_never_touched(sandbox: Any, ozonctl: Any) -> None:
    found = lines(sandbox)
    inside = ozonctl("promo", "products", str(SALE), "--json").json()
    skus = {x["sku"] for x in inside}
    r = ozonctl("promo", "impact", str(SALE), "--days", "3", "--json")
    assert r.exit_code == 0, r.stderr
    (row,) = r.json()
    assert (row["kind"], row["date"], row["ref"]) == ("promotion", "2026-11-22", "ozon")
    assert row["products"] == len(inside) and row["days_after"] == 3
    before = dt.date(2026, 11, 19), dt.date(2026, 11, 21)
    after = dt.date(2026, 11, 22), dt.date(2026, 11, 24)
    for side, (first, last) in (("before", before), ("after", after)):
        sold = sums(found, first, last, key=lambda d, s: "all", skus=skus).get("all", (0, "0.00"))
        ordered = sums(found, first, last, key=lambda d, s: "all", skus=skus, cancelled=True)
        assert (row[f"units_{side}"], row[f"revenue_{side}"]) == sold
        assert (row[f"ozon_units_{side}"], row[f"ozon_revenue_{side}"]) == ordered["all"]
        assert row[f"views_{side}"] > 0 and Decimal(row[f"conversion_{side}"]) > 0
    assert len(sandbox.requests(DATA)) == 1  # one request for every window

    tier(sandbox, "none")  # without Premium Plus: no traffic, ordered units still
    analytics_state(sandbox, advance=61)
    r = ozonctl("promo", "impact", str(SALE), "--days", "3", "--json", "--refresh")
    (again,) = r.json()
    assert "views_before" not in again and again["ozon_units_after"] == row["ozon_units_after"]
    assert sandbox.requests(DATA)[-1]["body"]["metrics"] == ["ordered_units", "revenue"]
    r = ozonctl("promo", "impact", str(SALE), "--days", "3", "--per-product", "--no-analytics")
    assert sorted(line.split("\t")[3] for line in r.stdout.splitlines()) == sorted(
        str(s) for s in skus
    )


def cover_rates(sandbox: Any) -> dict[int, Decimal]:
    """Units a day per SKU over the last 30 full days (ozonctl's clock), from postings."""
    today = dt.datetime.now(dt.UTC).date()
    first, last = today - dt.timedelta(days=30), today - dt.timedelta(days=1)
    sold = sums(lines(sandbox), first, last, key=lambda d, s: str(s))
    return {int(k): Decimal(u) / 30 for k, (u, _) in sold.items()}


def tenth(value: Decimal) -> float:
    """A figure as the JSON gives it: a number, to a tenth."""
    return float(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


def test_stock_cover_from_postings_and_from_ozons_turnover(sandbox: Any, ozonctl: Any) -> None:
    rates = cover_rates(sandbox)
    r = ozonctl("listing", "stock", "cover", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    local = [x for x in rows if x["source"] == "postings"]
    ozon = [x for x in rows if x["source"] == "ozon"]
    assert local and ozon
    for x in local:  # every product: days = (FBS free + FBO) / units a day
        rate = rates.get(x["sku"])
        expected = tenth((x["free_stock"] + x["fbo_stock"]) / rate) if rate else None
        assert x["days"] == expected, x
    sold = [x for x in local if x["days"] is not None]
    assert sold
    for x in sold[:25] + [x for x in local if x["days"] is None][:10]:  # stock, sampled
        state = httpx.get(f"{sandbox.base_url}/__sandbox/state/product/{x['sku']}").json()
        free = sum(p - q for p, q in zip(state["present"], state["reserved"], strict=True))
        assert (x["free_stock"], x["fbo_stock"]) == (free, state["fbo"])
    analytics_state(sandbox, advance=61)
    idc = {t["sku"]: t for t in api(sandbox, TURNOVER, {"limit": 1000})["items"]}
    for x in ozon:  # stocked only at Ozon: Ozon's own figure
        assert x["free_stock"] == 0 and x["days"] == tenth(Decimal(str(idc[x["sku"]]["idc"])))
    assert len(sandbox.requests(TURNOVER)) == 2  # ozonctl's one, and ours
    r = ozonctl("listing", "stock", "cover", "--below", "20", "--json")
    below = {x["sku"] for x in r.json()}
    assert below == {x["sku"] for x in rows if x["days"] is not None and Decimal(x["days"]) < 20}
    assert len(sandbox.requests(TURNOVER)) == 2  # the cached answer


def test_promo_products_low_cover(sandbox: Any, ozonctl: Any) -> None:
    rates = cover_rates(sandbox)
    inside = ozonctl("promo", "products", str(SALE), "--json").json()
    expected = {
        x["offer_id"] for x in inside if rates.get(x["sku"]) and x["stock"] / rates[x["sku"]] < 40
    }
    r = ozonctl("promo", "products", str(SALE), "--low-cover", "40", "--json")
    assert r.exit_code == 0, r.stderr
    assert {x["offer_id"] for x in r.json()} == expected and expected
    assert all(Decimal(x["cover_days"]) < 40 for x in r.json())
