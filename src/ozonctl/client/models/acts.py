"""FBS acceptance acts and waybills (``/v2/posting/fbs/act/*``).

Confirming a shipment (``act/create``, for one delivery method) starts Ozon's documents of
that carriage: the acceptance act or shipping list and the waybill. ``check-status`` says
when they are ready and which postings were added to the carriage or left for the next
one; ``get-postings`` lists the act's postings; ``get-pdf`` gives the documents.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from ozonctl.client.models.common import Int64, Moment
from ozonctl.client.models.postings import Lenient, NoText, OrEmpty, Strict


class ActCreate(Strict):
    delivery_method_id: int
    departure_date: dt.datetime | None = None
    containers_count: int | None = None


class ActId(Lenient):
    id: Int64


class ActCreated(Lenient):
    result: ActId


class ActStatus(Lenient):
    status: Annotated[str, NoText] = ""
    """``in_process``, ``ready`` or ``error``."""
    act_type: Annotated[str, NoText] = ""
    added_to_act: Annotated[list[str], OrEmpty] = Field(default_factory=list)
    removed_from_act: Annotated[list[str], OrEmpty] = Field(default_factory=list)
    is_partial: bool = False
    has_postings_for_next_carriage: bool = False
    partial_num: Int64 = 0


class ActStatusResult(Lenient):
    result: ActStatus = Field(default_factory=ActStatus)


class ActListFilter(Strict):
    date_from: str
    date_to: str
    status: list[str] | None = None
    integration_type: str | None = None


class ActListRequest(Strict):
    filter: ActListFilter
    limit: int


class Act(Lenient):
    """One act (carriage) as ``/v2/posting/fbs/act/list`` gives it."""

    id: Int64
    delivery_method_id: Int64 = 0
    delivery_method_name: Annotated[str, NoText] = ""
    integration_type: Annotated[str, NoText] = ""
    containers_count: int = 0
    status: Annotated[str, NoText] = ""
    departure_date: Annotated[str, NoText] = ""
    created_at: Moment = None
    updated_at: Moment = None
    act_type: Annotated[str, NoText] = ""
    is_partial: bool = False
    has_postings_for_next_carriage: bool = False
    partial_num: Int64 = 0


class ActList(Lenient):
    result: Annotated[list[Act], OrEmpty] = Field(default_factory=list)


class ActProduct(Lenient):
    sku: Int64 = 0
    offer_id: Annotated[str, NoText] = ""
    name: Annotated[str, NoText] = ""
    quantity: int = 0
    price: Annotated[str, NoText] = ""


class ActPosting(Lenient):
    posting_number: str
    status: Annotated[str, NoText] = ""
    multi_box_qty: int = 0
    seller_error: Annotated[str, NoText] = ""
    created_at: Moment = None
    updated_at: Moment = None
    products: Annotated[list[ActProduct], OrEmpty] = Field(default_factory=list)


class ActPostings(Lenient):
    result: Annotated[list[ActPosting], OrEmpty] = Field(default_factory=list)
