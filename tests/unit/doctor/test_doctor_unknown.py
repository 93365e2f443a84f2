"""``doctor`` lists the operations whose outcome is unknown, of every kind: a promo leave
with products whose deactivation timed out, a listing journal with unknown products, an
order cancel whose one write is unknown; not those a later run read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ozonctl.commands import doctor as D
from ozonctl.settings import Paths
from ozonctl.state.journal import Journal


def _op(area: str, kind: str, **header: Any) -> str:
    op = Journal(Paths.from_env().profile_state("default"), area).new(kind)
    op.update(**header)
    return op.ref


def _journals(cli: Any) -> list[dict[str, str]]:
    r = cli("doctor", "--offline", "--json")
    return [c for c in r.json()["checks"] if c["check"] == "journal"]


def test_unknown_outcomes_of_every_kind_are_listed(
    cli: Any, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    leave = _op("promo", "leave", status="partial", counts={"left": 3, "unknown": 2})
    settled = _op("promo", "leave", status="partial", counts={"unknown": 2}, unknown=0)
    archive = _op("listing", "archive", status="partial", unknown=[11, 12, 13])
    stock = _op("listing", "stock-import", status="done", unknown=0)
    cancel = _op("order", "cancel", status="unknown")
    found = {j["detail"].split(" (started")[0]: j for j in _journals(cli)}
    assert set(found) == {
        f"promo leave {leave}",
        f"listing archive {archive}",
        f"order cancel {cancel}",
    }, (settled, stock)
    assert "2 outcome(s) are unknown" in found[f"promo leave {leave}"]["detail"]
    assert "promo rejoin" in found[f"promo leave {leave}"]["fix"]
    assert "3 outcome(s) are unknown" in found[f"listing archive {archive}"]["detail"]
    assert "a write's outcome is unknown" in found[f"order cancel {cancel}"]["detail"]
    assert all(j["status"] == "warn" for j in found.values())


def test_how_many_are_unknown() -> None:
    assert D.unknown_outcomes({"status": "unknown"}) is True
    assert D.unknown_outcomes({"status": "done", "counts": {"left": 4}}) == 0
    assert D.unknown_outcomes({"counts": {"unknown": 5}}) == 5
    assert D.unknown_outcomes({"counts": {"unknown": 5}, "unknown": 0}) == 0
    assert D.unknown_outcomes({"unknown": [1, 2]}) == 2
    assert D.unknown_outcomes({"unknown": True}) == 0  # not a count
    assert D.unknown_outcomes({"counts": "junk"}) == 0
