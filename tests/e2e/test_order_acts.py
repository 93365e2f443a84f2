"""``order act``: FBS acceptance acts and waybills as real processes against the sandbox
(create — a write, asked and journalled; list; show; pdf; check against what was shipped,
exit 6 when they differ) in a pipe, with --json and on a terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from orders_support import add_fault, bodies, posting_state, run_in_terminal

pytestmark = pytest.mark.e2e

CREATE = "/v2/posting/fbs/act/create"
MOSCOW = "1020000000000"
"""The delivery method of the sandbox's Moscow warehouse (Ozon logistics)."""


def ship_new(sandbox: Any, ozonctl: Any, tmp: Path, count: int) -> list[str]:
    r = httpx.post(sandbox.base_url + "/__sandbox/orders", json={"count": count}, timeout=30)
    numbers: list[str] = r.json()["posting_numbers"]
    file = tmp / "ship.txt"
    file.write_text("\n".join(numbers) + "\n")
    for _ in range(3):
        if ozonctl("order", "ship", "--from-file", str(file), "--yes").exit_code == 0:
            return numbers
    raise AssertionError("could not ship")


def test_create_list_show_pdf_and_check(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    import pypdf

    shipped = ship_new(sandbox, ozonctl, tmp_path, 3)  # placed at the Moscow warehouse
    several = ozonctl("order", "act", "create", "--yes")
    assert several.exit_code == 2 and "--delivery-method" in several.stderr
    dry = ozonctl("order", "act", "create", "--delivery-method", MOSCOW, "--dry-run")
    assert dry.exit_code == 0 and "nothing sent" in dry.stderr and not bodies(sandbox, CREATE)
    no = ozonctl("order", "act", "create", "--delivery-method", MOSCOW)
    assert no.exit_code == 2 and "--yes" in no.stderr and not bodies(sandbox, CREATE)
    code, out = run_in_terminal(
        sandbox, ozonctl_home, "order", "act", "create", "--delivery-method", MOSCOW, typed="n"
    )
    assert code == 1 and "aborted" in out and not bodies(sandbox, CREATE)

    r = ozonctl("order", "act", "create", "--delivery-method", MOSCOW, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    made = json.loads(r.stdout)
    act = str(made["act_id"])
    assert made["outcome"] == "created" and made["journal_ref"].startswith("act-create-")
    assert bodies(sandbox, CREATE) == [{"delivery_method_id": int(MOSCOW)}]

    listed = ozonctl("order", "act", "list", "--from", "2026-11-01", "--json")
    assert act in [str(a["id"]) for a in json.loads(listed.stdout)]
    tsv = ozonctl("order", "act", "list", "--from", "2026-11-01")
    assert tsv.stdout.split("\t")[0] == act

    shown = json.loads(ozonctl("order", "act", "show", act, "--json").stdout)
    in_act = [p["posting_number"] for p in shown["postings"]]
    assert set(shipped) <= set(in_act) and shown["added_to_act"] == in_act
    assert all(posting_state(sandbox, n)["status"] == "awaiting_deliver" for n in in_act)

    out_pdf = tmp_path / "act.pdf"
    r = ozonctl("order", "act", "pdf", act, "-o", str(out_pdf))
    assert r.exit_code == 0, r.stderr
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out_pdf, strict=True).pages)
    assert all(n in text for n in in_act)

    ok = ozonctl("order", "act", "check", act)
    assert ok.exit_code == 0 and ok.stdout == "" and "holds the" in ok.stderr

    later = ship_new(sandbox, ozonctl, tmp_path, 2)  # shipped after the act: not in it
    gone = in_act[0]  # and one of the act's postings cancelled since
    api_cancel = {"posting_number": gone, "cancel_reason_id": 352}
    httpx.post(
        sandbox.base_url + "/v2/posting/fbs/cancel",
        json=api_cancel,
        headers={"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key},
        timeout=10,
    ).raise_for_status()
    r = ozonctl("order", "act", "check", act, "--json")
    assert r.exit_code == 6, r.stderr
    found = {(x["posting_number"], x["problem"]) for x in json.loads(r.stdout)}
    assert found == {*((n, "missing") for n in later), (gone, "extra")}
    pipe = ozonctl("order", "act", "check", act)
    assert pipe.exit_code == 6 and f"{gone}\textra\tcancelled" in pipe.stdout


def test_a_lost_create_is_not_sent_again(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    ship_new(sandbox, ozonctl, tmp_path, 1)
    add_fault(sandbox, f"{CREATE}=after502:1")  # the act is made, the answer is lost
    r = ozonctl("order", "act", "create", "--delivery-method", MOSCOW, "--yes", "--json")
    assert r.exit_code == 0, r.stderr  # the re-read shows the new act
    assert json.loads(r.stdout)["outcome"] == "created"
    assert "landed" in r.stderr and len(bodies(sandbox, CREATE)) == 1
