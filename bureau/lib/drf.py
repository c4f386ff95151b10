"""One pagination class and one exception handler for every API, and the
serializer of the error body they give (for the schema, bureau/lib/schema.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from bureau.lib.concurrency import (
    busy_error,
    conflict_error,
    is_lock_conflict,
    is_lock_wait_timeout,
)
from bureau.lib.exceptions import ApplicationError
from bureau.lib.paging import DeferredJoinPaginator, KeysetPage, keyset_page


class Pagination(PageNumberPagination):
    """`?page=` (with a count) or, for clients walking a long list,
    `?cursor=` (keyset: no count, the same cost at any depth)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = DeferredJoinPaginator
    cursor_query_param = "cursor"

    def __init__(self) -> None:
        self.keyset: KeysetPage | None = None

    def paginate_queryset(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        if self.cursor_query_param in request.query_params and isinstance(
            queryset, QuerySet
        ):
            self.request = request
            self.keyset = keyset_page(
                queryset,
                cursor=request.query_params[self.cursor_query_param],
                size=self.get_page_size(request) or self.page_size,
            )
            return self.keyset.rows
        return super().paginate_queryset(queryset, request, view=view)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is None or self.request is None:
            return super().get_paginated_response(data)
        url = self.request.build_absolute_uri()

        def link(cursor: str | None) -> str | None:
            if cursor is None:
                return None
            return replace_query_param(url, self.cursor_query_param, cursor)

        return Response(
            {
                "next": link(self.keyset.next_cursor),
                "previous": link(self.keyset.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["results"]
        answer["properties"]["count"]["description"] = (
            "How many rows the whole list has; with `page` only (absent with `cursor`)."
        )
        return answer

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset pagination for walking a long list: send `cursor=` "
                    "(empty) for the first page, then follow `next` (and "
                    "`previous`). Each page costs the same at any depth; the "
                    "answer has no `count`. Takes precedence over `page`."
                ),
                "schema": {"type": "string"},
            },
        ]


def paginated(
    request: Request,
    view: APIView,
    queryset: QuerySet[Any] | Sequence[Any],
    serializer: type[BaseSerializer[Any]],
) -> Response:
    """One page of `queryset` as {count, next, previous, results}, or with
    `?cursor=` as {next, previous, results} (see Pagination)."""
    paginator = Pagination()
    page: list[Any] | None = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def validated(
    serializer: type[BaseSerializer[Any]], data: Any, **kwargs: Any
) -> dict[str, Any]:
    """`data` (a request's body or query) checked by `serializer`, as a plain
    dict of the validated values; invalid data is a 400 like everywhere."""
    checked = serializer(data=data, **kwargs)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (see exception_handler)."""

    detail = serializers.CharField(help_text="What went wrong, as one sentence.")
    code = serializers.CharField(
        help_text="A stable code, e.g. `not_found`, `permission_denied`, "
        "`invalid`, or the business rule's own code on a 409."
    )
    # The metaclass moves declared fields off the class, so this does not
    # hide Serializer.errors at run time; the stubs cannot know that.
    errors = serializers.JSONField(  # type: ignore[assignment]
        required=False,
        help_text="On a 400 only: the messages keyed by field name (nested for "
        "nested input, `non_field_errors` for the whole), or for a refused "
        "workbook a list of `{row, column, message}`.",
    )


def _flatten(detail: Any) -> Any:
    """DRF ErrorDetail trees → plain strings, keeping the structure."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(value) for value in detail]
    return str(detail)


def _first_message(errors: Any, prefix: str = "") -> str:
    if isinstance(errors, dict):
        for key, value in errors.items():
            label = "" if key in ("non_field_errors", "__all__") else key
            path = f"{prefix}.{label}" if prefix and label else (label or prefix)
            return _first_message(value, path)
    if isinstance(errors, list) and errors:
        return _first_message(errors[0], prefix)
    return f"{prefix}: {errors}" if prefix else str(errors)


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: Any = {
            ("non_field_errors" if key == "__all__" else key): value
            for key, value in exc.message_dict.items()
        }
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON with `detail` (a sentence) and `code`; a 400
    adds `errors` keyed by field name."""
    if is_lock_conflict(exc):  # a deadlock with a concurrent request: a race
        exc = busy_error() if is_lock_wait_timeout(exc) else conflict_error()
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # Django would answer a bare 400 page; a client needs to know why.
        return Response(
            {"detail": _("The request is too large."), "code": "too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, OverflowError):
        # A number too large for the database driver (SQLite's 64-bit
        # integer) in a filter no serializer bounded: bad input, not a fault.
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("A number in the request is out of range.")]}
        )
    elif isinstance(exc, DataError):
        # The database refused a value the serializers let through (a NUL
        # character, a number out of range): bad input, not a server fault.
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("A value in the request cannot be stored.")]}
        )
    elif isinstance(exc, ApplicationError):
        return Response(
            {"detail": exc.message, "code": exc.code, **exc.extra},
            status=status.HTTP_409_CONFLICT,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if not isinstance(errors, dict):
            errors = {
                "non_field_errors": errors if isinstance(errors, list) else [errors]
            }
        response.data = {
            "detail": _first_message(errors) or _("Invalid input."),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "detail": str(detail)
            if not isinstance(detail, dict | list)
            else _flatten(detail),
            "code": codes if isinstance(codes, str) else "error",
        }
    return response
