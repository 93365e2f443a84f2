"""The pager's choice (OZONCTL_PAGER, PAGER, less -FRX) and the waiting spinner's
conditions (issue 18): a person's terminal only, never a pipe or --json."""

from __future__ import annotations

import io
import time

import pytest

from ozonctl.cli import pager
from ozonctl.cli.output import Output


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["less", "-FRX"]),
        ({"PAGER": "most"}, ["most"]),
        ({"PAGER": "most", "OZONCTL_PAGER": "less -S"}, ["less", "-S"]),
        ({"PAGER": "most", "OZONCTL_PAGER": ""}, None),
        ({"PAGER": ""}, None),
        ({"PAGER": "cat"}, None),
    ],
)
def test_the_pager_is_ozonctl_pager_then_pager_then_less(
    env: dict[str, str], expected: list[str] | None
) -> None:
    assert pager.command(env) == expected


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stdout", "json_mode", "shows"),
    [(Tty(), False, True), (io.StringIO(), False, False), (Tty(), True, False)],
)
def test_the_spinner_shows_for_a_person_only(
    monkeypatch: pytest.MonkeyPatch, stdout: io.StringIO, json_mode: bool, shows: bool
) -> None:
    monkeypatch.setattr("ozonctl.cli.spinner.DELAY", 0.05)
    out = Output(stdout=stdout, stderr=Tty(), json_mode=json_mode)
    out.waiting()
    time.sleep(0.3)
    showing = out._waiting is not None and out._waiting.showing
    out.rows([], iter([]))  # data begins: the spinner ends for good
    assert showing is shows
    assert out._waiting is None or not out._waiting.showing
