"""Ozon's documented answers, read by the client: every example the document gives for a
method of the endpoint table (and, for a method whose document gives none, one built from
its schema with every documented field) goes through the resource method a command
calls, over a mocked transport. Each is read without error, and every money figure in it
comes out as it was sent: a price of "1000" is 1000, never 0 or missing."""

from __future__ import annotations

from typing import Any

import pytest
from ozon_oracle import (
    COUNTS,
    METHODS,
    built_example,
    examples,
    money_figures,
    read,
    todays_examples,
)

from ozonctl.client.endpoints import ENDPOINTS, Endpoint

pytestmark = pytest.mark.contract


def answers(specs: dict[str, Any], ep: Endpoint) -> list[tuple[str, Any]]:
    documented = examples(specs, ep)
    if documented:
        return [("documented", e) for e in documented] + [
            ("documented, as Ozon answers since", e) for e in todays_examples(specs, ep)
        ]
    return [("built from the schema", built_example(specs, ep))]


@pytest.mark.parametrize("ep", ENDPOINTS.values(), ids=lambda e: e.key)
def test_every_example_is_read_with_its_figures(specs: dict[str, Any], ep: Endpoint) -> None:
    for origin, body in answers(specs, ep):
        got = read(ep.key, body)
        COUNTS["examples built" if origin.startswith("built") else "examples documented"] += 1
        METHODS.add(ep.key)
        shown = money_figures(got)
        keys = {k for k, _ in shown}
        for key, amount in money_figures(body):
            if amount is None or key not in keys:
                continue  # a figure the command does not read
            assert (key, amount) in shown, (
                f"{ep.path} ({origin} example): {key} {amount} was sent; the client read "
                f"{sorted(v for k, v in shown if k == key)}"
            )
