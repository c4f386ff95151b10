"""Technology contracts and achievements: /api/v1/tech-contracts/ and
/api/v1/achievements/ (list, create)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit
from enterprises.selectors import enterprise_choices
from indicators.models import Achievement, TechContract
from indicators.permissions import (
    can_manage_ledgers,
    can_view_ledgers,
    contracts_visible_to,
    require,
)
from indicators.selectors import (
    AchievementFilters,
    ContractFilters,
    achievement_list,
    contract_list,
)
from indicators.services import achievement_save, tech_contract_create


class TechContractSerializer(serializers.ModelSerializer):
    seller_street: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    buyer_street: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = TechContract
        fields = [
            "id",
            "registration_number",
            "name",
            "kind",
            "seller",
            "seller_name",
            "seller_credit_code",
            "buyer",
            "buyer_name",
            "buyer_credit_code",
            "buyer_location",
            "direction",
            "seller_street",
            "buyer_street",
            "contract_amount",
            "transaction_amount",
            "registered_on",
        ]
        read_only_fields = fields


class TechContractListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, default="")
        year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
        kind = serializers.ChoiceField(
            choices=TechContract.Kind.choices, required=False, default=""
        )
        direction = serializers.ChoiceField(
            choices=TechContract.Direction.choices, required=False, default=""
        )
        street = serializers.CharField(
            required=False, default="", help_text="An org unit code."
        )

    class InputSerializer(serializers.Serializer):
        registration_number = serializers.CharField(max_length=40)
        name = serializers.CharField(max_length=200)
        kind = serializers.ChoiceField(choices=TechContract.Kind.choices)
        seller_name = serializers.CharField(max_length=200)
        seller_credit_code = serializers.CharField(
            max_length=18, required=False, default=""
        )
        buyer_name = serializers.CharField(max_length=200)
        buyer_credit_code = serializers.CharField(
            max_length=18, required=False, default=""
        )
        buyer_location = serializers.CharField(
            max_length=100, required=False, default=""
        )
        contract_amount = serializers.DecimalField(
            max_digits=16, decimal_places=2, min_value=0
        )
        transaction_amount = serializers.DecimalField(
            max_digits=16, decimal_places=2, min_value=0
        )
        registered_on = serializers.DateField()

    @extend_schema(
        parameters=[FilterSerializer], responses=TechContractSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_ledgers(request.user))
        filters = ContractFilters(
            **validated(self.FilterSerializer, request.query_params)
        )
        qs = contract_list(user=request.user, filters=filters)
        return paginated(request, self, qs, TechContractSerializer)

    @extend_schema(request=InputSerializer, responses={201: TechContractSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_manage_ledgers(request.user))
        data = validated(self.InputSerializer, request.data)
        contract = tech_contract_create(by=request.user, **data)
        return Response(
            TechContractSerializer(contract).data, status=status.HTTP_201_CREATED
        )


class AchievementSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    street = serializers.CharField(source="owner.org_unit.code", read_only=True)
    way = serializers.ChoiceField(
        choices=Achievement.Way.choices, allow_blank=True, read_only=True
    )
    contracts = serializers.SlugRelatedField[TechContract](
        slug_field="registration_number", many=True, read_only=True
    )

    class Meta:
        model = Achievement
        fields = [
            "id",
            "title",
            "owner",
            "owner_name",
            "street",
            "field",
            "stage",
            "way",
            "contracts",
            "new_output_value",
            "jobs",
            "patents",
            "started_on",
            "pilot_on",
            "industrialised_on",
            "note",
        ]
        read_only_fields = fields


class AchievementListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, default="")
        stage = serializers.ChoiceField(
            choices=Achievement.Stage.choices, required=False, default=""
        )
        way = serializers.ChoiceField(
            choices=Achievement.Way.choices, required=False, default=""
        )
        street = serializers.CharField(required=False, default="")

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        owner = serializers.PrimaryKeyRelatedField(queryset=enterprise_choices())
        field = serializers.CharField(max_length=60, required=False, default="")
        stage = serializers.ChoiceField(
            choices=Achievement.Stage.choices, default=Achievement.Stage.WAITING
        )
        way = serializers.ChoiceField(
            choices=Achievement.Way.choices, required=False, default=""
        )
        contracts = serializers.ListField(
            child=serializers.CharField(max_length=40),
            required=False,
            default=list,
            help_text="Registration numbers of contracts the caller may see.",
        )

        def validate_contracts(self, numbers: list[str]) -> list[TechContract]:
            user = self.context["user"]
            found = {
                c.registration_number: c
                for c in contracts_visible_to(user).filter(
                    registration_number__in=numbers
                )
            }
            missing = [n for n in numbers if n not in found]
            if missing:
                raise serializers.ValidationError(
                    _("No contract is registered under %(numbers)s.")
                    % {"numbers": "、".join(missing)}
                )
            return [found[n] for n in dict.fromkeys(numbers)]

        new_output_value = serializers.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=0,
            required=False,
            allow_null=True,
        )
        jobs = serializers.IntegerField(min_value=0, required=False, allow_null=True)
        patents = serializers.IntegerField(min_value=0, required=False, allow_null=True)
        started_on = serializers.DateField(required=False, allow_null=True)
        pilot_on = serializers.DateField(required=False, allow_null=True)
        industrialised_on = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(max_length=300, required=False, default="")

    @extend_schema(
        parameters=[FilterSerializer], responses=AchievementSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_ledgers(request.user))
        filters = AchievementFilters(
            **validated(self.FilterSerializer, request.query_params)
        )
        qs = achievement_list(user=request.user, filters=filters)
        return paginated(request, self, qs, AchievementSerializer)

    @extend_schema(request=InputSerializer, responses={201: AchievementSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_manage_ledgers(request.user))
        data = validated(
            self.InputSerializer, request.data, context={"user": request.user}
        )
        contracts = data.pop("contracts")
        achievement = achievement_save(
            achievement=Achievement(), by=request.user, contracts=contracts, **data
        )
        return Response(
            AchievementSerializer(achievement).data, status=status.HTTP_201_CREATED
        )
