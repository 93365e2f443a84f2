"""One vocabulary at the top level: "did you mean" and the plural group names."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("promoo", "promo"), ("ordr", "order"), ("payuot", "payout"), ("listngs", "listing")],
)
def test_a_mistyped_group_suggests_the_group(cli: Any, typed: str, meant: str) -> None:
    r = cli(typed)
    assert r.exit_code == 2
    assert f"Did you mean '{meant}'" in r.stderr


@pytest.mark.parametrize(
    ("plural", "group"),
    [("promos", "promo"), ("orders", "order"), ("payouts", "payout"), ("listings", "listing")],
)
def test_the_plurals_are_the_groups(cli: Any, plural: str, group: str) -> None:
    assert cli(plural, "--help").stdout == cli(group, "--help").stdout.replace(
        f"ozonctl {group}", f"ozonctl {plural}"
    )
    assert cli(plural, "--help").exit_code == 0


def test_the_plurals_stay_out_of_the_list_of_groups(cli: Any) -> None:
    listed = cli("--help").stdout
    assert "  promo " in listed and "  promos " not in listed
    assert "promos, listings, orders and payouts" in listed
