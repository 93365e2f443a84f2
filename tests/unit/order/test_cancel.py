"""``order cancel``: the rating guard, confirmation, and never sending a cancel twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_ozon import SKU_A, SKU_B, FakeOzon, posting

from ozonctl.state.journal import Journal

CANCEL = "/v2/posting/fbs/cancel"


def journal_ops(home: Path) -> list[dict[str, Any]]:
    return [op.header for op in Journal(home / "state" / "profiles" / "default", "order").all()]


def test_cancel_needs_yes_in_a_script_and_shows_figures(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("51-1-1"))
    res = cli("order", "cancel", "51-1-1", "--reason", "352")
    assert res.exit_code == 2 and "--yes required" in res.stderr
    assert (
        "cancellations: Индекс ошибок FBS и rFBS 1.2%, was 1.5% (Ozon status OK); "
        "threshold 5% (ozonctl default)" in res.stderr
    )
    assert ozon.bodies(CANCEL) == []


def test_cancel_sends_once_and_journals(cli: Any, ozon: FakeOzon, ozonctl_home: Path) -> None:
    ozon.add(posting("51-1-1"))
    res = cli("order", "cancel", "51-1-1", "--reason", "352", "--yes", "--json")
    assert res.exit_code == 0, res.stderr
    envelope = res.json()
    assert envelope["counts"] == {"cancelled": 1} and envelope["dry_run"] is False
    [doc] = envelope["items"]
    assert envelope["ref"] == doc["journal_ref"]
    assert doc["outcome"] == "cancelled" and doc["status"] == "cancelled"
    assert doc["cancellation_rating"]["current_value"] == 1.2  # a number (issue 18)
    assert ozon.bodies(CANCEL) == [{"posting_number": "51-1-1", "cancel_reason_id": 352}]
    [op] = journal_ops(ozonctl_home)
    assert op["status"] == "done" and op["posting"] == "51-1-1" and op["ref"] == doc["journal_ref"]
    again = cli("order", "cancel", "51-1-1", "--reason", "352", "--yes")
    assert again.exit_code == 0 and "already cancelled" in again.stderr
    assert len(ozon.bodies(CANCEL)) == 1


def test_dry_run_sends_nothing(cli: Any, ozon: FakeOzon, ozonctl_home: Path) -> None:
    ozon.add(posting("51-1-1"))
    res = cli("order", "cancel", "51-1-1", "--reason", "352", "--dry-run")
    assert res.exit_code == 0 and res.stdout == "51-1-1\tcancel\tdry_run\tawaiting_packaging\n"
    assert ozon.bodies(CANCEL) == [] and journal_ops(ozonctl_home) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reason", "501"], "not a reason Ozon allows"),
        (["--reason", "402"], "needs --message"),
        (["--reason", "352", "--product", "999:1"], "not in this posting"),
        (["--reason", "352", "--product", f"{SKU_A}:9"], "more units"),
        (["--reason", "352", "--threshold", "abc"], "not a percentage"),
    ],
)
def test_usage_errors(cli: Any, ozon: FakeOzon, args: list[str], message: str) -> None:
    ozon.add(posting("52-1-1"))
    res = cli("order", "cancel", "52-1-1", *args, "--yes")
    assert res.exit_code == 2 and message in res.stderr
    assert ozon.bodies(CANCEL) == []


def test_over_threshold_refuses_without_force(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("53-1-1"))
    ozon.rating_items[0]["current_value"] = 5.0
    res = cli("order", "cancel", "53-1-1", "--reason", "352", "--yes")
    assert (
        res.exit_code == 1 and "at or over the threshold" in res.stderr and "--force" in res.stderr
    )
    assert ozon.bodies(CANCEL) == []
    res = cli("order", "cancel", "53-1-1", "--reason", "352", "--yes", "--force")
    assert res.exit_code == 0 and len(ozon.bodies(CANCEL)) == 1


def test_threshold_from_option_env_and_config(
    cli: Any, ozon: FakeOzon, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ozon.add(posting("54-1-1"))
    assert (
        "at or over"
        in cli("order", "cancel", "54-1-1", "-r", "352", "-y", "--threshold", "1").stderr
    )
    assert cli("config", "set", "cancel_threshold", "1.2").exit_code == 0
    assert "cancel_threshold = 1.2" in (ozonctl_home / "config.toml").read_text()
    res = cli("order", "cancel", "54-1-1", "-r", "352", "-y")
    assert res.exit_code == 1 and "threshold 1.2% (config)" in res.stderr
    monkeypatch.setenv("OZONCTL_CANCEL_THRESHOLD", "2")
    res = cli("order", "cancel", "54-1-1", "-r", "352", "-y", "--dry-run")
    assert res.exit_code == 0 and "threshold 2% (OZONCTL_CANCEL_THRESHOLD)" in res.stderr


def test_critical_status_counts_as_over(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("55-1-1"))
    ozon.rating_items[0]["status"] = "CRITICAL"
    res = cli("order", "cancel", "55-1-1", "-r", "352", "-y")
    assert res.exit_code == 1 and ozon.bodies(CANCEL) == []


def test_no_cancellation_rating_warns_and_goes_on(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("56-1-1"))
    del ozon.rating_items[0]
    res = cli("order", "cancel", "56-1-1", "-r", "352", "-y")
    assert res.exit_code == 0 and "reports no cancellation rate" in res.stderr


def test_product_cancel(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("57-1-1", products=[(SKU_A, "offer-a", 3), (SKU_B, "offer-b", 1)]))
    res = cli("order", "cancel", "57-1-1", "-r", "352", "--product", f"{SKU_A}:1", "-y", "--json")
    assert res.exit_code == 0, res.stderr
    assert res.json()["items"][0]["action"] == "cancel_products"
    assert ozon.bodies("/v2/posting/fbs/product/cancel") == [
        {
            "posting_number": "57-1-1",
            "cancel_reason_id": 352,
            "cancel_reason_message": "Товар закончился",
            "items": [{"sku": SKU_A, "quantity": 1}],
        }
    ]
    assert ozon.postings["57-1-1"]["products"][0]["quantity"] == 2


@pytest.mark.parametrize(
    "fault",
    [
        httpx.Response(503, json={"code": 14, "message": "unavailable"}),
        httpx.ReadTimeout("timed out"),
    ],
)
def test_lost_answer_is_never_resent(
    cli: Any, ozon: FakeOzon, ozonctl_home: Path, fault: Any
) -> None:
    """The cancel did not apply and its answer was lost: told, journalled, not resent."""
    ozon.add(posting("58-1-1"))
    ozon.fail(CANCEL, fault)
    res = cli("order", "cancel", "58-1-1", "-r", "352", "-y")
    assert res.exit_code == 1
    assert "may or may not have reached Ozon" in res.stderr
    assert "order show 58-1-1" in res.stderr and "never resends" in res.stderr
    [op] = journal_ops(ozonctl_home)
    assert op["status"] == "unknown"
    rerun = cli("order", "cancel", "58-1-1", "-r", "352", "-y")
    assert rerun.exit_code == 1 and "unknown outcome" in rerun.stderr and op["ref"] in rerun.stderr
    assert "--retry-unknown" in rerun.stderr
    assert len(ozon.bodies(CANCEL)) == 1
    # after checking, the user may send a new one explicitly
    forced = cli("order", "cancel", "58-1-1", "-r", "352", "-y", "--retry-unknown")
    assert forced.exit_code == 0, forced.stderr
    assert len(ozon.bodies(CANCEL)) == 2
    assert sorted(o["status"] for o in journal_ops(ozonctl_home)) == ["abandoned", "done"]


def test_lost_answer_of_an_applied_cancel_is_settled_by_the_reread(
    cli: Any, ozon: FakeOzon, ozonctl_home: Path
) -> None:
    ozon.add(posting("59-1-1"))

    def applied_then_lost(request: httpx.Request, body: Any) -> httpx.Response:
        ozon._cancel(body)
        raise httpx.ReadTimeout("answer lost", request=request)

    ozon.fail(CANCEL, applied_then_lost)
    res = cli("order", "cancel", "59-1-1", "-r", "352", "-y", "--json")
    assert res.exit_code == 0, res.stderr
    assert (
        res.json()["items"][0]["outcome"] == "cancelled"
        and "re-read shows 59-1-1 cancelled" in res.stderr
    )
    assert [o["status"] for o in journal_ops(ozonctl_home)] == ["done"]
    assert len(ozon.bodies(CANCEL)) == 1


def test_rerun_after_a_killed_run_settles_by_reread(
    cli: Any, ozon: FakeOzon, ozonctl_home: Path
) -> None:
    """A run killed mid-request left ``sending``; the posting did get cancelled."""
    ozon.add(posting("60-1-1", "cancelled"))
    j = Journal(ozonctl_home / "state" / "profiles" / "default", "order")
    j.new("cancel", status="sending", posting="60-1-1", reason_id=352, items=[])
    res = cli("order", "cancel", "60-1-1", "-r", "352", "-y")
    assert res.exit_code == 0
    assert "went through" in res.stderr and "already cancelled" in res.stderr
    assert ozon.bodies(CANCEL) == []
    assert [o["status"] for o in journal_ops(ozonctl_home)] == ["done"]


def test_refused_cancel_is_journalled_as_failed(
    cli: Any, ozon: FakeOzon, ozonctl_home: Path
) -> None:
    ozon.add(posting("61-1-1"))
    ozon.fail(CANCEL, httpx.Response(400, json={"code": 3, "message": "HAS_INCORRECT_STATUS"}))
    res = cli("order", "cancel", "61-1-1", "-r", "352", "-y")
    assert res.exit_code == 1 and "HAS_INCORRECT_STATUS" in res.stderr
    assert [o["status"] for o in journal_ops(ozonctl_home)] == ["failed"]
    # a refused attempt did not run, so a rerun may send again
    assert cli("order", "cancel", "61-1-1", "-r", "352", "-y").exit_code == 0
    assert len(ozon.bodies(CANCEL)) == 2


def test_cancellation_rating_found_by_code_or_name() -> None:
    from ozonctl.client.models.postings import RatingSummary
    from ozonctl.domain.cancel_guard import cancellation_item

    def summary(*items: tuple[str, str]) -> RatingSummary:
        return RatingSummary.model_validate(
            {"groups": [{"items": [{"rating": c, "name": n} for c, n in items]}]}
        )

    spec = summary(("rating_on_time", "x"), ("rating_general_indicator_fbs_rfbs", "Индекс"))
    assert cancellation_item(spec).rating == "rating_general_indicator_fbs_rfbs"  # type: ignore[union-attr]
    named = summary(
        ("rating_on_time_supply_cancellation", "Отмена поставок"), ("x", "Процент отмен")
    )
    assert cancellation_item(named).rating == "x"  # type: ignore[union-attr]
    assert cancellation_item(summary(("rating_on_time", "Вовремя"))) is None
