"""``listing history`` and ``order history`` (issue 16.16): the journals, newest first,
with ref, kind, when, products, outcome and reason; the hint of an unknown ref points at
a command that exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from listing_fake import FakeOzon


def test_listing_history_lists_the_journal_newest_first(
    fake: FakeOzon, cli: Any, ozonctl_home: Path
) -> None:
    a = cli(
        "listing", "archive", "OF-00001", "OF-00002", "--reason", "season over", "--yes", "--json"
    )
    assert a.exit_code == 0, a.stderr
    b = cli("listing", "restore", a.json()["ref"], "--yes", "--json")
    assert b.exit_code == 0, b.stderr
    r = cli("listing", "history", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    assert [(x["ref"], x["kind"], x["products"], x["status"]) for x in rows] == [
        (b.json()["ref"], "restore", 2, "done"),
        (a.json()["ref"], "archive", 2, "done"),
    ]
    assert rows[1]["reason"] == "season over" and rows[1]["created"]
    assert f"restored by {b.json()['ref']}" in rows[1]["result"]
    assert f"undoes {a.json()['ref']}" in rows[0]["result"]
    only = cli("listing", "history", "--kind", "restore", "--json").json()
    assert [x["ref"] for x in only] == [b.json()["ref"]]
    tsv = cli("listing", "history")
    assert tsv.stdout.splitlines()[0].split("\t")[1] == b.json()["ref"]


def test_a_killed_runs_journal_shows_as_interrupted(
    fake: FakeOzon, cli: Any, ozonctl_home: Path
) -> None:
    from ozonctl.state.journal import Journal

    assert cli("listing", "archive", "OF-00001", "--yes").exit_code == 0
    root = next(ozonctl_home.rglob("journal/listing")).parent.parent
    killed = Journal(root, "listing").new("archive", products=7, reason="")
    rows = cli("listing", "history", "--json").json()
    assert rows[0]["ref"] == killed.ref  # the newest, made the same second
    assert rows[0]["status"] == "interrupted" and rows[0]["products"] == 7


def test_an_unknown_ref_points_at_listing_history(fake: FakeOzon, cli: Any) -> None:
    assert cli("listing", "archive", "OF-00001", "--yes").exit_code == 0
    r = cli("listing", "restore", "archive-nope")
    assert r.exit_code == 2 and "ozonctl listing history" in r.stderr
    assert cli("listing", "history").exit_code == 0


def test_order_history_lists_cancellations(fake: FakeOzon, cli: Any, ozonctl_home: Path) -> None:
    from ozonctl.state.journal import Journal

    none = cli("order", "history", "--json")
    assert none.exit_code == 0 and none.json() == []
    assert cli("listing", "archive", "OF-00001", "--yes").exit_code == 0
    root = next(ozonctl_home.rglob("journal/listing")).parent.parent
    op = Journal(root, "order").new(
        "cancel", status="sending", posting="4432-0001-1", message="out of stock", items=[[5, 2]]
    )
    rows = cli("order", "history", "--json").json()
    assert [(x["ref"], x["kind"], x["posting"], x["products"], x["status"]) for x in rows] == [
        (op.ref, "cancel", "4432-0001-1", 2, "unknown")
    ]
    assert rows[0]["reason"] == "out of stock"


def test_history_takes_a_period(fake: FakeOzon, cli: Any, ozonctl_home: Path) -> None:
    """--from/--to/--month keep the operations started in that period (issue 18)."""
    from ozonctl.state.journal import Journal

    assert cli("listing", "archive", "OF-00001", "--yes").exit_code == 0
    root = next(ozonctl_home.rglob("journal/listing")).parent.parent
    old = Journal(root, "listing").new("archive", products=3, reason="")
    old.update(created="2026-10-05T10:00:00+00:00")
    refs = lambda *a: [x["ref"] for x in cli("listing", "history", *a, "--json").json()]  # noqa: E731
    assert refs("--month", "2026-10") == [old.ref]
    assert refs("--from", "2026-10-05", "--to", "2026-10-05") == [old.ref]
    assert old.ref not in refs("--from", "2d") and len(refs("--from", "2d")) == 1
    assert cli("listing", "history", "--month", "2026-10", "--from", "1d").exit_code == 2
