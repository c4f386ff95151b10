"""The IP register and the transfer register over the API: an enterprise's
items (list, create), the district's items (list, scoped like the
enterprises), one item (read, change), what the registers count, and an
enterprise's transfers (list, record)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.models import IPItem, TechTransfer
from enterprises.permissions import (
    can_edit_registers,
    can_list_ip_items,
    get_enterprise_for_user,
    get_ip_item_for_user,
)
from enterprises.selectors.ip import (
    enterprise_ip_items,
    enterprise_transfers,
    ip_item_list,
    ip_summary,
)
from enterprises.services.ip import (
    ip_item_create,
    ip_item_update,
    tech_transfer_record,
)


class IPItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = IPItem
        fields = [
            "id",
            "enterprise",
            "ip_type",
            "ip_class",
            "number",
            "title",
            "applied_on",
            "granted_on",
            "expires_on",
            "status",
            "ownership",
            "hnte_used_year",
        ]
        read_only_fields = ["id", "enterprise", "ip_class"]
        # The (enterprise, type, number) rule is checked by the service.
        validators: list[Any] = []


class IPItemInput(serializers.ModelSerializer):
    class Meta:
        model = IPItem
        fields = [
            "ip_type",
            "number",
            "title",
            "applied_on",
            "granted_on",
            "expires_on",
            "status",
            "ownership",
            "hnte_used_year",
        ]
        validators: list[Any] = []


_FILTERS = [
    OpenApiParameter("q", str, description="Title, number or enterprise name"),
    OpenApiParameter("ip_type", str, enum=IPItem.Type.values),
    OpenApiParameter("ip_class", str, enum=["1", "2"]),
    OpenApiParameter("status", str, enum=IPItem.Status.values),
]


def _filters(request: AuthedApiRequest) -> dict[str, Any]:
    return {
        name: request.query_params.get(name, "")
        for name in ("q", "ip_type", "ip_class", "status")
    }


class EnterpriseIPItemsApi(APIView):
    @extend_schema(responses=IPItemSerializer(many=True), parameters=_FILTERS)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        qs = ip_item_list(
            user=request.user, filters={**_filters(request), "enterprise": enterprise}
        )
        return paginated(request, self, qs, IPItemSerializer)

    @extend_schema(request=IPItemInput, responses={201: IPItemSerializer})
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_edit_registers(request.user, enterprise):
            raise PermissionDenied
        data = validated(IPItemInput, request.data)
        item = ip_item_create(enterprise=enterprise, by=request.user, **data)
        return Response(IPItemSerializer(item).data, status=status.HTTP_201_CREATED)


class IPItemListApi(APIView):
    @extend_schema(responses=IPItemSerializer(many=True), parameters=_FILTERS)
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_ip_items(request.user):
            raise PermissionDenied
        qs = ip_item_list(user=request.user, filters=_filters(request))
        return paginated(request, self, qs, IPItemSerializer)


class IPItemDetailApi(APIView):
    @extend_schema(responses=IPItemSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return Response(IPItemSerializer(get_ip_item_for_user(request.user, pk)).data)

    @extend_schema(request=IPItemInput, responses=IPItemSerializer)
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        item = get_ip_item_for_user(request.user, pk, write=True)
        data = validated(IPItemInput, request.data, partial=True)
        item = ip_item_update(item=item, by=request.user, **data)
        return Response(IPItemSerializer(item).data)


class IPSummarySerializer(serializers.Serializer):
    on = serializers.DateField()
    items = serializers.IntegerField()
    hnte_class1 = serializers.IntegerField()
    hnte_class2 = serializers.IntegerField()
    hnte_class2_used_before = serializers.IntegerField()
    hnte_ip_count_band = serializers.CharField()
    hnte_ip_count_points = serializers.ListField(child=serializers.IntegerField())
    hnte_acquisition_band = serializers.CharField()
    hnte_ip_indicator_range = serializers.ListField(child=serializers.IntegerField())
    tech_sme_class1 = serializers.IntegerField()
    tech_sme_class2 = serializers.IntegerField()
    transfers_3y = serializers.IntegerField()
    transfer_years = serializers.ListField(child=serializers.IntegerField())


class EnterpriseIPSummaryApi(APIView):
    """What the IP and transfer registers count for an application made
    today (or on ?on=YYYY-MM-DD)."""

    @extend_schema(
        responses=IPSummarySerializer,
        parameters=[OpenApiParameter("on", str, description="ISO date")],
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        on = serializers.DateField().to_internal_value(
            request.query_params.get("on") or timezone.localdate().isoformat()
        )
        s = ip_summary(enterprise=enterprise, on=on)
        hnte = s.high_tech
        return Response(
            {
                "on": s.on.isoformat(),
                "items": s.items,
                "hnte_class1": hnte.count.class1,
                "hnte_class2": hnte.count.class2,
                "hnte_class2_used_before": hnte.count.class2_used_before,
                "hnte_ip_count_band": hnte.count_band.band,
                "hnte_ip_count_points": list(hnte.count_band.points),
                "hnte_acquisition_band": hnte.acquisition_band.band,
                "hnte_ip_indicator_range": list(hnte.indicator_range),
                "tech_sme_class1": s.tech_sme.class1,
                "tech_sme_class2": s.tech_sme.class2,
                "transfers_3y": s.transfers_3y,
                "transfer_years": list(s.transfer_years),
            }
        )


class TechTransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechTransfer
        fields = ["id", "title", "year", "way", "contract_number", "ip_items"]
        read_only_fields = ["id", "ip_items"]


class EnterpriseTransfersApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        year = serializers.IntegerField(min_value=1990, max_value=2100)
        way = serializers.ChoiceField(choices=TechTransfer.Way.choices)
        contract_number = serializers.CharField(
            max_length=50, required=False, allow_blank=True, default=""
        )
        ip_items = serializers.ListField(
            child=serializers.IntegerField(), required=False, default=list
        )

    @extend_schema(responses=TechTransferSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        return paginated(
            request, self, enterprise_transfers(enterprise), TechTransferSerializer
        )

    @extend_schema(request=InputSerializer, responses={201: TechTransferSerializer})
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_edit_registers(request.user, enterprise):
            raise PermissionDenied
        data = validated(self.InputSerializer, request.data)
        wanted = set(data.pop("ip_items"))
        items = list(enterprise_ip_items(enterprise).filter(pk__in=wanted))
        if len(items) != len(wanted):
            raise serializers.ValidationError(
                {"ip_items": [_("Link only this enterprise's IP items.")]}
            )
        transfer = tech_transfer_record(
            enterprise=enterprise, by=request.user, ip_items=items, **data
        )
        return Response(
            TechTransferSerializer(transfer).data, status=status.HTTP_201_CREATED
        )
