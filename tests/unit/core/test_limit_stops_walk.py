"""``--limit N`` stops the walk of the service and order lists: the command pulls N rows
from the client's paged read and no more (issue 18). Each read here would go on for
three rows; ``--limit 1`` may pull one. (The e2e walk in tests/e2e/test_list_limit.py
counts the sandbox's requests; these lists fit one page of the sandbox's data.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ozonctl.client.models.cancellations import BuyerCancelRequest
from ozonctl.client.models.chats import Chat
from ozonctl.client.models.penalties import IndexError_, IndexInfo
from ozonctl.client.models.questions import Question
from ozonctl.client.models.reviews import Review
from ozonctl.client.resources.chats import ChatsResource
from ozonctl.client.resources.postings import PostingsResource
from ozonctl.client.resources.questions import QuestionsResource
from ozonctl.client.resources.reviews import ReviewsResource

ITEMS: dict[str, tuple[type, str, Any]] = {
    # command: (resource, its paged method, one item)
    "review list": (ReviewsResource, "list", lambda n: Review.model_validate({"id": f"r{n}"})),
    "question list": (
        QuestionsResource, "list", lambda n: Question.model_validate({"id": f"q{n}"}),
    ),
    "chat list": (ChatsResource, "list", lambda n: Chat.model_validate({})),
    "order cancel-requests": (
        PostingsResource, "cancel_requests",
        lambda n: BuyerCancelRequest.model_validate(
            {"cancellation_id": n, "posting_number": f"1-{n}"}
        ),
    ),
    "order penalties": (
        PostingsResource, "index_postings",
        lambda n: IndexError_.model_validate({"posting_number": f"1-{n}"}),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_limit_1_pulls_one_row(cli: Any, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    resource, method, item = ITEMS[name]
    pulled: list[int] = []

    def paged(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for n in range(3):
            pulled.append(n)
            yield item(n)

    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    monkeypatch.setattr(resource, method, paged)
    monkeypatch.setattr(PostingsResource, "index_info", lambda self: IndexInfo())
    r = cli(*name.split(), "--limit", "1", "--json")
    assert r.exit_code == 0, r.stderr
    assert len(r.json()) == 1
    assert pulled == [0], f"{name}: pulled {len(pulled)} rows for one"
