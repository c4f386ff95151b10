"""The API of policy rewards (奖补兑现) and innovation vouchers (创新券).

Paths are relative to /api/v1/; mount `reward_api_patterns` there.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import User
from projects.apis.fields import IntegerFilter, OptionalBooleanField
from projects.apis.reward_rules import reward_rule_api_patterns
from projects.exports_rewards import reward_batch_workbook
from projects.models import (
    Entitlement,
    RewardBatch,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
)
from projects.permissions import (
    can_approve_reward_batch,
    can_export_reward_batch,
    can_manage_rewards,
    can_see_vouchers,
    can_use_vouchers,
    can_view_rewards,
    can_view_vouchers,
    get_entitlement_for_user,
    get_reward_batch_for_user,
    get_voucher_claim_for_user,
    own_enterprise,
)
from projects.selectors import (
    entitlement_list,
    reward_batch_export_rows,
    reward_batch_list,
    service_provider_list,
    voucher_claim_list,
    voucher_scheme_list,
)
from projects.selectors.rewards import EntitlementFilters
from projects.selectors.vouchers import ClaimFilters
from projects.services.rewards import (
    entitlement_exclude,
    entitlement_restore,
    entitlements_pay,
    reward_batch_approve,
    reward_batch_build,
)
from projects.services.vouchers import (
    voucher_cancel,
    voucher_claim,
    voucher_redeem,
    voucher_use,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BatchOutputSerializer(serializers.ModelSerializer):
    approved_by = serializers.CharField(
        source="approved_by.display_name", default=None, read_only=True
    )
    entitlement_count = serializers.IntegerField(read_only=True)
    total_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True
    )

    class Meta:
        model = RewardBatch
        fields = [
            "year",
            "status",
            "built_at",
            "approved_at",
            "approved_by",
            "entitlement_count",
            "total_amount",
        ]


class EntitlementOutputSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="batch.year", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    org_unit = serializers.CharField(source="enterprise.org_unit.name", read_only=True)
    state = serializers.ChoiceField(choices=Entitlement.State.choices, read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "year",
            "rule",
            "rule_name",
            "enterprise",
            "enterprise_name",
            "credit_code",
            "org_unit",
            "amount",
            "reason",
            "excluded",
            "exclusion_reason",
            "state",
            "state_display",
            "paid_at",
        ]


def _batch_with_totals(user: User, year: int) -> RewardBatch:
    return get_object_or_404(reward_batch_list(user=user), year=year)


def _batch_response(user: User, year: int) -> Response:
    """The batch with its totals, as `user` sees it after a change."""
    return Response(BatchOutputSerializer(_batch_with_totals(user, year)).data)


def _entitlement_response(user: User, pk: int) -> Response:
    """The entitlement as `user` sees it after a change."""
    return Response(
        EntitlementOutputSerializer(get_entitlement_for_user(user, pk)).data
    )


# --- Reward batches ---------------------------------------------------------


class RewardBatchListApi(APIView):
    @extend_schema(responses=BatchOutputSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_rewards(request.user):
            raise PermissionDenied
        qs = reward_batch_list(user=request.user).select_related("approved_by")
        return paginated(request, self, qs, BatchOutputSerializer)


class BatchDetailSerializer(BatchOutputSerializer):
    excluded_count = serializers.IntegerField(read_only=True)

    class Meta(BatchOutputSerializer.Meta):
        fields = [*BatchOutputSerializer.Meta.fields, "excluded_count"]


class BatchPageSerializer(serializers.Serializer):
    """What the batch detail answers: a page of its entitlements, and the
    batch with its totals under `batch` (for the schema)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EntitlementOutputSerializer(many=True)
    batch = BatchDetailSerializer()


class RewardBatchDetailApi(APIView):
    """The batch, with its entitlements a page at a time."""

    class FilterSerializer(serializers.Serializer):
        excluded = OptionalBooleanField()

    OutputSerializer = BatchDetailSerializer

    @extend_schema(parameters=[FilterSerializer], responses=BatchPageSerializer)
    def get(self, request: AuthedApiRequest, year: int) -> Response:
        filters = validated(self.FilterSerializer, request.query_params)
        batch = get_reward_batch_for_user(request.user, year)
        qs = entitlement_list(
            user=request.user,
            batch=batch,
            excluded=filters["excluded"],
        )
        response = paginated(request, self, qs, EntitlementOutputSerializer)
        response.data["batch"] = self.OutputSerializer(
            _batch_with_totals(request.user, year)
        ).data
        return response


class RewardBatchBuildApi(APIView):
    """Compute (or recompute) the year's entitlements from the data."""

    @extend_schema(request=None, responses={200: BatchOutputSerializer})
    def post(self, request: AuthedApiRequest, year: int) -> Response:
        if not can_manage_rewards(request.user):
            raise PermissionDenied
        reward_batch_build(year=year, by=request.user)
        return _batch_response(request.user, year)


class RewardBatchApproveApi(APIView):
    @extend_schema(request=None, responses={200: BatchOutputSerializer})
    def post(self, request: AuthedApiRequest, year: int) -> Response:
        batch = get_reward_batch_for_user(request.user, year)
        if not can_approve_reward_batch(request.user):
            raise PermissionDenied
        reward_batch_approve(batch=batch, by=request.user)
        return _batch_response(request.user, year)


class RewardBatchExportApi(APIView):
    """The batch as an Excel workbook for the finance office."""

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request: AuthedApiRequest, year: int) -> HttpResponse:
        batch = get_reward_batch_for_user(request.user, year)
        if not can_export_reward_batch(request.user):
            raise PermissionDenied
        content = reward_batch_workbook(
            batch=batch, entitlements=reward_batch_export_rows(batch=batch)
        )
        return HttpResponse(
            content, headers=xlsx_response_headers(f"奖补兑现清单-{batch.year}.xlsx")
        )


# --- Entitlements -----------------------------------------------------------


class EntitlementListApi(APIView):
    """The entitlements the caller may see: all for the bureau, its own
    (approved) for an enterprise user."""

    class FilterSerializer(serializers.Serializer):
        year = IntegerFilter(allow_null=True, default=None)
        excluded = OptionalBooleanField()
        q = serializers.CharField(required=False, max_length=100, default="")
        street = IntegerFilter(allow_null=True, default=None)
        rule = IntegerFilter(allow_null=True, default=None)
        state = serializers.ChoiceField(
            choices=Entitlement.State.choices, required=False, default=""
        )

    @extend_schema(
        parameters=[FilterSerializer], responses=EntitlementOutputSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        """The same search and filters as the review page (name or credit
        code, street, rule, state), newest year first."""
        if not can_view_rewards(request.user):
            raise PermissionDenied
        data = validated(self.FilterSerializer, request.query_params)
        qs = entitlement_list(
            user=request.user,
            year=data["year"],
            excluded=data["excluded"],
            filters=EntitlementFilters(
                q=data["q"],
                street=data["street"],
                rule=data["rule"],
                state=data["state"],
            ),
        )
        return paginated(request, self, qs, EntitlementOutputSerializer)


class EntitlementDetailApi(APIView):
    @extend_schema(responses=EntitlementOutputSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        entitlement = get_entitlement_for_user(request.user, pk)
        return Response(EntitlementOutputSerializer(entitlement).data)


class EntitlementExcludeApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=200)

    @extend_schema(request=InputSerializer, responses=EntitlementOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        entitlement = get_entitlement_for_user(request.user, pk, write=True)
        data = validated(self.InputSerializer, request.data)
        entitlement = entitlement_exclude(
            entitlement=entitlement,
            reason=data["reason"],
            by=request.user,
        )
        return _entitlement_response(request.user, entitlement.pk)


class EntitlementPayApi(APIView):
    """Record that the finance office paid an entitlement (已发放)."""

    @extend_schema(request=None, responses=EntitlementOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        entitlement = get_entitlement_for_user(request.user, pk, write=True)
        entitlements_pay(ids=[entitlement.pk], by=request.user)
        return _entitlement_response(request.user, entitlement.pk)


class EntitlementRestoreApi(APIView):
    @extend_schema(request=None, responses=EntitlementOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        entitlement = get_entitlement_for_user(request.user, pk, write=True)
        entitlement_restore(entitlement=entitlement, by=request.user)
        return _entitlement_response(request.user, entitlement.pk)


# --- Vouchers ---------------------------------------------------------------


class VoucherSchemeListApi(APIView):
    class OutputSerializer(serializers.ModelSerializer):
        committed = serializers.DecimalField(
            max_digits=16, decimal_places=2, read_only=True
        )
        spent = serializers.DecimalField(
            max_digits=16, decimal_places=2, read_only=True
        )
        redeemed = serializers.DecimalField(
            max_digits=16, decimal_places=2, read_only=True
        )
        remaining = serializers.DecimalField(
            max_digits=16, decimal_places=2, read_only=True
        )
        claim_count = serializers.IntegerField(read_only=True)

        class Meta:
            model = VoucherScheme
            fields = [
                "id",
                "year",
                "quota_total",
                "amount_per_claim",
                "annual_cap_per_enterprise",
                "full_pay_below",
                "copay_ratio",
                "committed",
                "spent",
                "redeemed",
                "remaining",
                "claim_count",
            ]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_see_vouchers(request.user):
            raise PermissionDenied
        return paginated(
            request, self, voucher_scheme_list(user=request.user), self.OutputSerializer
        )


class ServiceProviderListApi(APIView):
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = ServiceProvider
            fields = ["id", "name", "kind", "is_active"]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_see_vouchers(request.user):
            raise PermissionDenied
        return paginated(
            request,
            self,
            service_provider_list(user=request.user),
            self.OutputSerializer,
        )


class ClaimOutputSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    provider_name = serializers.CharField(
        source="provider.name", default=None, read_only=True
    )

    class Meta:
        model = VoucherClaim
        fields = [
            "id",
            "scheme",
            "year",
            "enterprise",
            "enterprise_name",
            "amount",
            "status",
            "status_display",
            "provider",
            "provider_name",
            "service",
            "service_fee",
            "used_amount",
            "claimed_at",
            "used_at",
            "redeemed_at",
        ]


class VoucherClaimListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=VoucherClaim.Status.choices, required=False
        )
        year = IntegerFilter()
        enterprise = IntegerFilter()
        q = serializers.CharField(required=False, max_length=100, default="")
        street = IntegerFilter(allow_null=True, default=None)

    class InputSerializer(serializers.Serializer):
        scheme = serializers.PrimaryKeyRelatedField(
            queryset=VoucherScheme.objects.all()
        )

    @extend_schema(
        parameters=[FilterSerializer], responses=ClaimOutputSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_vouchers(request.user):
            raise PermissionDenied
        data = validated(self.FilterSerializer, request.query_params)
        qs = voucher_claim_list(
            user=request.user,
            status=data.get("status"),
            year=data.get("year"),
            enterprise=data.get("enterprise"),
            filters=ClaimFilters(q=data["q"], street=data["street"]),
        )
        return paginated(request, self, qs, ClaimOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: ClaimOutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        """Claim a voucher for the caller's enterprise."""
        if not can_use_vouchers(request.user):
            raise PermissionDenied
        data = validated(self.InputSerializer, request.data)
        claim = voucher_claim(
            scheme=data["scheme"],
            enterprise=own_enterprise(request.user),
            by=request.user,
        )
        return Response(
            ClaimOutputSerializer(claim).data, status=status.HTTP_201_CREATED
        )


class VoucherClaimUseApi(APIView):
    class InputSerializer(serializers.Serializer):
        provider = serializers.PrimaryKeyRelatedField(
            queryset=ServiceProvider.objects.all()
        )
        service = serializers.CharField(max_length=200)
        service_fee = serializers.DecimalField(
            max_digits=12, decimal_places=2, min_value=Decimal("0.01")
        )

    @extend_schema(request=InputSerializer, responses=ClaimOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        claim = get_voucher_claim_for_user(request.user, pk, action="use")
        data = validated(self.InputSerializer, request.data)
        claim = voucher_use(claim=claim, by=request.user, **data)
        return Response(ClaimOutputSerializer(claim).data)


class VoucherClaimRedeemApi(APIView):
    @extend_schema(request=None, responses=ClaimOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        claim = get_voucher_claim_for_user(request.user, pk, action="redeem")
        claim = voucher_redeem(claim=claim, by=request.user)
        return Response(ClaimOutputSerializer(claim).data)


class VoucherClaimCancelApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=ClaimOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        claim = get_voucher_claim_for_user(request.user, pk, action="cancel")
        data = validated(self.InputSerializer, request.data)
        claim = voucher_cancel(
            claim=claim, by=request.user, reason=data.get("reason", "")
        )
        return Response(ClaimOutputSerializer(claim).data)


reward_api_patterns = [
    *reward_rule_api_patterns,
    # /api/v1/reward-batches/
    path("reward-batches/", RewardBatchListApi.as_view(), name="reward-batch-list"),
    path(
        "reward-batches/<int:year>/",
        RewardBatchDetailApi.as_view(),
        name="reward-batch-detail",
    ),
    path(
        "reward-batches/<int:year>/build/",
        RewardBatchBuildApi.as_view(),
        name="reward-batch-build",
    ),
    path(
        "reward-batches/<int:year>/approve/",
        RewardBatchApproveApi.as_view(),
        name="reward-batch-approve",
    ),
    path(
        "reward-batches/<int:year>/export/",
        RewardBatchExportApi.as_view(),
        name="reward-batch-export",
    ),
    # /api/v1/entitlements/
    path("entitlements/", EntitlementListApi.as_view(), name="entitlement-list"),
    path(
        "entitlements/<int:pk>/",
        EntitlementDetailApi.as_view(),
        name="entitlement-detail",
    ),
    path(
        "entitlements/<int:pk>/exclude/",
        EntitlementExcludeApi.as_view(),
        name="entitlement-exclude",
    ),
    path(
        "entitlements/<int:pk>/restore/",
        EntitlementRestoreApi.as_view(),
        name="entitlement-restore",
    ),
    path(
        "entitlements/<int:pk>/pay/",
        EntitlementPayApi.as_view(),
        name="entitlement-pay",
    ),
    # /api/v1/voucher-schemes/, /api/v1/service-providers/
    path(
        "voucher-schemes/", VoucherSchemeListApi.as_view(), name="voucher-scheme-list"
    ),
    path(
        "service-providers/",
        ServiceProviderListApi.as_view(),
        name="service-provider-list",
    ),
    # /api/v1/voucher-claims/
    path(
        "voucher-claims/",
        VoucherClaimListCreateApi.as_view(),
        name="voucher-claim-list",
    ),
    path(
        "voucher-claims/<int:pk>/use/",
        VoucherClaimUseApi.as_view(),
        name="voucher-claim-use",
    ),
    path(
        "voucher-claims/<int:pk>/redeem/",
        VoucherClaimRedeemApi.as_view(),
        name="voucher-claim-redeem",
    ),
    path(
        "voucher-claims/<int:pk>/cancel/",
        VoucherClaimCancelApi.as_view(),
        name="voucher-claim-cancel",
    ),
]
