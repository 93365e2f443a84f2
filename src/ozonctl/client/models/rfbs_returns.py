"""Buyers' return requests of rFBS postings (``/v2/returns/rfbs/list|get``) and the
seller's actions on them (``/v1/returns/rfbs/action/set``).

The action ids a request accepts now come from ``available_actions`` of the get method;
Ozon's documents name ``-1``/``-10`` (reject; a ``rejection_reason_id`` and ``comment``
required) and ``1020`` (partial compensation; ``compensation_amount`` required).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ozonctl.client.models.common import Int64, Moment
from ozonctl.client.models.postings import Lenient, NoText, OrEmpty, Strict

REJECT_IDS = (-1, -10)
COMPENSATE_ID = 1020


class ReturnProduct(Lenient):
    sku: Int64 = 0
    offer_id: Annotated[str, NoText] = ""
    name: Annotated[str, NoText] = ""
    price: Int64 | None = None
    currency_code: Annotated[str, NoText] = ""


class ReturnState(Lenient):
    state: Annotated[str, NoText] = ""
    state_name: Annotated[str, NoText] = ""
    group_state: Annotated[str, NoText] = ""


def _flat_action(v: Any) -> Any:
    """An action as ``{id, name}`` (the schema) or ``{action: {id, name}}`` (the example)."""
    if isinstance(v, dict) and isinstance(v.get("action"), dict):
        return v["action"]
    return v


class ReturnAction(Lenient):
    id: Int64
    name: Annotated[str, NoText] = ""


class RejectionReason(Lenient):
    id: Int64
    name: Annotated[str, NoText] = ""
    hint: Annotated[str, NoText] = ""
    is_comment_required: bool = False


class RfbsReturn(Lenient):
    """One request as listed; ``/v2/returns/rfbs/get`` fills the rest."""

    return_id: Int64 = 0
    """Absent from the get method's answer: the resource fills it in."""
    return_number: Annotated[str, NoText] = ""
    posting_number: Annotated[str, NoText] = ""
    order_number: Annotated[str, NoText] = ""
    created_at: Moment | None = None
    product: ReturnProduct = Field(default_factory=ReturnProduct)
    state: ReturnState = Field(default_factory=ReturnState)
    available_actions: Annotated[
        list[Annotated[ReturnAction, BeforeValidator(_flat_action)]], OrEmpty
    ] = Field(default_factory=list)
    rejection_reason: Annotated[list[RejectionReason], OrEmpty] = Field(default_factory=list)
    comment: Annotated[str, NoText] = ""
    rejection_comment: Annotated[str, NoText] = ""


class RfbsReturnOne(Lenient):
    returns: RfbsReturn


class RfbsActionRequest(Strict):
    return_id: int
    id: int
    comment: str | None = None
    rejection_reason_id: int | None = None
    compensation_amount: float | None = None
    return_for_back_way: float | None = None
