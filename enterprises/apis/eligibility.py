"""Eligibility pre-assessment API (ELIGIBILITY_API.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from enterprises.eligibility import (
    HighTechFigures,
    TechSmeFigures,
    assess_high_tech,
    assess_tech_sme,
    exact,
    policy_from_settings,
)


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, min_value=0, **kwargs
    )


def _headcount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=4, min_value=0, **kwargs
    )


def _yearly(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=_money(), min_length=1, max_length=3, **kwargs)


class EligibilityHighTechApi(APIView):
    """高新技术企业 pre-assessment (ELIGIBILITY_API.md). Stores nothing."""

    class InputSerializer(serializers.Serializer):
        application_date = serializers.DateField()
        established_on = serializers.DateField()
        ip_class1 = serializers.IntegerField(min_value=0)
        ip_class2 = serializers.IntegerField(min_value=0)
        core_tech_in_supported_fields = serializers.BooleanField()
        staff_total = _headcount()
        tech_staff = _headcount()
        sales_revenue = _yearly()
        rd_internal = _yearly()
        rd_entrusted_domestic = _yearly(required=False)
        rd_entrusted_overseas = _yearly(required=False)
        total_income = _money()
        non_taxable_income = _money(required=False, default=0)
        hightech_income = _money()
        innovation_score = serializers.IntegerField(min_value=0, max_value=100)
        major_incident_dates = serializers.ListField(
            child=serializers.DateField(), required=False, default=list
        )
        net_assets = serializers.ListField(
            # Net assets can be negative (liabilities above assets).
            child=serializers.DecimalField(max_digits=20, decimal_places=4),
            min_length=1,
            max_length=3,
            required=False,
        )
        tech_transfers_3y = serializers.IntegerField(min_value=0, required=False)

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            years = len(data["sales_revenue"])
            errors: dict[str, list[str]] = {}
            for name in (
                "rd_internal",
                "rd_entrusted_domestic",
                "rd_entrusted_overseas",
            ):
                if name in data and len(data[name]) != years:
                    errors[name] = [
                        _(
                            "Give as many years as sales_revenue (%(years)s), not %(got)s."
                        )
                        % {"years": years, "got": len(data[name])}
                    ]
            if data["tech_staff"] > data["staff_total"]:
                errors["tech_staff"] = [_("S&T staff cannot exceed total staff.")]
            if data["non_taxable_income"] > data["total_income"]:
                errors["non_taxable_income"] = [
                    _("Non-taxable income cannot exceed total income.")
                ]
            if data["established_on"] > data["application_date"]:
                errors["established_on"] = [
                    _("The founding date cannot be after the application date.")
                ]
            if errors:
                raise serializers.ValidationError(errors)
            return data

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request: AuthedApiRequest) -> Response:
        v = validated(self.InputSerializer, request.data)
        figures = HighTechFigures(
            application_date=v["application_date"],
            established_on=v["established_on"],
            ip_class1=v["ip_class1"],
            ip_class2=v["ip_class2"],
            core_tech_in_supported_fields=v["core_tech_in_supported_fields"],
            staff_total=exact(v["staff_total"]),
            tech_staff=exact(v["tech_staff"]),
            sales_revenue=[exact(x) for x in v["sales_revenue"]],
            rd_internal=[exact(x) for x in v["rd_internal"]],
            rd_entrusted_domestic=[
                exact(x) for x in v.get("rd_entrusted_domestic", [])
            ],
            rd_entrusted_overseas=[
                exact(x) for x in v.get("rd_entrusted_overseas", [])
            ],
            total_income=exact(v["total_income"]),
            non_taxable_income=exact(v["non_taxable_income"]),
            hightech_income=exact(v["hightech_income"]),
            innovation_score=v["innovation_score"],
            major_incident_dates=v["major_incident_dates"],
            net_assets=[exact(x) for x in v["net_assets"]]
            if "net_assets" in v
            else None,
            tech_transfers_3y=v.get("tech_transfers_3y"),
        )
        return Response(assess_high_tech(figures, policy=policy_from_settings()))


class EligibilityTechSmeApi(APIView):
    """科技型中小企业 pre-assessment (ELIGIBILITY_API.md). Stores nothing."""

    class AwardSerializer(serializers.Serializer):
        level = serializers.ChoiceField(choices=["national", "provincial", "municipal"])
        rank = serializers.IntegerField(min_value=1)
        year = serializers.IntegerField(min_value=1949, max_value=2100)

    class StandardSerializer(serializers.Serializer):
        level = serializers.ChoiceField(
            choices=["international", "national", "industry", "local", "group"]
        )
        rank = serializers.IntegerField(min_value=1)
        year = serializers.IntegerField(min_value=1949, max_value=2100)

    class InputSerializer(serializers.Serializer):
        evaluation_year = serializers.IntegerField(min_value=2017, max_value=2100)
        staff_total = _headcount()
        tech_staff = _headcount()
        sales_revenue = _money()
        total_assets = _money()
        rd_expense = _money()
        total_cost_expense = _money(required=False)
        ip_class1 = serializers.IntegerField(min_value=0)
        ip_class2 = serializers.IntegerField(min_value=0)
        restricted_industry = serializers.BooleanField(required=False, default=False)
        compliance_issue = serializers.BooleanField(required=False, default=False)
        high_tech_certificate_valid = serializers.BooleanField(
            required=False, default=False
        )
        rd_institutions = serializers.ListField(
            child=serializers.ChoiceField(
                choices=["national", "provincial", "municipal"]
            ),
            required=False,
            default=list,
        )

        def get_fields(self) -> dict[str, Any]:
            fields = super().get_fields()
            fields["awards"] = EligibilityTechSmeApi.AwardSerializer(
                many=True, required=False, default=list
            )
            fields["standards"] = EligibilityTechSmeApi.StandardSerializer(
                many=True, required=False, default=list
            )
            return fields

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            if data["tech_staff"] > data["staff_total"]:
                raise serializers.ValidationError(
                    {"tech_staff": [_("S&T staff cannot exceed total staff.")]}
                )
            return data

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request: AuthedApiRequest) -> Response:
        v = validated(self.InputSerializer, request.data)
        figures = TechSmeFigures(
            evaluation_year=v["evaluation_year"],
            staff_total=exact(v["staff_total"]),
            tech_staff=exact(v["tech_staff"]),
            sales_revenue=exact(v["sales_revenue"]),
            total_assets=exact(v["total_assets"]),
            rd_expense=exact(v["rd_expense"]),
            total_cost_expense=exact(v["total_cost_expense"])
            if "total_cost_expense" in v
            else None,
            ip_class1=v["ip_class1"],
            ip_class2=v["ip_class2"],
            restricted_industry=v["restricted_industry"],
            compliance_issue=v["compliance_issue"],
            high_tech_certificate_valid=v["high_tech_certificate_valid"],
            awards=[dict(a) for a in v["awards"]],
            rd_institutions=list(v["rd_institutions"]),
            standards=[dict(s) for s in v["standards"]],
        )
        return Response(assess_tech_sme(figures, policy=policy_from_settings()))
