"""Joining and leaving one of the seller's own promotions: Ozon answers add and delete
with an empty body, so what is reported for each product is what the promotion holds
when read back (a product Ozon left out without a word is ``rejected``), and a request
whose answer was lost is waited out and read back, never sent again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from promo_fake import PIDS, FakePromos
from test_promo_leave import crash_on, journal, sequential, small_batches
from test_promo_unknown import Clock, lose_answers

from ozonctl.commands.promo.own_products import NO_REASON
from ozonctl.domain import promo_runs

ADD = "/v1/seller-actions/products/add"
DELETE = "/v1/seller-actions/products/delete"


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The promotion runs' clock, moved on by their waits (no real sleep)."""
    c = Clock()
    monkeypatch.setattr(promo_runs, "now", lambda: c.t)
    monkeypatch.setattr(promo_runs, "sleep", c.sleep)
    return c


def sent(fake: FakePromos, path: str) -> list[Any]:
    return [body for p, body in fake.log if p == path]


def by_sku(r: Any) -> dict[int, tuple[str, str]]:
    return {row["sku"]: (row["status"], row["reason"]) for row in r.json()["items"]}


def test_a_product_ozon_leaves_out_silently_is_reported_rejected(
    cli: Any, fake: FakePromos
) -> None:
    fake.skip_add = {PIDS[1]}
    r = cli("promo", "join", "5001", "--sku", "5000,5001", "--discount", "12", "--yes", "--json")
    assert r.exit_code == 3, r.stderr
    got = by_sku(r)
    assert got[5000][0] == "joined" and got[5001] == (
        "rejected",
        f"not in the promotion when read back: {NO_REASON}",
    )
    assert fake.own[PIDS[0]] == 12.0 and PIDS[1] not in fake.own
    assert sent(fake, ADD) == [
        {
            "action_id": 5001,
            "products": [
                {"sku": 5000, "discount_percent": 12.0},
                {"sku": 5001, "discount_percent": 12.0},
            ],
        }
    ]


def test_a_lost_answer_is_waited_out_read_back_and_not_resent(
    cli: Any, fake: FakePromos, waits: Clock
) -> None:
    lose_answers(fake, DELETE)  # applied at Ozon, the answer lost (a 504)
    r = cli("promo", "leave", "5001", "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert by_sku(r) == {5010: ("left", "out of the promotion when read back")}
    assert fake.own == {} and len(sent(fake, DELETE)) == 1
    assert waits.waits, "the read-back waited until the lost request was surely over"
    undo = cli("promo", "rejoin", "5001", "--yes", "--json")
    assert undo.exit_code == 0, undo.stderr
    assert fake.own == {PIDS[10]: 7.0}  # back at its recorded percent
    assert sent(fake, ADD) == [
        {"action_id": 5001, "products": [{"sku": 5010, "discount_percent": 7.0}]}
    ]


def test_dry_run_and_a_refused_confirmation_send_nothing(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "join", "5001", "--sku", "5000", "--discount", "9", "--dry-run", "--json")
    assert r.exit_code == 0 and [x["status"] for x in r.json()["items"]] == ["would_join"]
    r2 = cli("promo", "leave", "5001", "--all", "--no-input")
    assert r2.exit_code != 0
    assert not sent(fake, ADD) and not sent(fake, DELETE)
    assert fake.own == {PIDS[10]: 7.0}


def test_a_killed_leave_is_finished_by_the_same_command(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch, ozonctl_home: Path, waits: Clock
) -> None:
    fake.own = {pid: 7.0 for pid in PIDS[:4]}
    sequential(ozonctl_home)
    small_batches(monkeypatch, "seller_actions.delete", 2)
    crash_on(fake, DELETE, 2)  # killed while the second batch was on its way
    with pytest.raises(SystemExit):
        cli("promo", "leave", "5001", "--all", "--yes")
    fake.answer = FakePromos.answer.__get__(fake)  # type: ignore[method-assign]
    assert sorted(fake.own) == PIDS[2:4]
    (op,) = journal(ozonctl_home).all()
    assert op.status == "running"

    other = cli("promo", "leave", "5001", "--sku", "5000", "--yes")
    assert other.exit_code == 2 and "was interrupted" in other.stderr and "--fresh" in other.stderr

    r = cli("promo", "leave", "5001", "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert "finishing the interrupted leave" in r.stderr
    assert [x["status"] for x in r.json()["items"]] == ["left"] * 4
    assert fake.own == {}
    assert sent(fake, DELETE)[-1] == {"action_id": 5001, "skus": ["5002", "5003"]}
    assert len(sent(fake, DELETE)) == 3  # the first batch was never sent again
    (op,) = journal(ozonctl_home).all()
    assert op.status == "done" and op.header["counts"] == {"left": 4}


def test_leaving_an_own_promotion_reads_no_catalogue_index(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch
) -> None:
    # was: the index was read for every --all leave, and an own promotion's leave (whose
    # products carry their offer ids and names) threw it away
    from ozonctl.catalog.index import CatalogIndex

    loads: list[Path] = []
    load = CatalogIndex.load
    monkeypatch.setattr(CatalogIndex, "load", staticmethod(lambda f: loads.append(f) or load(f)))
    r = cli("promo", "leave", "5001", "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["items"] and loads == []
