"""Buyers' cancellation requests of rFBS postings (``/v2/conditional-cancellation/*``).

A buyer asks to cancel an rFBS posting; the seller approves (the posting is cancelled,
the buyer refunded, and it does not count against the seller) or rejects it with a
comment (the posting must be delivered). A request still ``ON_APPROVAL`` at its
``auto_approve_date`` is approved by Ozon.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from ozonctl.client.models.common import Int64, Moment
from ozonctl.client.models.postings import Lenient, NoText, Strict

WAITING = "ON_APPROVAL"
STATES = ("ALL", "ON_APPROVAL", "APPROVED", "REJECTED")


class CancellationReasonRef(Lenient):
    id: Int64 = 0
    name: Annotated[str, NoText] = ""


class CancellationState(Lenient):
    id: Int64 = 0
    name: Annotated[str, NoText] = ""
    state: Annotated[str, NoText] = ""


class BuyerCancelRequest(Lenient):
    """One request as ``/v2/conditional-cancellation/list`` returns it."""

    cancellation_id: Int64
    posting_number: str
    state: CancellationState = Field(default_factory=CancellationState)
    cancellation_initiator: Annotated[str, NoText] = ""
    cancellation_reason: CancellationReasonRef = Field(default_factory=CancellationReasonRef)
    cancellation_reason_message: Annotated[str, NoText] = ""
    approve_comment: Annotated[str, NoText] = ""
    approve_date: Moment | None = None
    auto_approve_date: Moment | None = None
    cancelled_at: Moment | None = None
    order_date: Moment | None = None
    tpl_integration_type: Annotated[str, NoText] = ""

    @property
    def waiting(self) -> bool:
        return self.state.state == WAITING

    def hours_left(self, now: dt.datetime) -> float | None:
        if self.auto_approve_date is None:
            return None
        return (self.auto_approve_date - now).total_seconds() / 3600


class CancelRequestFilter(Strict):
    state: str = "ALL"
    posting_number: list[str] | None = None


class CancelRequestDecision(Strict):
    cancellation_id: int
    comment: str | None = None
