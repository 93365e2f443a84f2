"""``order ship --from-file``: many postings, one outcome each, each shipped at most once
(issue 22, "150 postings shipped from a file give 150 outcomes"): as real processes
against the sandbox, in a pipe, with --json, on a terminal, under a lost answer
(``after502``: the ship runs, a proxy's 502 replaces Ozon's answer) and after a kill."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from orders_support import add_fault, bodies, posting_state, reset_log, run_in_terminal

pytestmark = pytest.mark.e2e

SHIP = "/v4/posting/fbs/ship"
SHIPPED = {"awaiting_deliver", "delivering", "driver_pickup", "delivered"}


def new_orders(sandbox: Any, count: int) -> list[str]:
    """``count`` new awaiting_packaging postings (the sandbox's buyers order now)."""
    r = httpx.post(sandbox.base_url + "/__sandbox/orders", json={"count": count}, timeout=30)
    r.raise_for_status()
    numbers: list[str] = r.json()["posting_numbers"]
    assert len(numbers) == count
    return numbers


def shipped_once(sandbox: Any, numbers: list[str]) -> None:
    """No posting was sent more than once after it shipped (a second send would be a
    POSTING_ALREADY_SHIPPED 400 in the log)."""
    refused = [e for e in sandbox.requests(SHIP) if e["status"] == 400]
    assert not refused, refused[:3]


def test_150_postings_from_a_file_give_150_outcomes(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    numbers = new_orders(sandbox, 150)
    # the TSV `order list` writes: the posting number is the first field of each line
    listed = ozonctl("order", "list", "--status", "awaiting_packaging", "--from", "2026-11-26")
    assert listed.exit_code == 0, listed.stderr
    mine = [line for line in listed.stdout.splitlines() if line.split("\t")[0] in numbers]
    assert len(mine) == 150
    file = tmp_path / "to-ship.tsv"
    file.write_text("\n".join(mine) + "\n")
    before = file.read_bytes()

    started = time.monotonic()
    r = ozonctl("order", "ship", "--from-file", str(file), "--yes", "--json")
    took = time.monotonic() - started
    doc = json.loads(r.stdout)
    assert [i["posting_number"] for i in doc["items"]] == numbers
    assert doc["ref"].startswith("ship-") and doc["dry_run"] is False
    assert sum(doc["counts"].values()) == 150
    assert set(doc["counts"]) <= {"shipped", "ship_failed"}
    for item in doc["items"]:
        state = posting_state(sandbox, item["posting_number"])
        expected = "ship_failed" if state["substatus"] == "ship_failed" else "shipped"
        assert item["outcome"] == expected, (item, state)
    failed = doc["counts"].get("ship_failed", 0)
    assert failed, "the sandbox fails one ship in eight on the first try"
    assert r.exit_code == 3, r.stderr  # a partial failure
    assert len(bodies(sandbox, SHIP)) == 150
    assert file.read_bytes() == before  # the seller's file is never changed
    assert took < 60, took

    # the same file again: only the ship_failed ones are sent, the rest already shipped
    reset_log(sandbox)
    again = ozonctl("order", "ship", "--from-file", str(file), "--yes", "--json")
    doc2 = json.loads(again.stdout)
    sent = {b["posting_number"] for b in bodies(sandbox, SHIP)}
    assert len(sent) == failed
    assert doc2["counts"].get("already_shipped") == 150 - failed
    shipped_once(sandbox, numbers)


def test_a_pipe_from_order_list_and_a_table_on_a_terminal(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    numbers = new_orders(sandbox, 3)
    listed = ozonctl("order", "list", "--status", "awaiting_packaging", "--from", "2026-11-26")
    lines = "".join(
        line + "\n" for line in listed.stdout.splitlines() if line.split("\t")[0] in numbers
    )
    dry = ozonctl("order", "ship", "--from-file", "-", "--dry-run", "--json", input=lines)
    plan = json.loads(dry.stdout)
    assert dry.exit_code == 0 and plan["dry_run"] is True and plan["ref"] is None
    assert plan["counts"] == {"would_ship": 3} and not bodies(sandbox, SHIP)
    no = ozonctl("order", "ship", "--from-file", "-", input=lines)  # a script, no --yes
    assert no.exit_code == 2 and "--yes" in no.stderr and not bodies(sandbox, SHIP)

    r = ozonctl("order", "ship", "--from-file", "-", "--yes", input=lines)
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert [row[0] for row in rows] == numbers  # TSV: posting first, no header
    assert all(row[2] in ("shipped", "ship_failed") for row in rows)
    assert r.exit_code in (0, 3) and ("not shipped" in r.stderr or "3 shipped" in r.stderr)

    more = new_orders(sandbox, 2)
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "ship", *more, typed="n")
    assert code == 1 and "aborted" in out and "Ship 2 posting(s)" in out
    assert not [b for b in bodies(sandbox, SHIP) if b["posting_number"] in more]
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "ship", *more, typed="y")
    assert code in (0, 3), out
    assert "Posting" in out and "Outcome" in out and more[0] in out


def test_bad_lines_and_postings_that_cannot_ship_have_their_own_outcome(
    sandbox: Any, ozonctl: Any
) -> None:
    fresh = new_orders(sandbox, 1)[0]
    r = ozonctl("order", "ship", "--yes", "--json", fresh, "00000000-0000-9")
    doc = json.loads(r.stdout)
    by = {i["posting_number"]: i for i in doc["items"]}
    assert by["00000000-0000-9"]["outcome"] == "failed"
    assert "no such" in by["00000000-0000-9"]["note"]
    assert r.exit_code == 3
    r = ozonctl("order", "ship", "--yes", fresh, "x-1", "--package", "1:1")
    assert r.exit_code == 2 and "--package" in r.stderr


def test_a_lost_answer_is_never_followed_by_a_second_ship(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    numbers = new_orders(sandbox, 6)
    file = tmp_path / "ship.txt"
    file.write_text("\n".join(numbers) + "\n")
    add_fault(sandbox, f"{SHIP}=after502")  # every ship runs, every answer is lost
    r = ozonctl("order", "ship", "--from-file", str(file), "--yes", "--json")
    doc = json.loads(r.stdout)
    assert len(bodies(sandbox, SHIP)) == 6  # each sent once, none retried
    for item in doc["items"]:
        state = posting_state(sandbox, item["posting_number"])
        assert item["outcome"] == (
            "ship_failed" if state["substatus"] == "ship_failed" else "shipped"
        )
        assert "answer was lost" in item["note"]
    httpx.post(sandbox.base_url + "/__sandbox/faults", json={"clear": True}, timeout=10)
    reset_log(sandbox)
    again = ozonctl("order", "ship", "--from-file", str(file), "--yes", "--json")
    doc2 = json.loads(again.stdout)
    resent = [b["posting_number"] for b in bodies(sandbox, SHIP)]
    failed_first = [i["posting_number"] for i in doc["items"] if i["outcome"] == "ship_failed"]
    assert sorted(resent) == sorted(failed_first)  # only what Ozon asked to ship again
    assert doc2["counts"].get("already_shipped") == 6 - len(failed_first)
    shipped_once(sandbox, numbers)


def test_a_killed_run_is_settled_not_resent(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    """A run killed while its request is in flight leaves ``sending``; a rerun while
    Ozon shows nothing does not send that posting again (``unknown``); once the late
    request has landed, the next run settles it from what Ozon shows."""
    import subprocess
    import sys

    first = new_orders(sandbox, 1)[0]
    file = tmp_path / "ship.txt"
    file.write_text(first + "\n")
    add_fault(sandbox, f"{SHIP}=slow:4000:1")  # the ship lands 4 s late
    proc = subprocess.Popen(
        [sys.executable, "-m", "ozonctl", "order", "ship", "--from-file", str(file), "--yes"],
        env=sandbox.environ(ozonctl_home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not sandbox.get("/__sandbox/stats")["faults_injected"]:  # the request is there
        assert time.monotonic() < deadline, "the ship never reached the sandbox"
        time.sleep(0.05)
    proc.kill()
    proc.wait()

    r = ozonctl("order", "ship", "--from-file", str(file), "--yes", "--json")
    by = {i["posting_number"]: i for i in json.loads(r.stdout)["items"]}
    assert by[first]["outcome"] == "unknown" and "--retry-unknown" in by[first]["note"]
    assert r.exit_code == 3

    deadline = time.monotonic() + 15
    while posting_state(sandbox, first)["substatus"] == "posting_created":
        assert time.monotonic() < deadline, "the late ship never landed"
        time.sleep(0.2)
    state = posting_state(sandbox, first)
    r = ozonctl("order", "ship", "--from-file", str(file), "--yes", "--json")
    by = {i["posting_number"]: i for i in json.loads(r.stdout)["items"]}
    sends = [b for b in bodies(sandbox, SHIP) if b["posting_number"] == first]
    if state["substatus"] == "ship_failed":  # Ozon asks to ship again: sent once more
        assert len(sends) == 2 and by[first]["outcome"] in ("shipped", "ship_failed")
    else:
        assert len(sends) == 1 and by[first]["outcome"] == "already_shipped"
        assert "earlier run" in by[first]["note"]


def shipped(ozonctl: Any, sandbox: Any, file: Path, count: int) -> list[str]:
    """``count`` new postings, shipped (``ship_failed`` ones again, as Ozon asks)."""
    numbers = new_orders(sandbox, count)
    file.write_text("\n".join(numbers) + "\n")
    for _ in range(3):
        r = ozonctl("order", "ship", "--from-file", str(file), "--yes")
        if r.exit_code == 0:
            return numbers
    raise AssertionError(r.stderr)


def test_labels_of_150_postings_are_one_pdf_of_150_pages(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    import pypdf

    file = tmp_path / "shipped.txt"
    numbers = shipped(ozonctl, sandbox, file, 150)
    out = tmp_path / "labels.pdf"
    r = ozonctl("order", "label", "--from-file", str(file), "-o", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["files"] == [str(out)] and doc["printed"] == 150 and doc["pages"] == 150
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["labels.pdf"]
    tasks = bodies(sandbox, "/v3/posting/fbs/package-label/create")
    assert [len(t["posting_numbers"]) for t in tasks] == [100, 50]  # Ozon's 100 a task
    pages = pypdf.PdfReader(out, strict=True).pages
    assert len(pages) == 150
    assert [p.extract_text().splitlines()[1] for p in pages] == numbers  # in the order asked
    assert "wrote" in r.stderr and "150 page(s)" in r.stderr


def test_ship_from_a_file_with_labels(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    import pypdf

    numbers = new_orders(sandbox, 8)
    file = tmp_path / "ship.txt"
    file.write_text("\n".join(numbers) + "\n")
    out = tmp_path / "today.pdf"
    r = ozonctl("order", "ship", "--from-file", str(file), "--labels", str(out), "--yes")
    shipped = [row.split("\t")[0] for row in r.stdout.splitlines() if "\tshipped\t" in row]
    assert shipped and r.exit_code in (0, 3)
    pages = pypdf.PdfReader(out, strict=True).pages
    assert [p.extract_text().splitlines()[1] for p in pages] == shipped
