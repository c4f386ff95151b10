"""Every API path, under /api/v1/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from bureau import apis, views
from bureau.apis import tasks as task_apis

bureau_patterns = [
    # /api/v1/auth/
    path("auth/token/", apis.AuthTokenCreateApi.as_view(), name="auth-token"),
    path(
        "auth/token/revoke/",
        apis.AuthTokenRevokeApi.as_view(),
        name="auth-token-revoke",
    ),
    path("auth/password/", apis.PasswordChangeApi.as_view(), name="auth-password"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("roles/", apis.RoleListApi.as_view(), name="roles"),
    # /api/v1/org-units/
    path("org-units/", apis.OrgUnitListApi.as_view(), name="org-unit-list"),
    # /api/v1/audit-events/
    path("audit-events/", apis.AuditEventListApi.as_view(), name="audit-event-list"),
    # /api/v1/tasks/, /api/v1/deadlines/
    path("tasks/", task_apis.TaskListCreateApi.as_view(), name="task-list"),
    path(
        "tasks/<int:pk>/status/",
        task_apis.TaskStatusApi.as_view(),
        name="task-status",
    ),
    path("deadlines/", task_apis.DeadlineListCreateApi.as_view(), name="deadline-list"),
]

urlpatterns = [
    path("", include((bureau_patterns, "bureau"), namespace="bureau")),
    path("", include(("enterprises.api_urls", "enterprises"), namespace="enterprises")),
    path("", include(("talent.api_urls", "talent"), namespace="talent")),
    path("", include(("projects.api_urls", "projects"), namespace="projects")),
    path("", include(("indicators.api_urls", "indicators"), namespace="indicators")),
    # Any other path: the JSON 404, whatever the method. Not CSRF-checked, or a
    # form POST to an unknown path would get Django's HTML 403 page instead.
    re_path(r"", csrf_exempt(login_not_required(views.not_found))),
]
