"""Comma-separated lists wherever an option may repeat (issue 18, "One vocabulary")."""

from __future__ import annotations

from typing import Any

import pytest
from cli_tree import commands

from ozonctl.cli.commas import takes_commas

EXCEPTIONS = {("order", "ship", "--package")}  # a comma joins the items of one package


def repeatable() -> list[tuple[tuple[str, ...], Any, Any]]:
    return [
        (path, command, p)
        for path, command in commands()
        for p in command.params
        if p.param_type_name == "option" and getattr(p, "multiple", False)
    ]


def test_every_repeatable_option_takes_commas() -> None:
    found = repeatable()
    assert len(found) > 15
    for path, _, p in found:
        if (*path, p.opts[0]) in EXCEPTIONS:
            continue
        assert takes_commas(p.callback), f"{' '.join(path)} {p.opts[0]}: no commas"


def parse(path: tuple[str, ...], *args: str) -> dict[str, Any]:
    command = dict(commands())[path]
    ctx = command.make_context(path[-1], list(args), resilient_parsing=True)
    return dict(ctx.params)


@pytest.mark.parametrize(
    ("path", "option", "values"),
    [
        (("order", "list"), "--status", ("awaiting_packaging", "delivered")),
        (("question", "list"), "--sku", ("11", "22", "33")),
        (("review", "list"), "--rating", ("1", "5")),
        (("payout", "transactions"), "--posting", ("1-1-1", "2-2-2")),
        (("listing", "list"), "--offer", ("a-1", "b-2")),
    ],
)
def test_commas_are_the_option_repeated(
    path: tuple[str, ...], option: str, values: tuple[str, ...]
) -> None:
    repeated = [arg for v in values for arg in (option, v)]
    together = [option, ",".join(values[:2]), *repeated[4:]]
    assert parse(path, *together) == parse(path, *repeated)
    name = next(p.name for p in dict(commands())[path].params if option in p.opts)
    assert len(parse(path, *together)[name]) == len(values)


def test_a_bad_part_is_a_usage_error(cli: Any, ozonctl_home: Any) -> None:
    for args in (("review", "list", "--rating", "1,9"), ("order", "list", "-s", "delivered,x")):
        r = cli(*args)
        assert r.exit_code == 2, (args, r.stderr)
        assert "'9'" in r.stderr or "'x'" in r.stderr, r.stderr
