"""``--from-file -`` on every command that takes many ids reads back the tab-separated
output of the matching list command (issue 18, "One vocabulary"). The real ``ozonctl``
process against one sandbox; the writes run with ``--dry-run``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "unit" / "core"))
from test_from_file import many_id_commands

pytestmark = pytest.mark.e2e


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    sent: str
    """The bodies of the requests the run sent the sandbox, as JSON text."""

    def items(self) -> list[dict[str, Any]]:
        doc = json.loads(self.stdout)
        return doc["items"] if isinstance(doc, dict) else doc


Check = Callable[[list[str], Run], bool]


def shown(key: str) -> Check:
    """Every id read is the ``key`` of a row (an item) of the output."""
    return lambda ids, r: set(ids) <= {str(x.get(key)) for x in r.items()}


def sent(ids: list[str], r: Run) -> bool:
    """Every id read went to Ozon in a request."""
    return all(i in r.sent for i in ids)


def only(key: str) -> Check:
    """Some rows, each of one of the ids (a filter Ozon does not take)."""
    return lambda ids, r: bool(r.items()) and {str(x[key]) for x in r.items()} <= set(ids)


SKUS = ("analytics", "sales", "--limit", "40")  # the one list whose first column is the SKU
CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...], Check]] = {
    # command: (the list command whose TSV is piped in, the command's other args, check)
    "listing archive": (("listing", "list", "--limit", "3"), ("--dry-run",), shown("offer_id")),
    "listing unarchive": (("listing", "list", "--limit", "3"), ("--dry-run",), shown("offer_id")),
    "listing delete": (
        ("listing", "list", "--visibility", "ARCHIVED", "--limit", "3"),
        ("--dry-run",),
        shown("offer_id"),
    ),
    "listing list": (("listing", "list", "--limit", "3"), (), shown("offer_id")),
    "listing margin": (("listing", "list", "--limit", "3"), (), only("offer_id")),
    "listing price show": (("listing", "list", "--limit", "3"), (), shown("offer_id")),
    "listing stock show": (("listing", "list", "--limit", "3"), (), shown("offer_id")),
    "promo join": (("promo", "candidates", "71003", "--limit", "3"), ("71003", "--dry-run"), shown("offer_id")),
    "promo leave": (("promo", "products", "71001", "--limit", "3"), ("71001", "--dry-run"), shown("offer_id")),
    "promo auto-add remove": (("promo", "auto-add", "list", "--limit", "3"), ("--dry-run",), shown("offer_id")),
    "promo requests approve": (("promo", "requests", "--limit", "3"), ("--dry-run",), shown("id")),
    "promo requests decline": (("promo", "requests", "--limit", "3"), ("--dry-run",), shown("id")),
    "order label": (("order", "list", "--limit", "3"), ("-o", "l.pdf", "--dry-run"), lambda ids, r: f"labels of {len(ids)} posting(s)" in r.stderr),
    "order ship": (
        ("order", "list", "--status", "awaiting_packaging", "--limit", "3"),
        ("--dry-run",),
        shown("posting_number"),
    ),
    **{
        step: (("order", "list", "--limit", "3"), ("--dry-run",), shown("posting_number"))
        for step in ("order deliver", "order last-mile", "order delivered")
    },
    "order cancel-reasons": (("order", "list", "--limit", "3"), (), sent),
    "payout transactions": (("order", "list", "--limit", "3"), (), sent),
    "review list": (SKUS, (), sent),
    "question list": (SKUS, (), only("sku")),
    "analytics sales": (SKUS, (), shown("sku")),
}  # fmt: skip


@pytest.fixture(scope="module")
def shop(module_sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("fromfile") / "ozonctl-home"
    env = module_sandbox.environ(home)

    def run(*args: str, input: str | None = None) -> Run:
        before = len(module_sandbox.requests())
        done = subprocess.run(
            [sys.executable, "-m", "ozonctl", *args],
            input=input,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        bodies = [e.get("body") for e in module_sandbox.requests()[before:]]
        return Run(done.returncode, done.stdout, done.stderr, json.dumps(bodies))

    return run


def test_every_many_id_command_is_walked() -> None:
    assert set(CASES) == set(many_id_commands())


@pytest.mark.parametrize("name", sorted(CASES))
def test_from_file_stdin_reads_back_the_list_commands_tsv(shop: Any, name: str) -> None:
    listing, args, check = CASES[name]
    listed = shop(*listing)
    assert listed.code == 0, listed.stderr
    ids = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    assert ids, f"{' '.join(listing)}: no rows in the sandbox"
    r = shop(*name.split(), *args, "--from-file", "-", "--json", input=listed.stdout)
    assert r.code == 0, f"{name}: {r.stderr}"
    assert check(ids, r), f"{name}: {ids} not read back: {r.stdout[:300]} {r.stderr[:300]}"
