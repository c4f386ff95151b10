"""A work queue as the home page shows it: a count, the newest items, links to the full lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# How many items a panel shows before "view all".
SHOWN = 5


@dataclass
class QueueItem:
    title: str
    url: str = ""
    detail: str = ""
    when: str = ""
    bad: bool = False
    close_url: str = ""  # a follow-up's "done" form


@dataclass
class QueueLink:
    """A link to the full list (or one part of it) and the rows it shows."""

    label: str
    url: str
    count: int


@dataclass
class Queue:
    name: str  # data-queue
    title: str
    empty: str
    count: int = 0
    items: list[QueueItem] = field(default_factory=list)
    links: list[QueueLink] = field(default_factory=list)
    # The column headings of its full list (/work/<name>/).
    columns: tuple[str, ...] = ()


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    return date_format(value, "Y-m-d")


def _url(name: str, *args: Any, query: dict[str, Any] | None = None) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _view_all(url: str, count: int, label: str = "") -> QueueLink:
    return QueueLink(label or _("View all"), url, count)
