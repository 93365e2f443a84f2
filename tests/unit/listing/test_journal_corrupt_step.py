"""Issue 23.16: a damaged step file of an archive run (a crash mid-write, a hand edit)
does not stop its restore; what the other steps record is put back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from listing_fake import FakeOzon


def archive_150(cli: Any, ozonctl_home: Path) -> tuple[str, dict[str, Path]]:
    tokens = "\n".join(f"OF-{i:05d}" for i in range(150))
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    ref = r.json()["ref"]
    (op,) = (ozonctl_home / "state").rglob(f"{ref}/op.toml")
    steps = {p.stem.partition("-")[2]: p for p in op.parent.glob("[0-9]*-*.toml")}
    return ref, steps


def restored(fake: FakeOzon, cli: Any, ref: str) -> list[str]:
    r = cli("listing", "restore", ref, "--yes", "--json")
    assert "Traceback" not in r.stderr and r.exit_code in (0, 3), r.stderr
    back = [i["offer_id"] for i in r.json()["items"] if i["result"] == "unarchived"]
    assert all(not fake.products[1000 + int(o[3:])].archived for o in back)
    return back


def test_a_corrupt_sent_step_still_restores_every_product(
    fake: FakeOzon, cli: Any, ozonctl_home: Path
) -> None:
    ref, steps = archive_150(cli, ozonctl_home)
    steps["sent"].write_text("this is [not toml", encoding="utf-8")
    assert len(restored(fake, cli, ref)) == 150


def test_a_corrupt_verified_step_still_restores_what_the_others_name(
    fake: FakeOzon, cli: Any, ozonctl_home: Path
) -> None:
    ref, steps = archive_150(cli, ozonctl_home)
    steps["verified"].write_text("this is [not toml", encoding="utf-8")
    assert len(restored(fake, cli, ref)) == 150
