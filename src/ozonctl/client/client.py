"""``OzonClient``: the public client. Resources load on first use (cheap construction)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ozonctl.client._base import BaseClient

if TYPE_CHECKING:
    from ozonctl.client.resources.account import AccountResource
    from ozonctl.client.resources.analytics import AnalyticsResource
    from ozonctl.client.resources.chats import ChatsResource
    from ozonctl.client.resources.finance import FinanceResource
    from ozonctl.client.resources.postings import PostingsResource
    from ozonctl.client.resources.products import ProductsResource
    from ozonctl.client.resources.promos import PromosResource
    from ozonctl.client.resources.questions import QuestionsResource
    from ozonctl.client.resources.reviews import ReviewsResource


class OzonClient(BaseClient):
    """One Client-Id's connection to the Seller API.

    ``client.account``, ``client.products``, ``client.promos``, ``client.postings``,
    ``client.finance``, ``client.reviews``, ``client.analytics``, ``client.questions`` and
    ``client.chats`` group the typed methods;
    ``client.call(endpoint, body)`` and
    ``client.raw(method, path, body)`` are the untyped escape hatches.
    """

    @cached_property
    def account(self) -> AccountResource:
        from ozonctl.client.resources.account import AccountResource

        return AccountResource(self)

    @cached_property
    def products(self) -> ProductsResource:
        from ozonctl.client.resources.products import ProductsResource

        return ProductsResource(self)

    @cached_property
    def promos(self) -> PromosResource:
        from ozonctl.client.resources.promos import PromosResource

        return PromosResource(self)

    @cached_property
    def postings(self) -> PostingsResource:
        from ozonctl.client.resources.postings import PostingsResource

        return PostingsResource(self)

    @cached_property
    def finance(self) -> FinanceResource:
        from ozonctl.client.resources.finance import FinanceResource

        return FinanceResource(self)

    @cached_property
    def reviews(self) -> ReviewsResource:
        from ozonctl.client.resources.reviews import ReviewsResource

        return ReviewsResource(self)

    @cached_property
    def analytics(self) -> AnalyticsResource:
        from ozonctl.client.resources.analytics import AnalyticsResource

        return AnalyticsResource(self)

    @cached_property
    def questions(self) -> QuestionsResource:
        from ozonctl.client.resources.questions import QuestionsResource

        return QuestionsResource(self)

    @cached_property
    def chats(self) -> ChatsResource:
        from ozonctl.client.resources.chats import ChatsResource

        return ChatsResource(self)
