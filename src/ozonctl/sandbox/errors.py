"""Ozon's error bodies (``rpcStatus``) and the exception handlers raise to send one."""

from __future__ import annotations

from typing import Any

# gRPC status codes as Ozon puts them in ``code``.
INVALID_ARGUMENT = 3
NOT_FOUND = 5
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
UNAUTHENTICATED = 16

RATE_LIMIT_MESSAGE = "You have reached request rate limit per second"
OBSOLETE_MESSAGE = "obsolete method cannot be used"


def error_body(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "details": []}


class ApiError(Exception):
    """An Ozon error answer: HTTP status plus the ``{"code", "message", "details"}`` body."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message)


def bad_request(message: str) -> ApiError:
    return ApiError(400, INVALID_ARGUMENT, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, NOT_FOUND, message)
