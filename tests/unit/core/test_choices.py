"""Options with a closed set of values take any case and refuse an unknown value with
exit 2 and the valid values, before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest
import typer

from ozonctl.cli.choices import one_of


def test_any_case_becomes_the_sets_own_spelling() -> None:
    check = one_of("ALL", "NEW", "awaiting_packaging")
    assert check("new") == "NEW"
    assert check(" All ") == "ALL"
    assert check("AWAITING_PACKAGING") == "awaiting_packaging"
    assert check(["new", "all"]) == ["NEW", "ALL"]
    assert check(None) is None
    assert check([]) == []


def test_an_unknown_value_names_the_valid_ones() -> None:
    with pytest.raises(typer.BadParameter) as exc:
        one_of("FBS", "FBO")("fsb")
    assert str(exc.value.message) == "'fsb' is not one of: FBS, FBO"
    with pytest.raises(typer.BadParameter):
        one_of("big", "small")(["big", "huge"])


CASES = [
    (("order", "list", "--status", "delivred"), "awaiting_packaging"),
    (("order", "list", "--fbo", "-s", "delivered", "-s", "shipped"), "delivered"),
    (("order", "returns", "--schema", "rfbs"), "FBS, FBO"),
    (("order", "label", "1-1-1", "-o", "x.pdf", "--size", "medium"), "big, small"),
    (("promo", "requests", "--status", "pending"), "ALL, NEW, APPROVED, DECLINED"),
    (("promo", "list", "--type", "discont"), "DISCOUNT"),
    (("listing", "list", "--visibility", "archive"), "ARCHIVED"),
    (("api", "/v3/product/list", "-X", "PSOT"), "GET, POST, PUT, PATCH, DELETE"),
]


@pytest.mark.parametrize(("args", "valid"), CASES)
def test_a_typo_is_exit_2_with_the_valid_values(
    cli: Any, args: tuple[str, ...], valid: str
) -> None:
    r = cli(*args)
    assert r.exit_code == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Invalid value for '-")
    assert "is not one of:" in lines[0] and valid in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("order", "list", "--status", "DELIVERED"),
        ("order", "returns", "--schema", "fbo"),
        ("promo", "requests", "--status", "new"),
        ("promo", "list", "--type", "Own"),
        ("listing", "list", "--visibility", "archived"),
        ("api", "/v3/product/list", "--method", "post"),
    ],
)
def test_any_case_is_taken(cli: Any, args: tuple[str, ...]) -> None:
    r = cli(*args)
    assert r.exit_code == 4, r.stderr  # past the options: no credentials in this test
