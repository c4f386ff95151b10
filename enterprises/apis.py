"""API endpoints of the enterprises app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.apis import paginated
from bureau.models import OrgUnit
from enterprises.classifications import HighTechField, IndustrySection
from enterprises.eligibility import (
    HighTechFigures,
    TechSmeFigures,
    assess_high_tech,
    assess_tech_sme,
    exact,
    policy_from_settings,
)
from enterprises.models import (
    AnnualReturn,
    Certification,
    Enterprise,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.permissions import (
    can_create_enterprise,
    can_manage_ladder,
    get_enterprise_for_user,
)
from enterprises.selectors import (
    EnterpriseFilters,
    enterprise_get,
    enterprise_list,
    ladder_funnel,
    with_current_tier,
)
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
    annual_return_create,
    certification_create,
    certification_revoke,
    enterprise_create,
    enterprise_update,
    filing_review,
    filing_submit,
    filing_update,
    quarterly_report_create,
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
            errors = {}
            for name in (
                "rd_internal",
                "rd_entrusted_domestic",
                "rd_entrusted_overseas",
            ):
                if name in data and len(data[name]) != years:
                    errors[name] = [
                        f"需要与 sales_revenue 相同的年数（{years}个），实为{len(data[name])}个"
                    ]
            if data["tech_staff"] > data["staff_total"]:
                errors["tech_staff"] = ["科技人员数不能大于职工总数"]
            if data["non_taxable_income"] > data["total_income"]:
                errors["non_taxable_income"] = ["不征税收入不能大于收入总额"]
            if data["established_on"] > data["application_date"]:
                errors["established_on"] = ["成立日期不能晚于申请日期"]
            if errors:
                raise serializers.ValidationError(errors)
            return data

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request: Any) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
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
                    {"tech_staff": ["科技人员数不能大于职工总数"]}
                )
            return data

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request: Any) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
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


# --- Registry ---------------------------------------------------------------


class EnterpriseOutputSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    current_tier = serializers.CharField(read_only=True, allow_null=True)
    current_tier_name = serializers.CharField(read_only=True, allow_null=True)
    current_tier_expires_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "org_unit",
            "org_unit_name",
            "current_tier",
            "current_tier_name",
            "current_tier_expires_on",
            "industry_section",
            "industry_division",
            "high_tech_field",
            "founded_on",
            "is_above_scale",
            "legal_representative",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]


class EnterpriseFilterSerializer(serializers.Serializer):
    tier = serializers.CharField(required=False, allow_blank=True)
    org_unit = serializers.CharField(required=False, allow_blank=True)
    high_tech_field = serializers.ChoiceField(
        choices=HighTechField.choices, required=False, allow_blank=True
    )
    is_above_scale = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    expiring_within = serializers.IntegerField(
        required=False, min_value=0, max_value=3650
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def to_filters(self) -> EnterpriseFilters:
        return EnterpriseFilters(**self.validated_data)


class EnterpriseInputSerializer(serializers.Serializer):
    """Fields accepted on create and update (all optional on update)."""

    credit_code = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=200)
    org_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.filter(level__in=["street", "park"], is_active=True),
    )
    industry_section = serializers.ChoiceField(
        choices=IndustrySection.choices, required=False, allow_blank=True
    )
    industry_division = serializers.CharField(
        max_length=2, required=False, allow_blank=True
    )
    high_tech_field = serializers.ChoiceField(
        choices=HighTechField.choices, required=False, allow_blank=True
    )
    founded_on = serializers.DateField(required=False, allow_null=True)
    is_above_scale = serializers.BooleanField(required=False)
    legal_representative = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True)


def _enterprise_out(pk: int) -> dict[str, Any]:
    enterprise = with_current_tier(Enterprise.objects.select_related("org_unit")).get(
        pk=pk
    )
    return EnterpriseOutputSerializer(enterprise).data


class EnterpriseListCreateApi(APIView):
    @extend_schema(
        parameters=[EnterpriseFilterSerializer],
        responses=EnterpriseOutputSerializer(many=True),
    )
    def get(self, request: Any) -> Response:
        filters = EnterpriseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = enterprise_list(user=request.user, filters=filters.to_filters())
        return paginated(request, self, qs, EnterpriseOutputSerializer)

    @extend_schema(
        request=EnterpriseInputSerializer, responses={201: EnterpriseOutputSerializer}
    )
    def post(self, request: Any) -> Response:
        if not can_create_enterprise(request.user):
            raise DjangoPermissionDenied
        data = EnterpriseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        payload["credit_code"] = payload["credit_code"].strip().upper()
        enterprise = enterprise_create(by=request.user, **payload)
        return Response(_enterprise_out(enterprise.pk), status=status.HTTP_201_CREATED)


class EnterpriseDetailApi(APIView):
    @extend_schema(responses=EnterpriseOutputSerializer)
    def get(self, request: Any, pk: int) -> Response:
        enterprise = enterprise_get(user=request.user, pk=pk)
        return Response(EnterpriseOutputSerializer(enterprise).data)

    @extend_schema(
        request=EnterpriseInputSerializer, responses=EnterpriseOutputSerializer
    )
    def patch(self, request: Any, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk, write=True)
        data = EnterpriseInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        if "credit_code" in payload:
            payload["credit_code"] = payload["credit_code"].strip().upper()
        enterprise_update(enterprise=enterprise, by=request.user, **payload)
        return Response(_enterprise_out(enterprise.pk))


class CertificationOutputSerializer(serializers.ModelSerializer):
    tier = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tier_name = serializers.CharField(source="tier.name", read_only=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "tier",
            "tier_name",
            "echelon",
            "number",
            "year",
            "issued_on",
            "expires_on",
            "status",
            "revoked_on",
            "revocation_reason",
            "source_document",
        ]


class EnterpriseCertificationsApi(APIView):
    class InputSerializer(serializers.Serializer):
        tier = serializers.SlugRelatedField(
            slug_field="code", queryset=Tier.objects.filter(is_active=True)
        )
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        issued_on = serializers.DateField()
        expires_on = serializers.DateField(required=False, allow_null=True)
        number = serializers.CharField(max_length=50, required=False, allow_blank=True)
        echelon = serializers.ChoiceField(
            choices=Certification.Echelon.choices, required=False, allow_null=True
        )
        source_document = serializers.CharField(
            max_length=200, required=False, allow_blank=True
        )

    @extend_schema(responses=CertificationOutputSerializer(many=True))
    def get(self, request: Any, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        qs = enterprise.certifications.select_related("tier")
        return paginated(request, self, qs, CertificationOutputSerializer)

    @extend_schema(
        request=InputSerializer, responses={201: CertificationOutputSerializer}
    )
    def post(self, request: Any, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_manage_ladder(request.user):
            raise DjangoPermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certification = certification_create(
            by=request.user, enterprise=enterprise, **data.validated_data
        )
        return Response(
            CertificationOutputSerializer(certification).data,
            status=status.HTTP_201_CREATED,
        )


class CertificationRevokeApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300)
        revoked_on = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses=CertificationOutputSerializer)
    def post(self, request: Any, pk: int, cert_pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        certification = get_object_or_404(
            Certification.objects.select_related("tier", "enterprise"),
            pk=cert_pk,
            enterprise=enterprise,
        )
        if not can_manage_ladder(request.user):
            raise DjangoPermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certification_revoke(
            certification=certification,
            by=request.user,
            reason=data.validated_data["reason"],
            on=data.validated_data.get("revoked_on"),
        )
        return Response(CertificationOutputSerializer(certification).data)


# --- Returns and quarterly reports ------------------------------------------


def _filings_visible(user: Any, model: type) -> Any:
    from enterprises.permissions import enterprises_visible_to

    return model.objects.filter(
        enterprise__in=enterprises_visible_to(user)
    ).select_related("enterprise")


def _filing_for_user(user: Any, model: type, pk: int) -> Any:
    return get_object_or_404(_filings_visible(user, model), pk=pk)


def _resolve_enterprise(request: Any, value: Any) -> Enterprise:
    """An enterprise user files for itself; staff name the enterprise."""
    from enterprises.permissions import can_file_for

    if request.user.enterprise_id and value in (None, "", request.user.enterprise_id):
        enterprise = get_enterprise_for_user(request.user, request.user.enterprise_id)
    elif value in (None, ""):
        raise serializers.ValidationError({"enterprise": ["请指定企业。"]})
    else:
        enterprise = get_enterprise_for_user(request.user, value)
    if not can_file_for(request.user, enterprise):
        raise DjangoPermissionDenied
    return enterprise


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


class AnnualReturnSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    sales_revenue = _decimal(read_only=True)
    rd_incurred = _decimal(read_only=True)

    class Meta:
        model = AnnualReturn
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "status",
            "return_reason",
            "submitted_at",
            "reviewed_at",
            "sales_revenue",
            "rd_incurred",
            *ANNUAL_RETURN_FIELDS,
        ]
        read_only_fields = ["status", "return_reason", "submitted_at", "reviewed_at"]
        validators: list[Any] = []  # uniqueness: the create services, per field
        extra_kwargs = {
            "enterprise": {"required": False},
            **{name: {"required": False} for name in ANNUAL_RETURN_FIELDS},
        }


class QuarterlyReportSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "quarter",
            "status",
            "return_reason",
            "submitted_at",
            "reviewed_at",
            *QUARTERLY_FIELDS,
        ]
        read_only_fields = ["status", "return_reason", "submitted_at", "reviewed_at"]
        validators: list[Any] = []  # uniqueness: the create services, per field
        extra_kwargs = {
            "enterprise": {"required": False},
            **{name: {"required": False} for name in QUARTERLY_FIELDS},
        }


class FilingFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    status = serializers.ChoiceField(choices=FilingStatus.choices, required=False)
    enterprise = serializers.IntegerField(required=False)


class FilingListCreateApi(APIView):
    """Shared by annual returns and quarterly reports (see the subclasses)."""

    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer
    figure_fields: tuple[str, ...] = ANNUAL_RETURN_FIELDS

    def get(self, request: Any) -> Response:
        filters = FilingFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = _filings_visible(request.user, self.model)
        for name, value in filters.validated_data.items():
            if name == "quarter" and self.model is not QuarterlyReport:
                continue
            qs = qs.filter(**{name: value})
        return paginated(
            request,
            self,
            qs.order_by("-year", "enterprise__name", "id"),
            self.serializer,
        )

    def post(self, request: Any) -> Response:
        data = self.serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = _resolve_enterprise(
            request, getattr(values.pop("enterprise", None), "pk", None)
        )
        figures = {k: v for k, v in values.items() if k in self.figure_fields}
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

    def get(self, request: Any, pk: int) -> Response:
        return Response(
            self.serializer(_filing_for_user(request.user, self.model, pk)).data
        )

    def patch(self, request: Any, pk: int) -> Response:
        from enterprises.permissions import can_file_for

        filing = _filing_for_user(request.user, self.model, pk)
        if not can_file_for(request.user, filing.enterprise):
            raise DjangoPermissionDenied
        data = self.serializer(filing, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        figures = {
            k: v for k, v in data.validated_data.items() if k in self.figure_fields
        }
        filing_update(filing=filing, by=request.user, **figures)
        return Response(self.serializer(filing).data)


class FilingSubmitApi(APIView):
    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer

    def post(self, request: Any, pk: int) -> Response:
        from enterprises.permissions import can_file_for

        filing = _filing_for_user(request.user, self.model, pk)
        if not can_file_for(request.user, filing.enterprise):
            raise DjangoPermissionDenied
        filing_submit(filing=filing, by=request.user)
        return Response(self.serializer(filing).data)


class FilingReviewApi(APIView):
    model: type = AnnualReturn
    serializer: type = AnnualReturnSerializer

    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer)
    def post(self, request: Any, pk: int) -> Response:
        from enterprises.permissions import can_review_filings

        filing = _filing_for_user(request.user, self.model, pk)
        if not can_review_filings(request.user):
            raise DjangoPermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing_review(
            filing=filing,
            by=request.user,
            accept=data.validated_data["accept"],
            reason=data.validated_data.get("reason", ""),
        )
        return Response(self.serializer(filing).data)


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


class LadderFunnelApi(APIView):
    """Counts per tier per year and conversion up the ladder."""

    class FilterSerializer(serializers.Serializer):
        first_year = serializers.IntegerField(
            min_value=2000, max_value=2100, required=False
        )
        last_year = serializers.IntegerField(
            min_value=2000, max_value=2100, required=False
        )

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            from django.utils import timezone

            last = data.get("last_year") or timezone.localdate().year
            first = data.get("first_year") or last - 4
            if first > last:
                raise serializers.ValidationError(
                    {"first_year": ["起始年份不能晚于结束年份"]}
                )
            if last - first > 20:
                raise serializers.ValidationError({"first_year": ["最多统计21年"]})
            return {"first_year": first, "last_year": last}

    @extend_schema(parameters=[FilterSerializer], responses={200: dict})
    def get(self, request: Any) -> Response:
        from bureau.models import Role
        from bureau.permissions import has_role
        from enterprises.permissions import DISTRICT_READERS

        if not has_role(request.user, *DISTRICT_READERS, Role.STREET_LIAISON):
            raise DjangoPermissionDenied
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return Response(ladder_funnel(user=request.user, **filters.validated_data))
