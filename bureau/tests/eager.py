"""Tasks as `make run` runs them: eagerly, when the write that queued them
commits. Inside a TestCase the transaction never commits, so this runs each
task queued through bureau.lib.tasks.enqueue_on_commit at once instead."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock


@contextmanager
def tasks_at_once() -> Iterator[None]:
    def run(callback: Any, *args: Any, **kwargs: Any) -> None:
        callback()

    with mock.patch("bureau.lib.tasks.transaction.on_commit", side_effect=run):
        yield
