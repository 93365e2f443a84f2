"""Orders: FBS/rFBS postings (lists, one posting, ship, cancel, labels, tracking numbers),
FBO postings, returns and the seller rating."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from ozonctl.client.batching import BatchOutcome, BatchReport
from ozonctl.client.errors import APIError
from ozonctl.client.models.acts import Act, ActPosting, ActStatus
from ozonctl.client.models.cancellations import (
    BuyerCancelRequest,
    CancelRequestDecision,
    CancelRequestFilter,
)
from ozonctl.client.models.giveouts import Giveout, GiveoutFile, GiveoutInfo
from ozonctl.client.models.penalties import (
    IndexError_,
    IndexInfo,
    IndexPostingsFilter,
    RatingHistory,
    RatingHistoryRequest,
)
from ozonctl.client.models.postings import (
    CancelItem,
    CancelReason,
    CancelReasonList,
    CancelReasonsRequest,
    CancelRequest,
    FboPosting,
    FboPostingResult,
    FbsPeriodFilter,
    GetRequest,
    GetWith,
    LabelTask,
    LabelTasks,
    LabelTaskState,
    ListRequest,
    PeriodFilter,
    Posting,
    PostingCancelReasonList,
    PostingCancelReasons,
    PostingResult,
    PostingWith,
    ProductCancelRequest,
    RatingSummary,
    ReturnItem,
    ReturnsFilter,
    ReturnsRequest,
    ShipPackage,
    ShipRequest,
    ShipResult,
    TimeRange,
    TrackingNumber,
    TrackingResult,
    TrackingResults,
    UnfulfilledFilter,
)
from ozonctl.client.models.rfbs_returns import RfbsActionRequest, RfbsReturn, RfbsReturnOne
from ozonctl.client.resources._base import Resource
from ozonctl.client.urls import is_loopback_host


def _z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


LABEL_DONE = frozenset({"completed", "done", "success"})
LABEL_FAILED = frozenset({"error", "failed", "cancelled"})
MAX_LABEL_BYTES = 200 * 1024 * 1024


def _pdf_body(content: bytes) -> bytes:
    """A PDF answer: the bytes themselves, or a JSON ``{file_content}`` holding them."""
    import base64
    import binascii
    import json

    if content.lstrip().startswith(b"%PDF"):
        return content
    doc = json.loads(content)  # not JSON: ValueError, read as a broken answer
    data = doc.get("file_content") if isinstance(doc, dict) else None
    if not isinstance(data, str) or not data:
        raise ValueError("no PDF in the answer")
    if data.startswith("%PDF"):
        return data.encode("latin-1", "replace")
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error:
        raise ValueError("file_content is neither a PDF nor base64") from None


class LabelTimeout(APIError):
    """A label task did not finish in the time given."""


class PostingsResource(Resource):
    # --- lists ---------------------------------------------------------------------------
    def fbs_list(
        self,
        since: dt.datetime,
        to: dt.datetime,
        statuses: Sequence[str] | None = None,
        warehouse_ids: Sequence[int] | None = None,
    ) -> Iterator[Posting]:
        """FBS/rFBS postings created in [since, to] (at most a year), oldest first, every
        page (cursor, 100 a page); only those of ``warehouse_ids`` when given."""
        body = ListRequest(
            filter=FbsPeriodFilter(
                since=since,
                to=to,
                statuses=list(statuses or []) or None,
                warehouse_ids=list(warehouse_ids or []) or None,
            )
        ).body()
        for raw in self._items("posting.fbs.list", body):
            yield Posting.model_validate(raw)

    def fbs_unfulfilled(
        self,
        cutoff_from: dt.datetime,
        cutoff_to: dt.datetime,
        statuses: Sequence[str] | None = None,
        warehouse_ids: Sequence[int] | None = None,
    ) -> Iterator[Posting]:
        """Postings still to ship whose ship-by deadline is in [cutoff_from, cutoff_to]
        (of ``warehouse_ids`` when given)."""
        body = ListRequest(
            filter=UnfulfilledFilter(
                cutoff_from=cutoff_from,
                cutoff_to=cutoff_to,
                statuses=list(statuses or []) or None,
                warehouse_ids=list(warehouse_ids or []) or None,
            )
        ).body()
        for raw in self._items("posting.fbs.unfulfilled", body):
            yield Posting.model_validate(raw)

    def fbo_list(
        self, since: dt.datetime, to: dt.datetime, statuses: Sequence[str] | None = None
    ) -> Iterator[FboPosting]:
        body = ListRequest(
            filter=PeriodFilter(since=since, to=to, statuses=list(statuses or []) or None),
            with_=PostingWith(analytics_data=True),
        ).body()
        for raw in self._items("posting.fbo.list", body):
            yield FboPosting.model_validate(raw)

    def fbo_get(self, posting_number: str) -> FboPosting:
        body = {"posting_number": posting_number, "with": {"analytics_data": True}}
        return FboPostingResult.model_validate(self._call("posting.fbo.get", body)).result

    def fbs_get(self, posting_number: str, *, related: bool = False) -> Posting:
        body = GetRequest(
            posting_number=posting_number,
            with_=GetWith(related_postings=True) if related else None,
        )
        return PostingResult.model_validate(self._call("posting.fbs.get", body)).result

    # --- ship ----------------------------------------------------------------------------
    def ship(self, posting_number: str, packages: Sequence[ShipPackage]) -> ShipResult:
        """Pack and ship. A 200 does not mean it shipped: re-read with ``fbs_get``."""
        body = ShipRequest(posting_number=posting_number, packages=list(packages))
        return ShipResult.model_validate(self._call("posting.fbs.ship", body))

    # --- cancellation --------------------------------------------------------------------
    def cancel_reasons(self) -> list[CancelReason]:
        return CancelReasonList.model_validate(self._call("posting.fbs.cancel_reasons", {})).result

    def cancel_reasons_for(self, posting_numbers: Sequence[str]) -> list[PostingCancelReasons]:
        body = CancelReasonsRequest(related_posting_numbers=list(posting_numbers))
        return PostingCancelReasonList.model_validate(
            self._call("posting.fbs.cancel_reasons_for", body)
        ).result

    def cancel(self, posting_number: str, reason_id: int, message: str | None = None) -> bool:
        body = CancelRequest(
            posting_number=posting_number,
            cancel_reason_id=reason_id,
            cancel_reason_message=message or None,
        )
        raw = self._call("posting.fbs.cancel", body)
        return bool(raw.get("result", True)) if isinstance(raw, dict) else bool(raw)

    def cancel_products(
        self, posting_number: str, reason_id: int, message: str, items: Sequence[CancelItem]
    ) -> str:
        body = ProductCancelRequest(
            posting_number=posting_number,
            cancel_reason_id=reason_id,
            cancel_reason_message=message,
            items=list(items),
        )
        raw = self._call("posting.fbs.product_cancel", body)
        return str(raw.get("result", "")) if isinstance(raw, dict) else str(raw)

    # --- labels --------------------------------------------------------------------------
    def create_label_tasks(self, posting_numbers: Sequence[str]) -> list[LabelTask]:
        """Start label tasks for up to 100 postings (one call; Ozon may answer with a
        task per label size)."""
        raw = self._call("posting.fbs.label_create", {"posting_numbers": list(posting_numbers)})
        return LabelTasks.model_validate(raw).tasks

    def label_task(self, task_id: int) -> LabelTaskState:
        return LabelTaskState.model_validate(
            self._call("posting.fbs.label_get", {"task_id": task_id})
        )

    def wait_label_task(
        self,
        task_id: int,
        *,
        timeout: float = 120.0,
        interval: float = 0.5,
        max_interval: float = 3.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> LabelTaskState:
        """Poll until the task is completed or failed; ``LabelTimeout`` after ``timeout``."""
        deadline = clock() + timeout
        while True:
            state = self.label_task(task_id)
            code = state.status.code.lower()
            if code in LABEL_DONE or code in LABEL_FAILED or (state.error and state.error.code):
                return state
            if clock() + interval > deadline:
                raise LabelTimeout(
                    f"label task {task_id} was still {code or 'pending'} after {timeout:g} s",
                    path="/v2/posting/fbs/package-label/get",
                )
            sleep(interval)
            interval = min(interval * 1.5, max_interval)

    def fetch_label_file(self, file_url: str, *, timeout: float = 60.0) -> bytes:
        """Download a label PDF. Sent with no Client-Id/Api-Key: the file lives on a file
        host (a CDN for Ozon, the sandbox's own address locally) that needs no keys."""
        import httpx

        url = urljoin(self._client.base_url + "/", file_url)
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback_host(host)):
            raise APIError(f"label file URL {url!r} is not https; not fetched", path=file_url)
        chunks: list[bytes] = []
        size = 0
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5) as http,
            http.stream("GET", url) as resp,
        ):
            if resp.status_code >= 400:
                raise APIError(
                    f"label file {url}: HTTP {resp.status_code}; try `order label` again",
                    path=file_url,
                )
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > MAX_LABEL_BYTES:
                    raise APIError(f"label file {url} is larger than 200 MB", path=file_url)
                chunks.append(chunk)
        return b"".join(chunks)

    # --- acceptance acts and waybills ---------------------------------------------------
    def create_act(self, delivery_method_id: int, departure: dt.datetime | None = None) -> int:
        """Confirm the shipment of one delivery method: the id of its act (carriage)."""
        from ozonctl.client.models.acts import ActCreate, ActCreated

        body = ActCreate(delivery_method_id=delivery_method_id, departure_date=departure)
        return ActCreated.model_validate(self._call("act.create", body)).result.id

    def act_status(self, act_id: int) -> ActStatus:
        from ozonctl.client.models.acts import ActStatusResult

        return ActStatusResult.model_validate(self._call("act.check_status", {"id": act_id})).result

    def acts(self, since: dt.datetime, to: dt.datetime) -> list[Act]:
        """Acts created in [since, to], at most 50 (Ozon's limit; its list has no paging)."""
        from ozonctl.client.models.acts import ActList, ActListFilter, ActListRequest

        body = ActListRequest(filter=ActListFilter(date_from=_z(since), date_to=_z(to)), limit=50)
        return ActList.model_validate(self._call("act.list", body)).result

    def act_postings(self, act_id: int) -> list[ActPosting]:
        from ozonctl.client.models.acts import ActPostings

        return ActPostings.model_validate(self._call("act.postings", {"id": act_id})).result

    def act_pdf(self, act_id: int) -> bytes:
        """The act's documents: Ozon answers the PDF itself (``application/pdf``); a JSON
        ``{file_content}`` (base64 or the PDF's text) is read too."""
        return bytes(self._call("act.pdf", {"id": act_id}, parse=_pdf_body))

    # --- tracking numbers ----------------------------------------------------------------
    def set_tracking(
        self,
        pairs: Sequence[TrackingNumber],
        *,
        on_done: Callable[[BatchOutcome[TrackingNumber]], None] | None = None,
    ) -> BatchReport[TrackingNumber]:
        """Set tracking numbers, 20 a call; each batch's response holds per-item results
        (read them with ``tracking_results``)."""

        def body(batch: list[TrackingNumber]) -> dict[str, Any]:
            return {"tracking_numbers": [p.body() for p in batch]}

        return self._batches("posting.fbs.tracking_set", pairs, body, on_done=on_done)

    @staticmethod
    def tracking_results(outcome: BatchOutcome[TrackingNumber]) -> list[TrackingResult]:
        """Per-posting results of one batch (a failed batch fails every posting in it)."""
        if outcome.error is not None:
            return [
                TrackingResult(
                    posting_number=p.posting_number, result=False, error=str(outcome.error)
                )
                for p in outcome.items
            ]
        got = {r.posting_number: r for r in TrackingResults.model_validate(outcome.response).result}
        return [
            got.get(p.posting_number)
            or TrackingResult(
                posting_number=p.posting_number, result=False, error="missing from Ozon's answer"
            )
            for p in outcome.items
        ]

    def set_rfbs_status(self, step: str, posting_number: str) -> TrackingResult:
        """Move one rFBS posting to ``delivering``, ``last_mile`` or ``delivered``
        (``posting.rfbs.<step>``): Ozon's result for it. Ozon changes the status
        asynchronously: a re-read may show it a moment later."""
        raw = self._call(f"posting.rfbs.{step}", {"posting_number": [posting_number]})
        for r in TrackingResults.model_validate(raw).result:
            if r.posting_number == posting_number:
                return r
        return TrackingResult(
            posting_number=posting_number, result=False, error="missing from Ozon's answer"
        )

    # --- return giveouts ---------------------------------------------------------------------
    def giveouts(self) -> Iterator[Giveout]:
        """The seller's return giveouts (by id; ``last_id`` is the last one's id)."""
        for raw in self._items("giveout.list", {}, next_from_item="giveout_id"):
            yield Giveout.model_validate(raw)

    def giveout(self, giveout_id: int) -> GiveoutInfo:
        """One giveout: its status, warehouse and the products to collect."""
        return GiveoutInfo.model_validate(self._call("giveout.info", {"giveout_id": giveout_id}))

    def giveout_enabled(self) -> bool:
        """Whether the seller may collect returns by barcode."""
        return bool(self._call("giveout.enabled", {}).get("enabled"))

    def giveout_barcode(self) -> str:
        """The barcode's value as text (what the PDF and PNG show)."""
        return str(self._call("giveout.barcode", {}).get("barcode") or "")

    def giveout_file(self, kind: str) -> GiveoutFile:
        """The barcode as a ``pdf`` or ``png`` file (``.content()`` gives its bytes)."""
        from ozonctl.client.models.giveouts import read_file

        answer: GiveoutFile = self._call(f"giveout.{kind}", {}, parse=read_file)
        return answer

    # --- returns ---------------------------------------------------------------------------
    def returns(
        self, since: dt.datetime, to: dt.datetime, schema: str | None = None
    ) -> Iterator[ReturnItem]:
        """FBO and FBS returns created in [since, to], 500 a page (int ``last_id``)."""
        body = ReturnsRequest(
            filter=ReturnsFilter(
                logistic_return_date=TimeRange(time_from=since, time_to=to),
                return_schema=schema,
            )
        ).body()
        for raw in self._items("returns.list", body, next_from_item="id"):
            yield ReturnItem.model_validate(raw)

    # --- buyers' cancellation requests (rFBS) ----------------------------------------------
    def cancel_requests(
        self, state: str = "ALL", posting_numbers: Sequence[str] | None = None
    ) -> Iterator[BuyerCancelRequest]:
        """Buyers' cancellation requests in ``state`` (ALL, ON_APPROVAL, APPROVED,
        REJECTED), 500 a page (int ``last_id``)."""
        filters = CancelRequestFilter(
            state=state, posting_number=list(posting_numbers or []) or None
        )
        for raw in self._items("cancellation.list", {"filters": filters.body()}):
            yield BuyerCancelRequest.model_validate(raw)

    def decide_cancel_request(self, approve: bool, cancellation_id: int, comment: str) -> None:
        """Approve (the posting is cancelled) or reject (it must be delivered) a request."""
        body = CancelRequestDecision(cancellation_id=cancellation_id, comment=comment or None)
        self._call("cancellation.approve" if approve else "cancellation.reject", body.body())

    # --- rFBS return requests --------------------------------------------------------------
    def rfbs_returns(self, posting_number: str | None = None) -> Iterator[RfbsReturn]:
        """Buyers' rFBS return requests, walked by int ``last_id`` (the last
        ``return_id``). Ozon's documents make ``returns`` one object per answer (their
        example, a list): both are read; an empty answer or no progress ends the walk."""
        body: dict[str, Any] = {"limit": 1000}
        if posting_number:
            body["filter"] = {"posting_number": posting_number}
        last = 0
        for _ in range(100_000):
            raw = self._call("returns.rfbs.list", {**body, **({"last_id": last} if last else {})})
            got = raw.get("returns") if isinstance(raw, dict) else None
            items = [got] if isinstance(got, dict) else got if isinstance(got, list) else []
            page = [RfbsReturn.model_validate(x) for x in items]
            yield from page
            if not page or page[-1].return_id <= last:
                return
            last = page[-1].return_id

    def rfbs_return(self, return_id: int) -> RfbsReturn:
        raw = self._call("returns.rfbs.get", {"return_id": return_id})
        found = RfbsReturnOne.model_validate(raw).returns
        return found if found.return_id else found.model_copy(update={"return_id": return_id})

    def rfbs_return_act(self, request: RfbsActionRequest) -> None:
        """Apply one of the request's ``available_actions``; re-read to see its effect."""
        self._call("returns.rfbs.action", request.body())

    # --- rating ----------------------------------------------------------------------------
    def index_postings(self, since: dt.datetime, to: dt.datetime) -> Iterator[IndexError_]:
        """Postings that cost the FBS/rFBS error index in [since, to] (cursor, 1000 a page)."""
        filt = IndexPostingsFilter(date_from=_z(since), date_to=_z(to))
        for raw in self._items("rating.index.postings", {"filter": filt.body()}):
            yield IndexError_.model_validate(raw)

    def index_info(self) -> IndexInfo:
        return IndexInfo.model_validate(self._call("rating.index.info", {}))

    def rating_history(
        self, since: dt.datetime, to: dt.datetime, ratings: Sequence[str]
    ) -> RatingHistory:
        body = RatingHistoryRequest(date_from=_z(since), date_to=_z(to), ratings=list(ratings))
        return RatingHistory.model_validate(self._call("rating.history", body.body()))

    def rating_summary(self) -> RatingSummary:
        return RatingSummary.model_validate(self._call("rating.summary", {}))
