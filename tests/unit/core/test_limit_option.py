"""``--limit N`` on every list command, by one mechanism (issue 18, "One vocabulary")."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from cli_tree import commands, options

from ozonctl.cli.app import NOT_LISTS, is_list_command
from ozonctl.cli.output import Column, Output

NO_ROWS_GROUPS = {"auth", "config", "api", "sandbox", "sync"}


def test_every_list_command_takes_limit() -> None:
    lists = []
    for path, command in commands():
        name = " ".join(path)
        if path[0] in NO_ROWS_GROUPS or not is_list_command(command, name):
            continue
        lists.append(name)
        assert "--limit" in options(command), f"{name}: a list command without --limit"
    assert {"order list", "payout transactions", "listing stock show", "promo list"} <= set(lists)
    assert len(lists) > 25
    assert {" ".join(p) for p, _ in commands()} >= NOT_LISTS  # no stale names


ONE_DOCUMENT = {"payout totals", "payout balance", "payout summary", "analytics budget"}
"""Commands that print one document (totals, a balance, a budget): --limit cuts nothing."""


def test_no_one_document_command_takes_limit() -> None:
    takes = {" ".join(p) for p, c in commands() if "--limit" in options(c)}
    assert not takes & ONE_DOCUMENT, takes & ONE_DOCUMENT
    assert ONE_DOCUMENT <= NOT_LISTS


def test_limit_stops_pulling_pages() -> None:
    pulled = []

    def pages() -> Iterator[list[dict[str, Any]]]:
        for n in range(5):
            pulled.append(n)
            yield [{"id": n * 3 + i} for i in range(3)]

    out = io.StringIO()
    output = Output(stdout=out, stderr=io.StringIO())
    output.limit = 4
    assert output.page_rows([Column("id", "ID")], pages()) == 4
    assert out.getvalue().split() == ["0", "1", "2", "3"]
    assert pulled == [0, 1]
    out2 = io.StringIO()
    output = Output(stdout=out2, stderr=io.StringIO(), json_mode=True)
    output.limit = 2
    rows = (row for page in pages() for row in page)
    assert output.rows([Column("id", "ID")], rows) == 2
