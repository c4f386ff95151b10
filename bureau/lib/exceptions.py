from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business rule was broken (e.g. "already submitted"). The API answers
    409 with `detail` and `code`; pages show the message."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "conflict",
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
