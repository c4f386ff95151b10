"""Eligibility pre-assessment API (ELIGIBILITY_API.md)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from enterprises.eligibility import (
    HighTechFigures,
    NewChuyingFigures,
    TechSmeFigures,
    assess_high_tech,
    assess_new_chuying,
    assess_tech_sme,
    exact,
    hnte_years,
    new_chuying_criteria_from_settings,
    policy_from_settings,
)
from enterprises.models import Tier
from enterprises.permissions import get_enterprise_for_user
from enterprises.selectors import eligibility_for


def _contract(result: dict[str, Any]) -> dict[str, Any]:
    """The POST answers of ELIGIBILITY_API.md: figures given in full decide
    every condition, so the stored-data keys (status, missing) are left out."""
    for condition in result["conditions"]:
        condition.pop("status", None)
        condition.pop("missing", None)
        condition.pop("awaits", None)
    return result


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
            else:
                needed = hnte_years(data["application_date"], data["established_on"])
                if years < len(needed):
                    # RULES §2.2(5): three years, or every year operated.
                    errors["sales_revenue"] = [
                        _(
                            "Give the figures of every accounting year from "
                            "%(first)s to %(last)s, oldest first."
                        )
                        % {"first": needed[0], "last": needed[-1]}
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
        return Response(
            _contract(assess_high_tech(figures, policy=policy_from_settings()))
        )


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
        return Response(
            _contract(assess_tech_sme(figures, policy=policy_from_settings()))
        )


class EligibilityNewChuyingApi(APIView):
    """杭州新雏鹰 pre-assessment (ELIGIBILITY_API.md, RULES §6.2). Stores
    nothing; the thresholds are the round's preset in settings."""

    class InputSerializer(serializers.Serializer):
        evaluation_date = serializers.DateField()
        established_on = serializers.DateField()
        provincial_tech_sme = serializers.BooleanField()
        future_industry = serializers.BooleanField()
        staff_total = _headcount()
        rd_staff = _headcount()
        operating_revenue = _money()
        rd_expense = _money()
        core_ip_applications = serializers.IntegerField(min_value=0)
        core_ip_granted = serializers.IntegerField(min_value=0)
        pct_applications = serializers.IntegerField(min_value=0)
        d_class_talent = serializers.BooleanField(required=False, default=False)
        provincial_award_rank = serializers.IntegerField(min_value=1, required=False)
        rd_input_3y = _money(required=False)
        equity_financing = _money(required=False)
        serious_dishonesty = serializers.BooleanField(required=False, default=False)

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            errors: dict[str, list[str]] = {}
            if data["rd_staff"] > data["staff_total"]:
                errors["rd_staff"] = [_("R&D staff cannot exceed total staff.")]
            if data["core_ip_granted"] > data["core_ip_applications"]:
                errors["core_ip_granted"] = [
                    _("Granted items cannot exceed the applications.")
                ]
            if data["established_on"] > data["evaluation_date"]:
                errors["established_on"] = [
                    _("The founding date cannot be after the evaluation date.")
                ]
            if "rd_input_3y" in data and data["rd_input_3y"] < data["rd_expense"]:
                errors["rd_input_3y"] = [
                    _("The three-year input includes the previous year's.")
                ]
            if errors:
                raise serializers.ValidationError(errors)
            return data

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request: AuthedApiRequest) -> Response:
        v = validated(self.InputSerializer, request.data)
        figures = NewChuyingFigures(
            evaluation_date=v["evaluation_date"],
            established_on=v["established_on"],
            provincial_tech_sme=v["provincial_tech_sme"],
            future_industry=v["future_industry"],
            staff_total=exact(v["staff_total"]),
            rd_staff=exact(v["rd_staff"]),
            operating_revenue=exact(v["operating_revenue"]),
            rd_expense=exact(v["rd_expense"]),
            core_ip_applications=v["core_ip_applications"],
            core_ip_granted=v["core_ip_granted"],
            pct_applications=v["pct_applications"],
            d_class_talent=v["d_class_talent"],
            provincial_award_rank=v.get("provincial_award_rank"),
            rd_input_3y=exact(v["rd_input_3y"]) if "rd_input_3y" in v else None,
            # Not given: the caller claims none.
            equity_financing=exact(v.get("equity_financing", 0)),
            serious_dishonesty=v["serious_dishonesty"],
        )
        return Response(
            _contract(assess_new_chuying(figures, new_chuying_criteria_from_settings()))
        )


# The tiers of GET /api/v1/enterprises/{id}/eligibility/{tier}/ by URL slug.
STORED_TIERS = {
    "high-tech": Tier.HNTE,
    "tech-sme": Tier.TECH_SME,
    "chuying": Tier.CHUYING,
    "new-chuying": Tier.NEW_CHUYING,
}


class EnterpriseEligibilityApi(APIView):
    """The pre-check of a stored enterprise for one tier: each condition
    passed, failed or pending with what is missing (ELIGIBILITY_API.md).
    Scoped like the enterprise; stores nothing."""

    @extend_schema(responses={200: dict})
    def get(self, request: AuthedApiRequest, pk: int, tier: str) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        code = STORED_TIERS.get(tier)
        tier_row = Tier.objects.filter(code=code).first() if code else None
        if tier_row is None:
            raise Http404
        on = timezone.localdate()
        assessment = eligibility_for(enterprise, tier_row, on=on)
        body = dict(assessment.result or {"conditions": []})
        body["eligible"] = assessment.eligible
        return Response(
            {"tier": tier, "tier_name": tier_row.name, "as_of": on.isoformat()} | body
        )
