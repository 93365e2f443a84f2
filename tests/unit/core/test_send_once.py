"""``send_once``: the step every journalled write shares (service replies, order cancels,
cancel requests, rFBS return actions) — what the journal says after Ozon answers, refuses,
or loses the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozonctl.client.errors import BadRequestError, WriteOutcomeUnknown
from ozonctl.commands._writes import send_once
from ozonctl.errors import OzonctlError
from ozonctl.state.journal import Journal, Operation


def attempt(tmp_path: Path) -> Operation:
    return Journal(tmp_path, "order").new("cancel", status="sending", posting="1-1-1")


def reread(tmp_path: Path, op: Operation) -> Operation:
    return Journal(tmp_path, "order").get(op.ref)


def test_an_answer_is_done_and_returned(tmp_path: Path) -> None:
    op = attempt(tmp_path)
    calls: list[int] = []

    def send() -> str:
        calls.append(1)
        return "ok"

    assert send_once(op, send) == ("ok", None)
    assert calls == [1]
    assert reread(tmp_path, op).status == "done"


def test_a_lost_answer_is_unknown_and_returned_not_raised(tmp_path: Path) -> None:
    op = attempt(tmp_path)
    lost = WriteOutcomeUnknown("read timed out", path="/v2/posting/fbs/cancel")
    calls: list[int] = []

    def send() -> None:
        calls.append(1)
        raise lost

    result, got = send_once(op, send)
    assert (result, got) == (None, lost)
    assert calls == [1], "a lost answer is never resent"
    on_disk = reread(tmp_path, op)
    assert on_disk.status == "unknown"
    assert on_disk.header["error"] == "read timed out"


@pytest.mark.parametrize(
    "refusal",
    [
        BadRequestError("posting is not cancellable", status=400, path="/v2/x"),
        OzonctlError("Ozon did not cancel 1-1-1 (it answered result=false)"),
    ],
)
def test_a_refusal_is_failed_and_raised(tmp_path: Path, refusal: Exception) -> None:
    op = attempt(tmp_path)

    def send() -> None:
        raise refusal

    with pytest.raises(type(refusal)):
        send_once(op, send)
    on_disk = reread(tmp_path, op)
    assert on_disk.status == "failed"
    assert on_disk.header["error"] == str(refusal)


def test_anything_else_propagates_and_leaves_the_attempt_open(tmp_path: Path) -> None:
    op = attempt(tmp_path)

    def send() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        send_once(op, send)
    assert reread(tmp_path, op).status == "sending"
