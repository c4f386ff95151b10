"""Staff rosters (the annual figures, never the people) and the 规上
proposals over the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated
from bureau.lib.types import AuthedApiRequest
from enterprises.eligibility import ratio_str
from enterprises.models import Enterprise
from enterprises.permissions import (
    can_confirm_above_scale,
    can_view_above_scale,
    get_enterprise_for_user,
)
from enterprises.selectors.scale import above_scale_proposals
from enterprises.selectors.staff import enterprise_roster_figures
from enterprises.services.scale import above_scale_confirm


class RosterFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    people = serializers.IntegerField()
    hnte_staff_total = serializers.CharField(help_text="Annual average, decimal")
    hnte_tech_staff = serializers.CharField()
    hnte_tech_share = serializers.CharField(allow_null=True)
    sme_staff_total = serializers.CharField()
    sme_tech_staff = serializers.CharField()
    sme_tech_share = serializers.CharField(allow_null=True)
    rd_staff = serializers.CharField()
    rd_share = serializers.CharField(allow_null=True)
    imported_at = serializers.DateTimeField()


class EnterpriseStaffRostersApi(APIView):
    """The annual figures each staff roster of the enterprise gives."""

    @extend_schema(responses=RosterFiguresSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        rows: list[dict[str, Any]] = []
        for roster, f in enterprise_roster_figures(enterprise):
            rows.append(
                {
                    "year": roster.year,
                    "people": f.people,
                    "hnte_staff_total": ratio_str(f.hnte_staff_total, 2),
                    "hnte_tech_staff": ratio_str(f.hnte_tech_staff, 2),
                    "hnte_tech_share": ratio_str(f.hnte_tech_share),
                    "sme_staff_total": ratio_str(f.sme_staff_total, 2),
                    "sme_tech_staff": ratio_str(f.sme_tech_staff, 2),
                    "sme_tech_share": ratio_str(f.sme_tech_share),
                    "rd_staff": ratio_str(f.rd_staff, 2),
                    "rd_share": ratio_str(f.rd_share),
                    "imported_at": roster.imported_at,
                }
            )
        return paginated(request, self, rows, RosterFiguresSerializer)


class AboveScaleProposalSerializer(serializers.ModelSerializer):
    proposal_year = serializers.IntegerField()
    proposal_revenue = serializers.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        model = Enterprise
        fields = ["id", "credit_code", "name", "proposal_year", "proposal_revenue"]


class AboveScaleProposalListApi(APIView):
    @extend_schema(
        responses=AboveScaleProposalSerializer(many=True),
        parameters=[OpenApiParameter("q", str), OpenApiParameter("org_unit", str)],
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_above_scale(request.user):
            raise PermissionDenied
        qs = above_scale_proposals(
            user=request.user,
            q=request.query_params.get("q", ""),
            org_unit=request.query_params.get("org_unit", ""),
        )
        return paginated(request, self, qs, AboveScaleProposalSerializer)


class AboveScaleConfirmApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        is_above_scale = serializers.BooleanField()

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_confirm_above_scale(request.user):
            raise PermissionDenied
        above_scale_confirm(enterprise=enterprise, by=request.user)
        return Response({"id": enterprise.pk, "is_above_scale": True})
