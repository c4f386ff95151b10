"""The home panel of the user's own unfinished tasks (任务督办): the same
selector as the task list it links to (/tasks/?mine=on&open=on)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bureau.home.queue import Queue, QueueItem, _url, _view_all
from bureau.models import Task, User
from bureau.permissions import can_view_tasks
from bureau.selectors.tasks import my_open_tasks


def _my_tasks(user: User, limit: int | None) -> Queue:
    queue = Queue("my_tasks", _("My tasks"), _("No task is waiting for you."))
    qs = my_open_tasks(user=user)
    queue.count = qs.count()
    statuses = dict(Task.Status.choices)
    queue.items = [
        QueueItem(
            task.title,
            _url("task-detail", task.pk),
            f"{task.owner_display} · {statuses[task.status]}",  # type: ignore[attr-defined]
            _("due %(date)s") % {"date": task.due_on.isoformat()},
            bad=task.status == Task.Status.OVERDUE,  # type: ignore[attr-defined]
        )
        for task in qs[:limit]
    ]
    if can_view_tasks(user):
        url = _url("task-list", query={"mine": "on", "open": "on"})
        queue.links = [_view_all(url, queue.count)]
    return queue
