"""Annual return and quarterly report API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.models import (
    AnnualReturn,
    Enterprise,
    FilingStatus,
    QuarterlyReport,
)
from enterprises.permissions import (
    can_file_filings,
    can_file_for,
    can_list_filings,
    can_review_filings,
    filings_visible_to,
    get_enterprise_for_user,
    get_filing_for_user,
)
from enterprises.selectors.filings import SORTS, FilingFilters, filing_list
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
    annual_return_create,
    filing_review,
    filing_submit,
    filing_update,
    filings_accept,
    quarterly_report_create,
)

# --- Returns and quarterly reports ------------------------------------------


def _resolve_enterprise(request: AuthedApiRequest, value: Any) -> Enterprise:
    """An enterprise user files for itself; staff name the enterprise."""
    if request.user.enterprise_id and value in (None, "", request.user.enterprise_id):
        enterprise = get_enterprise_for_user(request.user, request.user.enterprise_id)
    elif value in (None, ""):
        raise serializers.ValidationError({"enterprise": [_("Name the enterprise.")]})
    else:
        enterprise = get_enterprise_for_user(request.user, value)
    if not can_file_for(request.user, enterprise):
        raise DjangoPermissionDenied
    return enterprise


MAX_ID = 2**31 - 1  # a row id; larger numbers are refused, never sent to SQL


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


WORKFLOW_FIELDS = ["status", "return_reason", "submitted_at", "reviewed_at"]


def _optional(figure_fields: tuple[str, ...]) -> dict[str, dict[str, bool]]:
    """Every figure may be left out; so may the enterprise (its own user's)."""
    return {name: {"required": False} for name in ("enterprise", *figure_fields)}


class FilingSerializer(serializers.ModelSerializer):
    """What both kinds of filing show: the enterprise and the workflow."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        read_only_fields = WORKFLOW_FIELDS
        validators: list[Any] = []  # uniqueness: the create services, per field


class AnnualReturnSerializer(FilingSerializer):
    sales_revenue = _decimal(read_only=True)
    rd_incurred = _decimal(read_only=True)
    # Unusual figures accepted for a person to check (R&D above sales …).
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(FilingSerializer.Meta):
        model = AnnualReturn
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            *WORKFLOW_FIELDS,
            "sales_revenue",
            "rd_incurred",
            "warnings",
            *ANNUAL_RETURN_FIELDS,
        ]
        extra_kwargs = _optional(ANNUAL_RETURN_FIELDS)


class QuarterlyReportSerializer(FilingSerializer):
    class Meta(FilingSerializer.Meta):
        model = QuarterlyReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "quarter",
            *WORKFLOW_FIELDS,
            *QUARTERLY_FIELDS,
        ]
        extra_kwargs = _optional(QUARTERLY_FIELDS)


class FilingFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    status = serializers.ChoiceField(choices=FilingStatus.choices, required=False)
    enterprise = serializers.IntegerField(required=False)
    # The review list's filters (enterprises/selectors/filings.py).
    q = serializers.CharField(required=False, max_length=100)
    street = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    period = serializers.RegexField(r"^\d{4}(Q[1-4])?$", required=False)
    state = serializers.ChoiceField(choices=FilingStatus.choices, required=False)
    tier = serializers.CharField(required=False, max_length=30)
    sort = serializers.ChoiceField(
        choices=[f"{sign}{key}" for key in SORTS for sign in ("", "-")],
        required=False,
    )


_LIST_FILTERS = ("q", "street", "period", "state", "tier", "sort")


class FilingListCreateApi(APIView):
    """Shared by annual returns and quarterly reports (see the subclasses)."""

    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer
    figure_fields: tuple[str, ...] = ANNUAL_RETURN_FIELDS

    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_filings(request.user):
            raise DjangoPermissionDenied
        filters = validated(FilingFilterSerializer, request.query_params)
        qs: Any = filing_list(
            user=request.user,
            model=self.model,
            filters=FilingFilters(
                **{k: v for k, v in filters.items() if k in _LIST_FILTERS}
            ),
        )
        for name, value in filters.items():
            if name in _LIST_FILTERS or (
                name == "quarter" and self.model is not QuarterlyReport
            ):
                continue
            qs = qs.filter(**{name: value})
        return paginated(request, self, qs, self.serializer)

    def post(self, request: AuthedApiRequest) -> Response:
        if not can_file_filings(request.user):
            raise DjangoPermissionDenied
        values = validated(self.serializer, request.data)
        enterprise = _resolve_enterprise(
            request, getattr(values.pop("enterprise", None), "pk", None)
        )
        figures = {k: v for k, v in values.items() if k in self.figure_fields}
        filing: AnnualReturn | QuarterlyReport
        if self.model is QuarterlyReport:
            filing = quarterly_report_create(
                enterprise=enterprise,
                year=values["year"],
                quarter=values["quarter"],
                by=request.user,
                **figures,
            )
        else:
            filing = annual_return_create(
                enterprise=enterprise, year=values["year"], by=request.user, **figures
            )
        return Response(self.serializer(filing).data, status=status.HTTP_201_CREATED)


class FilingDetailApi(APIView):
    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer
    figure_fields: tuple[str, ...] = ANNUAL_RETURN_FIELDS

    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return Response(
            self.serializer(get_filing_for_user(request.user, self.model, pk)).data
        )

    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        filing = get_filing_for_user(request.user, self.model, pk, write=True)
        data = validated(self.serializer, request.data, instance=filing, partial=True)
        figures = {k: v for k, v in data.items() if k in self.figure_fields}
        filing_update(filing=filing, by=request.user, **figures)
        return Response(self.serializer(filing).data)


class FilingSubmitApi(APIView):
    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer

    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        filing = get_filing_for_user(request.user, self.model, pk, write=True)
        filing_submit(filing=filing, by=request.user)
        return Response(self.serializer(filing).data)


class FilingReviewApi(APIView):
    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer

    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        filing = get_filing_for_user(request.user, self.model, pk)
        if not can_review_filings(request.user):
            raise DjangoPermissionDenied
        data = validated(self.InputSerializer, request.data)
        filing_review(
            filing=filing,
            by=request.user,
            accept=data["accept"],
            reason=data.get("reason", ""),
        )
        return Response(self.serializer(filing).data)


class FilingBulkApproveApi(APIView):
    """通过 several submitted filings of one kind at once: all or none (409
    when one of them is not awaiting review), each audited."""

    model: type = AnnualReturn

    class InputSerializer(serializers.Serializer):
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            min_length=1,
            max_length=500,
        )

    class OutputSerializer(serializers.Serializer):
        approved = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_review_filings(request.user):
            raise DjangoPermissionDenied
        data = validated(self.InputSerializer, request.data)
        wanted = set(data["ids"])
        visible = set(
            filings_visible_to(request.user, self.model)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        if visible != wanted:
            raise Http404
        done: list[Any] = filings_accept(
            model=self.model, ids=sorted(wanted), by=request.user
        )
        return Response({"approved": [f.pk for f in done]})


class AnnualReturnBulkApproveApi(FilingBulkApproveApi):
    pass


class QuarterlyReportBulkApproveApi(FilingBulkApproveApi):
    model = QuarterlyReport


class AnnualReturnListCreateApi(FilingListCreateApi):
    pass


class AnnualReturnDetailApi(FilingDetailApi):
    pass


class AnnualReturnSubmitApi(FilingSubmitApi):
    pass


class AnnualReturnReviewApi(FilingReviewApi):
    pass


class QuarterlyReportListCreateApi(FilingListCreateApi):
    model, serializer, figure_fields = (
        QuarterlyReport,
        QuarterlyReportSerializer,
        QUARTERLY_FIELDS,
    )


class QuarterlyReportDetailApi(FilingDetailApi):
    model, serializer, figure_fields = (
        QuarterlyReport,
        QuarterlyReportSerializer,
        QUARTERLY_FIELDS,
    )


class QuarterlyReportSubmitApi(FilingSubmitApi):
    model, serializer = QuarterlyReport, QuarterlyReportSerializer


class QuarterlyReportReviewApi(FilingReviewApi):
    model, serializer = QuarterlyReport, QuarterlyReportSerializer
