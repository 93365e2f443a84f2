"""Ozon's documented error answers, for every method of the table: each error status the
document lists (``default`` standing for any: a 400 and a 500 are sent) with its error
body ``{code, message, details}`` — whole, without details, without a code — ends as
one line that carries Ozon's message (what the CLI prints), never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from ozon_oracle import COUNTS, METHODS, error_statuses, read

from ozonctl.cli.failures import describe
from ozonctl.client.endpoints import ENDPOINTS, Endpoint
from ozonctl.exitcodes import ExitCode

pytestmark = pytest.mark.contract

MESSAGE = "Товар с таким идентификатором не найден (ozon-said-this)"


def bodies() -> list[dict[str, Any]]:
    return [
        {
            "code": 5,
            "message": MESSAGE,
            "details": [{"typeUrl": "type.googleapis.com/ozon.Error", "value": "AAEC"}],
        },
        {"code": 3, "message": MESSAGE},
        {"message": MESSAGE, "details": []},
    ]


def raised(result: Any) -> list[BaseException]:
    """The exceptions a reader gave back (a batch's error is held, not raised)."""
    if isinstance(result, BaseException):
        return [result]
    if isinstance(result, list):
        return [e for item in result for e in raised(item)]
    if isinstance(result, dict):
        return [e for item in result.values() for e in raised(item)]
    return []


def statuses(specs: dict[str, Any], ep: Endpoint) -> list[int]:
    found: set[int] = set()
    for s in error_statuses(specs, ep):
        found.update((400, 500) if s == "default" else (int(s),))
    return sorted(found)


@pytest.mark.parametrize("ep", ENDPOINTS.values(), ids=lambda e: e.key)
def test_every_documented_error_is_one_line_with_ozons_message(
    specs: dict[str, Any], ep: Endpoint
) -> None:
    for status in statuses(specs, ep):
        for body in bodies():
            COUNTS["errors"] += 1
            try:
                errors = raised(read(ep.key, body, status))
            except Exception as exc:  # noqa: BLE001 - what a command would end with
                errors = [exc]
            assert errors, f"{ep.path}: HTTP {status} {body} was read as an answer"
            for exc in errors:
                line, code = describe(exc)
                where = f"{ep.path} HTTP {status} {body}: {line!r}"
                assert MESSAGE in line and "\n" not in line, where
                assert not line.startswith("internal error"), where
                expected = ExitCode.AUTH if status in (401, 403) else ExitCode.ERROR
                assert code == expected, where
    METHODS.add(ep.key)
